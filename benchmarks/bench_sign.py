"""Time signing (visible stamp, Excel table embedded) and verifying a stand-in report PDF.

Prints JSON: {"sign_seconds_median": …, "verify_seconds_median": …} over 5 runs.
"""
from __future__ import annotations

import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from selfeval.export.certs import load_signer, new_self_signed
from selfeval.export.sign import sign_pdf, stamp_font
from selfeval.export.verify import verify

RUNS = 5
BOX = (0, (320.0, 50.0, 560.0, 150.0))
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def stand_in_pdf(font: Path) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("BenchCJK", str(font)))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    for number in range(1, 9):
        page.setFont("BenchCJK", 16)
        page.drawString(72, 760, f"2022年度某某局部门整体支出绩效自评报告（第{number}页）")
        page.setFont("BenchCJK", 12)
        for line in range(40):
            page.drawString(72, 720 - line * 16, "本年支出合计 628.76 万元，预算执行率 98.49%，绩效目标全部完成。")
        page.showPage()
    page.save()
    return buffer.getvalue()


def stand_in_xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in range(60):
        sheet.append(["资金管理", "部门预算资金支出率", 3, 2.95, "按比例计分"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> None:
    font = stamp_font()
    if not font.is_file():
        sys.exit(f"missing stamp font {font}")
    with tempfile.TemporaryDirectory() as folder:
        pfx = new_self_signed(Path(folder) / "bench.pfx", unit_name="某某局", person="张三", password="bench-secret")
        signer = load_signer(pfx, "bench-secret")
        pdf, xlsx = stand_in_pdf(font), stand_in_xlsx()
        signed_path = Path(folder) / "signed.pdf"
        sign_times, verify_times = [], []
        for _ in range(RUNS):
            start = time.perf_counter()
            signed = sign_pdf(pdf, signer, attachments=[("table.xlsx", xlsx, XLSX_MIME)], box=BOX)
            sign_times.append(time.perf_counter() - start)
            signed_path.write_bytes(signed)
            start = time.perf_counter()
            verdict = verify(signed_path)
            verify_times.append(time.perf_counter() - start)
            assert verdict.ok, verdict.text()
    print(json.dumps({
        "sign_seconds_median": round(statistics.median(sign_times), 4),
        "verify_seconds_median": round(statistics.median(verify_times), 4),
        "runs": RUNS,
        "pdf_bytes": len(pdf),
        "signed_bytes": len(signed),
    }))


if __name__ == "__main__":
    main()
