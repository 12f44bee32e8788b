"""3. 导出内容 on the export page: the department report alone, or in one package with the unit's
project reports of the year, each named, and plainly why not when they cannot go with it."""
from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QCheckBox, QGroupBox, QLabel, QVBoxLayout, QWidget

from .i18n import tr

WITH_PROJECTS_KEY = "export/withProjects"  # the clerk's last choice, when the projects are ready
OPTION_TEXT = "连同本单位本年度的项目报告一起导出"
NOT_READY_COLOUR = "#8a5300"


class YearOption(QGroupBox):
    def __init__(self, settings: QSettings, parent: QWidget | None = None):
        super().__init__(tr("3. 导出内容"), parent)
        self.setObjectName("exportContents")
        self.settings = settings
        self.available = False
        self.check = QCheckBox(tr(OPTION_TEXT), self)
        self.check.setObjectName("withProjects")
        self.check.clicked.connect(lambda on: self.settings.setValue(WITH_PROJECTS_KEY, on))
        self.note = QLabel(self)
        self.note.setObjectName("withProjectsNote")
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.check)
        layout.addWidget(self.note)

    @property
    def chosen(self) -> bool:
        """Export the project reports with this one."""
        return self.available and self.check.isChecked()

    def _remembered(self) -> bool:
        return str(self.settings.value(WITH_PROJECTS_KEY, "false")).lower() == "true"

    def show_projects(self, projects) -> None:
        """Show the state of ``projects`` (a ``YearProjects``), or hide the option when it is None
        (a report whose form counts no project reports)."""
        self.setVisible(projects is not None)
        refusal = "" if projects is None else projects.refusal()
        self.available = projects is not None and not refusal
        self.check.setEnabled(self.available)
        self.check.setChecked(self.available and self._remembered())
        if projects is None:
            return
        ready = len(projects.ready)
        self.check.setText(tr(OPTION_TEXT) + (f"（{ready} 份已定稿）" if ready else ""))
        if refusal:
            self.note.setText(refusal + "\n" + tr("现在只能导出本报告。"))
        else:
            self.note.setText(f"一个报送包内含本报告和以下 {ready} 份项目报告，各在一个子文件夹中，"
                              "由同一张证书签名，共用一份文件清单：\n" + "\n".join(projects.labels))
        self.note.setStyleSheet(f"color: {NOT_READY_COLOUR};" if refusal else "")
