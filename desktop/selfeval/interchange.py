"""The JSON interchange format: one report as one UTF-8 JSON object.

``{"form": id, "form_version": edition, "values": {field id: value,
"explanation.<check>": text}}``.  Reading is all or nothing: every problem
is collected and reported together, and nothing is returned half-read.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from . import conclusion_check
from .catalog import FormCatalog, UnknownForm
from .form import Form
from .parsing import ParseError, has_surrogates, show_invisible
from .values import ValueRejected, from_json, parse_explanation, to_json

EXPLANATION = "explanation."
# A real report is well under 1 MB; every field of a form filled to its limit
# stays under this too.  Larger files are refused before they are parsed.
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_PROBLEMS = 50  # listed one by one; more are counted


class InterchangeError(ValueError):
    """The JSON cannot be imported; ``problems`` lists every reason in Chinese."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class ReportData:
    form: Form
    values: dict[str, Any]  # typed values, field order
    explanations: dict[str, str]

    @property
    def unit_name(self) -> str:
        return self.values.get("unit.name") or ""

    @property
    def year(self) -> int:
        return self.values.get("report.year")


def explainable_checks(form: Form) -> set[str]:
    """Ids that may carry an 出错说明: warnings, per field for per-field checks."""
    ids = {f"counted.{fid}" for fid, _ in form.counted}  # a typed count unlike the counted one
    ids |= conclusion_check.check_ids(form)  # the conclusion stating another year, total or grade
    for check in form.checks:
        if check.severity != "warning":
            continue
        if check.for_each:
            ids |= {f"{check.id}.{fid}" for fid, f in form.fields.items() if f.type in check.for_each}
        else:
            ids.add(check.id)
    return ids


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict:
    seen: dict = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


def read_report(catalog: FormCatalog, text: str | bytes) -> ReportData:
    size = len(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
    if size > MAX_FILE_BYTES:
        raise InterchangeError([f"文件过大（{size / 1024 / 1024:.1f} MB）：报告 JSON 文件最大 "
                                f"{MAX_FILE_BYTES // 1024 // 1024} MB，请检查是否选错了文件"])
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates)
    except _DuplicateKey as error:
        raise InterchangeError([f"编号“{error}”在文件中出现了两次，无法确定用哪一个值"]) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise InterchangeError([f"不是有效的 JSON 文件：{error}"]) from None
    except RecursionError:
        raise InterchangeError(["不是有效的报告 JSON 文件：嵌套层数过多"]) from None
    return report_from_dict(catalog, data)


def report_from_dict(catalog: FormCatalog, data: Any) -> ReportData:
    if not isinstance(data, dict):
        raise InterchangeError(["JSON 顶层应为对象：{\"form\": …, \"form_version\": …, \"values\": {…}}"])
    unknown = sorted(set(data) - {"form", "form_version", "values"})
    if unknown:
        raise InterchangeError([f"未知的顶层键：{'、'.join(unknown)}"])
    form_id, edition, raw_values = data.get("form"), data.get("form_version"), data.get("values")
    if not isinstance(form_id, str):
        raise InterchangeError(["缺少表单编号 \"form\"（例如 \"gd-dept-overall\"）"])
    if edition is not None and not isinstance(edition, str):
        raise InterchangeError([f"表单版本 \"form_version\" 应为字符串，收到 {edition!r}"])
    if not isinstance(raw_values, dict):
        raise InterchangeError(["缺少数据对象 \"values\""])
    year = raw_values.get("report.year")
    try:
        form = catalog.get(form_id, edition, year=year if isinstance(year, int) else None)
    except UnknownForm as error:
        raise InterchangeError([show_invisible(str(error))]) from None
    problems, values, explanations = [], {}, {}
    allowed_explanations = explainable_checks(form)
    for key, raw in raw_values.items():
        shown = show_invisible(key if len(key) <= 60 else key[:60] + "…")
        if _has_surrogates(key) or _has_surrogates(raw):
            problems.append(f"“{shown}”：含有无法识别的字符（不是有效的 UTF-8 文字）")
            continue
        if key.startswith(EXPLANATION):
            check_id = key[len(EXPLANATION):]
            if check_id in form.retired_checks:  # a warning this edition no longer has
                continue
            if check_id not in allowed_explanations:
                problems.append(f"“{shown}”：没有编号为“{shown[len(EXPLANATION):]}”的警告类校验，无法附出错说明")
            elif raw is not None and not isinstance(raw, str):
                problems.append(f"“{shown}”：出错说明应为文本，收到 {_short(raw)}")
            else:
                try:
                    text = parse_explanation(form, raw)
                except ParseError as error:
                    problems.append(f"“{shown}”：{error.message}")
                    continue
                if text:
                    explanations[check_id] = text
            continue
        field = form.fields.get(key)
        if field is None:
            problems.append(f"未知的编号“{shown}”（值：{_short(raw)}）")
            continue
        try:
            value = from_json(form, field, raw)
        except ValueRejected as error:
            problems.append(str(error))
            continue
        if value is not None:
            values[key] = value
    for key in ("unit.name", "report.year"):
        if key not in values and not any(key in p for p in problems):
            problems.append(f"缺少「{form.fields[key].label}」（{key}），无法建立报告")
    if problems:
        if len(problems) > MAX_PROBLEMS:
            problems[MAX_PROBLEMS:] = [f"……另有 {len(problems) - MAX_PROBLEMS} 处问题"]
        raise InterchangeError(problems)
    ordered = {fid: values[fid] for fid in form.fields if fid in values}
    return ReportData(form, ordered, explanations)


def report_to_dict(form: Form, values: dict[str, Any], explanations: dict[str, str]) -> dict:
    out = {fid: to_json(form.fields[fid], values[fid]) for fid in form.fields if values.get(fid) is not None}
    for check_id in sorted(explanations):
        out[EXPLANATION + check_id] = explanations[check_id]
    return {"form": form.id, "form_version": form.edition, "values": out}


def dumps(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _has_surrogates(raw: Any) -> bool:
    if isinstance(raw, str):
        return has_surrogates(raw)
    if isinstance(raw, dict):
        return any(_has_surrogates(k) or _has_surrogates(v) for k, v in raw.items())
    if isinstance(raw, list):
        return any(_has_surrogates(item) for item in raw)
    return False


def _short(raw: Any) -> str:
    text = json.dumps(raw, ensure_ascii=False)
    return text if len(text) <= 30 else text[:30] + "…"
