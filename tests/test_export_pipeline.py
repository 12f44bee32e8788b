"""export_report and its three steps: read and refuse, build (no database), record."""
from __future__ import annotations

import hashlib

import pytest

from selfeval.catalog import demo_report_path
from selfeval.export.certs import CertError, new_self_signed
from selfeval.export.pipeline import STEPS, ExportRefused, build_package, export_report, exportable
from selfeval.export.verify import verify
from selfeval.navigation import Navigator
from selfeval.workspace import Workspace

PASSWORD = "secret-123"


@pytest.fixture(scope="module")
def pfx(tmp_path_factory):
    return new_self_signed(tmp_path_factory.mktemp("cert") / "a.pfx", unit_name="示例单位", person="张三",
                           password=PASSWORD)


@pytest.fixture
def workspace(tmp_path):
    ws = Workspace.open(tmp_path / "db.sqlite3")
    yield ws
    ws.store.close(backup=False)


def demo(ws: Workspace, *, final: bool) -> int:
    report_id = ws.import_json(demo_report_path().read_text(encoding="utf-8"))
    if final:
        for finding in ws.evaluate(report_id).unexplained_warnings:
            ws.set_explanation(report_id, finding.check, "已核对。")
        ws.finalize(report_id)
    return report_id


def test_a_draft_is_refused_before_anything_is_written(workspace, pfx, tmp_path):
    report_id = demo(workspace, final=False)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ExportRefused, match="只有定稿的报告才能导出") as refused:
        exportable(workspace, report_id)
    wizard = Navigator(workspace.open_report(report_id).form).export_problems(workspace.evaluate(report_id))
    assert str(refused.value) == "\n".join(wizard)  # the same words as the wizard's export page
    with pytest.raises(ExportRefused):
        export_report(workspace, report_id, pfx=pfx, password=PASSWORD, out_dir=out)
    report = workspace.open_report(report_id)
    with pytest.raises(ExportRefused):
        build_package(report, report.evaluate(), pfx=pfx, password=PASSWORD, out_dir=out)
    assert list(out.iterdir()) == []


def test_a_wrong_password_fails_before_any_work(workspace, pfx, tmp_path):
    report, evaluation = exportable(workspace, demo(workspace, final=True))
    out, steps = tmp_path / "out", []
    out.mkdir()
    with pytest.raises(CertError, match="证书密码不正确"):
        build_package(report, evaluation, pfx=pfx, password="nope-nope", out_dir=out,
                      progress=lambda *args: steps.append(args))
    assert steps == [] and list(out.iterdir()) == []


def test_export_report_builds_verifies_and_records(workspace, pfx, tmp_path):
    report_id = demo(workspace, final=True)
    steps = []
    out = tmp_path / "out"
    out.mkdir()
    result = export_report(workspace, report_id, pfx=pfx, password=PASSWORD, out_dir=out,
                           progress=lambda index, total, text: steps.append((index, total, text)))
    assert steps == [(i, len(STEPS), text) for i, text in enumerate(STEPS)]
    assert result.verdict.ok and verify(result.folder).ok and result.zip_path is None
    assert result.pdf_sha256 == hashlib.sha256(result.pdf_path.read_bytes()).hexdigest()
    last = workspace.store.audit_trail(report_id)[-1]
    assert last.action == "export" and last.new == {"path": str(result.folder), "sha256": result.pdf_sha256}
    assert result.notes == ()  # every character of the demo is in the bundled fonts
    # the form names the package and the signing reason
    assert result.folder.name == f"2022_{report_unit(workspace, report_id)}_部门整体支出绩效自评"
    assert reason_of(result.pdf_path) == "部门整体支出绩效自评报告定稿报送"


def report_unit(ws: Workspace, report_id: int) -> str:
    return ws.open_report(report_id).info.unit_name


def reason_of(path) -> str:
    from pyhanko.pdf_utils.reader import PdfFileReader

    with path.open("rb") as handle:
        return str(PdfFileReader(handle).embedded_signatures[0].sig_object["/Reason"])


def test_characters_the_fonts_cannot_draw_are_named(workspace, pfx, tmp_path, monkeypatch):
    monkeypatch.setenv("SELFEVAL_PDF_FONTS", "bundled")
    report_id = demo(workspace, final=False)
    # the bundled body font covers GBK (喆 is outside GB 2312, inside GBK); 𠀀 and 𪚥 lie beyond GBK
    workspace.set_values(report_id, {"signoff.preparer": "王喆", "problems": "个别字生僻：𠀀、𪚥。"})
    for finding in workspace.evaluate(report_id).unexplained_warnings:
        workspace.set_explanation(report_id, finding.check, "已核对。")
    workspace.finalize(report_id)
    out = tmp_path / "out"
    out.mkdir()
    result = export_report(workspace, report_id, pfx=pfx, password=PASSWORD, out_dir=out)
    assert result.verdict.ok
    (note,) = result.notes
    named = note.split("：")[1].split("。")[0]
    assert "𠀀" in named and "𪚥" in named and "喆" not in named and "王" not in named


def test_the_stamp_is_on_the_page_and_the_signature_embeds_no_second_font(workspace, pfx, tmp_path):
    import io

    import pypdf
    from pyhanko.pdf_utils.reader import PdfFileReader

    from selfeval.export.certs import load_signer, short_fingerprint

    report, evaluation = exportable(workspace, demo(workspace, final=True))
    out = tmp_path / "out"
    out.mkdir()
    result = build_package(report, evaluation, pfx=pfx, password=PASSWORD, out_dir=out)
    data = result.pdf_path.read_bytes()
    field = PdfFileReader(io.BytesIO(data)).embedded_signatures[0].sig_field
    appearance = field["/AP"]["/N"]
    assert "/Font" not in appearance.get("/Resources", {}) and b"Tj" not in appearance.data
    (x1, y1, x2, y2) = [float(v) for v in field["/Rect"]]

    def in_box(page) -> str:
        inside = []

        def visit(text, cm, tm, _font, _size):
            x, y = tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if x1 - 1 <= x <= x2 and y1 - 1 <= y <= y2:
                inside.append(text)

        page.extract_text(visitor_text=visit)
        return "".join(inside).replace(" ", "").replace("\n", "")

    (drawn,) = [text for text in map(in_box, pypdf.PdfReader(io.BytesIO(data)).pages) if "签署人" in text]
    cert = load_signer(pfx, PASSWORD).signing_cert
    for text in ("签署单位：示例单位", "签署人：张三", "签署时间：", short_fingerprint(cert), "（自签名证书）"):
        assert text.replace(" ", "") in drawn, text

