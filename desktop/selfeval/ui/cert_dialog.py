"""A small dialog that makes a self-signed signing certificate (.pfx)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, QStandardPaths, Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..errors import os_message
from ..export.certs import MIN_PASSWORD, CertError, new_self_signed
from ..export.package import safe_component
from . import dialogs
from .field_row import show_message
from .i18n import tr
from .settings import keep_on_screen

SELF_SIGNED_NOTICE = ("自签名证书只能证明文件在签名后没有被改动，不能证明是谁签的名。"
                      "如需证明签署人身份，请使用由电子认证服务机构（CA）颁发的证书。")
PFX_PATTERN = "PKCS#12 (*.pfx *.p12)"


def free_path(folder: Path, stem: str, suffix: str = ".pfx") -> Path:
    """``folder/stem.pfx``, or ``stem-2.pfx``… when that file already exists."""
    path, n = folder / f"{stem}{suffix}", 2
    while path.exists():
        path, n = folder / f"{stem}-{n}{suffix}", n + 1
    return path


def default_folder() -> Path:
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


class SelfSignedDialog(QDialog):
    """Asks for unit, signer, password (twice) and file; ``created`` holds the new file."""

    def __init__(self, unit_name: str, person: str, folder: Path | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(tr("生成自签名证书"))
        self.setObjectName("selfSignedDialog")
        self.created: Path | None = None
        self.password = ""
        layout = QVBoxLayout(self)
        notice = QLabel(tr(SELF_SIGNED_NOTICE), self)
        notice.setObjectName("selfSignedNotice")
        notice.setWordWrap(True)
        notice.setStyleSheet("background: #fff6e5; border: 1px solid #f0c36d; padding: 6px;")
        layout.addWidget(notice)
        form = QFormLayout()
        self.unit = QLineEdit(unit_name, self)
        self.unit.setObjectName("certUnit")
        self.person = QLineEdit(person, self)
        self.person.setObjectName("certPerson")
        self.password_box = QLineEdit(self)
        self.password_box.setObjectName("certPassword")
        self.again = QLineEdit(self)
        self.again.setObjectName("certPasswordAgain")
        for box in (self.password_box, self.again):
            box.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_box.setPlaceholderText(tr(f"至少 {MIN_PASSWORD} 个字符"))
        self.path = QLineEdit(str(free_path(folder or default_folder(), safe_component(
            f"{unit_name.strip() or '单位'}-自签名证书"))), self)
        self.path.setObjectName("certPath")
        browse = QPushButton(tr("选择…"), self)
        browse.setObjectName("certBrowse")
        browse.clicked.connect(self.browse)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        form.addRow(tr("单位名称"), self.unit)
        form.addRow(tr("签署人姓名"), self.person)
        form.addRow(tr("证书密码"), self.password_box)
        form.addRow(tr("再次输入密码"), self.again)
        form.addRow(tr("保存到"), where)
        layout.addLayout(form)
        keep = QLabel(tr("请妥善保管证书文件并牢记密码；程序不保存密码，忘记密码后只能重新生成证书。"), self)
        keep.setWordWrap(True)
        keep.setStyleSheet("color: #5a6b80;")
        layout.addWidget(keep)
        self.message = QLabel(self)
        self.message.setObjectName("certMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(self)
        self.create_button = buttons.addButton(tr("生成证书"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.setObjectName("certCreate")
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        keep_on_screen(self, QSize(520, self.sizeHint().height()))
        (self.person if not person else self.password_box).setFocus()

    def browse(self) -> None:
        chosen = dialogs.save_file(self, tr("证书保存位置"), Path(self.path.text().strip() or default_folder()),
                                   PFX_PATTERN)
        if chosen is not None:
            self.path.setText(str(chosen))

    def target(self) -> Path | None:
        text = self.path.text().strip()
        if not text:
            return None
        path = Path(text).expanduser()
        return path if path.suffix.lower() in (".pfx", ".p12") else path.with_name(path.name + ".pfx")

    def create(self) -> None:
        if self.password_box.text() != self.again.text():
            self.fail(tr("两次输入的密码不一致。"), self.again)
            return
        target = self.target()
        if target is None:
            self.fail(tr("请选择证书保存位置。"), self.path)
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            created = new_self_signed(target, unit_name=self.unit.text(), person=self.person.text(),
                                      password=self.password_box.text())
        except CertError as error:
            self.fail(str(error), self.password_box if "密码" in str(error) else self.path)
            return
        except OSError as error:
            self.fail(os_message(error, target, doing="写入证书文件"), self.path)
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.created, self.password = created, self.password_box.text()
        self.accept()

    def fail(self, text: str, focus: QLineEdit) -> None:
        show_message(self.message, text, "error")
        focus.setFocus()
        focus.selectAll()
