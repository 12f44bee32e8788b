"""One wizard page built from a :class:`~selfeval.navigation.Page`: plain fields
in a grid with computed values read-only among them, indicator blocks, and the
findings that concern the page."""
from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtWidgets import QApplication, QFrame, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from ..engine import Finding
from ..navigation import IndicatorItem, Page, ShownItem, carried_notice, shown_value
from .field_row import CARRIED_MARK, COLOURS, FieldRow, ReadOnlyRow, add_row
from .indicator_block import IndicatorBlock
from .i18n import tr
from .session import ReportSession

IMPORTED_MARK = "从 Word 文档导入，尚未修改"


def findings_html(findings: list[Finding], go_label: str) -> str:
    lines = []
    for finding in findings:
        mark = "✖" if finding.severity == "error" else "⚠"
        colour = COLOURS[finding.severity]
        note = "（已说明）" if finding.explained else ""
        link = f' <a href="{html.escape(finding.fields[0])}">{go_label}</a>' if finding.fields else ""
        lines.append(f'<span style="color:{colour}">{mark} {html.escape(finding.message)}{note}</span>{link}')
    return "<br>".join(lines)


def _joined(findings: list[Finding]) -> tuple[str | None, str]:
    """One message for several findings, errors first; its colour is the worst one's."""
    if not findings:
        return None, "error"
    first, *rest = sorted(findings, key=lambda f: f.severity != "error")
    marks = {"error": "✖ ", "warning": "⚠ "}  # the first line gets its mark from show_message
    return "\n".join([first.message] + [marks[f.severity] + f.message for f in rest]), first.severity


def _rows_folded(label: str, findings: list[Finding]) -> list[Finding]:
    """A table's findings about single rows as one line (each row's own are in its 提示 cell,
    the selected row's in the line under the table); the table's other findings as they are."""
    rows = sorted({f.row for f in findings if f.row is not None})
    if not rows:
        return findings
    about_rows = [f for f in findings if f.row is not None]
    worst = "error" if any(f.severity == "error" for f in about_rows) else "warning"
    shown = "、".join(str(number) for number in rows[:10]) + ("等" if len(rows) > 10 else "")
    summary = Finding(f"{about_rows[0].fields[0]}.rows", worst,
                      f"「{label}」第 {shown} 行尚未填完或有问题，见各行的“提示”列。", about_rows[0].fields)
    return [summary] + [f for f in findings if f.row is None]


class PageView(QScrollArea):
    jump = Signal(str, str)  # field id, and the words to select there ("" for none)

    def __init__(self, session: ReportSession, page: Page, parent: QWidget | None = None):
        super().__init__(parent)
        from .i18n import tr

        self.page = page
        self.go_label = tr("转到")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget(self)
        layout = QVBoxLayout(content)
        layout.setSpacing(10)
        if page.section_title != page.title:
            section = QLabel(page.section_title, content)
            section.setStyleSheet("color: #5a6b80;")
            layout.addWidget(section)
        title = QLabel(page.title, content)
        title.setObjectName("pageTitle")
        title.setStyleSheet("font-size: 20px; font-weight: bold;")
        layout.addWidget(title)
        if page.part is not None and page.part.intro:
            intro = QLabel(page.part.intro, content)
            intro.setWordWrap(True)
            layout.addWidget(intro)
        self.carried = QLabel(content)
        self.carried.setObjectName("carriedNotice")
        self.carried.setWordWrap(True)
        self.carried.setTextFormat(Qt.TextFormat.PlainText)
        self.carried.setStyleSheet("color: #8a5300; background: #fff6e5; border: 1px solid #f0c36d; padding: 6px;")
        self.carried.hide()
        layout.addWidget(self.carried)
        self.findings = QLabel(content)
        self.findings.setWordWrap(True)
        self.findings.setTextFormat(Qt.TextFormat.RichText)
        self.findings.setStyleSheet("background: #fff6e5; border: 1px solid #f0c36d; padding: 6px;")
        self.findings.linkActivated.connect(lambda field_id: self.jump.emit(field_id, ""))
        self.findings.hide()
        layout.addWidget(self.findings)

        form = session.form
        self.rows: dict[str, FieldRow] = {}
        self.shown: dict[ShownItem, ReadOnlyRow] = {}  # computed values and rates, read-only
        self.blocks: dict[str, IndicatorBlock] = {}
        grid: QGridLayout | None = None
        for item in page.items:
            if isinstance(item, IndicatorItem):
                grid = None
                block = IndicatorBlock(form, item, content)
                self.blocks[item.indicator] = block
                self.rows.update(block.rows)
                self.shown.update(block.shown)
                layout.addWidget(block)
                continue
            if grid is None:
                grid = QGridLayout()
                grid.setColumnStretch(1, 1)
                grid.setVerticalSpacing(8)
                layout.addLayout(grid)
            row = add_row(form, item, grid, content)
            if isinstance(row, FieldRow):
                self.rows[row.field.id] = row
            else:
                self.shown[item] = row
        layout.addStretch(1)
        self.setWidget(content)
        self._block_of = {fid: leaf for leaf, block in self.blocks.items() for fid in block.item.fields}
        for fid, row in self.rows.items():
            row.editor.show_value(session.values.get(fid))
            if before := session.previous_shown(fid):  # last year's figure under this year's
                hint = QLabel(before, row.editor.parentWidget())
                hint.setObjectName("previousValue")
                hint.setStyleSheet("color: #5a6b80; font-size: small;")
                row.editor.parentWidget().layout().insertWidget(1, hint)
            if session.carried is not None and row.field.carry:
                row.keep_room_for_carried()
        self.set_read_only(session.final)

    def release_room(self) -> None:
        """The page is shown anew: messages gone while it was shown give back their room."""
        for row in self.rows.values():
            row.release_room()
        for block in self.blocks.values():
            block.problem.release_room()
            block.result.release_room()
        for row in self.shown.values():
            row.value.release_room()

    def editors(self):
        return {fid: row.editor for fid, row in self.rows.items()}

    def set_read_only(self, read_only: bool) -> None:
        for row in self.rows.values():
            row.editor.set_read_only(read_only)

    def focus_field(self, field_id: str, excerpt: str = "") -> None:
        """Put the focus on a field, with ``excerpt`` selected in its text when it holds it."""
        row = self.rows[field_id]
        self.ensureWidgetVisible(row.editor)
        row.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        if excerpt:
            row.editor.find_text(excerpt, from_start=True)

    def refresh(self, session: ReportSession) -> None:
        """Show the page's findings where they stay put: under the field (every one
        of its findings, errors first), or under an indicator's title; only
        explained ones go to the box at the top."""
        anchor = self._anchor()
        seen_at = anchor.mapTo(self.viewport(), QPoint(0, 0)).y() if anchor is not None else None
        self._show_findings(session)
        if anchor is not None:
            self._keep_in_place(anchor, seen_at)

    def _anchor(self) -> QWidget | None:
        """The field with the keyboard focus (just clicked, or being typed in), when on this page."""
        focused = QApplication.focusWidget()
        return focused if focused is not None and self.widget().isAncestorOf(focused) else None

    def _keep_in_place(self, anchor: QWidget, seen_at: int) -> None:
        """A message that appeared above the focused field pushed it down: scroll by as
        much, so that it stays where the clerk saw it and clicked."""
        self.widget().layout().activate()
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        moved = anchor.mapTo(self.viewport(), QPoint(0, 0)).y() - seen_at
        if moved:
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() + moved)

    def _show_findings(self, session: ReportSession) -> None:
        evaluation = session.evaluation
        under: dict[str, list[Finding]] = {}
        in_block: dict[str, list[Finding]] = {}
        boxed: list[Finding] = []
        for finding in session.navigator.shown_findings(self.page, evaluation):
            if finding.explained:
                boxed.append(finding)
                continue
            here = [fid for fid in finding.fields if fid in self.rows]
            leaves = {self._block_of.get(fid) for fid in here}
            if len(leaves) == 1 and None not in leaves and len(here) > 1 and set(finding.fields) <= set(self.rows):
                in_block.setdefault(leaves.pop(), []).append(finding)
            elif here:  # under the last of its fields here: a sum's total comes after its parts
                under.setdefault(here[-1], []).append(finding)
            else:
                boxed.append(finding)
        for fid, row in self.rows.items():
            if fid in session.parse_errors:
                row.show_message(session.parse_errors[fid], "error")
            elif fid in under:
                found = under[fid] if row.field.rows is None else _rows_folded(row.field.label, under[fid])
                row.show_message(*_joined(found))
            else:
                row.show_message(session.notes.get(fid), "note")
        for leaf, block in self.blocks.items():
            block.refresh(evaluation.scores[leaf], *_joined(in_block.get(leaf, [])))
        for fid, row in self.rows.items():
            if row.field.sum_of:
                row.editor.show_sum(evaluation.env.get(fid) if fid in evaluation.summed else None)
        for item, row in self.shown.items():
            row.show(shown_value(session.form, item, evaluation))
        unchanged = session.carried_unchanged()
        notice = carried_notice(self.page, unchanged, session.carried.year if session.carried else None)
        self.carried.setText(notice or self.carried.text())
        if notice is not None and not self.carried.sizePolicy().retainSizeWhenHidden():
            policy = self.carried.sizePolicy()  # once shown, its room stays when it goes
            policy.setRetainSizeWhenHidden(True)
            self.carried.setSizePolicy(policy)
        self.carried.setVisible(notice is not None)
        for fid, row in self.rows.items():
            row.show_carried(fid in unchanged or fid in session.imported)
            row.carried.setText("↺ " + tr(IMPORTED_MARK if fid in session.imported else CARRIED_MARK))
        if boxed:
            self.findings.setText(findings_html(boxed, self.go_label))
            self.findings.show()
        else:
            self.findings.hide()
