"""The last page: every error and warning, a 出错说明 box per warning, finalising."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..engine import Finding
from ..navigation import REVIEW_PAGE_TITLE, first_field_of
from ..parsing import ParseError
from ..values import parse_explanation
from .field_row import message_label, show_message
from .field_widgets import PastingTextEdit
from .i18n import tr
from .session import ReportSession

MAX_PROBLEMS_SHOWN = 8
CARRIED_EXPLANATION = "上年报告对同一警告的说明（已转入，确认后采用）："
FINAL_NOTE = ("本报告已定稿，只读。可在“导出与报送”页签名并导出报送包。"
              "如需修改，请点窗口右上角的“重新打开”按钮，并填写重新打开的原因。")


class FindingRow(QFrame):
    def __init__(self, finding: Finding, target: str | None, page: "ReviewPage"):
        super().__init__(page.content)
        self.finding = finding
        self.setObjectName("finding")
        self.setStyleSheet("QFrame#finding { border-bottom: 1px solid #dde3ea; }")
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        top.addWidget(self.message, 1)
        if target:
            go = QPushButton(tr("转到"), self)
            go.setObjectName(f"go:{finding.check}")
            go.clicked.connect(lambda: page.jump.emit(target, finding.excerpt or ""))
            top.addWidget(go)
        layout.addLayout(top)
        self.explanation: QPlainTextEdit | None = None
        if finding.severity == "warning":
            layout.addWidget(QLabel(tr("出错说明"), self))
            self.explanation = PastingTextEdit(self)
            self.explanation.setObjectName(f"explain:{finding.check}")
            self.explanation.setTabChangesFocus(True)
            self.explanation.setMaximumHeight(80)
            self.explanation.setPlainText(finding.explanation or "")
            self.explanation.textChanged.connect(lambda: self._explained(page))
            layout.addWidget(self.explanation)
            self._offer_last_year(page, finding)
            self.refusal = message_label(self)
            layout.addWidget(self.refusal)
        self.update_finding(finding)

    def _offer_last_year(self, page: "ReviewPage", finding: Finding) -> None:
        """Last year's explanation of the same warning, offered until the clerk takes it (or writes one)."""
        earlier = page.session.previous_explanations.get(finding.check)
        if not earlier or finding.explanation:
            return
        offer = QHBoxLayout()
        note = QLabel(f"{tr(CARRIED_EXPLANATION)}{earlier}", self)
        note.setObjectName("carriedExplanation")
        note.setWordWrap(True)
        note.setStyleSheet("color: #8a5300;")
        take = QPushButton(tr("采用上年说明"), self)
        take.setObjectName(f"take:{finding.check}")
        take.clicked.connect(lambda: self.explanation.setPlainText(earlier))
        offer.addWidget(note, 1)
        offer.addWidget(take)
        self.layout().addLayout(offer)
        self.offer = (note, take)
        self.explanation.textChanged.connect(lambda: [w.setVisible(not self.explanation.toPlainText().strip())
                                                      for w in (note, take)])

    def _explained(self, page: "ReviewPage") -> None:
        """Pass the explanation on; one the rules refuse is shown as refused and not kept."""
        try:
            text = parse_explanation(page.session.form, self.explanation.toPlainText())
        except ParseError as error:
            show_message(self.refusal, error.message, "error")
            text = None
        else:
            show_message(self.refusal, None)
        page.explain.emit(self.finding.check, text or "")

    def update_finding(self, finding: Finding) -> None:
        self.finding = finding
        note = "（已说明）" if finding.explained else ""
        show_message(self.message, finding.message + note, finding.severity)


class ReviewPage(QScrollArea):
    jump = Signal(str, str)  # field id, and the words to select there ("" for none)
    explain = Signal(str, str)
    finalize_requested = Signal()

    def __init__(self, session: ReportSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.content = QWidget(self)
        layout = QVBoxLayout(self.content)
        title = QLabel(tr(REVIEW_PAGE_TITLE), self.content)
        title.setStyleSheet("font-size: 20px; font-weight: bold;")
        layout.addWidget(title)
        self.summary = QLabel(self.content)
        layout.addWidget(self.summary)
        self.list = QVBoxLayout()
        layout.addLayout(self.list)
        self.empty = QLabel(tr("没有发现错误或警告。"), self.content)
        layout.addWidget(self.empty)
        self.problems = QLabel(self.content)
        self.problems.setWordWrap(True)
        layout.addWidget(self.problems)
        buttons = QHBoxLayout()
        self.finalize_button = QPushButton(tr("定稿"), self.content)
        self.finalize_button.setObjectName("finalize")
        self.finalize_button.clicked.connect(self.finalize_requested.emit)
        buttons.addWidget(self.finalize_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.setWidget(self.content)
        self.rows: dict[str, FindingRow] = {}
        self._keys: tuple = ()
        self.reordered = False  # the findings were rebuilt: the wizard puts Back/Next after them again

    def refresh(self, session: ReportSession) -> None:
        self.session = session
        evaluation = session.evaluation
        findings = evaluation.findings
        keys = tuple((f.check, f.severity) for f in findings)
        if keys != self._keys:
            self._rebuild(findings)
        else:
            for finding in findings:
                self.rows[finding.check].update_finding(finding)
        for row in self.rows.values():
            if row.explanation is not None:
                row.explanation.setReadOnly(session.final)
        self.empty.setVisible(not findings)
        self.summary.setText(
            f"错误 {len(evaluation.errors)} 项，警告 {len(evaluation.warnings)} 项"
            f"（未说明 {len(evaluation.unexplained_warnings)} 项），未评分指标 {evaluation.unscored_count} 项。")
        problems = session.navigator.finalize_problems(evaluation, session.parse_errors)
        self.finalize_button.setVisible(not session.final)
        self.finalize_button.setEnabled(not problems)
        if session.final:
            show_message(self.problems, tr(FINAL_NOTE), "note")
        elif problems:
            shown = problems[:MAX_PROBLEMS_SHOWN]
            more = f"\n……另有 {len(problems) - len(shown)} 项" if len(problems) > len(shown) else ""
            show_message(self.problems, tr("暂不能定稿：") + "\n" + "\n".join(shown) + more, "error")
        else:
            show_message(self.problems, tr("可以定稿。"), "note")

    def _rebuild(self, findings) -> None:
        for row in self.rows.values():
            row.setParent(None)
            row.deleteLater()
        self.rows = {}
        pages = self.session.navigator.pages
        for finding in findings:
            row = FindingRow(finding, first_field_of(pages, finding), self)
            self.rows[finding.check] = row
            self.list.addWidget(row)
            row.show()  # now, not on the next pass of the event loop: the focus may go to it
        self._keys = tuple((f.check, f.severity) for f in findings)
        # Tab goes down the findings (转到, 出错说明) and then to 定稿, as they are shown
        stops = [w for row in self.rows.values() for w in row.findChildren(QWidget)
                 if w.focusPolicy() & Qt.FocusPolicy.TabFocus and isinstance(w, (QPushButton, QPlainTextEdit))]
        chain = stops + [self.finalize_button]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)
        self.reordered = True
