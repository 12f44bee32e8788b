"""The main window fits on the screen it opens on, whatever size was saved or preferred."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QPoint, QRect, QSize, QTimer
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QPushButton, QScrollArea, QTableWidget,
                               QWidget)

from selfeval.ui.settings import open_settings, restore_geometry
from test_receive_window import stick, year_stick  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parents[2]


def test_the_preferred_size_shrinks_to_the_screen(qtbot, home):
    room = QGuiApplication.primaryScreen().availableGeometry()
    widget = QWidget()
    qtbot.addWidget(widget)
    restore_geometry(open_settings(), "nothing-saved", widget, QSize(room.width() + 400, room.height() + 300))
    assert widget.width() <= room.width() and widget.height() <= room.height()
    assert room.contains(widget.frameGeometry())


def test_a_geometry_saved_on_a_larger_monitor_is_brought_back_on_screen(qtbot, home):
    room = QGuiApplication.primaryScreen().availableGeometry()
    big = QWidget()
    qtbot.addWidget(big)
    big.setGeometry(room.width() + 200, 50, room.width() * 2, room.height() * 2)
    settings = open_settings()
    settings.setValue("geometry/test", big.saveGeometry())
    assert isinstance(settings.value("geometry/test"), QByteArray)
    widget = QWidget()
    qtbot.addWidget(widget)
    restore_geometry(settings, "geometry/test", widget, QSize(100, 100))
    assert widget.width() <= room.width() and widget.height() <= room.height()
    assert room.contains(widget.frameGeometry())


def test_the_main_window_opens_within_the_screen(window):
    room = QGuiApplication.primaryScreen().availableGeometry()
    assert room.contains(window.frameGeometry())


# -- every window and dialog on a small screen: 1024 × 768 less a taskbar (and no wider than the test screen)

SMALL = QRect(0, 0, 1024, 728)


@pytest.fixture
def small_screen(qapp, monkeypatch):
    """The free room of every screen, as the program reads it, is that of a small laptop's."""
    room = SMALL.intersected(QGuiApplication.primaryScreen().availableGeometry())
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: QRect(room))
    return room


def shown(qtbot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def on_screen(room: QRect, *widgets: QWidget) -> bool:
    """Each widget wholly within ``room`` (in global coordinates)."""
    return all(room.contains(QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())) for widget in widgets)


def modal(qtbot, opener, look) -> None:
    """Open a modal dialog with ``opener()``; ``look(dialog)`` sees it shown (and may fail), then it is closed."""
    seen, failed = [], []

    def check():
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(10, check)
            return
        try:
            look(dialog)
            seen.append(dialog)
        except Exception as error:  # raised again below, not inside Qt's event loop
            failed.append(error)
        finally:
            dialog.reject() if isinstance(dialog, QDialog) else dialog.close()

    QTimer.singleShot(0, check)
    opener()
    if failed:
        raise failed[0]
    assert seen, "no dialog was shown"


def parent_window(qtbot) -> QWidget:
    """A window to open dialogs over (not the main window: its fixture answers every question itself)."""
    parent = QWidget()
    parent.resize(1000, 700)
    return shown(qtbot, parent)


def test_the_import_review_fits_and_its_buttons_can_be_pressed(qtbot, small_screen, window, tmp_path):
    from test_import_doc import demo_docx

    from selfeval import docimport
    from selfeval.catalog import FormCatalog
    from selfeval.ui.import_dialog import ImportReviewDialog

    form = FormCatalog(ROOT / "forms").get("gd-dept-overall")
    plan = docimport.plan_import(form, docimport.read_blocks(demo_docx(tmp_path)))
    dialog = shown(qtbot, ImportReviewDialog(form, plan, target="政协乐昌市委员会机关 2022 年度（新建）",
                                             current={}, source="上年报告.docx", parent=window))
    assert small_screen.contains(dialog.frameGeometry())
    cancel = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel)
    assert on_screen(small_screen, dialog.ok, cancel)
    for tab, table in ((1, dialog.figures), (0, dialog.texts), (2, dialog.findChild(QTableWidget, "unplaced"))):
        dialog.tabs.setCurrentIndex(tab)
        qtbot.wait(1)
        assert table.horizontalScrollBar().maximum() == 0, table.objectName()  # every column in view


def test_the_receiving_desk_fits_and_shows_every_column(qtbot, small_screen, window, stick, year_stick):
    from test_receive_window import open_desk

    open_desk(window)
    desk_window = window.receive_window
    desk_window.action_scan(year_stick)
    desk_window.action_scan(stick)
    qtbot.waitExposed(desk_window)
    assert small_screen.contains(desk_window.frameGeometry())
    table = desk_window.table
    assert table.rowCount() == 6
    # 证书指纹 and 结论 not cut off, once the columns shared the width (on the next pass of the event loop)
    qtbot.waitUntil(lambda: table.horizontalScrollBar().maximum() == 0, timeout=1000)
    qtbot.wait(50)
    assert table.horizontalScrollBar().maximum() == 0
    assert "项目支出绩效自评：文史资料编纂出版" in [table.item(row, 2).text() for row in range(table.rowCount())]
    assert on_screen(small_screen, *desk_window.buttons.values())


def test_the_new_report_dialog_fits(qtbot, small_screen, window):
    from selfeval.ui.new_report import NewReportDialog

    for _ in range(3):
        window.do_action("demo")
    window.workspace.new_report("广东省某某市某某县某某镇人民政府某某办公室某某事务中心" * 2, 2023)  # 56 characters
    dialog = shown(qtbot, NewReportDialog(window.workspace, window))
    assert small_screen.contains(dialog.frameGeometry())
    centred(dialog, window)


def centred(dialog: QWidget, parent: QWidget) -> None:
    """Fitted to the screen, a dialog is still where Qt puts it: centred over its parent."""
    offset = dialog.frameGeometry().center() - parent.frameGeometry().center()
    assert abs(offset.x()) <= 4 and abs(offset.y()) <= 4, (dialog.frameGeometry(), parent.frameGeometry())


def test_the_certificate_dialog_fits(qtbot, small_screen, window, tmp_path):
    from selfeval.ui.cert_dialog import SelfSignedDialog

    dialog = shown(qtbot, SelfSignedDialog("政协乐昌市委员会机关" * 6, "示例签署人", tmp_path, window))
    assert small_screen.contains(dialog.frameGeometry())
    centred(dialog, window)


@pytest.mark.parametrize("ask", ["warn", "inform", "confirm", "choose"])
def test_a_message_with_many_lines_fits_and_scrolls(qtbot, small_screen, ask):
    """Say, 暂不能定稿 with every problem of a report: the text scrolls, the buttons stay on the screen."""
    from selfeval.ui import dialogs

    window = parent_window(qtbot)
    text = "\n".join(f"「预算编制规划性{n}」自评得分 3 分低于满分 4 分，须填写扣分原因。" for n in range(80))
    opener = {
        "warn": lambda: dialogs.warn(window, "暂不能定稿：", text),
        "inform": lambda: dialogs.inform(window, "提示", text),
        "confirm": lambda: dialogs.confirm(window, "确认", text),
        "choose": lambda: dialogs.choose(window, "修改没有保存", text, [("keep", "保存"), ("drop", "放弃")]),
    }[ask]

    def look(dialog):
        assert small_screen.contains(dialog.frameGeometry()), dialog.frameGeometry()
        assert on_screen(small_screen, *dialog.findChildren(QPushButton))
        assert dialog.findChild(QScrollArea) is not None

    modal(qtbot, opener, look)


def test_a_short_message_is_a_plain_message_box(qtbot, small_screen):
    from selfeval.ui import dialogs

    window = parent_window(qtbot)

    def look(dialog):
        assert dialog.findChild(QScrollArea) is None
        centred(dialog, window)

    modal(qtbot, lambda: dialogs.inform(window, "备份数据库", "已备份到：\n/tmp/备份.sqlite3"), look)


def test_the_reason_dialog_fits(qtbot, small_screen):
    from selfeval.ui import dialogs

    def look(dialog):
        assert small_screen.contains(dialog.frameGeometry()), dialog.frameGeometry()

    window = parent_window(qtbot)
    modal(qtbot, lambda: dialogs.ask_text(window, "重新打开", "重新打开的原因：" * 40), look)


def test_the_wizard_fits_on_every_page(qtbot, small_screen, window):
    window.do_action("demo")
    wizard = window.wizard
    for index, page in enumerate(wizard.navigator.pages):
        wizard.show_page(index)
        qtbot.wait(1)
        assert small_screen.contains(window.frameGeometry()), page.id
        assert on_screen(small_screen, wizard.next_button, wizard.back_button), page.id
