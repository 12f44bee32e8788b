"""The USB key (UKey) choice on the export page: the PKCS#11 driver, the keys found through it, the PIN.

The driver's path is remembered in the settings; the PIN never is."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from ..export.certs import CertError
from ..export.pipeline import UKeyChoice
from . import dialogs
from .i18n import tr

MODULE_KEY = "export/pkcs11"  # the UKey's driver; the PIN is never kept
MODULE_PATTERN = "PKCS#11 驱动程序 (*.dll *.so *.dylib);;所有文件 (*)"
KEY_ROLE = Qt.ItemDataRole.UserRole  # (token label, key label)
NOTE = ("PIN 码只用于这一次签名，程序不保存。支持 RSA 和 ECDSA 证书；"
        "国密 SM2 证书本程序暂不能用于签名。")


class UKeyPanel(QWidget):
    changed = Signal()

    def __init__(self, settings: QSettings, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.module = QLineEdit(str(settings.value(MODULE_KEY, "") or ""), self)
        self.module.setObjectName("ukeyModule")
        self.module.setPlaceholderText(tr("UKey 驱动程序（证书机构提供的 PKCS#11 驱动，.dll 或 .so）"))
        self.module.textChanged.connect(self._module_changed)
        self.module.returnPressed.connect(self.refresh)
        browse = QPushButton(tr("选择…"), self)
        browse.setObjectName("ukeyBrowse")
        browse.clicked.connect(self.browse)
        self.find = QPushButton(tr("查找 UKey"), self)
        self.find.setObjectName("findUKeys")
        self.find.clicked.connect(self.refresh)
        self.keys = QListWidget(self)
        self.keys.setObjectName("ukeyKeys")
        self.keys.setMaximumHeight(84)
        self.keys.currentRowChanged.connect(lambda _row: self.changed.emit())
        self.status = QLabel(self)
        self.status.setObjectName("ukeyStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.pin = QLineEdit(self)
        self.pin.setObjectName("ukeyPin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.textChanged.connect(lambda _text: self.changed.emit())
        note = QLabel(tr(NOTE), self)
        note.setWordWrap(True)
        note.setStyleSheet("color: #555555;")
        grid.addWidget(QLabel(tr("UKey 驱动"), self), 0, 0)
        grid.addWidget(self.module, 0, 1)
        grid.addWidget(browse, 0, 2)
        grid.addWidget(self.find, 0, 3)
        grid.addWidget(QLabel(tr("证书"), self), 1, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.keys, 1, 1, 1, 3)
        grid.addWidget(self.status, 2, 1, 1, 3)
        grid.addWidget(QLabel(tr("PIN 码"), self), 3, 0)
        grid.addWidget(self.pin, 3, 1, 1, 3)
        grid.addWidget(note, 4, 0, 1, 4)
        grid.setColumnStretch(1, 1)

    def _module_changed(self) -> None:
        self.keys.clear()
        self.status.clear()
        self.changed.emit()

    def browse(self) -> None:
        chosen = dialogs.open_file_near(self, tr("选择 UKey 驱动程序"), self.module.text(), MODULE_PATTERN)
        if chosen is not None:
            self.module.setText(str(chosen))
            self.refresh()

    def refresh(self) -> None:
        """List the UKeys the driver finds and the certificates on them; no PIN is asked for."""
        from ..export.ukey import find_keys

        path = self.module.text().strip()
        self.keys.clear()
        if not path:
            self._say(tr("请先选择 UKey 驱动程序。"), bad=True)
            return
        try:
            tokens = find_keys(Path(path).expanduser())
        except CertError as error:
            self._say(str(error), bad=True)
            return
        self.settings.setValue(MODULE_KEY, path)
        for token in tokens:
            if not token.keys:  # some UKeys show their certificates only after the PIN: the only one is used then
                self._item(f"{token.label}：{token.problem or tr('未输入 PIN 码时读不到证书，导出时使用其中唯一的证书')}",
                           None if token.problem else (token.label, None))
            for key in token.keys:
                usable = key.algorithm in ("RSA", "ECDSA") and not token.problem
                self._item(key.describe() + (f"（{token.problem}）" if token.problem else ""),
                           (key.token, key.label) if usable else None)
        usable = [row for row in range(self.keys.count()) if self.keys.item(row).data(KEY_ROLE)]
        if usable:
            self.keys.setCurrentRow(usable[0])
        if not tokens:
            self._say(tr("没有找到 UKey：请插入 UKey 后点“查找 UKey”。"), bad=True)
        else:
            self._say(tr(f"找到 {len(tokens)} 个 UKey，{len(usable)} 个可用于签名的证书。"), bad=not usable)
        self.changed.emit()

    def _item(self, text: str, data) -> None:
        item = QListWidgetItem(text, self.keys)
        item.setData(KEY_ROLE, data)
        item.setToolTip(text)
        if data is None:
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable & ~Qt.ItemFlag.ItemIsEnabled)

    def _say(self, text: str, *, bad: bool) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {'#b3261e' if bad else '#1b5e20'};")

    def choice(self) -> UKeyChoice | None:
        item = self.keys.currentItem()
        if item is None or not item.data(KEY_ROLE):
            return None
        token, key = item.data(KEY_ROLE)
        return UKeyChoice(Path(self.module.text().strip()).expanduser(), token, key)
