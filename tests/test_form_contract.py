"""The form file as a checked contract: the ids the program reads, the words it prints, the tree's depth."""
from __future__ import annotations

import io
import zipfile
from datetime import datetime, timezone
from decimal import Decimal as D
from pathlib import Path

import pytest

from form_variants import changed_form
from selfeval.catalog import FormCatalog
from selfeval.formfile import FormError, load_form
from selfeval.workspace import Workspace

HERE = Path(__file__).resolve().parent
SYNTHETIC = HERE / "data" / "forms" / "synthetic.yaml"
WHEN = datetime(2024, 1, 20, 9, 0, tzinfo=timezone.utc)


def broken(tmp_path, old: str, new: str) -> Path:
    return changed_form(SYNTHETIC, tmp_path, old, new)


def error_of(path: Path) -> str:
    with pytest.raises(FormError) as info:
        load_form(path)
    text = str(info.value)
    assert text.startswith(f"{path}:"), text
    return text


@pytest.mark.parametrize("fid", ["unit.name", "report.year", "report.fill_date"])
def test_a_form_without_a_required_id_does_not_load(tmp_path, fid):
    text = SYNTHETIC.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if f"{{id: {fid}," in line)
    path = tmp_path / "form.yaml"
    path.write_text(text.replace(line + "\n", "").replace(f" {fid},", ""), encoding="utf-8")
    message = error_of(path)
    assert f"缺少字段“{fid}”" in message and ":" in message


def test_a_required_id_of_the_wrong_type_names_the_line(tmp_path):
    path = broken(tmp_path, "{id: report.fill_date, label: 填报日期, type: date}",
                  "{id: report.fill_date, label: 填报日期, type: text}")
    message = error_of(path)
    line = next(n for n, text in enumerate(path.read_text("utf-8").splitlines(), 1) if "report.fill_date, label" in text)
    assert f"{path}:{line}:" in message and "date" in message and "report.fill_date" in message


def test_signoff_fields_are_short_texts(tmp_path):
    path = broken(tmp_path, "  - {id: notes, label: 情况概述, type: longtext}\n",
                  "  - {id: notes, label: 情况概述, type: longtext}\n"
                  "  - {id: signoff.phone, label: 联系电话, type: count}\n")
    path.write_text(path.read_text("utf-8").replace("fields: [bonus]", "fields: [bonus, signoff.phone]"), "utf-8")
    assert "signoff.phone" in error_of(path)


def test_a_fourth_indicator_level_is_refused(tmp_path):
    path = broken(tmp_path,
                  "            rule: {kind: proportional, numerator: fund.used, denominator: fund.plan}\n",
                  "            children:\n"
                  "              - id: pr_deep\n"
                  "                title: 第四级\n"
                  "                weight: 9\n"
                  "                rule: {kind: proportional, numerator: fund.used, denominator: fund.plan}\n")
    message = error_of(path)
    assert "pr_deep" in message and "最多 3 级" in message


def test_a_form_needs_its_conclusion_section(tmp_path):
    path = broken(tmp_path, "    conclusion: true\n", "")
    assert "conclusion: true" in error_of(path)


def test_a_text_override_may_only_use_its_own_placeholders(tmp_path):
    path = broken(tmp_path, "total: 100\n", "total: 100\ntexts:\n  conclusion: 得分 {score} 分。\n")
    assert "{score}" in error_of(path)


def test_the_score_table_has_eight_columns(tmp_path):
    path = broken(tmp_path, "total: 100\n", "total: 100\ntable: {columns: [一级, 二级, 三级]}\n")
    assert "8 列" in error_of(path)


def test_words_come_from_the_form(tmp_path):
    form = load_form(broken(tmp_path, "title: 合成测试表单\n",
                            "title: 合成测试报告\nshort_title: 合成测试\ntable: {title: 合成测试评分表}\n"))
    assert (form.short_title, form.table_title) == ("合成测试", "合成测试评分表")
    assert form.table_columns[3] == "评分标准" and form.money_unit == "万元"
    plain = load_form(SYNTHETIC)
    assert plain.short_title == "合成测试表单" and plain.table_title == "合成测试表单表"


@pytest.fixture
def synthetic_report(tmp_path):
    folder = tmp_path / "forms"
    folder.mkdir()
    (folder / "synthetic.yaml").write_text(SYNTHETIC.read_text("utf-8"), "utf-8")
    workspace = Workspace.open(tmp_path / "db.sqlite3", FormCatalog(folder))
    report_id = workspace.new_report("某县测试局", 2023, form_id="synthetic-test")
    for fid, text in (("report.fill_date", "2024-01-15"), ("fund.plan", "100"), ("fund.used", "90")):
        workspace.set_text(report_id, fid, text)
    yield workspace, workspace.open_report(report_id)
    workspace.close()


def test_another_form_renders_its_own_words(synthetic_report):
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("openpyxl")
    from openpyxl import load_workbook

    from selfeval.export.pdf import render_report
    from selfeval.export.xlsx import render_workbook

    workspace, report = synthetic_report
    evaluation = report.evaluate()
    pdf = render_report(report, evaluation, generated_at=WHEN)
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages).replace(" ", "")
    assert "2023年度某县测试局合成测试表单" in text
    assert "部门整体" not in text
    book = load_workbook(io.BytesIO(render_workbook(report, evaluation, generated_at=WHEN)))
    words = " ".join(str(cell.value) for row in book["自评表"].iter_rows() for cell in row if cell.value)
    assert "2023年度某县测试局合成测试表单表" in words and "部门整体" not in words
    assert "金额单位：万元" in words


def test_a_blank_signoff_is_a_warning_naming_what_is_missing():
    from selfeval.engine import evaluate

    form = FormCatalog().get("gd-dept-overall")
    signed = {"signoff.unit_head": "陈明", "signoff.finance_head": "李红", "signoff.preparer": "王芳",
              "signoff.phone": "0751-5550123"}
    assert "signoff_blank" not in {f.check for f in evaluate(form, signed).findings}
    partly = evaluate(form, {**signed, "signoff.phone": None, "signoff.preparer": ""})
    found = [f for f in partly.findings if f.check == "signoff_blank"]
    assert len(found) == 1 and found[0].severity == "warning"
    assert "财务负责人 李红" in found[0].message and "填表人 （未填）" in found[0].message
    assert "联系电话 （未填）" in found[0].message
