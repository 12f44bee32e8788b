"""The last page: choose a certificate and a folder, then sign and write the package.

The slow part (rendering, signing, writing, verifying) runs in an
:class:`ExportJob` thread through :func:`~selfeval.export.pipeline.build_package`
(or :func:`~selfeval.export.pipeline.build_year_package` for a department report
with its unit's project reports of the year, as ``selfeval export --with-projects``),
which reads and writes no database.  Reading the reports before and recording
the export after happen here, in the GUI thread, because the store is used
from that thread only: its tables are bound to one shared database handle,
so a second store opened in a worker thread would not be safe.
"""
from __future__ import annotations

import logging
from functools import partial
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QSettings, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..drives import removable_drives
from ..export.certs import CertError
from ..export.package import PackageError
from ..export.pipeline import STEPS, ExportRefused, ExportResult, build_package, build_year_package
from ..export.sign import SignError
from ..navigation import EXPORT_PAGE_TITLE, REVIEW_PAGE_TITLE
from ..store import StoreError
from . import dialogs
from .cert_dialog import PFX_PATTERN, SELF_SIGNED_NOTICE, SelfSignedDialog
from .field_row import show_message
from .i18n import tr
from .session import ReportSession
from .ukey_panel import UKeyPanel
from .year_option import YearOption

log = logging.getLogger("selfeval")

PFX_KEY = "export/pfx"  # the last certificate file; the password is never kept
FOLDER_KEY = "export/folder"  # the last folder chosen with 其他文件夹…
ZIP_KEY = "export/zip"
UKEY_KEY = "export/ukey"  # signed with the USB key last time
EXPECTED_ERRORS = (ExportRefused, CertError, PackageError, SignError)
OK_COLOUR, BAD_COLOUR = "#1b5e20", "#b3261e"
DETAILS_HEADING = "检查明细："  # where Verdict.text() starts listing each check
PATH_ROLE = Qt.ItemDataRole.UserRole
KIND_ROLE = Qt.ItemDataRole.UserRole + 1  # "drive" or "folder"


class ExportJob(QThread):
    """Builds one package in a worker thread; touches no database and no widget.

    ``build`` is ``build_package`` or ``build_year_package`` with the reports read beforehand."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)  # ExportResult
    failed = Signal(str)

    def __init__(self, build: Callable[..., ExportResult], *, pfx: Path | None, password: str, out_dir: Path,
                 make_zip: bool, parent: QWidget | None = None, ukey=None):
        super().__init__(parent)
        self.build = build
        self.pfx, self.password, self.out_dir, self.make_zip = pfx, password, out_dir, make_zip
        self.ukey = ukey  # a UKeyChoice, then ``password`` is its PIN

    def run(self) -> None:
        try:
            result = self.build(pfx=self.pfx, password=self.password, out_dir=self.out_dir,
                                make_zip=self.make_zip, progress=self.progressed.emit, ukey=self.ukey)
        except EXPECTED_ERRORS as error:
            self.failed.emit(str(error))
        except Exception as error:  # shown on the page; the details go to the log
            log.exception("export failed")
            self.failed.emit(f"导出时出错：{error}")
        else:
            self.succeeded.emit(result)
        finally:
            self.password = ""


class ExportPage(QScrollArea):
    review_requested = Signal()
    busy_changed = Signal(bool)
    exported = Signal()

    def __init__(self, session: ReportSession, settings: QSettings, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.job: ExportJob | None = None
        self.result: ExportResult | None = None
        self._retype_password = False
        self.cert_dialog: SelfSignedDialog | None = None
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.content = QWidget(self)
        layout = QVBoxLayout(self.content)
        layout.setSpacing(10)
        title = QLabel(tr(EXPORT_PAGE_TITLE), self.content)
        title.setObjectName("pageTitle")
        title.setStyleSheet("font-size: 20px; font-weight: bold;")
        layout.addWidget(title)
        intro = QLabel(tr("把定稿的报告导出为报送包：签名的 PDF 报告（内含 Excel 自评表）、Excel 自评表和文件清单。"
                          "导出后程序会立即验证签名和文件。"), self.content)
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.blocked = QFrame(self.content)
        self.blocked.setObjectName("exportBlocked")
        self.blocked.setStyleSheet("QFrame#exportBlocked { background: #fdecea; border: 1px solid #e6a29b; }")
        blocked_layout = QVBoxLayout(self.blocked)
        self.blocked_text = QLabel(self.blocked)
        self.blocked_text.setObjectName("exportBlockedText")
        self.blocked_text.setWordWrap(True)
        self.blocked_text.setTextFormat(Qt.TextFormat.PlainText)
        self.blocked_text.setStyleSheet(f"color: {BAD_COLOUR};")
        self.to_review = QPushButton(tr(f"转到“{REVIEW_PAGE_TITLE}”"), self.blocked)
        self.to_review.setObjectName("toReview")
        self.to_review.clicked.connect(self.review_requested.emit)
        blocked_layout.addWidget(self.blocked_text)
        blocked_layout.addWidget(self.to_review, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.blocked)

        self.form = QWidget(self.content)
        form_layout = QVBoxLayout(self.form)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.addWidget(self._certificate_box())
        form_layout.addWidget(self._target_box())
        self.year_option = YearOption(self.settings, self.form)
        self.year_option.hide()
        form_layout.addWidget(self.year_option)
        run = QHBoxLayout()
        self.export_button = QPushButton(tr("导出"), self.form)
        self.export_button.setObjectName("export")
        self.export_button.setStyleSheet("font-weight: bold; padding: 4px 24px;")
        self.export_button.clicked.connect(self.start)
        self.progress = QProgressBar(self.form)
        self.progress.setRange(0, len(STEPS))
        self.progress.setValue(0)
        self.progress.setFormat("%v / %m")
        self.step = QLabel(self.form)
        self.step.setObjectName("exportStep")
        self.step.setWordWrap(True)  # a year package's steps name the report, and must not widen the page
        run.addWidget(self.export_button)
        run.addWidget(self.progress, 1)
        run.addWidget(self.step)
        form_layout.addLayout(run)
        self.missing = QLabel(self.form)
        self.missing.setStyleSheet("color: #555555;")
        form_layout.addWidget(self.missing)
        self.error = QLabel(self.form)
        self.error.setObjectName("exportError")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.hide()
        form_layout.addWidget(self.error)
        form_layout.addWidget(self._result_box())
        layout.addWidget(self.form)
        layout.addStretch(1)
        self.setWidget(self.content)
        self.refresh_targets()
        self._sign_with_changed(self.use_ukey.isChecked())

    # -- building

    def _certificate_box(self) -> QGroupBox:
        box = QGroupBox(tr("1. 签名证书"), self.form)
        self.pfx_panel = QWidget(box)
        grid = QGridLayout(self.pfx_panel)
        grid.setContentsMargins(0, 0, 0, 0)
        self.pfx = QLineEdit(str(self.settings.value(PFX_KEY, "") or ""), box)
        self.pfx.setObjectName("pfxPath")
        self.pfx.setPlaceholderText(tr("证书文件（.pfx 或 .p12）"))
        self.pfx.textChanged.connect(self._update_ready)
        self.pfx_browse = QPushButton(tr("选择…"), box)
        self.pfx_browse.setObjectName("pfxBrowse")
        self.pfx_browse.clicked.connect(self.browse_certificate)
        self.password = QLineEdit(box)
        self.password.setObjectName("pfxPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.textChanged.connect(self._update_ready)
        self.password.returnPressed.connect(self.start)
        self.new_cert = QPushButton(tr("没有证书？生成自签名证书"), box)
        self.new_cert.setObjectName("newCertificate")
        self.new_cert.clicked.connect(self.open_cert_dialog)
        note = QLabel(tr("注意：") + tr(SELF_SIGNED_NOTICE), box)
        note.setObjectName("selfSignedNote")
        note.setWordWrap(True)
        note.setStyleSheet("color: #8a5300;")
        grid.addWidget(QLabel(tr("证书文件"), box), 0, 0)
        grid.addWidget(self.pfx, 0, 1)
        grid.addWidget(self.pfx_browse, 0, 2)
        grid.addWidget(QLabel(tr("证书密码"), box), 1, 0)
        grid.addWidget(self.password, 1, 1)
        grid.addWidget(self.new_cert, 2, 1, 1, 2, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(note, 3, 0, 1, 3)
        grid.setColumnStretch(1, 1)
        self.use_pfx = QRadioButton(tr("证书文件（.pfx）"), box)
        self.use_pfx.setObjectName("usePfx")
        self.use_ukey = QRadioButton(tr("USB 证书（UKey）"), box)
        self.use_ukey.setObjectName("useUKey")
        self.ukey = UKeyPanel(self.settings, box)
        self.ukey.changed.connect(self._update_ready)
        choice = QHBoxLayout()
        choice.addWidget(self.use_pfx)
        choice.addWidget(self.use_ukey)
        choice.addStretch(1)
        layout = QVBoxLayout(box)
        layout.addLayout(choice)
        layout.addWidget(self.pfx_panel)
        layout.addWidget(self.ukey)
        ukey = str(self.settings.value(UKEY_KEY, "false")).lower() == "true"
        (self.use_ukey if ukey else self.use_pfx).setChecked(True)
        self.use_ukey.toggled.connect(self._sign_with_changed)
        return box

    def _sign_with_changed(self, ukey: bool) -> None:
        self.pfx_panel.setVisible(not ukey)
        self.ukey.setVisible(ukey)
        if ukey and self.ukey.module.text().strip() and not self.ukey.keys.count():
            self.ukey.refresh()
        self._update_ready()

    def _target_box(self) -> QGroupBox:
        box = QGroupBox(tr("2. 保存位置"), self.form)
        layout = QVBoxLayout(box)
        self.targets = QListWidget(box)
        self.targets.setObjectName("exportTargets")
        self.targets.setMaximumHeight(84)
        self.targets.currentRowChanged.connect(self._update_ready)
        self.no_drive = QLabel(tr("未检测到U盘等可移动磁盘。插入后请点“刷新”，或选择其他文件夹。"), box)
        self.no_drive.setStyleSheet("color: #555555;")
        buttons = QHBoxLayout()
        self.refresh_drives = QPushButton(tr("刷新"), box)
        self.refresh_drives.setObjectName("refreshDrives")
        self.refresh_drives.clicked.connect(self.refresh_targets)
        self.other_folder = QPushButton(tr("其他文件夹…"), box)
        self.other_folder.setObjectName("otherFolder")
        self.other_folder.clicked.connect(self.browse_folder)
        self.make_zip = QCheckBox(tr("同时生成 .zip 压缩包"), box)
        self.make_zip.setObjectName("makeZip")
        self.make_zip.setChecked(str(self.settings.value(ZIP_KEY, "false")).lower() == "true")
        buttons.addWidget(self.refresh_drives)
        buttons.addWidget(self.other_folder)
        buttons.addStretch(1)
        buttons.addWidget(self.make_zip)
        layout.addWidget(self.targets)
        layout.addWidget(self.no_drive)
        layout.addLayout(buttons)
        return box

    def _result_box(self) -> QGroupBox:
        self.result_box = QGroupBox(tr("导出结果"), self.form)
        self.result_box.setObjectName("exportResult")
        grid = QGridLayout(self.result_box)
        self.folder_label = QLabel(self.result_box)
        self.folder_label.setObjectName("exportFolder")
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.zip_label = QLabel(self.result_box)
        self.zip_label.setWordWrap(True)
        self.zip_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_folder = QPushButton(tr("打开文件夹"), self.result_box)
        self.open_folder.setObjectName("openFolder")
        self.open_folder.clicked.connect(self.show_folder)
        self.parts_heading = QLabel(tr("包中的报告："), self.result_box)
        self.parts = QLabel(self.result_box)
        self.parts.setObjectName("exportParts")
        self.parts.setWordWrap(True)
        self.parts.setTextFormat(Qt.TextFormat.PlainText)
        self.parts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes = QLabel(self.result_box)
        self.notes.setObjectName("exportNotes")
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes.hide()
        self.verdict = QLabel(self.result_box)
        self.verdict.setObjectName("exportVerdict")
        self.verdict.setWordWrap(True)
        self.verdict.setTextFormat(Qt.TextFormat.PlainText)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit(self.result_box)
        self.details.setObjectName("exportVerdictDetails")
        self.details.setReadOnly(True)
        self.details.setMaximumHeight(120)
        self.details.setTabChangesFocus(True)
        self.recorded = QLabel(self.result_box)
        self.recorded.setWordWrap(True)
        grid.addWidget(QLabel(tr("报送包文件夹："), self.result_box), 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.folder_label, 0, 1)
        grid.addWidget(self.open_folder, 0, 2, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.zip_label, 1, 1)
        grid.addWidget(self.parts_heading, 2, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.parts, 2, 1, 1, 2)
        grid.addWidget(self.notes, 3, 0, 1, 3)
        grid.addWidget(self.verdict, 4, 0, 1, 3)
        grid.addWidget(self.details, 5, 0, 1, 3)
        grid.addWidget(self.recorded, 6, 0, 1, 3)
        grid.setColumnStretch(1, 1)
        self.result_box.hide()
        return self.result_box

    # -- what the page shows

    def refresh(self, session: ReportSession) -> None:
        self.session = session
        problems = session.navigator.export_problems(session.evaluation)
        self.blocked.setVisible(bool(problems))
        self.blocked_text.setText("\n".join(problems))
        self.form.setVisible(not problems)
        if not problems and not self.busy:
            self.refresh_targets()
            self._show_year_option()

    def _show_year_option(self) -> None:
        """On a report that counts its unit's project reports: whether they can go into one package with it."""
        try:
            self.year_option.show_projects(self.session.year_projects() if self.session.form.counted_from
                                           else None)
        except StoreError as error:
            self.year_option.show_projects(None)
            show_message(self.error, tr("无法读取本单位本年度的项目报告：") + str(error), "error")

    @property
    def busy(self) -> bool:
        return self.job is not None

    def refresh_targets(self) -> None:
        """Removable drives first, then folders chosen before; keeps the current choice."""
        chosen = self.out_dir()
        drives = removable_drives()
        folders = [Path(str(self.settings.value(FOLDER_KEY)))] if self.settings.value(FOLDER_KEY) else []
        folders += [path for path in self._listed_folders() if path not in folders]
        self.targets.blockSignals(True)
        self.targets.clear()
        for drive in drives:
            self._add_target(drive.path, drive.label, "drive")
        for folder in folders:
            if folder.is_dir() and folder not in [d.path for d in drives]:
                self._add_target(folder, str(folder), "folder")
        self.targets.blockSignals(False)
        self.no_drive.setVisible(not drives)
        self._select(chosen)
        if self.targets.currentRow() < 0 and self.targets.count():
            self.targets.setCurrentRow(0)
        self._update_ready()

    def _listed_folders(self) -> list[Path]:
        return [Path(self.targets.item(row).data(PATH_ROLE)) for row in range(self.targets.count())
                if self.targets.item(row).data(KIND_ROLE) == "folder"]

    def _add_target(self, path: Path, label: str, kind: str) -> None:
        item = QListWidgetItem(label, self.targets)
        item.setData(PATH_ROLE, str(path))
        item.setData(KIND_ROLE, kind)
        item.setToolTip(str(path))

    def _select(self, path: Path | None) -> bool:
        for row in range(self.targets.count()):
            if path is not None and Path(self.targets.item(row).data(PATH_ROLE)) == path:
                self.targets.setCurrentRow(row)
                return True
        return False

    def out_dir(self) -> Path | None:
        item = self.targets.currentItem()
        return Path(item.data(PATH_ROLE)) if item is not None else None

    def _update_ready(self, *_args) -> None:
        needed = ((tr("证书文件"), self.pfx.text().strip()), (tr("证书密码"), self.password.text()))
        if self.use_ukey.isChecked():
            needed = ((tr("UKey 中的证书"), self.ukey.choice() is not None), (tr("PIN 码"), self.ukey.pin.text()))
        missing = [name for name, ok in (*needed, (tr("保存位置"), self.out_dir() is not None)) if not ok]
        self.export_button.setEnabled(not missing and not self.busy)
        self.missing.setText(tr("还需要：") + "、".join(missing) if missing else "")
        self.missing.setVisible(bool(missing))

    # -- choosing

    def browse_certificate(self) -> None:
        chosen = dialogs.open_file_near(self, tr("选择证书文件"), self.pfx.text(), PFX_PATTERN)
        if chosen is not None:
            self.pfx.setText(str(chosen))
            self.password.clear()
            self.password.setFocus()

    def open_cert_dialog(self) -> SelfSignedDialog:
        info, values, form = self.session.info, self.session.values, self.session.form
        last = Path(self.pfx.text().strip()).expanduser().parent if self.pfx.text().strip() else None
        signer = values.get(form.signoff_fields[0]) if form.signoff_fields else None  # 单位负责人
        self.cert_dialog = SelfSignedDialog(info.unit_name, str(signer or ""),
                                            last if last is not None and last.is_dir() else None, self)
        self.cert_dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.cert_dialog.accepted.connect(self._certificate_made)
        self.cert_dialog.finished.connect(self._cert_dialog_closed)
        self.cert_dialog.open()
        return self.cert_dialog

    def _certificate_made(self) -> None:
        dialog = self.cert_dialog
        if dialog is None or dialog.created is None:
            return
        self.pfx.setText(str(dialog.created))
        self.password.setText(dialog.password)
        dialog.password = ""
        self.settings.setValue(PFX_KEY, str(dialog.created))
        show_message(self.error, None)

    def _cert_dialog_closed(self, _code: int) -> None:
        if self.cert_dialog is not None:
            self.cert_dialog.deleteLater()
            self.cert_dialog = None

    def browse_folder(self) -> None:
        start = self.out_dir() or Path.home()
        chosen = dialogs.pick_folder(self, tr("选择保存报送包的文件夹"), start)
        if chosen is None:
            return
        if not self._select(chosen):
            self._add_target(chosen, str(chosen), "folder")
            self.targets.setCurrentRow(self.targets.count() - 1)
        self.settings.setValue(FOLDER_KEY, str(chosen))
        self._update_ready()

    # -- exporting

    def start(self) -> None:
        if self.busy or not self.export_button.isEnabled():
            return
        show_message(self.error, None)
        self.result_box.hide()
        try:
            if self.year_option.chosen:
                build = partial(build_year_package, self.session.year_snapshot())
            else:
                build = partial(build_package, *self.session.export_snapshot())
        except (ExportRefused, StoreError) as error:
            show_message(self.error, str(error), "error")
            return
        pfx, ukey = Path(self.pfx.text().strip()).expanduser(), None
        if self.use_ukey.isChecked():
            pfx, ukey, secret = None, self.ukey.choice(), self.ukey.pin.text()
        else:
            secret = self.password.text()
            self.settings.setValue(PFX_KEY, str(pfx))
        self.settings.setValue(UKEY_KEY, ukey is not None)
        self.settings.setValue(ZIP_KEY, self.make_zip.isChecked())
        self.settings.sync()
        self.job = ExportJob(build, pfx=pfx, password=secret, out_dir=self.out_dir(),
                             make_zip=self.make_zip.isChecked(), parent=self, ukey=ukey)
        self.job.progressed.connect(self._progressed)
        self.job.succeeded.connect(self._succeeded)
        self.job.failed.connect(self._failed)
        self.job.finished.connect(self._finished)
        self.progress.setValue(0)
        self.step.setText(tr("正在读取证书…"))
        self._set_busy(True)
        self.job.start()

    def _set_busy(self, busy: bool) -> None:
        # nothing that would change the certificate, the folder or what goes in while it is written
        for widget in (self.pfx, self.pfx_browse, self.password, self.new_cert, self.targets, self.refresh_drives,
                       self.other_folder, self.make_zip, self.ukey, self.use_pfx, self.use_ukey, self.year_option):
            widget.setEnabled(not busy)
        self._update_ready()
        self.busy_changed.emit(busy)

    def _progressed(self, index: int, total: int, text: str) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(index)
        self.step.setText(f"{tr(text)}…")

    def _succeeded(self, result: ExportResult) -> None:
        self.result = result
        self.progress.setValue(self.progress.maximum())
        self.step.setText(tr("完成") + f"（{result.seconds:.1f} 秒）")
        self.folder_label.setText(str(result.folder))
        self.zip_label.setText(f"{tr('压缩包：')}{result.zip_path}" if result.zip_path else "")
        self.zip_label.setVisible(result.zip_path is not None)
        self.parts.setText("\n".join(result.folders))  # a year package: each report's sub-folder
        for widget in (self.parts_heading, self.parts):
            widget.setVisible(bool(result.folders))
        show_message(self.notes, "\n⚠ ".join(result.problems + result.notes), "warning")
        ok = bool(result.verdict.ok)
        summary, heading, details = result.verdict.text().partition(DETAILS_HEADING)
        self.verdict.setText(summary.strip())
        self.verdict.setStyleSheet(f"color: {OK_COLOUR if ok else BAD_COLOUR}; font-weight: bold;")
        self.details.setPlainText((heading + details).strip())
        self.details.setStyleSheet(f"color: {OK_COLOUR if ok else BAD_COLOUR};")
        try:
            self.session.record_export(result)
            self.recorded.clear()
        except StoreError as error:
            show_message(self.recorded, tr("报送包已写好，但未能记入报告的导出记录：") + str(error), "warning")
        self.result_box.show()
        QTimer.singleShot(0, lambda: self.ensureWidgetVisible(self.result_box))
        self.exported.emit()

    def _failed(self, message: str) -> None:
        self.progress.setValue(0)
        self.step.clear()
        show_message(self.error, tr("导出失败：") + message, "error")
        self._retype_password = "密码" in message or "PIN" in message

    def _finished(self) -> None:
        job, self.job = self.job, None
        if job is not None:
            job.deleteLater()
        self._set_busy(False)
        if self._retype_password:
            self._retype_password = False
            secret = self.ukey.pin if self.use_ukey.isChecked() else self.password
            secret.setFocus()
            secret.selectAll()

    def show_folder(self) -> None:
        if self.result is not None:
            dialogs.show_folder(self.result.folder)

    def shutdown(self) -> None:
        """Wait for a running export: its files are being written."""
        if self.job is not None:
            self.job.wait()
