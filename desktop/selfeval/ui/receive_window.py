"""The receiving desk's window (受理报送包): scan a USB stick, see every package's verdict, decide on
changed certificates, read a received report's checks and scores, write the 汇总表."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QBrush, QCloseEvent, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..catalog import forms_dir
from ..export.certs import CertError, grouped
from ..receiving import desk
from ..receiving.registry import ACCEPTED, FAILED, PENDING, REJECTED, Received, Registry, RegistryError
from ..receiving.summary import verdict_text, version_text, write_summary
from . import dialogs
from .i18n import tr
from .settings import keep_on_screen
from .tables import row_table

COLUMNS = ("编号", "单位", "报告", "年度", "总分", "等级", "版本", "签署人", "证书指纹", "结论")
SHARED = (1, 2, 7)  # 单位, 报告 and 签署人 share the width left and wrap; the others are as wide as they need
NUMBERS = (0, 3, 4)  # right-aligned
COLOURS = {ACCEPTED: "#1b5e20", PENDING: "#b26a00", FAILED: "#b3261e", REJECTED: "#616161"}
BACKGROUNDS = {ACCEPTED: "#edf7ee", PENDING: "#fff4e0", FAILED: "#fdecea", REJECTED: "#f0f0f0"}
CERT_PATTERN = "证书 (*.cer *.crt *.der *.pem)"


class ReceiveWindow(QMainWindow):
    def __init__(self, registry: Registry | None = None, parent: QWidget | None = None,
                 catalog: desk.BureauForms | None = None):
        super().__init__(parent)
        self.setWindowTitle(tr("受理报送包") + " — " + dialogs.app_title())
        self.registry = registry or Registry.open()
        self.catalog = catalog or desk.BureauForms()
        self.received: list[Received] = []
        self.forms_note = tr("评分用表单：表单目录 {d} 中的表单").format(d=forms_dir())
        self.busy = False
        central = QWidget(self)
        layout = QVBoxLayout(central)
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text in (("scan", "扫描文件夹或 U 盘…"), ("import_cert", "导入单位证书…"),
                          ("accept", "认可新证书…"), ("reject", "拒收…"), ("forms", "评分用表单…"),
                          ("summary", "导出汇总表…"),
                          ("open_folder", "打开存档")):
            button = QPushButton(tr(text), central)
            button.setObjectName(key)
            button.clicked.connect(lambda _=False, k=key: self.do_action(k))
            row.addWidget(button)
            self.buttons[key] = button
        row.addStretch(1)
        layout.addLayout(row)
        self.status = QLabel(central)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.progress = QProgressBar(central)
        self.progress.hide()
        layout.addWidget(self.progress)
        splitter = QSplitter(Qt.Orientation.Vertical, central)
        self.table = row_table(COLUMNS, splitter, stretch=SHARED)
        self.table.itemSelectionChanged.connect(self.show_details)
        self.details = QPlainTextEdit(splitter)
        self.details.setReadOnly(True)
        self.details.setObjectName("details")
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)  # the list gets the larger share of the height
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)
        # Ctrl+W (and the system's own key for closing, Ctrl+F4 on Windows), and Esc as for a dialog
        closing = [*QKeySequence.keyBindings(QKeySequence.StandardKey.Close), QKeySequence("Ctrl+W"),
                   QKeySequence(Qt.Key.Key_Escape)]
        for keys in dict.fromkeys(key.toString() for key in closing):
            QShortcut(QKeySequence(keys), self, self.close)
        keep_on_screen(self, QSize(1200, 760))
        self.refresh()

    # -- the list

    def refresh(self, select: int | None = None) -> None:
        self.received = self.registry.packages()
        self.table.setRowCount(len(self.received))
        for row, item in enumerate(self.received):
            trusted = item.state != FAILED  # the figures of a package that failed are not the unit's
            cells = (str(item.id), item.unit, desk.report_label(item, self.catalog), str(item.year or ""),
                     item.total if trusted else "",
                     item.grade if trusted else "", version_text(item),
                     item.signer, grouped(item.fingerprint, 4) if item.fingerprint else "", verdict_text(item))
            colour = COLOURS[item.state]
            if item.state == ACCEPTED and not item.rescore_ok:
                colour = COLOURS[PENDING]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setBackground(QBrush(QColor(BACKGROUNDS[item.state])))
                if column == len(COLUMNS) - 1:
                    cell.setForeground(QBrush(QColor(colour)))
                if column in NUMBERS:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, cell)
        states = [item.state for item in self.received]
        self.status.setText(tr("已收到 {n} 个报送包：受理 {a}，证书待决定 {p}，验证未通过 {f}，已拒收 {r}。").format(
            n=len(states), a=states.count(ACCEPTED), p=states.count(PENDING), f=states.count(FAILED),
            r=states.count(REJECTED)) + "　" + tr("登记证书的单位：{u} 个。").format(u=len(self.registry.units()))
            + "\n" + self.forms_note)
        ids = [item.id for item in self.received]
        if ids:
            self.table.selectRow(ids.index(select) if select in ids else 0)
        self.show_details()

    def selected(self) -> Received | None:
        rows = self.table.selectionModel().selectedRows()
        return self.received[rows[0].row()] if rows and self.received else None

    def show_details(self) -> None:
        item = self.selected()
        self.details.setPlainText("\n".join(desk.details(self.registry, item.id, self.catalog).lines) if item else
                                  tr("还没有收到报送包。点“扫描文件夹或 U 盘…”选择 U 盘的根目录。"))
        self._update_buttons()

    def _update_buttons(self) -> None:
        item = self.selected()
        for key, button in self.buttons.items():
            enabled = not self.busy
            if key in ("accept", "reject"):
                enabled = enabled and item is not None and item.state == PENDING
            elif key == "open_folder":
                enabled = enabled and item is not None and bool(item.stored)
            elif key == "summary":
                enabled = enabled and bool(self.received)
            button.setEnabled(enabled)

    # -- actions

    def do_action(self, key: str) -> None:
        try:
            getattr(self, f"action_{key}")()
        except (RegistryError, CertError, OSError) as error:
            dialogs.warn(self, tr("操作未能完成"), getattr(error, "strerror", None) or str(error))

    def action_scan(self, folder: Path | None = None) -> list[desk.Outcome]:
        folder = folder or dialogs.pick_folder(self, tr("选择 U 盘或存放报送包的文件夹"), Path.home())
        if folder is None:
            return []
        self.busy = True
        self._update_buttons()
        self.progress.show()
        try:
            outcomes = desk.receive(self.registry, [folder], catalog=self.catalog, progress=self._progressed)
        finally:
            self.busy = False
            self.progress.hide()
        self.refresh(select=outcomes[-1].package.id if outcomes and outcomes[-1].package else None)
        if not outcomes:
            dialogs.inform(self, tr("受理报送包"), tr("在“{f}”中没有找到报送包。").format(f=folder))
        return outcomes

    def _progressed(self, index: int, total: int, path: str) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(index)
        self.progress.setFormat(f"{index + 1}/{total}　{Path(path).name}")
        QApplication.processEvents()

    def action_import_cert(self) -> None:
        path = dialogs.open_file(self, tr("导入单位的公开证书"), Path.home(), CERT_PATTERN)
        if path is None:
            return
        unit, digits, accepted = desk.import_certificate(self.registry, path)
        text = tr("已登记 {u} 的证书。\n证书指纹（SHA-256）：{d}").format(u=unit, d=grouped(digits))
        if accepted:
            text += "\n" + tr("与该证书一致的待决定报送包已受理：") + "、".join(f"第 {i} 号" for i in accepted)
        self.refresh()
        dialogs.inform(self, tr("导入单位证书"), text)

    def action_accept(self) -> None:
        item = self.selected()
        if item is None or item.state != PENDING:
            return
        reason = dialogs.ask_text(self, tr("认可新证书"), tr(
            "以第 {i} 号报送包的新证书（指纹 {d}）作为“{u}”的证书，并受理该包。\n请写明理由（例如：已电话核实）：").format(
            i=item.id, d=grouped(item.fingerprint, 4), u=item.unit))
        if reason:
            desk.accept_change(self.registry, item.id, reason)
            self.refresh(select=item.id)

    def action_reject(self) -> None:
        item = self.selected()
        if item is None or item.state != PENDING:
            return
        reason = dialogs.ask_text(self, tr("拒收"), tr("拒收第 {i} 号报送包（{u}）。请写明理由：").format(
            i=item.id, u=item.unit))
        if reason:
            desk.reject(self.registry, item.id, reason)
            self.refresh(select=item.id)

    def action_forms(self) -> None:
        """Score with the bureau's own form file from now on, and score every stored package again."""
        from ..formfile import FormError, load_form

        path = dialogs.open_file(self, tr("选择评分用的表单文件"), Path.home(), "表单文件 (*.yaml *.yml)")
        if path is None:
            return
        try:
            form = load_form(path)
        except FormError as error:
            dialogs.warn(self, tr("表单文件有误"), str(error))
            return
        self.catalog = desk.BureauForms([form])
        self.forms_note = tr("评分用表单：{t}（{e}），{p}").format(t=form.title, e=form.edition, p=path)
        changed = desk.rescore_stored(self.registry, self.catalog)
        self.refresh()
        dialogs.inform(self, tr("评分用表单"), tr("已用“{p}”把已存档的报送包重新评分，结果有变化的：{n} 个。").format(
            p=path.name, n=len(changed)))

    def action_summary(self) -> None:
        target = dialogs.save_file(self, tr("导出汇总表"), Path.home() / "汇总表.xlsx", "Excel (*.xlsx)")
        if target is None:
            return
        write_summary(target, self.registry.packages(), self.catalog)
        dialogs.inform(self, tr("导出汇总表"), tr("汇总表已写入：{p}").format(p=target))

    def action_open_folder(self) -> None:
        item = self.selected()
        if item is not None and item.stored:
            dialogs.show_folder(self.registry.folder / item.stored)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.busy:  # a scan is under way
            event.ignore()
            return
        super().closeEvent(event)

    def shutdown(self) -> None:
        """The program is closing: close the desk's database."""
        self.hide()
        self.registry.close()
