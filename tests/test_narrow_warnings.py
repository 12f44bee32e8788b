"""Text warnings fire on real problems only: history, last year's 决算 and 自评 named as
such, and phrases inside 《书名》 pass; copied years, doubled words and clauses are caught."""
from __future__ import annotations

import datetime

import pytest

from selfeval.catalog import FormCatalog
from selfeval.engine import evaluate

BASE = {"report.year": 2022, "report.fill_date": datetime.date(2023, 3, 1)}


def flagged(text: str) -> set[str]:
    form = FormCatalog().get("gd-dept-overall")
    evaluation = evaluate(form, {**BASE, "achievements": text})
    return {f.check.split(".")[0] for f in evaluation.findings if f.check.endswith(".achievements")}


@pytest.mark.parametrize("text", [
    "中国人民政治协商会议乐昌市委员会成立于1980年，第十一届委员会于2021年11月组建。",
    "本会1980年成立，始于1978年的文史工作延续至今。",
    "同年8月1日对2021年决算信息进行了公开，2021年度部门决算已公开。",
    "以及 2021 年部门整体支出绩效自评报告。",
    "制定出台《乐昌市政协党组成员联系党员委员、党员委员联系党外委员制度》，加强联系。",
    "按《关于开展 2021 年部门预算编制工作的通知》编制预算。",
])
def test_correct_text_is_not_flagged(text):
    assert flagged(text) == set()


@pytest.mark.parametrize("text, check", [
    ("2021 年年末财授权支付余额予以收回财政总预算。", "stray_year"),
    ("坚持坚持党的领导。", "repeated_words"),
    ("确保“三公”经费零增长，确保“三公”经费零增长。", "repeated_words"),
])
def test_real_problems_still_are(text, check):
    assert check in flagged(text)
