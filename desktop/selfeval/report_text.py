"""Plain-text views of a report for the terminal: findings, scores, lists."""
from __future__ import annotations

from .engine import Evaluation
from .form import Field, Form
from .parsing import format_decimal
from .store import AuditRecord, ReportInfo
from .values import display

SEVERITY = {"error": "错误", "warning": "警告"}
STATUS = {"draft": "草稿", "final": "已定稿"}


def findings(evaluation: Evaluation) -> str:
    if not evaluation.findings:
        return "未发现问题。"
    lines = []
    for finding in evaluation.findings:
        lines.append(f"[{SEVERITY[finding.severity]}] {finding.message}  （{finding.check}）")
        if finding.severity == "warning":
            lines.append(f"        出错说明：{finding.explanation}" if finding.explained
                         else "        尚未填写出错说明")
    errors, warnings = len(evaluation.errors), len(evaluation.warnings)
    unexplained = len(evaluation.unexplained_warnings)
    lines.append(f"共 {errors} 个错误，{warnings} 个警告（其中 {unexplained} 个尚未说明）。")
    return "\n".join(lines)


def _rate(value) -> str:
    return "" if value is None else format_decimal(value * 100) + "%"


def scores(form: Form, evaluation: Evaluation) -> str:
    lines = []
    for node in form.walk():
        indent = "  " * (node.level - 1)
        subtotal = evaluation.subtotals[node.id]
        if not node.is_leaf:
            lines.append(f"{indent}{node.title}（{format_decimal(node.weight)}分）  小计 {subtotal}")
            continue
        score = evaluation.scores[node.id]
        shown = "未评分" if score.score is None else str(score.score)
        rate = _rate(score.rate)
        extra = "  ".join(part for part in (rate, score.note) if part)
        lines.append(f"{indent}{node.title}（{format_decimal(node.weight)}分）：{shown}"
                     + (f"  {extra}" if extra else ""))
    lines.append("")
    lines.append(f"指标得分合计：{evaluation.base}")
    lines.append(f"加减分：{evaluation.adjustments}")
    lines.append(f"总分：{evaluation.total}    评价等级：{evaluation.grade}")
    if not evaluation.complete:
        lines.append(f"注意：还有 {len(evaluation.unscored)} 个指标未评分，总分不完整。")
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
        "updated_at": info.updated_at.isoformat(timespec="seconds"),
    }


def report_list(reports: list[ReportInfo]) -> str:
    if not reports:
        return "数据库中还没有报告。可用 selfeval new 新建，或 selfeval import 导入。"
    lines = ["编号  年度  状态    总分    等级  单位"]
    for info in reports:
        total = (info.total or "") + ("" if info.complete else "*")
        lines.append(f"{info.id:>4}  {info.year}  {STATUS.get(info.status, info.status):<6}"
                     f"  {total:<7} {info.grade or '':<4}  {info.unit_name}")
    if any(not info.complete for info in reports):
        lines.append("* 尚有指标未评分")
    return "\n".join(lines)


def value_line(field: Field, value) -> str:
    if value is None:
        return f"{field.label}：已清除"
    unit = f" {field.unit}" if field.unit and field.unit != "%" else field.unit
    return f"{field.label}：{display(field, value)}{unit}"


ACTIONS = {"create": "新建", "set": "修改", "explain": "出错说明", "finalize": "定稿",
           "reopen": "重新打开", "delete": "删除", "export": "导出"}


def history(records: list[AuditRecord]) -> str:
    lines = []
    for record in records:
        when = record.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        action = ACTIONS.get(record.action, record.action)
        change = ""
        if record.key:
            change = f" {record.key}：{_short(record.old)} → {_short(record.new)}"
        note = f"（{record.note}）" if record.note else ""
        lines.append(f"{when}  {action}{change}{note}")
    return "\n".join(lines) or "没有修改记录。"


def _short(value) -> str:
    text = "（空）" if value is None else str(value)
    return text if len(text) <= 30 else text[:30] + "…"
