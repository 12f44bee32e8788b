"""The always-visible summary: total, grade, unscored indicators, errors, warnings."""
from __future__ import annotations

from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from ..engine import Evaluation
from ..parsing import format_score
from ..score_words import PARTIAL_TOTAL_NOTE, PENDING_GRADE_NOTE, grade_text, total_text
from .i18n import tr

TOTAL_STYLE = "font-size: 26px; font-weight: bold; color: #0b5394;"
PARTIAL_STYLE = "font-size: 18px; font-weight: bold; color: #5a6b80;"  # the sum so far: no total yet
GRADE_STYLE = "font-size: 18px; font-weight: bold;"
PENDING_STYLE = "font-size: 18px; color: #5a6b80;"


class ScorePanel(QFrame):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("scorePanel")
        self.setStyleSheet("QFrame#scorePanel { background: #eef3f9; border-radius: 6px; }")
        grid = QGridLayout(self)
        self.total = QLabel(self)
        self.total.setObjectName("total")
        self.total.setStyleSheet(TOTAL_STYLE)
        self.grade = QLabel(self)
        self.grade.setObjectName("grade")
        self.grade.setStyleSheet(GRADE_STYLE)
        self.unscored = QLabel(self)
        self.errors = QLabel(self)
        self.errors.setObjectName("errors")
        self.errors.setWordWrap(True)
        self.warnings = QLabel(self)
        self.saved = QLabel(self)
        self.saved.setObjectName("saved")
        self.saved.setWordWrap(True)
        self.saved.setStyleSheet("color: #666;")
        rows = [
            (tr("总分："), self.total), (tr("等级："), self.grade), (tr("未评分指标："), self.unscored),
            (tr("错误："), self.errors), (tr("未说明的警告："), self.warnings),
        ]
        for n, (name, label) in enumerate(rows):
            grid.addWidget(QLabel(name, self), n, 0)
            grid.addWidget(label, n, 1)
        grid.addWidget(self.saved, len(rows), 0, 1, 2)

    def show_evaluation(self, evaluation: Evaluation, hidden_errors: int = 0) -> None:
        """``hidden_errors``: how many of the errors are required fields on pages
        not filled in yet, not shown on those pages nor counted in their colours."""
        complete = evaluation.complete
        self.total.setText(total_text(format_score(evaluation.total), complete))
        self.total.setStyleSheet(TOTAL_STYLE if complete else PARTIAL_STYLE)
        self.total.setToolTip("" if complete else tr(PARTIAL_TOTAL_NOTE))
        self.grade.setText(grade_text(evaluation.grade, complete))
        self.grade.setStyleSheet(GRADE_STYLE if complete else PENDING_STYLE)
        self.grade.setToolTip("" if complete else tr(PENDING_GRADE_NOTE))
        self.unscored.setText(str(evaluation.unscored_count))
        errors, warnings = len(evaluation.errors), len(evaluation.warnings)
        open_warnings = len(evaluation.unexplained_warnings)
        hidden = f"（其中 {hidden_errors} 项在尚未填完的页面）" if hidden_errors else ""
        self.errors.setText(f"{errors}{hidden}")
        self.errors.setStyleSheet("color: #b3261e; font-weight: bold;" if errors > hidden_errors else "")
        # only what still needs the clerk: warnings not yet explained, the explained ones apart
        explained = warnings - open_warnings
        self.warnings.setText(f"{open_warnings}" + (f"（另有 {explained} 项已说明）" if explained else ""))
        self.warnings.setStyleSheet("color: #8a5300; font-weight: bold;" if open_warnings else "")

    def show_saved(self, text: str) -> None:
        self.saved.setStyleSheet("color: #666;")
        self.saved.setText(text)

    def show_unsaved(self, text: str) -> None:
        """A failed save, in red, until a later save succeeds."""
        self.saved.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.saved.setText(text)
