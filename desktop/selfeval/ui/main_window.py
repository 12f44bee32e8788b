"""The main window: the report list, and the wizard of the report being edited."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QSize
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QWidget

from .. import errors
from . import dialogs
from .i18n import LANGUAGES, language, tr
from .report_list import ReportList
from .settings import restore_geometry, save_geometry

if TYPE_CHECKING:
    from ..workspace import Workspace
    from .wizard_window import WizardView

GEOMETRY_KEY = "window/main"
BACKUP_FILTER = "SQLite (*.sqlite3 *.sqlite *.db);;* (*)"
DEMO_IDS_KEY = "reports/demo"  # the ids of the demo reports opened from 打开示例报告


class MainWindow(QMainWindow):
    def __init__(self, workspace: Workspace | None, settings: QSettings, parent: QWidget | None = None):
        """Without a workspace the window shows an empty list until :meth:`attach` gives it one."""
        super().__init__(parent)
        self.workspace = workspace
        self.settings = settings
        self.wizard: WizardView | None = None
        self.receive_window = None
        self.setWindowTitle(dialogs.app_title())
        self.stack = QStackedWidget(self)
        self.setCentralWidget(self.stack)
        self.report_list = ReportList(self.stack)
        self.report_list.open_requested.connect(self.open_report)
        self.report_list.action_requested.connect(self.do_action)
        self.stack.addWidget(self.report_list)
        self._menus()
        restore_geometry(settings, GEOMETRY_KEY, self, QSize(1200, 800))
        if workspace is not None:
            self.attach(workspace)

    def attach(self, workspace: Workspace) -> None:
        """Show the reports of ``workspace`` (opened after the window first appeared)."""
        self.workspace = workspace
        self.refresh_list()
        self.report_list.focus_reports()

    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu(tr("文件"))
        for text, key, shortcut in (("新建报告", "new", QKeySequence.StandardKey.New),
                                    ("导入 JSON", "import", None), ("从 Word 导入上年报告", "import_doc", None),
                                    ("按本单位项目报告计数", "count", None),
                                    ("备份数据库", "backup", None), ("受理报送包…", "receive", None)):
            action = QAction(tr(text), self)
            if shortcut is not None:
                action.setShortcuts(shortcut)
            action.triggered.connect(lambda _=False, k=key: self.do_action(k))
            file_menu.addAction(action)
        file_menu.addSeparator()
        quit_action = QAction(tr("退出"), self)
        quit_action.setShortcuts(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        settings_menu = self.menuBar().addMenu(tr("设置"))
        language_menu = settings_menu.addMenu(tr("语言"))
        group = QActionGroup(self)
        for code, name in LANGUAGES.items():
            action = QAction(name, self, checkable=True)
            action.setChecked(code == language())
            action.triggered.connect(lambda _=False, c=code: self.choose_language(c))
            group.addAction(action)
            language_menu.addAction(action)

    def choose_language(self, code: str) -> None:
        self.settings.setValue("language", code)
        self.settings.sync()
        dialogs.inform(self, tr("语言"), tr("重启程序后生效。"))

    # -- the list

    def refresh_list(self, select: int | None = None) -> None:
        if self.workspace is None:
            return
        reports = self.workspace.store.reports()
        self.report_list.show_reports(reports, select, self._form_name)
        demos = self._demo_ids()
        for row, info in enumerate(reports):  # the demo report is no clerk's own work
            item = self.report_list.table.item(row, 0)
            if info.id in demos and item is not None:
                item.setText(f"{info.unit_name}（{tr('示例')}）")

    def _demo_ids(self) -> set[int]:
        stored = self.settings.value(DEMO_IDS_KEY, "")
        return {int(part) for part in str(stored or "").split(",") if part.strip().isdigit()}

    def _form_name(self, info) -> str:
        """From the form file's heading: listing the reports builds no form."""
        try:
            form_file = self.workspace.catalog.heading(info.form_id, info.form_edition)
        except LookupError:
            return f"{info.form_id} {info.form_edition}"
        values = self.workspace.store.values(info.id) if form_file.subject and not info.damage else {}
        # a project's name before 项目支出绩效自评报告
        return f"{form_file.subject_of(values)}{form_file.title}（{form_file.edition}）"

    def settle_unsaved(self) -> bool:
        """Before a report is closed: try once more to save; should that fail, ask whether to keep
        the edits in a recovery file, go on editing, or drop them. False: go on editing."""
        wizard = self.wizard
        if wizard is None or not wizard.session.dirty or wizard.flush():  # flush: True once written
            return True
        from ..recovery import RecoveryError, keep_unsaved

        answer = dialogs.choose(self, tr("修改没有保存"), tr(
            "数据库现在无法写入（可能被其他程序占用，或磁盘已满），最近的修改还没有保存。\n"
            "可以把这些修改写入数据库旁的恢复文件，下次启动时再恢复。"),
            [("keep", tr("写入恢复文件后关闭")), ("stay", tr("返回继续编辑")), ("drop", tr("放弃这些修改"))])
        if answer == "stay":
            return False
        if answer == "keep":
            try:
                path = keep_unsaved(self.workspace.store.path, wizard.session.unsaved())
            except RecoveryError as error:
                dialogs.warn(self, tr("修改没有保存"), str(error))
                return False
            dialogs.inform(self, tr("修改没有保存"), f"{tr('修改已写入恢复文件：')}\n{path}")
        wizard.autosave.stop()
        wizard.session.pending.clear()
        wizard.session.pending_explanations.clear()
        return True

    def offer_recovery(self) -> None:
        """At start: apply the edits a previous run could not save, if the clerk wants them."""
        from ..recovery import RecoveryError, apply_unsaved, discard_unsaved, read_unsaved

        try:
            unsaved = read_unsaved(self.workspace.store.path)
        except RecoveryError as error:
            dialogs.warn(self, tr("恢复未保存的修改"), str(error))
            return
        if unsaved is None:
            return
        if not dialogs.confirm(self, tr("恢复未保存的修改"),
                               f"{unsaved.describe()}（上次关闭时写入恢复文件）。现在恢复到报告中吗？\n"
                               "选“否”将删除恢复文件。"):
            discard_unsaved(self.workspace.store.path)
            return
        try:
            written = apply_unsaved(self.workspace, unsaved)
        except RecoveryError as error:
            dialogs.warn(self, tr("恢复未保存的修改"), str(error))
            return
        self.refresh_list(select=unsaved.report_id)
        dialogs.inform(self, tr("恢复未保存的修改"), f"已恢复 {len(written) + len(unsaved.explanations)} 项修改。")

    def show_list(self) -> None:
        if self.wizard is not None:
            if not self.settle_unsaved():
                return
            report_id = self.wizard.session.report_id
            self.wizard.shutdown()
            self.stack.removeWidget(self.wizard)
            self.wizard.deleteLater()
            self.wizard = None
            self.refresh_list(select=report_id)
        self.stack.setCurrentWidget(self.report_list)
        self.report_list.focus_reports()
        self.setWindowTitle(dialogs.app_title())

    def open_report(self, report_id: int) -> WizardView | None:
        """Open the report in the wizard; a damaged one is refused, an altered one opened with a warning."""
        info = next((info for info in self.report_list.reports if info.id == report_id), None)
        if info is not None and info.damage:
            dialogs.warn(self, tr("无法打开报告"), info.problem)
            return None
        if self.wizard is not None:
            self.show_list()
            if self.wizard is not None:  # the clerk went back to unsaved edits
                return None
        from .wizard_window import WizardView  # loaded when the first report opens, not at start

        self.wizard = WizardView(self.workspace, report_id, self.stack, settings=self.settings)
        self.wizard.closed.connect(self.show_list)
        self.stack.addWidget(self.wizard)
        self.stack.setCurrentWidget(self.wizard)
        self.wizard.focus_page()
        info = self.wizard.session.info
        self.setWindowTitle(f"{info.unit_name} {info.year} 年度 — {dialogs.app_title()}")
        if info.altered:
            dialogs.warn(self, tr("报告定稿后被改动"), info.problem)
        return self.wizard

    def do_action(self, key: str) -> None:
        if self.workspace is None:  # the database is still being opened
            return
        from ..store import StoreError

        handler = getattr(self, f"action_{key}")
        try:
            handler()
        except StoreError as error:
            dialogs.warn(self, tr("操作未能完成"), str(error))

    def action_new(self) -> None:
        from . import new_report

        wanted = new_report.ask_new_report(self, self.workspace)
        if wanted is None:
            return
        report_id = self.workspace.new_report(wanted.unit_name, wanted.year, form_id=wanted.form_id,
                                              from_previous=wanted.from_previous, source_id=wanted.source_id)
        self.refresh_list(select=report_id)
        self.open_report(report_id)

    def action_receive(self):
        """The receiving desk, for a finance bureau: a window of its own beside the report list."""
        from ..receiving.registry import RegistryError
        from .receive_window import ReceiveWindow

        if self.receive_window is None:
            try:
                self.receive_window = ReceiveWindow(parent=self)
            except RegistryError as error:
                dialogs.warn(self, tr("操作未能完成"), str(error))
                return None
        else:
            self.receive_window.refresh()
        self.receive_window.show()
        self.receive_window.raise_()
        return self.receive_window

    def action_demo(self) -> None:
        from ..catalog import demo_report_path

        report_id = self.workspace.import_json(demo_report_path().read_text(encoding="utf-8"))
        self.settings.setValue(DEMO_IDS_KEY, ",".join(str(i) for i in sorted(self._demo_ids() | {report_id})))
        self.refresh_list(select=report_id)
        self.open_report(report_id)

    def action_duplicate(self) -> None:
        report_id = self.report_list.selected_id()
        if report_id is not None:
            self.refresh_list(select=self.workspace.store.duplicate_report(report_id))

    def action_delete(self) -> None:
        report_id = self.report_list.selected_id()
        if report_id is None:
            return
        info = self.report_list.selected()  # also a damaged report may be deleted
        question = f"{info.unit_name} {info.year} 年度\n\n" + tr("确定要删除这份报告吗？删除前会自动备份数据库。")
        if not dialogs.confirm(self, tr("删除"), question):
            return
        safety = self.workspace.store.delete_report(report_id)
        self.refresh_list()
        self.statusBar().showMessage(f"{tr('已删除。删除前的备份：')}{safety}", 10000)

    def action_import(self) -> None:
        from ..store import StoreError

        path = dialogs.open_file(self, tr("导入 JSON"), Path.home(), "JSON (*.json)")
        if path is None:
            return
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as error:
            raise StoreError(errors.not_utf8(path, error)) from error
        except OSError as error:
            raise StoreError(errors.os_message(error, path, doing="读取")) from error
        try:
            report_id = self.workspace.import_json(text)
        except ValueError as error:
            raise StoreError(str(error)) from error
        self.refresh_list(select=report_id)

    def action_count(self) -> None:
        """Fill the open or selected report's counted fields (项目总数…) from the unit's project
        reports of the year; counts already typed are kept, and one that differs stays a warning."""
        from .. import counting

        report_id = self.wizard.session.report_id if self.wizard is not None else self.report_list.selected_id()
        title = tr("按本单位项目报告计数")
        if report_id is None:
            dialogs.inform(self, title, tr("请先打开或选中一份报告。"))
            return
        report = self.workspace.open_report(report_id)
        form = report.form
        if not form.counted_from:
            dialogs.inform(self, title, f"表单“{form.title}”没有可按其他报告计数的字段。")
            return
        if report.info.status == "final":
            dialogs.inform(self, title, tr("报告已定稿；如需修改，请先重新打开。"))
            return
        reopen = self.wizard is not None
        if reopen:
            self.show_list()  # what was typed is written first, and the wizard reads the counts anew
            if self.wizard is not None:  # the clerk went back to edits that could not be saved
                return
        counted, filled = self.workspace.fill_counts(report_id)
        self.refresh_list(select=report_id)
        if reopen:
            self.open_report(report_id)
        values = self.workspace.open_report(report_id).values
        dialogs.inform(self, title, "\n".join(counting.summary_lines(form, values, counted, filled))
                       if counted else counting.nothing_to_count(form))

    def action_import_doc(self) -> None:
        """Last year's Word report into the open or selected draft (or a new report): the clerk
        reviews every text and figure before anything is stored."""
        from .. import docimport
        from ..store import StoreError
        from . import new_report
        from .import_dialog import review_import

        if self.wizard is not None:
            self.wizard.flush()  # what was typed is stored before the import reads the report

        path = dialogs.open_file(self, tr("从 Word 导入上年报告"), Path.home(),
                                 "Word (*.docx *.doc);;文本 (*.txt);;* (*)")
        if path is None:
            return
        try:
            blocks = docimport.read_blocks(path)
        except docimport.DocImportError as error:
            raise StoreError(str(error)) from error
        report_id = self.wizard.session.report_id if self.wizard is not None else self.report_list.selected_id()
        wanted = None
        if report_id is None or self.workspace.store.report(report_id).status == "final":
            wanted = new_report.ask_new_report(self, self.workspace)
            if wanted is None:
                return
            form = self.workspace.catalog.get(wanted.form_id, year=wanted.year)
            target, current = f"{wanted.unit_name} {wanted.year} 年度（新建）", {}
        else:
            report = self.workspace.open_report(report_id)
            form, current = report.form, report.values
            target = f"{report.info.unit_name} {report.info.year} 年度"
        plan = docimport.plan_import(form, blocks)
        chosen = review_import(self, form, plan, target=target, current=current, source=path.name)
        if chosen is None:
            return
        if wanted is not None:
            report_id = self.workspace.new_report(wanted.unit_name, wanted.year, form_id=wanted.form_id,
                                                  from_previous=wanted.from_previous)
        texts, figures = chosen
        if self.wizard is not None:
            self.show_list()  # the open wizard is closed before the import writes under it
        result = docimport.apply_import(self.workspace, report_id, texts, figures, replace=True)
        self.refresh_list(select=report_id)
        self.open_report(report_id)
        message = f"{tr('已导入')} {len(result.written)} {tr('项')}"
        if result.refused:
            dialogs.warn(self, tr("从 Word 导入上年报告"), tr("以下内容未能写入：") + "\n" + "\n".join(
                f"{docimport.clerk_label(form, fid)}：{error}" for fid, error in result.refused))
        self.statusBar().showMessage(message, 10000)

    def action_export(self) -> None:
        import json

        from ..store import StoreError

        report_id = self.report_list.selected_id()
        if report_id is None:
            return
        info = self.workspace.store.report(report_id)
        suggested = Path.home() / f"{info.unit_name}-{info.year}.json"
        path = dialogs.save_file(self, tr("导出 JSON"), suggested, "JSON (*.json)")
        if path is None:
            return
        text = json.dumps(self.workspace.export_dict(report_id), ensure_ascii=False, indent=2)
        try:
            path.write_text(text + "\n", encoding="utf-8")
        except OSError as error:
            raise StoreError(errors.os_message(error, path)) from error
        self.statusBar().showMessage(str(path), 10000)

    def action_backup(self) -> None:
        if self.wizard is not None:
            self.wizard.flush()
        target = self.workspace.store.backup()
        dialogs.inform(self, tr("备份数据库"), f"{tr('已备份到：')}\n{target}")

    def action_restore(self) -> None:
        from ..store import restore_from
        from ..workspace import Workspace

        store = self.workspace.store
        source = dialogs.open_file(self, tr("恢复数据库"), store.backup_dir, BACKUP_FILTER)
        if source is None:
            return
        self.show_list()
        db_path = store.path
        store.close(backup=False)
        try:
            safety = restore_from(source, db_path)
        finally:
            self.workspace = Workspace.open(db_path, self.workspace.catalog)
        self.refresh_list()
        dialogs.inform(self, tr("恢复数据库"), f"{tr('已恢复。恢复前的数据库保存在：')}\n{safety}")

    # -- closing asks only when edits could not be saved

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.settle_unsaved():
            event.ignore()
            return
        if self.wizard is not None:
            self.wizard.shutdown()
        if self.receive_window is not None:
            self.receive_window.shutdown()
        save_geometry(self.settings, GEOMETRY_KEY, self)
        event.accept()
