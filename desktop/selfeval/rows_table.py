"""The score table's rows for a leaf scored from a table field (rule ``rows``).

Each of the leaf's rows becomes a row of the score table, grouped under the leaf
(一级) by the row's ``print.group`` cell (二级), in the order the groups first
appear; the 三级 cell is ``print.title``.  The groups and rows are stand-in
:class:`~selfeval.form.Indicator` nodes built once per table, so every layout
that merges the cells of one 一级 or 二级 merges these too.
"""
from __future__ import annotations

from collections import ChainMap
from decimal import Decimal

from .engine import Evaluation, _fill
from .form import PLACEHOLDER, Form, Indicator
from .rows import leaf_rows
from .scoring import NOT_APPLICABLE, ZERO


def row_paths(form: Form, leaf: Indicator, ev: Evaluation):
    """(path, row env, RowScore) for each row of ``leaf``, grouped by the 二级 cell."""
    field = form.fields[leaf.rule.table]
    spec = field.rows
    envs = ev.env.get(leaf.rule.table) or []
    results = leaf_rows(form, leaf, ev.env, ev.rows.get(leaf.rule.table, []))
    chosen = [(envs[r.number - 1], r) for r in results]
    groups: dict[str, list] = {}
    for local, result in chosen:
        groups.setdefault(str(local.get(spec.print_group) or "") if spec.print_group else "", []).append(
            (local, result))
    group_nodes, entries = [], []
    for name, members in groups.items():
        rows = []
        for local, result in members:
            title = str(local.get(spec.print_title) or "") if spec.print_title else f"第 {result.number} 行"
            rows.append((Indicator(f"{leaf.id}.row{result.number}", title or f"第 {result.number} 行",
                                   result.weight or ZERO, 3, None, rule=leaf.rule,
                                   criteria=_text(form, ev, local, result, spec.print_criteria)), local, result))
        weight = sum((r.weight or ZERO for _, _, r in rows), ZERO)
        group = Indicator(f"{leaf.id}.{len(group_nodes)}", name or leaf.title, weight, 2, leaf.id,
                          children=tuple(node for node, _, _ in rows))
        group_nodes.append(group)
        entries.extend((group, node, local, result) for node, local, result in rows)
    root = Indicator(leaf.id, leaf.title, leaf.weight, 1, None, children=tuple(group_nodes),
                     criteria=leaf.criteria)
    return [((root, group, node), local, result) for group, node, local, result in entries]


def _text(form: Form, ev: Evaluation, local: dict, result, template: str) -> str:
    """A ``print`` template filled from one row; an empty cell leaves nothing."""
    if not template:
        return ""
    scope = ChainMap({k: v for k, v in local.items() if v is not None}, {"row": Decimal(result.number)})
    pieces, at = [], 0
    for match in PLACEHOLDER.finditer(template):
        pieces.append((template[at:match.start()], False))
        pieces.append((_fill(form, match.group(0), scope, {}, "").replace("（未填）", ""), True))
        at = match.end()
    pieces.append((template[at:], False))
    return join_units(pieces)


def join_units(pieces: list[tuple[str, bool]]) -> str:
    """Literal text and filled placeholders (``(text, True)``), joined; a placeholder's text is
    left out when the placeholder right before it already ends with it, so that a value typed
    with its unit ("100%") and the unit column ("%") read "100%", not "100%%"."""
    out, before = [], ""
    for text, filled in pieces:
        if not text:
            continue
        if not (filled and before.endswith(text)):
            out.append(text)
        before = text if filled else ""
    return "".join(out)


def row_cells(form: Form, leaf: Indicator, ev: Evaluation, local: dict, result) -> tuple[str, str, str]:
    """The 指标值 cell, the note (不适用) and the 原因 cell of one row."""
    spec = form.fields[leaf.rule.table].rows
    value = _text(form, ev, local, result, spec.print_value)
    note = "" if result.applicable else NOT_APPLICABLE
    reason = str(local.get(spec.print_reason) or "") if spec.print_reason else ""
    return value, note, reason
