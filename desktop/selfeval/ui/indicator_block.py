"""A leaf indicator on a page: title, weight, 评分标准, live rate and score,
then the fields that feed it with the values worked out from them read-only
between, its narrative, and for manual indicators the self-assessed score and
the reason for deductions."""
from __future__ import annotations

from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from ..form import Form
from ..navigation import IndicatorItem, ShownItem
from ..parsing import format_decimal, format_ratio, format_score
from ..scoring import Score
from .field_row import FieldRow, ReadOnlyRow, SteadyLabel, add_row, message_label, show_message
from .i18n import tr


def score_text(score: Score) -> str:
    weight = format_decimal(score.weight)
    parts = []
    if score.rate is not None:
        parts.append(format_ratio(score.rate))
    if score.scored:
        parts.append(f"{tr('得分')} {format_score(score.score)} / {weight} {tr('分')}")
    else:
        parts.append(f"{tr('尚未评分')}（{tr('满分')} {weight} {tr('分')}）")
    if score.note:
        parts.append(score.note)
    return " · ".join(parts)


class IndicatorBlock(QFrame):
    def __init__(self, form: Form, item: IndicatorItem, parent: QWidget | None = None):
        super().__init__(parent)
        self.item = item
        leaf = form.leaves[item.indicator]
        self.setObjectName("indicator")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("QFrame#indicator { border: 1px solid #c9d3df; border-radius: 6px;"
                           " background: #f7f9fc; }")
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        if item.path:
            path = QLabel(" › ".join(item.path), self)
            path.setStyleSheet("color: #5a6b80;")
            layout.addWidget(path)
        title = QLabel(f"{leaf.title}（{format_decimal(leaf.weight)} {tr('分')}）", self)
        title.setStyleSheet("font-weight: bold; font-size: 15px;")
        layout.addWidget(title)
        if leaf.criteria:
            criteria = QLabel(f"评分标准：{leaf.criteria}", self)
            criteria.setWordWrap(True)
            criteria.setStyleSheet("color: #444;")
            layout.addWidget(criteria)
        self.result = SteadyLabel(self)  # wraps a long 缺少数据 line; keeps its room when it gets shorter
        self.result.setObjectName("score")
        self.result.setStyleSheet("color: #0b5394; font-weight: bold;")
        layout.addWidget(self.result)
        self.problem = message_label(self)
        layout.addWidget(self.problem)
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        self.rows: dict[str, FieldRow] = {}
        self.shown: dict[ShownItem, ReadOnlyRow] = {}
        for row_item in item.rows:
            row = add_row(form, row_item, grid, self)
            if isinstance(row, FieldRow):
                self.rows[row.field.id] = row
            else:
                self.shown[row_item] = row

    def refresh(self, score: Score, problem: str | None = None, severity: str = "error") -> None:
        self.result.setText(score_text(score))
        show_message(self.problem, problem, severity)
