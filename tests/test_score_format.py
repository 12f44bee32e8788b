"""Scores read the same everywhere: two decimals, as the score table states them.

The table has always said "9.50" and "97.20"; the report's sentences said "9.5" and "97.2". Now
the sentences (each indicator's score and points lost, each 一级 subtotal, the adjustments and
the closing verdict) use the table's convention; weights keep theirs ("（5 分）", "指标分值 28
分"), and a form statement's own placeholders stay as the form writes them.

The demo with 预算编制科学性 scored 3.53 instead of 3: base 96.20, adjustments 1.00, total 97.20.
"""
from __future__ import annotations

import dataclasses
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from selfeval.catalog import demo_report_path
from selfeval.export.pdf import render_report
from selfeval.parsing import format_score
from selfeval.workspace import Workspace


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    workspace = Workspace.open(tmp_path_factory.mktemp("format") / "db.sqlite3")
    try:
        opened = workspace.open_report(workspace.import_json(demo_report_path().read_text("utf-8")))
    finally:
        workspace.close()
    return dataclasses.replace(opened, values={**opened.values, "score.bp_scientific": Decimal("3.53")})


def pdf_text(report) -> tuple[str, str]:
    """(the report's pages, the score table's landscape pages), without white space."""
    pages = PdfReader(io.BytesIO(render_report(report, report.evaluate()))).pages
    wide = [page.mediabox.width > page.mediabox.height for page in pages]
    body = "".join("".join(p.extract_text().split()) for p, w in zip(pages, wide) if not w)
    table = "".join("".join(p.extract_text().split()) for p, w in zip(pages, wide) if w)
    return body, table


@pytest.mark.parametrize("value, text", [("9.5", "9.50"), ("97.2", "97.20"), ("0", "0.00"), ("4", "4.00"),
                                         ("0.125", "0.13"), ("100", "100.00")])
def test_format_score(value, text):
    assert format_score(Decimal(value)) == text


def test_the_sentences_state_scores_as_the_table_does(report):
    evaluation = report.evaluate()
    assert (evaluation.base, evaluation.total) == (Decimal("96.20"), Decimal("97.20"))
    body, table = pdf_text(report)
    assert "得分为97.20分（其中加减分1.00分），评价等级为“优”" in body
    assert "自评得分3.53分，扣0.47分" in body  # 预算编制科学性, 4 分
    assert "预算编制科学性（4分）" in body  # a weight as headed
    assert "自评得分9.50分，扣0.50分" in body  # 效果性
    assert "本部分指标分值28分，自评得分27.03分" in body  # 预算编制情况 26.50 + 0.53
    assert "加减分项合计加1.00分" in body
    assert "97.2分" not in body and "9.5分" not in body
    assert "总分10097.20" in table
