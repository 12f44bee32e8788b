"""One report being edited: typed values, held parse errors, the latest evaluation.

Plain Python: the wizard hands it what was typed, it parses through
:func:`selfeval.values.parse_input`, keeps what must still be written, and
writes it through the :class:`~selfeval.workspace.Workspace` on ``flush``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..engine import Evaluation, evaluate
from ..navigation import Navigator
from ..parsing import ParseError
from ..readiness import with_blocking
from ..recovery import Unsaved
from ..store import StoreError
from ..values import display, is_empty, parse_input, to_json
from ..workspace import Workspace, carried_unchanged, previous_shown


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
        self.notes: dict[str, str] = {}  # a remark on an accepted value ("元" for "万元"?), until it changes
        self._before: dict[str, Any] = {}  # stored value when typing into a field began
        previous = getattr(self, "navigator", None)
        self.navigator = Navigator(self.form, final=self.final)
        if previous is not None and previous.form is self.form:
            self.navigator.remember(previous)
        self.carried = report.carried
        self.previous = report.previous
        self.counted = report.counted
        self.imported = set(self.workspace.imported_unchanged(self.report_id))  # marks clear on edit
        self.previous_explanations = self._previous_explanations()
        self.refresh()

    def _previous_explanations(self) -> dict[str, str]:
        """The 出错说明 of the report this one was started from, offered again for the same warnings."""
        if self.carried is None:
            return {}
        try:
            return dict(self.workspace.open_report(self.carried.source_id).explanations)
        except (StoreError, LookupError):  # that report was deleted since
            return {}

    def carried_unchanged(self) -> frozenset[str]:
        """Texts carried over from last year's report and not changed since."""
        return carried_unchanged(self.form, self.carried, self.values)

    @property
    def final(self) -> bool:
        return self.info.status == "final"

    @property
    def dirty(self) -> bool:
        return bool(self.pending or self.pending_explanations)

    def unsaved(self) -> Unsaved:
        """What is typed but not written yet, for a recovery file."""
        values = {fid: None if value is None else to_json(self.form.fields[fid], value)
                  for fid, value in self.pending.items()}
        return Unsaved(self.report_id, self.info.unit_name, self.info.year, values,
                       dict(self.pending_explanations))

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
        if parsed.warning:
            self.notes[field_id] = parsed.warning
        else:
            self.notes.pop(field_id, None)
        if leaving:
            self._before.pop(field_id, None)
        else:
            self._before.setdefault(field_id, self.values.get(field_id))
        changed = self._set(field_id, parsed.value)
        return EditResult(True, changed=changed, warning=parsed.warning)

    def _set(self, field_id: str, value: Any) -> bool:
        self.imported.discard(field_id)
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

    def previous_shown(self, field_id: str) -> str | None:
        """Last year's value beside this year's (上年：628.76), when the report was carried over."""
        return previous_shown(self.form, self.previous, field_id)

    def refresh(self) -> Evaluation:
        """Evaluate the values as typed; blanks that leave an indicator unscored and
        texts not accepted are among the errors (see :mod:`selfeval.readiness`)."""
        self.evaluation = with_blocking(self.form, evaluate(self.form, self.values, self.explanations,
                                                            self.previous, self.counted), self.parse_errors)
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

    def year_projects(self):
        """The unit's project reports of the year as they stand for one package with this report
        (a ``YearProjects``); call only when the form counts project reports."""
        from ..export.pipeline import year_projects

        return year_projects(self.workspace, self.form, self.info)

    def year_snapshot(self):
        """This report and the unit's project reports of the year, each with its evaluation, for a worker
        thread to export as one package; raises ``ExportRefused`` naming every report that is not ready."""
        from ..export.pipeline import year_exportable

        self.flush()
        return year_exportable(self.workspace, self.report_id)

    def record_export(self, result) -> None:
        """Note a written package in the database (call from the thread that owns the store)."""
        from ..export.pipeline import record_export

        record_export(self.workspace, self.report_id, result)
        self.navigator.exported = True
