"""The wizard for one report: page list, the current page, Back/Next, live score."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..navigation import REVIEW_PAGE_ID
from ..parsing import format_score
from ..workspace import NotReady, Workspace
from . import dialogs
from .autosave import Autosave
from .export_page import ExportPage
from .field_widgets import ENTER_PASSES
from .i18n import tr
from .page_list import PageList
from .page_view import PageView
from .review_page import ReviewPage
from .score_panel import ScorePanel
from .session import ReportSession
from .settings import open_settings

REFRESH_MS = 0  # coalesces the edits of one event-loop pass
LOCK_WAIT_SECONDS = 1.0  # a save waits this long for another program's lock, then retries later


class WizardView(QWidget):
    """Embedded in the main window; ``closed`` asks to go back to the report list."""

    closed = Signal()
    changed = Signal()  # the report's stored state changed (finalised, reopened)

    def __init__(self, workspace: Workspace, report_id: int, parent: QWidget | None = None,
                 settings: QSettings | None = None):
        super().__init__(parent)
        self.settings = settings if settings is not None else open_settings()
        workspace.store.set_lock_wait(LOCK_WAIT_SECONDS)
        self.session = ReportSession(workspace, report_id)
        self.exporting = False
        self.autosave = Autosave(self.session, self)
        self.autosave.saved.connect(lambda: self.score_panel.show_saved(
            f"{tr('已保存')} {datetime.now():%H:%M:%S}"))
        self.autosave.failed.connect(self._save_failed)
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setSingleShot(True)
        self.refresh_timer.setInterval(REFRESH_MS)
        self.refresh_timer.timeout.connect(self.refresh)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        header = QHBoxLayout()
        self.back_to_list = QPushButton("← " + tr("返回报告列表"), self)
        self.back_to_list.setObjectName("backToList")
        self.back_to_list.clicked.connect(self.close_report)
        self.heading = QLabel(self)
        self.heading.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.banner = QLabel(self)
        self.banner.setStyleSheet("color: #8a5300; font-weight: bold;")
        self.reopen_button = QPushButton(tr("重新打开"), self)
        self.reopen_button.setObjectName("reopen")
        self.reopen_button.setToolTip(tr("定稿后如需修改，先重新打开报告（需填写原因）"))
        self.reopen_button.clicked.connect(self.reopen)
        self.preview_button = QPushButton(tr("预览草稿"), self)
        self.preview_button.setObjectName("preview")
        self.preview_button.setToolTip(tr("按当前内容生成标有“草稿”的 PDF，用系统的 PDF 阅读器打开，可打印"))
        self.preview_button.clicked.connect(self.preview)
        header.addWidget(self.back_to_list)
        header.addWidget(self.heading, 1)
        header.addWidget(self.preview_button)
        header.addWidget(self.banner)
        header.addWidget(self.reopen_button)
        outer.addLayout(header)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        side = QWidget(splitter)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        self.page_list = PageList(self.session.navigator.pages, side)
        self.page_list.page_chosen.connect(self._list_row_changed)
        self.page_list.clicked.connect(self._list_clicked)
        side_layout.addWidget(self.page_list, 1)
        self.score_panel = ScorePanel(side)
        side_layout.addWidget(self.score_panel)
        main = QWidget(splitter)
        main_layout = QVBoxLayout(main)
        main_layout.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget(main)
        main_layout.addWidget(self.stack, 1)
        nav = QHBoxLayout()
        self.back_button = QPushButton("← " + tr("上一步"), main)
        self.back_button.setObjectName("back")
        self.next_button = QPushButton(tr("下一步") + " →", main)
        self.next_button.setObjectName("next")
        self.notice = QLabel(main)
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #8a5300;")
        for button in (self.back_button, self.next_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setAutoDefault(True)  # Enter presses it, as Enter moves from field to field
        # Enter from a page's last field goes on to 下一步 (Tab stops at 上一步 first, as it is placed)
        self.back_button.setProperty(ENTER_PASSES, True)
        self.back_button.setToolTip(tr("上一页") + "（PgUp / Alt+←）")
        self.next_button.setToolTip(tr("下一页") + "（PgDn / Alt+→）")
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        nav.addWidget(self.back_button)
        nav.addWidget(self.notice, 1)
        nav.addWidget(self.next_button)
        main_layout.addLayout(nav)
        splitter.addWidget(side)
        splitter.addWidget(main)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 900])
        outer.addWidget(splitter, 1)

        # the keypad's PgDn and arrows (NumLock off) arrive with the keypad modifier: "Num+"
        for keys, slot in ((("PgDown", "Alt+Right", "Num+PgDown", "Alt+Num+Right"), self.go_next),
                           (("PgUp", "Alt+Left", "Num+PgUp", "Alt+Num+Left"), self.go_back)):
            for key in keys:
                shortcut = QShortcut(QKeySequence(key), self)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(slot)

        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self.find_text)
        self.last_search = ""

        self.views: dict[str, PageView | ReviewPage | ExportPage] = {}
        QApplication.instance().focusChanged.connect(self._focus_changed)
        self._listening = True
        self._show_header()
        self.show_page(self._last_page())

    # -- pages

    def _last_page_key(self) -> str:
        return f"wizard/lastPage/{self.session.report_id}"

    def _last_page(self) -> int:
        """The page the clerk left this report on (the first page for a new one)."""
        page_id = self.settings.value(self._last_page_key(), "")
        try:
            return self.navigator.index_of(str(page_id)) if page_id else 0
        except KeyError:  # a page of another form edition
            return 0

    @property
    def navigator(self):
        return self.session.navigator

    def view(self, page_id: str) -> PageView | ReviewPage | ExportPage:
        if page_id not in self.views:
            page = self.navigator.page(page_id)
            if page.is_export:
                view = ExportPage(self.session, self.settings, self.stack)
                view.review_requested.connect(lambda: self.go_to(REVIEW_PAGE_ID))
                view.busy_changed.connect(self._export_busy)
                view.exported.connect(self.refresh)
            elif page.is_review:
                view = ReviewPage(self.session, self.stack)
                view.explain.connect(self.explain)
                view.finalize_requested.connect(self.finalize)
                view.jump.connect(self.jump_to_field)
            else:
                view = PageView(self.session, page, self.stack)
                for editor in view.editors().values():
                    editor.edited.connect(self.edited)
                    editor.left.connect(self.left)
                view.jump.connect(self.jump_to_field)
            # the scrolling frame is no stop for Tab: focus goes from field to field
            view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.views[page_id] = view
            self.stack.addWidget(view)
        return self.views[page_id]

    @staticmethod
    def _tab_stops(view: QWidget) -> list[QWidget]:
        """The widgets of ``view`` that Tab stops at, in tab order (rows added later
        sit elsewhere in the window's focus chain until they are ordered)."""
        stops, start = [], view.window()
        widget = start.nextInFocusChain()
        while widget is not start and widget is not None:
            if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and view.isAncestorOf(widget):
                stops.append(widget)
            widget = widget.nextInFocusChain()
        return stops

    def _tab_to_buttons_after(self, view: QWidget) -> None:
        """Pages are built on first visit; keep Back/Next right after the page's last field.
        (Qt ignores setTabOrder with a widget that takes no focus, so the last stop is used.)"""
        stops = self._tab_stops(view)
        if stops:
            QWidget.setTabOrder(stops[-1], self.back_button)
            QWidget.setTabOrder(self.back_button, self.next_button)

    def focus_page(self) -> None:
        """Put the keyboard focus on the first thing to fill in (or press) on the current page,
        with the cursor after its text and nothing selected: the first key typed adds to it
        (Tab into a field selects its text, to be typed over; the program putting the focus
        there is no such choice)."""
        for widget in self._tab_stops(self.current_view()):
            if widget.isVisible() and widget.isEnabled():
                widget.setFocus(Qt.FocusReason.TabFocusReason)
                if isinstance(widget, QLineEdit):
                    widget.deselect()
                    widget.end(False)
                elif isinstance(widget, QPlainTextEdit):
                    widget.moveCursor(QTextCursor.MoveOperation.End)
                return

    def current_view(self) -> PageView | ReviewPage | ExportPage:
        return self.view(self.navigator.current.id)

    def show_page(self, index: int) -> None:
        leaving = self.navigator.current
        notices = self.navigator.next_notices(self.session.evaluation, self.session.parse_errors)
        self.autosave.flush()
        focused = QApplication.focusWidget()
        # PgDn/Alt+→ from a field, or 下一步 pressed from the keyboard: typing goes on in
        # the new page's first field (the page list keeps the focus, to go on choosing)
        follow = (focused is None or self.stack.isAncestorOf(focused)
                  or focused in (self.back_button, self.next_button))
        page = self.navigator.move(index)
        self.settings.setValue(self._last_page_key(), page.id)
        view = self.view(page.id)
        if isinstance(view, PageView) and leaving is not page:
            view.release_room()  # nothing is under the pointer on a page just shown
        self.stack.setCurrentWidget(view)
        self.page_list.show_page(index)
        self.back_button.setEnabled(self.navigator.can_back)
        self.next_button.setEnabled(self.navigator.can_next)
        if leaving is not page and notices:
            self.notice.setText(f"“{leaving.title}”还有 {len(notices)} 个问题：{notices[0]}")
        else:
            self.notice.clear()
        self.refresh()
        self._tab_to_buttons_after(view)
        if follow and self.isVisible():
            self.focus_page()

    def go_next(self) -> None:
        if self.navigator.can_next:
            self.show_page(self.navigator.index + 1)

    def go_back(self) -> None:
        if self.navigator.can_back:
            self.show_page(self.navigator.index - 1)

    def go_to(self, page_id: str) -> None:
        self.show_page(self.navigator.index_of(page_id))

    def _list_row_changed(self, index: int) -> None:
        if index != self.navigator.index:
            self.show_page(index)

    def _list_clicked(self, _row) -> None:
        """A page chosen with the mouse: the focus goes into it, ready for typing or pasting. (Chosen
        with the arrow keys, the list keeps the focus, to go on choosing; Tab then enters the page.)"""
        if self.page_list.page_at(self.page_list.currentRow()) == self.navigator.index:
            self.focus_page()

    def jump_to_field(self, field_id: str, excerpt: str = "") -> None:
        self.navigator.reveal(field_id)
        page = self.navigator.page_of_field(field_id)
        self.go_to(page.id)
        view = self.current_view()
        if isinstance(view, PageView):
            view.focus_field(field_id, excerpt)

    def find_text(self) -> bool:
        """Ctrl+F: find words in the fields of the page, from the cursor on, round to the start."""
        view = self.current_view()
        if not isinstance(view, PageView):
            return False
        text = dialogs.ask_text(self, tr("查找"), tr("在本页的文字中查找："))
        if not text:
            return False
        self.last_search = text
        editors = list(view.editors().values())
        focused = QApplication.focusWidget()
        here = next((n for n, e in enumerate(editors) if focused is not None and e.isAncestorOf(focused)), 0)
        order = editors[here:] + editors[:here + 1]
        for n, editor in enumerate(order):
            if editor.find_text(text, from_start=n > 0):
                view.ensureWidgetVisible(QApplication.focusWidget())
                return True
        dialogs.inform(self, tr("查找"), f"本页没有找到“{text}”。")
        return False

    def editor(self, field_id: str):
        """The editor of a field, building its page if needed."""
        view = self.view(self.navigator.page_of_field(field_id).id)
        return view.rows[field_id].editor

    # -- edits

    def edited(self, field_id: str, text: str) -> None:
        result = self.session.edit(field_id, text)
        if result.changed:
            self.autosave.schedule()
        if result.changed or (result.accepted and field_id in self.current_messages()):
            self.refresh_timer.start()

    def current_messages(self) -> set[str]:
        view = self.current_view()
        return {fid for fid, row in getattr(view, "rows", {}).items() if row.message.isVisible()}

    def left(self, field_id: str, text: str) -> None:
        if self.session.final:
            return
        self.navigator.reveal(field_id)
        result = self.session.edit(field_id, text, leaving=True)
        if result.changed:
            self.autosave.schedule()
        if result.accepted:
            if field_id not in self._focused_fields():
                self.editor(field_id).show_value(self.session.values.get(field_id))
        self.autosave.flush()
        self.refresh()

    def _focused_fields(self) -> set[str]:
        focused = QApplication.focusWidget()
        view = self.current_view()
        if focused is None or not isinstance(view, PageView):
            return set()
        return {fid for fid, row in view.rows.items() if row.editor.isAncestorOf(focused)}

    def explain(self, check_id: str, text: str) -> None:
        if self.session.explain(check_id, text):
            self.autosave.schedule()
            self.refresh_timer.start()

    def _focus_changed(self, old, new) -> None:
        if self.session.dirty and old is not None and self.isAncestorOf(old):
            self.autosave.flush()

    def flush(self) -> bool:
        return self.autosave.flush()

    def _save_failed(self, message: str) -> None:
        """Shown at once and kept until a retry succeeds; nothing typed is dropped meanwhile."""
        self.score_panel.show_unsaved(f"{tr('保存失败，修改仍保留在窗口中，每 3 秒重试：')}{message}")

    # -- what the person sees

    def refresh(self) -> None:
        self.refresh_timer.stop()
        session = self.session
        evaluation = session.refresh()
        self.score_panel.show_evaluation(evaluation, len(self.navigator.hidden_errors(evaluation)))
        self.page_list.show_states(self.navigator.states(evaluation, session.values, session.parse_errors))
        view = self.current_view()
        view.refresh(session)
        if isinstance(view, ReviewPage) and view.reordered:
            view.reordered = False
            self._tab_to_buttons_after(view)

    def _show_header(self) -> None:
        info = self.session.info
        form = self.session.form
        self.heading.setText(f"{info.unit_name} · {info.year} 年度 · {form.subject_of(self.session.values)}{form.title}")
        self.banner.setText(tr("本报告已定稿，只读。") if self.session.final else "")
        self.reopen_button.setVisible(self.session.final)

    def _export_busy(self, busy: bool) -> None:
        """While a package is being written the report stays open and final."""
        self.exporting = busy
        self.back_to_list.setEnabled(not busy)
        self.reopen_button.setEnabled(not busy)

    def _stop_exports(self) -> None:
        for view in self.views.values():
            if isinstance(view, ExportPage):
                view.shutdown()

    def _rebuild(self, index: int) -> None:
        """Build the pages anew (read-only or not) and show page ``index`` again."""
        self._stop_exports()
        for view in self.views.values():
            self.stack.removeWidget(view)
            view.deleteLater()
        self.views = {}
        self._show_header()
        self.show_page(index)
        self.changed.emit()

    def finalize(self) -> None:
        self.autosave.flush()
        evaluation = self.session.evaluation
        if self.navigator.can_finalize(evaluation, self.session.parse_errors) and not dialogs.confirm(
                self, tr("定稿"), f"总分 {format_score(evaluation.total)} 分，等级“{evaluation.grade}”。\n"
                f"定稿后报告只读，可签名导出；如需修改须重新打开并说明原因。确定定稿吗？"):
            return
        try:
            self.session.finalize()
        except NotReady as error:
            dialogs.warn(self, tr("暂不能定稿："), "\n".join(error.problems))
            return
        self._rebuild(self.navigator.index)  # the reloaded session keeps the page

    def reopen(self) -> None:
        if self.exporting:
            return
        reason = dialogs.ask_text(self, tr("重新打开"), tr("重新打开的原因："))
        if not reason:
            return
        self.session.reopen(reason)
        self._rebuild(self.navigator.index)

    def preview(self) -> Path | None:
        """Write the report as it stands as a draft PDF and open it in the system's viewer."""
        from ..export.draft import draft_folder, write_draft

        self.autosave.flush()
        path = draft_folder() / f"{self.session.report_id}-{datetime.now():%Y%m%d-%H%M%S}-草稿.pdf"
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            write_draft(self.session.workspace, self.session.report_id, pdf=path)
        except OSError as error:
            dialogs.warn(self, tr("无法生成草稿："), str(error))
            return None
        finally:
            QApplication.restoreOverrideCursor()
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            dialogs.inform(self, tr("草稿已生成"), str(path))
        return path

    def close_report(self) -> None:
        self.autosave.flush()
        self.closed.emit()

    def shutdown(self) -> None:
        """Write what is pending, let a running export finish, stop listening to the application."""
        self.autosave.flush()
        self._stop_exports()
        if self._listening:
            self._listening = False
            QApplication.instance().focusChanged.disconnect(self._focus_changed)
