"""Reports as the clerk works with them: the store, the forms and the engine together.

The command line and the wizard both go through a :class:`Workspace`; it is
plain Python.  Values cross into the store as their JSON interchange form and
come back typed, so what is saved is exactly what would be exported.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from . import counting, paths
from .errors import PartlyDone, os_message
from .catalog import FormCatalog
from .engine import Evaluation, evaluate
from .form import PREVIOUS_TYPES, Form
from .parsing import Parsed
from .store import CarriedOver, ReportInfo, Store, StoreError
from .values import ValueRejected, display, from_json, is_empty, parse_input, to_json

if TYPE_CHECKING:  # the JSON interchange, the finalising rules and the printed texts load when used
    from .interchange import ReportData

# Texts carried over from last year's report are flagged until changed; names
# and figures carried over rarely change, so they are not.
CARRIED_TYPES = frozenset({"longtext"})


class NotReady(StoreError):
    """A report cannot be finalised yet; ``problems`` says why, in Chinese."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("报告还不能定稿：\n" + "\n".join(problems))


class UnknownField(StoreError):
    pass


@dataclass
class OpenReport:
    """One report in memory: typed values and explanations under its form, and
    what was carried into it from an earlier report (``None`` when nothing was)."""

    info: ReportInfo
    form: Form
    values: dict[str, Any]
    explanations: dict[str, str]
    carried: CarriedOver | None = None
    previous: dict[str, Any] | None = None  # the values of the report it was started from
    counted: dict[str, Any] | None = None  # counts from the unit's reports of the year (counting.py)

    def evaluate(self) -> Evaluation:
        return evaluate(self.form, self.values, self.explanations, self.previous, self.counted)


def carried_unchanged(form: Form, carried: CarriedOver | None, values: Mapping[str, Any]) -> frozenset[str]:
    """The texts carried over (``carried``) that ``values`` still hold exactly as they were carried."""
    if carried is None:
        return frozenset()
    return frozenset(
        key for key, raw in carried.values.items()
        if key in form.fields and form.fields[key].carry and form.fields[key].type in CARRIED_TYPES
        and not is_empty(values.get(key)) and to_json(form.fields[key], values.get(key)) == raw)


def previous_shown(form: Form, previous: Mapping[str, Any] | None, field_id: str) -> str | None:
    """Last year's value of a number field as the wizard shows it under this year's (whose unit
    is beside it): 上年：628.76."""
    field = form.fields.get(field_id)
    if not previous or field is None or field.type not in PREVIOUS_TYPES or is_empty(previous.get(field_id)):
        return None
    return f"上年：{display(field, previous[field_id])}"


class Workspace:
    def __init__(self, store: Store, catalog: FormCatalog | None = None):
        self.store = store
        self.catalog = catalog or FormCatalog()
        self._counted: dict[tuple, tuple[tuple, dict[str, Any]]] = {}  # see counted_values

    @classmethod
    def open(cls, db_path: Path | str | None = None, catalog: FormCatalog | None = None) -> "Workspace":
        try:
            path = Path(db_path) if db_path else paths.database_path()
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as error:  # a full or read-only disk, a pulled stick
            raise StoreError(os_message(error, error.filename or db_path or "", doing="创建数据文件夹")) from error
        return cls(Store(path), catalog)

    def close(self) -> None:
        self.store.close()

    # -- reading

    def form_of(self, info: ReportInfo) -> Form:
        return self.catalog.get(info.form_id, info.form_edition)

    def open_report(self, report_id: int) -> OpenReport:
        info = self.store.report(report_id)
        form = self.form_of(info)
        values = self._typed(form, report_id)
        carried = self.store.carried_over(report_id)
        return OpenReport(info, form, values, self.store.explanations(report_id), carried,
                          self.previous_values(form, carried), self.counted_values(form, info))

    def _typed(self, form: Form, report_id: int) -> dict[str, Any]:
        raw = self.store.values(report_id)
        return {fid: from_json(form, form.fields[fid], raw[fid]) for fid in form.fields if fid in raw}

    def counted_values(self, form: Form, info: ReportInfo) -> dict[str, Any] | None:
        """The counts the form takes from the unit's reports of ``form.counted_from`` for the
        same year (its project reports); None when the form counts nothing.

        Counting reads and scores every one of those reports, so the counts are kept until the
        store's marker of those reports changes (see :meth:`Store.reports_stamp`): an autosave
        of the department report does not count its project reports again."""
        if not form.counted_from:
            return None
        key = (form.id, form.edition, info.unit_name, info.year)
        stamp = self.store.reports_stamp(info.unit_name, info.year, form.counted_from)
        cached = self._counted.get(key)
        if cached is None or cached[0] != stamp:
            cached = self._counted[key] = (stamp, self._count(form, info))
        return dict(cached[1])

    def _count(self, form: Form, info: ReportInfo) -> dict[str, Any]:
        others = []
        for other in self.counted_reports(form, info):
            if other.damage:
                continue
            try:
                other_form = self.form_of(other)
                others.append((other_form, self._typed(other_form, other.id)))
            except (LookupError, ValueRejected, StoreError):  # a report this program cannot read is not counted
                continue
        return counting.count(form, others)

    def counted_reports(self, form: Form, info: ReportInfo) -> list[ReportInfo]:
        """The unit's reports of ``form.counted_from`` for the same year (its project reports), by number."""
        if not form.counted_from:
            return []
        wanted = (form.counted_from, info.unit_name, info.year)
        return sorted((other for other in self.store.reports() if (other.form_id, other.unit_name, other.year) == wanted),
                      key=lambda other: other.id)

    def fill_counts(self, report_id: int) -> tuple[dict[str, Any], dict[str, int]]:
        """Fill the counted fields still empty; returns the counts and what was filled."""
        report = self.open_report(report_id)
        counted = report.counted or {}
        filled = counting.to_fill(report.form, report.values, counted)
        if filled:
            self.set_values(report_id, filled)
        return counted, filled

    def previous_values(self, form: Form, carried: CarriedOver | None) -> dict[str, Any] | None:
        """Last year's figures that the form compares with (``previous: fields``), read from the
        report this one was started from; None when it was not, or that report is gone."""
        if carried is None or not form.previous_fields:
            return None
        try:
            raw = self.store.values(carried.source_id)
        except StoreError:
            return None
        result = {}
        for fid in form.previous_fields:
            try:
                value = from_json(form, form.fields[fid], raw.get(fid))
            except ValueRejected:  # stored under another edition of the form
                continue
            if not is_empty(value):
                result[fid] = value
        return result

    def evaluate(self, report_id: int) -> Evaluation:
        report = self.open_report(report_id)
        evaluation = report.evaluate()
        self._cache(report_id, evaluation)
        return evaluation

    def export_dict(self, report_id: int) -> dict:
        from .interchange import report_to_dict

        report = self.open_report(report_id)
        return report_to_dict(report.form, report.values, report.explanations)

    # -- writing

    def import_json(self, text: str | bytes) -> int:
        from .interchange import read_report

        data = read_report(self.catalog, text)
        return self.create_from(data)

    def create_from(self, data: ReportData) -> int:
        form = data.form
        report_id = self.store.create_report(
            unit_name=data.unit_name,
            year=data.year,
            form_id=form.id,
            form_edition=form.edition,
            values={fid: to_json(form.fields[fid], value) for fid, value in data.values.items()},
            explanations=data.explanations,
        )
        self._cache(report_id, evaluate(form, data.values, data.explanations))
        return report_id

    def new_report(self, unit_name: str, year: int, *, form_id: str | None = None,
                   from_previous: bool = False, source_id: int | None = None) -> int:
        """A new report; ``from_previous`` starts it from the unit's latest earlier report,
        or from report ``source_id`` when the clerk picked one."""
        form = self.catalog.get(form_id or self.catalog.default_form_id(), year=year)
        # the name is checked like a typed one, so the new report can be opened again
        unit_name = parse_input(form, form.fields["unit.name"], unit_name).value or unit_name
        if from_previous or source_id is not None:
            previous = (self.store.report(source_id) if source_id is not None
                        else self.store.previous_report(unit_name, year))
            if previous is None:
                raise StoreError(f"找不到“{unit_name}”{year} 年以前的报告，无法从上年转入。")
            carry = [fid for fid, field in form.fields.items() if field.carry]
            report_id = self.store.new_from_previous(
                previous.id, year=year, carry_keys=carry, form_id=form.id, form_edition=form.edition
            )
            self.store.set_values(report_id, {"report.year": year})
        else:
            report_id = self.store.create_report(
                unit_name=unit_name, year=year, form_id=form.id, form_edition=form.edition,
                values={"unit.name": unit_name, "report.year": year},
            )
        self.evaluate(report_id)
        return report_id

    def set_text(self, report_id: int, field_id: str, text: str) -> Parsed:
        """Parse what was typed for one field and store it; raises ParseError on bad input."""
        info = self.store.report(report_id)
        form = self.form_of(info)
        field = form.fields.get(field_id)
        if field is None:
            raise UnknownField(f"表单“{form.title}”中没有编号为“{field_id}”的字段。")
        parsed = parse_input(form, field, text)
        self.set_values(report_id, {field_id: parsed.value})
        return parsed

    def set_values(self, report_id: int, typed: Mapping[str, Any], *, action: str = "set") -> list[str]:
        """Store typed values (None clears) in one transaction and refresh the cached score."""
        form = self.form_of(self.store.report(report_id))
        changed = self.store.set_values(
            report_id, {fid: to_json(form.fields[fid], value) for fid, value in typed.items()},
            action=action,
        )
        if changed:
            self._refresh_after_write(report_id, "已保存：" + "、".join(changed))
        return changed

    def _refresh_after_write(self, report_id: int, saved: str) -> None:
        """Re-score after a write; a failure now must not pass for "nothing changed"."""
        try:
            self.evaluate(report_id)
        except StoreError as error:
            raise PartlyDone(f"{saved}。但随后重新评分失败：{error}") from error

    def tampering(self, report_id: int) -> list[str]:
        """What was changed outside the program (empty when nothing was), in Chinese."""
        from . import report_text

        problems = [self.store.report(report_id).problem]
        broken = self.store.broken_history(report_id)
        problems.append(report_text.broken_history(broken) if broken else "")
        return [problem for problem in problems if problem]

    def imported_unchanged(self, report_id: int) -> frozenset[str]:
        """Fields whose value was written by a document import and not changed since."""
        last: dict[str, str] = {}
        for record in self.store.audit_trail(report_id):
            if record.key is not None and record.action in ("set", "import"):
                last[record.key] = record.action
        return frozenset(key for key, action in last.items() if action == "import")

    def set_explanation(self, report_id: int, check_id: str, text: str | None) -> bool:
        changed = self.store.set_explanation(report_id, check_id, text)
        if changed:
            self._refresh_after_write(report_id, f"已保存出错说明：{check_id}")
        return changed

    def finalize(self, report_id: int) -> Evaluation:
        from .readiness import finalize_problems

        evaluation = self.evaluate(report_id)
        problems = finalize_problems(evaluation, form=self.form_of(self.store.report(report_id)))
        if problems:
            raise NotReady(problems)
        self.store.set_status(report_id, "final", note="定稿")
        return evaluation

    def reopen(self, report_id: int, reason: str) -> bool:
        """Make a final report editable again; False when it was not final."""
        return self.store.set_status(report_id, "draft", note=f"重新打开：{reason}")

    def _cache(self, report_id: int, evaluation: Evaluation) -> None:
        self.store.cache_score(
            report_id, total=str(evaluation.total), grade=evaluation.grade, complete=evaluation.complete
        )
