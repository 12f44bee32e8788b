"""One report being edited: typed values, held parse errors, the latest evaluation.

Plain Python: the wizard hands it what was typed, it parses through
:func:`selfeval.values.parse_input`, keeps what must still be written, and
writes it through the :class:`~selfeval.workspace.Workspace` on ``flush``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from ..engine import Evaluation, evaluate
from ..form import Form
from ..navigation import Navigator
from ..parsing import ParseError
from ..values import display, is_empty, parse_input, to_json
from ..workspace import Workspace

CARRIED_NOTE = re.compile(r"由编号 (\d+) 的报告（(\d{4}) 年度）转入")
CARRIED_TYPES = frozenset({"longtext"})  # last year's texts; names and figures rarely change


@dataclass(frozen=True)
class CarriedOver:
    """What a report started 从上年报告转入 received: the earlier report's
    number and year, and each carried value as stored (JSON) at creation."""

    source_id: int
    year: int
    values: Mapping[str, Any] = field(default_factory=dict)

    def unchanged(self, form: Form, values: Mapping[str, Any]) -> frozenset[str]:
        """The carried texts that still read exactly as they were carried over."""
        return frozenset(
            key for key, raw in self.values.items()
            if key in form.fields and form.fields[key].carry and form.fields[key].type in CARRIED_TYPES
            and not is_empty(values.get(key)) and to_json(form.fields[key], values.get(key)) == raw)


def carried_over(trail: Iterable[Any]) -> CarriedOver | None:
    """Read from a report's audit trail (oldest first) what was carried over
    into it when it was created, or ``None`` for a report not started that way.

    The 'create' entry's note names the earlier report; the values carried are
    the 'set' entries written in the same moment.
    """
    created = None
    carried: dict[str, Any] = {}
    for entry in trail:
        if created is None:
            if entry.action != "create":
                continue
            match = CARRIED_NOTE.search(entry.note or "")
            if match is None:
                return None
            created = (int(match.group(1)), int(match.group(2)), entry.at)
        elif entry.at != created[2] or entry.action != "set" or entry.key in carried:
            break
        elif entry.key:
            carried[entry.key] = entry.new
    if created is None:
        return None
    return CarriedOver(created[0], created[1], carried)


@dataclass(frozen=True)
class EditResult:
    accepted: bool
    changed: bool = False
    message: str | None = None  # why the text was rejected
    warning: str | None = None  # accepted, with a remark from the parser


class ReportSession:
    def __init__(self, workspace: Workspace, report_id: int):
        self.workspace = workspace
        self.report_id = report_id
        self.reload()

    def reload(self) -> None:
        report = self.workspace.open_report(self.report_id)
        self.info = report.info
        self.form = report.form
        self.values: dict[str, Any] = report.values
        self.explanations: dict[str, str] = report.explanations
        self.pending: dict[str, Any] = {}
        self.pending_explanations: dict[str, str | None] = {}
        self.parse_errors: dict[str, str] = {}
        self._before: dict[str, Any] = {}  # stored value when typing into a field began
        previous = getattr(self, "navigator", None)
        self.navigator = Navigator(self.form, final=self.final)
        if previous is not None and previous.form is self.form:
            self.navigator.remember(previous)
        self.carried = carried_over(self.workspace.store.audit_trail(self.report_id))
        self.evaluation = evaluate(self.form, self.values, self.explanations)

    def carried_unchanged(self) -> frozenset[str]:
        """Texts carried over from last year's report and not changed since."""
        return self.carried.unchanged(self.form, self.values) if self.carried else frozenset()

    @property
    def final(self) -> bool:
        return self.info.status == "final"

    @property
    def dirty(self) -> bool:
        return bool(self.pending or self.pending_explanations)

    def shown(self, field_id: str) -> str:
        """The stored value as the field shows it when not being edited."""
        return display(self.form.fields[field_id], self.values.get(field_id))

    def edit(self, field_id: str, text: str, *, leaving: bool = False) -> EditResult:
        """Take what is typed; a rejection is held as an error only once the field is left."""
        field = self.form.fields[field_id]
        try:
            parsed = parse_input(self.form, field, text)
        except ParseError as error:
            changed = False
            if leaving:
                self.parse_errors[field_id] = error.message
                # a prefix accepted while typing ("2023年2月3" of "2023年2月30日") is not kept
                if field_id in self._before:
                    changed = self._set(field_id, self._before.pop(field_id))
            return EditResult(False, changed=changed, message=error.message)
        self.parse_errors.pop(field_id, None)
        if leaving:
            self._before.pop(field_id, None)
        else:
            self._before.setdefault(field_id, self.values.get(field_id))
        changed = self._set(field_id, parsed.value)
        return EditResult(True, changed=changed, warning=parsed.warning)

    def _set(self, field_id: str, value: Any) -> bool:
        old = self.values.get(field_id)
        if is_empty(value):
            if is_empty(old):
                return False
            self.values.pop(field_id, None)
            value = None
        elif old == value and type(old) is type(value):
            return False
        else:
            self.values[field_id] = value
        self.pending[field_id] = value
        return True

    def explain(self, check_id: str, text: str) -> bool:
        text = text.strip()
        if text == self.explanations.get(check_id, ""):
            return False
        if text:
            self.explanations[check_id] = text
        else:
            self.explanations.pop(check_id, None)
        self.pending_explanations[check_id] = text or None
        return True

    def refresh(self) -> Evaluation:
        self.evaluation = evaluate(self.form, self.values, self.explanations)
        return self.evaluation

    def flush(self) -> bool:
        """Write what is pending; True when something was written."""
        if not self.dirty:
            return False
        if self.pending:
            self.workspace.set_values(self.report_id, self.pending)
            self.pending = {}
        while self.pending_explanations:
            check_id, text = next(iter(self.pending_explanations.items()))
            self.workspace.set_explanation(self.report_id, check_id, text)
            del self.pending_explanations[check_id]
        return True

    def finalize(self) -> None:
        self.flush()
        self.workspace.finalize(self.report_id)
        self.reload()

    def reopen(self, reason: str) -> None:
        self.workspace.reopen(self.report_id, reason)
        self.reload()

    def export_snapshot(self):
        """The stored report and its evaluation, for a worker thread to export.

        Read here so that the worker needs no database; raises ``ExportRefused``
        for a report that is not final or has errors.
        """
        from ..export.pipeline import exportable

        self.flush()
        return exportable(self.workspace, self.report_id)

    def record_export(self, result) -> None:
        """Note a written package in the database (call from the thread that owns the store)."""
        from ..export.pipeline import record_export

        record_export(self.workspace, self.report_id, result)
        self.navigator.exported = True
