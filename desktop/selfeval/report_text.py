"""Plain-text views of a report for the terminal: findings, scores, lists."""
from __future__ import annotations

from typing import Any, Mapping

from .engine import Evaluation
from .form import Field, Form
from .parsing import format_decimal
from .score_table import NO_FIGURE, score_rows, weighted
from .score_words import PENDING_GRADE_NOTE, grade_text
from .store import AuditRecord, ReportInfo
from .values import display

STATUS = {"draft": "草稿", "final": "已定稿"}


def findings(evaluation: Evaluation) -> str:
    if not evaluation.findings:
        return "未发现问题。"
    lines = []
    for finding in evaluation.findings:
        lines.append(f"[{finding.severity_name}] {finding.message}  （{finding.check}）")
        if finding.severity == "warning":
            lines.append(f"        出错说明：{finding.explanation}" if finding.explained
                         else "        尚未填写出错说明")
    errors, warnings = len(evaluation.errors), len(evaluation.warnings)
    unexplained = len(evaluation.unexplained_warnings)
    lines.append(f"共 {errors} 个错误，{warnings} 个警告（其中 {unexplained} 个尚未说明）。")
    return "\n".join(lines)


def scores(form: Form, values: Mapping[str, Any], evaluation: Evaluation) -> str:
    """The score table as indented lines: the rows of :mod:`selfeval.score_table`."""
    table = score_rows(form, values, evaluation)
    lines, above = [], ()
    for row in table.leaves:
        for depth, node in enumerate(row.path[:-1]):
            if depth >= len(above) - 1 or above[depth] is not node:
                lines.append("  " * depth + weighted(node))
        above = row.path
        extra = [text.replace("\n", "；") for text in (row.value, row.remark) if text and text != NO_FIGURE]
        lines.append("  " * (len(row.path) - 1) + f"{weighted(row.leaf)}：{row.shown_score}"
                     + "".join(f"  {text}" for text in extra))
    lines.append("")
    for row in table.footer:
        weight = "" if row.weight is None else f"（满分 {format_decimal(row.weight)} 分）"
        note = f"  {row.note.replace(chr(10), '；')}" if row.note else ""
        lines.append(f"{row.label}：{row.shown_score}{weight}{note}")
    return "\n".join(lines)


def info_dict(info: ReportInfo) -> dict:
    return {
        "id": info.id,
        "unit": info.unit_name,
        "year": info.year,
        "form": info.form_id,
        "form_version": info.form_edition,
        "status": info.status,
        "total": info.total,
        "grade": info.grade,
        "complete": info.complete,
        "updated_at": info.updated_at.isoformat(timespec="seconds") if info.updated_at else None,
        "problem": info.problem or None,
    }


def pad(text: str, columns: int) -> str:
    """``text`` followed by spaces to take ``columns`` columns of a terminal (a Chinese character takes two)."""
    from .argparse_zh import display_width

    return text + " " * max(0, columns - display_width(text))


def report_list(reports: list[ReportInfo]) -> str:
    if not reports:
        return "数据库中还没有报告。可用 selfeval new 新建，或 selfeval import 导入。"
    lines = ["  ".join(["编号", pad("年度", 4), pad("状态", 6), pad("总分", 8), pad("等级", 6), "单位"])]
    for info in reports:
        total = (info.total or "") + ("" if info.complete else "*")
        lines.append("  ".join([f"{info.id:>4}", pad(str(info.year), 4), pad(STATUS.get(info.status, info.status), 6),
                                pad(total, 8), pad(grade_text(info.grade, info.complete), 6), info.unit_name]))
        if info.problem:
            lines.append(f"      ！{info.problem}")
    if any(not info.complete for info in reports):
        lines.append(f"* 尚有指标未评分：总分为已评指标得分合计，{PENDING_GRADE_NOTE}")
    return "\n".join(lines)


def value_line(field: Field, value) -> str:
    if value is None:
        return f"{field.label}：已清除"
    unit = f" {field.unit}" if field.unit and field.unit != "%" else field.unit
    return f"{field.label}：{display(field, value)}{unit}"


ACTIONS = {"create": "新建", "set": "修改", "import": "从文档导入", "explain": "出错说明", "finalize": "定稿",
           "reopen": "重新打开", "delete": "删除", "export": "导出"}


def history(records: list[AuditRecord]) -> str:
    lines = []
    for record in records:
        if record.damaged:
            lines.append(f"{'（时间无法识别）' if record.at is None else _when(record.at)}  此条修改记录已损坏，无法完整读取")
            continue
        when = _when(record.at)
        action = ACTIONS.get(record.action, record.action)
        change = ""
        if record.key:
            change = f" {record.key}：{_short(record.old)} → {_short(record.new)}"
        note = f"（{record.note}）" if record.note else ""
        lines.append(f"{when}  {action}{change}{note}")
    return "\n".join(lines) or "没有修改记录。"


def broken_history(entry_ids: list[int]) -> str:
    shown = "、".join(str(entry) for entry in entry_ids[:10]) + ("等" if len(entry_ids) > 10 else "")
    return (f"修改记录中第 {shown} 条在本程序之外被改动或删除过，与记录链不符。"
            "请核对报告数据；如有疑问，请从备份中恢复。")


def _when(moment) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _short(value) -> str:
    text = "（空）" if value is None else str(value)
    return text if len(text) <= 30 else text[:30] + "…"
