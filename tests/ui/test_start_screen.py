"""The report list's actions, settings, translations and crash reporting."""
from __future__ import annotations

import json
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from selfeval import paths
from selfeval.ui import crash, i18n, main_window
from selfeval.ui.new_report import NewReport
from selfeval.ui.settings import open_settings


def click(window, key):
    QTest.mouseClick(window.report_list.buttons[key], Qt.MouseButton.LeftButton)


def test_new_report_from_previous_year_carries_the_unit_facts(qtbot, window, monkeypatch):
    window.do_action("demo")
    window.show_list()
    monkeypatch.setattr("selfeval.ui.new_report.ask_new_report",
                        lambda _p, _w: NewReport("gd-dept-overall", "政协乐昌市委员会机关", 2023, True))
    click(window, "new")
    session = window.wizard.session
    assert session.info.year == 2023
    assert session.values["unit.region"] == "广东省韶关市乐昌市"
    assert "income.total" not in session.values


def test_duplicate_delete_export_import(qtbot, window, asked, tmp_path):
    window.do_action("demo")
    window.show_list()
    click(window, "duplicate")
    assert window.report_list.table.rowCount() == 2
    target = tmp_path / "out.json"
    asked["files"].append(target)
    click(window, "export")
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert exported["values"]["income.total"] == "628.76"
    click(window, "delete")
    assert asked["confirm"] and window.report_list.table.rowCount() == 1
    assert list((paths.data_dir() / "backups").glob("*before-delete*"))
    asked["files"].append(target)
    click(window, "import")
    assert window.report_list.table.rowCount() == 2


def test_backup_and_restore(qtbot, window, asked):
    window.do_action("demo")
    window.show_list()
    click(window, "backup")
    backup = next((paths.data_dir() / "backups").glob("*manual*"))
    click(window, "delete")
    assert window.report_list.table.rowCount() == 0
    asked["files"].append(backup)
    click(window, "restore")
    assert window.report_list.table.rowCount() == 1
    assert "已恢复" in asked["inform"][-1]


def test_a_store_problem_is_shown_not_raised(qtbot, window, asked, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    asked["files"].append(bad)
    window.do_action("import")
    assert asked["warn"]


def test_window_geometry_is_remembered(qtbot, window, workspace):
    window.resize(700, 520)
    window.close()
    again = main_window.MainWindow(workspace, open_settings())
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (700, 520)
    assert (paths.data_dir() / "selfeval.ini").exists()


def test_english_is_switchable_and_qt_chinese_is_loaded(qtbot, home):
    try:
        i18n.set_language("en")
        assert i18n.tr("新建报告") == "New report"
        assert i18n.tr("没有这条") == "没有这条"
    finally:
        i18n.set_language("zh_CN")
    assert i18n.tr("新建报告") == "新建报告"
    from PySide6.QtWidgets import QApplication

    assert i18n.install_qt_translations(QApplication.instance())
    assert QApplication.translate("QPlatformTheme", "Cancel") == "取消"


def test_uncaught_error_is_logged_and_shown_with_the_log_path(home, monkeypatch):
    shown = []
    log_path = crash.setup_logging(paths.log_dir())
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    crash.install_excepthook(log_path, lambda title, text: shown.append((title, text)))
    try:
        raise RuntimeError("测试用的错误")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    assert str(log_path) in shown[0][1]
    assert "测试用的错误" in log_path.read_text(encoding="utf-8")


def test_a_crash_file_is_reported_once(home):
    folder = paths.log_dir()
    (folder / crash.CRASH_NAME).write_text("Fatal Python error: Segmentation fault\n", encoding="utf-8")
    kept = crash.take_previous_crash(folder)
    assert kept is not None and "Segmentation" in kept.read_text(encoding="utf-8")
    assert crash.take_previous_crash(folder) is None


def test_main_starts_reports_an_old_crash_once_and_quits(tmp_path):
    import os
    import subprocess
    import textwrap

    home = tmp_path / "home"
    (home / "logs").mkdir(parents=True)
    (home / "logs" / "crash.log").write_text("Fatal Python error: Aborted\n", encoding="utf-8")
    script = textwrap.dedent("""
        import sys
        from PySide6.QtCore import QTimer
        from selfeval.ui import app, dialogs
        dialogs.warn = lambda parent, title, text: print("WARN", text.replace("\\n", " "), flush=True)
        qt = app.application()
        QTimer.singleShot(300, qt.quit)
        code = app.main([])
        print("EXIT", code, flush=True)
    """)
    env = dict(os.environ, SELFEVAL_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    for run in range(2):
        child = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
        assert "EXIT 0" in child.stdout, child.stderr
        assert ("上次运行时程序意外退出" in child.stdout) == (run == 0)
    assert (home / "selfeval.sqlite3").exists()
    assert list((home / "logs").glob("crash-*.log"))


def test_the_interface_in_english(qtbot, workspace, asked):
    from selfeval.ui.settings import open_settings

    i18n.set_language("en")
    try:
        window = main_window.MainWindow(workspace, open_settings())
        qtbot.addWidget(window)
        assert window.report_list.buttons["new"].text() == "New report"
        window.do_action("demo")
        assert window.wizard.next_button.text() == "Next →"
        window.wizard.shutdown()
    finally:
        i18n.set_language("zh_CN")


def test_bundled_font_is_the_application_font_and_missing_is_quiet(qtbot, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QApplication

    from selfeval.catalog import resources_dir
    from selfeval.ui import app

    family = app.load_bundled_font(QApplication.instance())
    if (resources_dir() / app.FONT_FILE).is_file():
        assert family and QApplication.font().family() == family
    monkeypatch.setattr(app, "resources_dir", lambda: tmp_path)
    assert app._add_bundled_font() is None


START_ORDER = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from selfeval.ui import app, main_window

real = app.open_workspace

def windows():
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, main_window.MainWindow)]

def opening(db_path=None):
    print("before", [w.isVisible() and w.workspace is None for w in windows()], flush=True)
    workspace = real(db_path) if sys.argv[1] == "open" else None
    QTimer.singleShot(0, lambda: (print("after", [w.workspace is workspace for w in windows()], flush=True),
                                  QApplication.quit()))
    return workspace

app.open_workspace = opening
app.application()
print("EXIT", app.run(), flush=True)
"""


def start(tmp_path, how: str) -> list[str]:
    """Start the program in a child process (its crash handlers are process-wide); what it printed."""
    import os
    import subprocess

    env = dict(os.environ, SELFEVAL_HOME=str(tmp_path / "home"), QT_QPA_PLATFORM="offscreen")
    child = subprocess.run([sys.executable, "-c", START_ORDER, how], env=env, capture_output=True, text=True,
                           timeout=60)
    assert child.returncode == 0, child.stderr
    return child.stdout.splitlines()


def test_the_window_is_shown_before_the_database_is_opened(tmp_path):
    assert start(tmp_path, "open") == ["before [True]", "after [True]", "EXIT 0"]


def test_giving_up_on_the_database_after_the_window_showed_exits_with_1(tmp_path):
    assert start(tmp_path, "give up") == ["before [True]", "EXIT 1"]


def test_actions_wait_for_the_database(qtbot, home):
    window = main_window.MainWindow(None, open_settings())
    qtbot.addWidget(window)
    window.do_action("demo")  # ignored: nothing to act on yet
    assert window.report_list.reports == [] and window.wizard is None


def test_qt_file_dialog_speaks_chinese_throughout(qtbot, home, tmp_path):
    """Qt's own Chinese file lacks the file dialog's newer labels; ours fills them in."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QTreeView

    assert i18n.install_qt_translations(QApplication.instance())
    (tmp_path / "上年报告.json").write_text("{}", encoding="utf-8")
    dialog = QFileDialog(None, "导入", str(tmp_path), "JSON (*.json)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    dialog.show()
    labels = {label.text() for label in dialog.findChildren(QLabel) if label.text()}
    assert {"查找范围(&L)：", "文件名称(&N)：", "文件类型(&T)："} <= labels
    assert not [text for text in labels if text.isascii()]
    view = dialog.findChild(QTreeView)
    headers = [view.model().headerData(column, Qt.Orientation.Horizontal) for column in range(4)]
    assert headers == ["名称", "体积", "类型", "修改日期"]
    assert QApplication.translate("QPlatformTheme", "Cancel") == "取消"  # Qt's own file still answers


def test_the_list_names_each_form_from_its_file_without_building_it(qtbot, window, tmp_path):
    """A form file whose body no longer builds (the heading is right) still names its reports."""
    import shutil

    from selfeval.catalog import FormCatalog, forms_dir
    from selfeval.formfile import FormError
    from selfeval.workspace import Workspace

    window.do_action("demo")
    window.show_list()
    for path in forms_dir().glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    dept = tmp_path / "gd-dept-overall-2022.yaml"
    dept.write_text(dept.read_text("utf-8").replace("\nindicators:", "\nindicators: 1\nunknown:"), "utf-8")
    window.attach(Workspace(window.workspace.store, FormCatalog(tmp_path)))
    assert window.report_list.table.item(0, 2).text() == "部门整体支出绩效自评报告（2022.1）"
    with pytest.raises(FormError, match="indicators"):  # said when the report is opened
        window.workspace.catalog.forms()
