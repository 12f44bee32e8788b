"""``selfeval preview``: the report as it stands, marked 草稿 on every page and sheet, never in a package."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from selfeval import paths
from selfeval.catalog import demo_report_path
from selfeval.export.draft import DraftRefused, write_draft
from selfeval.workspace import Workspace


@pytest.fixture
def draft_report(cli):
    code, out, _ = cli("import", demo_report_path())
    report_id = out.strip()
    assert code == 0
    assert cli("set", report_id, "procurement.planned", "")[0] == 0  # unscored: a draft all the same
    return report_id


def test_preview_says_draft_on_every_page_and_sheet(cli, draft_report, tmp_path):
    pdf, xlsx = tmp_path / "草稿.pdf", tmp_path / "草稿.xlsx"
    code, out, err = cli("preview", draft_report, "--out", pdf, "--xlsx", xlsx)
    assert code == 0, err
    assert str(pdf) in out and str(xlsx) in out
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    assert len(reader.pages) > 5
    assert all("草稿" in page.extract_text() for page in reader.pages)
    assert "/Sig" not in pdf.read_bytes().decode("latin-1")  # unsigned
    book = load_workbook(xlsx)
    assert all("草稿" in sheet.title and "草稿" in sheet.oddHeader.center.text for sheet in book.worksheets)
    assert "草稿" in book.worksheets[0].cell(1, 1).value


def test_a_draft_never_goes_into_a_package(cli, draft_report, tmp_path):
    package = tmp_path / "2022_单位_部门整体支出绩效自评"
    package.mkdir()
    (package / "manifest.json").write_text("{}", encoding="utf-8")
    code, _, err = cli("preview", draft_report, "--out", package / "预览.pdf")
    assert code == 2 and "报送包" in err
    assert not (package / "预览.pdf").exists()
    workspace = Workspace.open(paths.database_path())
    try:
        with pytest.raises(DraftRefused):
            write_draft(workspace, int(draft_report), xlsx=package / "sub" / "预览.xlsx")
    finally:
        workspace.close()


def test_preview_needs_somewhere_to_write(cli, draft_report):
    code, _, err = cli("preview", draft_report)
    assert code == 2 and "--out" in err
