"""The report PDF: words, figures, fonts, page layout, metadata and the signature area."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest

pytest.importorskip("reportlab")
pypdf = pytest.importorskip("pypdf")

from selfeval import __version__  # noqa: E402
from selfeval.catalog import demo_report_path, resources_dir  # noqa: E402
from selfeval.engine import evaluate  # noqa: E402
from selfeval.export import fonts as fontmod  # noqa: E402
from selfeval.export.pdf import render_report, render_report_placed  # noqa: E402
from selfeval.export.pdf_flow import SIGNATURE_DEST  # noqa: E402
from selfeval.export.pdf_flow import NO_END, NO_START, break_lines  # noqa: E402
from selfeval.export.pdf_text import chinese_number, report_blocks  # noqa: E402
from selfeval.parsing import format_decimal  # noqa: E402
from selfeval.workspace import Workspace  # noqa: E402

MM = 72 / 25.4
WHEN = datetime(2023, 1, 16, 9, 30, tzinfo=timezone.utc)
FIGURES = ["628.76", "470.41", "94.55", "93.12", "98.49%", "在职人员21人", "编制数19人"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    workspace = Workspace.open(tmp_path_factory.mktemp("pdf") / "db.sqlite3")
    report = workspace.open_report(workspace.import_json(demo_report_path().read_text("utf-8")))
    evaluation = report.evaluate()
    pdf = render_report(report, evaluation, generated_at=WHEN)
    yield report, evaluation, pdf
    workspace.close()


@pytest.fixture(scope="module")
def reader(demo):
    return pypdf.PdfReader(io.BytesIO(demo[2]))


@pytest.fixture(scope="module")
def page_texts(reader):
    return [page.extract_text() for page in reader.pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def expected_phrases(report, evaluation) -> list[str]:
    year, unit = report.values["report.year"], report.values["unit.name"]
    headings = [s.title for s in report.form.sections if s.printed]
    assert [h[0] for h in headings] == list("一二三四五六")
    return [f"{year}年度{unit}部门整体支出绩效自评报告", *headings, *FIGURES,
            f"自评得分为{format_decimal(evaluation.total)}分", f"评价等级为“{evaluation.grade}”",
            f"{year}年度{unit}部门整体支出绩效自评表", "评分标准", "自评得分", "2023年1月15日"]


def test_text_extracted_with_pypdf(demo, page_texts):
    report, evaluation, _ = demo
    text = flat("".join(page_texts))
    assert "\ufffd" not in text
    for phrase in expected_phrases(report, evaluation):
        assert flat(phrase) in text, phrase


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is not installed")
def test_text_extracted_with_pdftotext(demo, tmp_path):
    report, evaluation, pdf = demo
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    text = flat(done.stdout.decode("utf-8"))
    assert "\ufffd" not in text and "□" not in text
    for phrase in expected_phrases(report, evaluation):
        assert flat(phrase) in text, phrase


def test_every_font_is_an_embedded_truetype_subset(reader):
    seen = set()
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            seen.add(str(font["/BaseFont"]))
            assert font["/Subtype"] == "/TrueType", font["/BaseFont"]
            assert "/FontFile2" in font["/FontDescriptor"].get_object(), font["/BaseFont"]
    assert len({name.split("+")[-1] for name in seen}) == 4  # 仿宋, 小标宋, 黑体, 楷体


def test_pages_portrait_then_landscape_score_table(reader, page_texts):
    landscape = [page.mediabox.width > page.mediabox.height for page in reader.pages]
    assert len(landscape) > 3
    first = landscape.index(True)
    assert not any(landscape[:first]) and all(landscape[first:])
    for text in page_texts[first:]:
        assert "三级指标" in text  # the header row is repeated on every table page
    assert "附件" in page_texts[first][:40]
    for text in page_texts[:first]:
        assert "三级指标" not in text


def test_portrait_pages_use_the_gbt_9704_type_area(reader):
    page = reader.pages[0]
    assert (round(float(page.mediabox.width) / MM), round(float(page.mediabox.height) / MM)) == (210, 297)


def test_page_numbers(page_texts):
    for number, text in enumerate(page_texts, 1):
        assert f"— {number} —" in text or f"—{number}—" in flat(text), number


def test_metadata_and_size(demo, reader):
    report, _, pdf = demo
    meta = reader.metadata
    assert meta.title == "2022年度政协乐昌市委员会机关部门整体支出绩效自评报告"
    assert meta.author == report.values["unit.name"]
    assert meta.subject == "部门整体支出绩效自评报告"
    assert meta.creator == f"selfeval {__version__}"
    assert meta.creation_date.date() == WHEN.date()
    assert len(pdf) < 1_000_000


def test_same_input_gives_the_same_bytes(demo):
    report, evaluation, pdf = demo
    assert render_report(report, evaluation, generated_at=WHEN) == pdf


def named_box(pdf: bytes):
    """The signature box as the named destination in the PDF says, read back with pypdf."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    named = reader.named_destinations
    dest = named.get(SIGNATURE_DEST) or named.get("/" + SIGNATURE_DEST)
    assert dest is not None, "no named destination for the signature"
    rect = (float(dest.left), float(dest.bottom), float(dest.right), float(dest.top))
    return reader.get_destination_page_number(dest), rect


def test_signature_box_is_blank_room_above_the_unit_name(demo, reader, page_texts):
    report, evaluation, pdf = demo
    rendered = render_report_placed(report, evaluation, generated_at=WHEN)
    assert rendered.pdf == pdf
    page_index, (x1, y1, x2, y2) = rendered.signature_box
    named_page, named_rect = named_box(pdf)
    assert named_page == page_index and named_rect == pytest.approx((x1, y1, x2, y2), abs=0.01)
    page = reader.pages[page_index]
    assert page.mediabox.width < page.mediabox.height  # the last page of the text, not the table
    assert flat(report.values["unit.name"] + "2023年1月15日") in flat(page_texts[page_index])
    assert x2 - x1 == pytest.approx(60 * MM, abs=0.1) and y2 - y1 == pytest.approx(30 * MM, abs=0.1)
    assert 28 * MM <= x1 < x2 <= (28 + 156) * MM and 35 * MM <= y1 < y2 <= (297 - 37) * MM


def test_unscored_indicator_is_said_honestly(demo):
    report, _, _ = demo
    values = {k: v for k, v in report.values.items() if k != "score.effect"}
    evaluation = evaluate(report.form, values, report.explanations)
    assert not evaluation.complete
    blocks = report_blocks(type(report)(report.info, report.form, values, report.explanations), evaluation)
    text = flat("".join(block.text for block in blocks))
    assert "尚有1项指标未评分" in text and "评价等级为" not in text
    assert "该指标尚未评分" in text


def test_generated_sentences_count_their_sub_indicators(demo):
    report, evaluation, _ = demo
    text = "".join(block.text for block in report_blocks(report, evaluation))
    assert "该指标从预算编制合理性、预算编制规范性、预算编制规划性和预算编制科学性四个方面进行考核。" in text
    assert "该指标从绩效目标覆盖率、绩效目标合理性和绩效指标明确性三个方面进行考核。" in text
    assert [chinese_number(n) for n in (1, 2, 4, 10, 12, 20, 24)] == ["一", "二", "四", "十", "十二", "二十", "二十四"]
    assert "附：校验警告及说明" in text and "（尚未填写说明）" in text  # the demo's unexplained warning


def test_line_breaking_keeps_numbers_whole_and_punctuation_off_line_starts():
    measure = lambda s: sum(8.0 if ord(c) < 0x2E80 else 16.0 for c in s)  # noqa: E731
    text = "本年度政府采购计划金额94.55万元，实际采购金额93.12万元。“三公”经费决算数0.06万元，控制率为0.64%。" * 3
    for width in (160, 176, 192, 448):
        lines = break_lines(text, measure, width, 0.0, first_indent=32)
        assert "".join(line.text for line in lines) == text
        for line in lines:
            assert line.text[0] not in NO_START and line.text[-1] not in NO_END
            assert measure(line.text) <= width - line.indent + 0.5
        joined = "\n".join(line.text for line in lines)
        for number in ("94.55", "93.12", "0.06", "0.64%"):
            assert number in joined


def test_bundled_fonts_are_truetype_and_cover_gb2312():
    ttlib = pytest.importorskip("fontTools.ttLib")
    folder = resources_dir() / "fonts"
    total = 0
    sample = "部门整体支出绩效自评报告〔〕《》“”—…·％℃鑫淼"
    for name in ("SelfevalSerif-Regular", "SelfevalSerif-Bold", "SelfevalSans-Regular", "SelfevalKai-Regular"):
        path = folder / f"{name}.ttf"
        total += path.stat().st_size
        with ttlib.TTFont(path, lazy=True) as font:
            assert "glyf" in font and "CFF " not in font
            cmap = font.getBestCmap()
            assert all(ord(c) in cmap for c in sample), name
    assert total <= 25_000_000
    body = fontmod.register_fonts(False).body
    # the body font keeps every GBK hanzi (犇, 喆 and 堃 are outside GB 2312), not characters beyond GBK
    assert fontmod.missing_glyphs(body, "部门 犇喆堃 628.76 〔2021〕 𠀀") == "𠀀"
    assert (folder / "README.md").is_file() and list(folder.glob("LICENSE-*.txt"))


def test_official_fonts_are_preferred_when_installed(tmp_path, monkeypatch):
    source = resources_dir() / "fonts" / "SelfevalSans-Regular.ttf"
    shutil.copy(source, tmp_path / "SimHei.TTF")
    monkeypatch.setattr(fontmod, "system_font_dirs", lambda: [tmp_path])
    fontmod._installed.cache_clear()
    try:
        assert fontmod.find_official("heading") == tmp_path / "SimHei.TTF"
        assert fontmod.find_official("body") is None
        fonts = fontmod.register_fonts.__wrapped__(True)
        assert fonts.files["heading"] == tmp_path / "SimHei.TTF" and not fonts.bundled
        assert fonts.files["body"].parent == Path(resources_dir() / "fonts")
        assert fontmod.register_fonts.__wrapped__(False).bundled
    finally:
        fontmod._installed.cache_clear()


def test_empty_report_renders_with_blanks_marked(tmp_path):
    workspace = Workspace.open(tmp_path / "db.sqlite3")
    report = workspace.open_report(workspace.new_report("某县教育局", 2023))
    pdf = render_report(report, report.evaluate(), generated_at=WHEN)
    workspace.close()
    text = flat("".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages))
    assert "2023年度某县教育局部门整体支出绩效自评报告" in text and "（尚未填写）" in text
    assert "尚有28项指标未评分" in text
    _, (x1, y1, x2, y2) = named_box(pdf)
    assert 28 * MM - 0.01 <= x1 < x2 <= (28 + 156) * MM + 0.01


def test_grid_of_gbt_9704():
    from selfeval.export import pdf_layout as layout

    assert layout.LEADING * 22 == pytest.approx(225 * MM)
    assert layout.CELL * 28 == pytest.approx(156 * MM)
    assert layout.PORTRAIT.left == pytest.approx(28 * MM)
    assert layout.PORTRAIT.bottom + layout.PORTRAIT.height == pytest.approx((297 - 37) * MM)
    assert layout.LANDSCAPE.landscape and not layout.PORTRAIT.landscape


def test_numbering_follows_the_gbt_9704_levels(demo, page_texts):
    report, evaluation, _ = demo
    text = flat("".join(page_texts))
    goals = text.split("（三）部门整体支出目标及任务")[1]
    assert goals.index("1.筹备并召开") < goals.index("2.围绕全市重点工作")
    assert "（1）筹备" not in text and "（1）表彰" not in text
    assert "（四）加减分项1.表彰（县级）" in text
    assert "（1）预算编制合理性" in text  # below the 1.-level group 预算编制
    # a （1）-level item only below a 1.-level one: never straight after a （一） heading
    level = {"h1": 1, "h2": 2}
    current = 0
    for block in report_blocks(report, evaluation):
        if block.kind in level:
            current = level[block.kind]
        elif re.match(r"\d+\. ", block.text):
            current = 3
        elif re.match(r"（\d+）", block.text):
            assert current == 3, block.text


def test_labelled_answers_end_with_a_full_stop(page_texts):
    text = flat("".join(page_texts))
    assert "2.纳入预算编制范围的下属单位。无。" in text


def test_continued_group_label_says_continued_after_its_weight(reader, page_texts):
    table = [flat(text) for page, text in zip(reader.pages, page_texts) if page.mediabox.width > page.mediabox.height]
    continued = "".join(table[1:])
    assert "预算执行情况（42分）（续）" in continued
    assert not re.search(r"（续）（\d+分）", continued)


def page_number_runs(page):
    """(text, (a, b, c, d, e, f)) of the page-number runs "— n —", as drawn (text matrix × CTM)."""
    runs = []

    def visit(text, cm, tm, _font, _size):
        if re.fullmatch(r"— \d+ —", text.strip()):
            runs.append((text.strip(), mult(tm, cm)))

    page.extract_text(visitor_text=visit)
    return runs


def mult(m, n):
    a, b, c, d, e, f = (float(v) for v in m)
    p, q, r, s, t, u = (float(v) for v in n)
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def dash_middle_of_body_font() -> float:
    ttlib = pytest.importorskip("fontTools.ttLib")
    with ttlib.TTFont(fontmod.register_fonts().files["body"]) as font:
        glyph = font["glyf"][font.getBestCmap()[ord("—")]]
        return (glyph.yMin + glyph.yMax) / 2 / font["head"].unitsPerEm


def test_page_numbers_sit_where_gbt_9704_puts_them(reader):
    """Dashes 7 mm below the type area, one character in from its right (odd) or left (even) edge;
    on the landscape table pages the same place on the sheet, upright when it is turned back."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    dash = dash_middle_of_body_font() * 14
    for number, page in enumerate(reader.pages, 1):
        (text, (a, b, c, d, e, f)), = page_number_runs(page)
        assert text == f"— {number} —"
        if page.mediabox.width > page.mediabox.height:  # runs down the page; turned back, x is height − f
            assert (a, b, c, d) == pytest.approx((0, -1, 1, 0), abs=1e-6)
            x, y = float(page.mediabox.height) - f, e
        else:
            assert (a, b, c, d) == pytest.approx((1, 0, 0, 1), abs=1e-6)
            x, y = e, f
        assert (y + dash) / MM == pytest.approx(35 - 7, abs=0.05), number
        if number % 2:
            right = x + stringWidth(text, fontmod.register_fonts().body, 14)
            assert right == pytest.approx((28 + 156) * MM - 14, abs=0.05), number
        else:
            assert x == pytest.approx(28 * MM + 14, abs=0.05), number


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is not installed")
@pytest.mark.parametrize("unit", [None, "乐昌市财政局国库支付中心", "乐昌市人民政府办公室机关事务服务中心"],
                         ids=["demo", "12 characters", "18 characters"])
def test_date_stands_four_characters_in_from_the_right(demo, tmp_path, unit):
    report, _, _ = demo
    values = {**report.values, **({"unit.name": unit} if unit else {})}
    changed = type(report)(report.info, report.form, values, report.explanations)
    path = tmp_path / "report.pdf"
    path.write_bytes(render_report(changed, changed.evaluate(), generated_at=WHEN))
    done = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True, text=True)
    words = re.findall(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<', done.stdout)
    date = [float(right) for _, right, word in words if word == "2023年1月15日"]
    assert len(date) == 1
    assert ((28 + 156) * MM - date[0]) / (156 * MM / 28) == pytest.approx(4, abs=0.02)
    name = values["unit.name"]
    right = next(float(end) for _, end, word in words if word == name)
    assert right <= (28 + 156) * MM + 0.5  # a long name moves left, the date stays


def grid_lines(pdf: bytes, tmp_path) -> list[dict[int, str]]:
    """The text of each portrait page by line of the 22-line grid (0 to 21), read back with pdftotext."""
    path = tmp_path / "lines.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True, text=True)
    pages = []
    for width, height, body in re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', done.stdout, re.S):
        if float(width) > float(height):
            continue
        lines: dict[int, str] = {}
        for top, word in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)<', body):
            row = int((float(top) - 37 * MM) // (225 * MM / 22))
            if 0 <= row < 22:
                lines[row] = lines.get(row, "") + word
        pages.append(lines)
    return pages


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is not installed")
def test_text_pages_fill_their_22_lines_and_no_heading_ends_a_page(demo, tmp_path):
    report, evaluation, pdf = demo
    headings = {flat(block.text) for block in report_blocks(report, evaluation) if block.kind != "body"}
    pages = grid_lines(pdf, tmp_path)
    assert len(pages) > 3
    closing = len(pages)  # the last text page: the last paragraph with the 附件 note and the signature
    assert any(flat(line).startswith("附件：") for line in pages[-1].values())
    for number, (lines, following) in enumerate(zip(pages, pages[1:]), 1):
        last = max(lines)
        assert flat(lines[last]) not in headings, number
        # a page ends short only where a heading and a line of its text would not fit, or before
        # the closing page, whose last paragraph keeps the note and the signature company
        assert last == 21 or (last == 20 and flat(following[0]) in headings) or number + 1 == closing, \
            (number, last)


def test_headings_go_with_at_least_one_line_of_their_paragraph():
    from selfeval.export.pdf_flow import GridParagraph, WithHeadings

    font = fontmod.register_fonts().body
    heading = GridParagraph("（1）预算编制合理性（5 分）。", font, 16, 20)
    body = GridParagraph("本机关以服务市政协履行职能为中心" * 6, font, 16, 20)
    group = WithHeadings([heading], body)
    assert group.wrap(300, 1000)[1] == 20 * (1 + len(body.lines(300))) and len(body.lines(300)) > 3
    assert group.split(300, 39) == []  # the heading alone would end the page
    parts = group.split(300, 40)
    assert parts[0] is heading and len(parts[1].lines(300)) == 1 and len(parts) == 3


def test_total_rows_never_stand_alone_on_the_last_table_page(demo):
    from selfeval.export.pdf_table import ScoreTable

    report, evaluation, _ = demo
    table = ScoreTable(report, evaluation, fontmod.register_fonts())
    totals = next(index for index, row in enumerate(table.rows) if row.root is None)
    # end the leaf rows with a group of three (效率性), as a report whose last group is larger would
    end = max(index for index, row in enumerate(table.rows[:totals]) if row.group.title == "效率性") + 1
    table.rows = rows = table.rows[:end] + table.rows[totals:]
    totals, group = end, rows[end - 1].group
    group_start = next(index for index in range(totals) if rows[index].group is group)
    assert group_start == totals - 3 and rows[group_start - 1].group is not group
    first = table._height(0, totals) + 2.5  # the leaf rows just fill the first page
    assert table.cuts(first, 1000) == [(0, group_start), (group_start, len(rows))]  # the whole group goes along
    tight = table._height(totals - 1, len(rows)) + 2.5  # the last page holds the totals and one more row
    assert table.cuts(first, tight) == [(0, totals - 1), (totals - 1, len(rows))]
    for first_height, height in ((first, 1000), (first, tight), (300, 400), (200, 420)):
        for start, _ in table.cuts(first_height, height):
            assert rows[start].root is not None, (first_height, height)
    assert len(table.pages(first, 1000)) == 2


def test_table_cells_never_end_on_a_lone_hanzi(demo):
    from selfeval.export.pdf_table import PAD, ScoreTable

    report, evaluation, _ = demo
    table = ScoreTable(report, evaluation, fontmod.register_fonts())
    lone = []
    for index in range(len(table.rows)):
        for column, cell in enumerate(table._cells(index, index)):
            if not cell:
                continue
            lines = cell.lines(table.widths[column] - 2 * PAD)
            for before, line in zip(lines, lines[1:]):
                word = line.text.rstrip("".join(NO_START))
                if len(word) == 1 and "\u4e00" <= word <= "\u9fff" and ("\n" + line.text) not in cell.text:
                    lone.append(before.text + "|" + line.text)
    assert lone == []  # were 预算编制合理|性, 绩效目标合理|性, …, 部分达到的按程度扣|分。


def test_balanced_lines_take_a_character_down_only_where_the_rules_allow():
    measure = lambda s: sum(8.0 if ord(c) < 0x2E80 else 16.0 for c in s)  # noqa: E731
    text = [line.text for line in break_lines("绩效指标明确性", measure, 6 * 16, 0.0, balance=True)]
    assert text == ["绩效指标明", "确性"]
    assert [line.text for line in break_lines("绩效指标明确性", measure, 6 * 16, 0.0)] == ["绩效指标明确", "性"]
    # a comma may not start the last line: it comes down with the character before it
    assert [line.text for line in break_lines("完成率为百分，性", measure, 7 * 16, 0.0, balance=True)] == \
        ["完成率为百", "分，性"]
    # a hanzi with its full stop counts as one
    assert [line.text for line in break_lines("部分达到的按程度扣分。", measure, 10 * 16, 0.0, balance=True)] == \
        ["部分达到的按程度", "扣分。"]
    # nothing comes down through a number
    assert [line.text for line in break_lines("支出为628.76性", measure, 10 * 8 + 16, 0.0, balance=True)][-1] == "性"
    for width in (80, 96, 112, 160):
        sample = "资金管理、费用支出符合财经法规和财务制度，会计核算规范、手续完整的，得满分。"
        lines = break_lines(sample, measure, width, 0.0, balance=True)
        assert "".join(line.text for line in lines) == sample
        assert all(measure(line.text) <= width + 0.5 for line in lines)
        assert all(line.text[0] not in NO_START and line.text[-1] not in NO_END for line in lines)


def test_stamp_lines_are_drawn_inside_the_signature_box(demo):
    report, evaluation, _ = demo
    long_unit = "签署单位：" + "某某县人民政府办公室机关事务服务中心" * 3
    stamp = (long_unit, "签署人：张三", "签署时间：2023年1月16日 09:30", "证书指纹：07E7 733D F8D3 42D6")
    rendered = render_report_placed(report, evaluation, generated_at=WHEN, stamp=stamp)
    page_index, (x1, y1, x2, y2) = rendered.signature_box
    page = pypdf.PdfReader(io.BytesIO(rendered.pdf)).pages[page_index]
    inside, outside = [], []

    def visit(text, cm, tm, _font, size):
        if not text.strip():
            return
        x, y = tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        inside.append(text) if x1 <= x and x + size * len(text) <= x2 + 1 and y1 <= y <= y2 else outside.append(text)

    page.extract_text(visitor_text=visit)
    drawn = flat("".join(inside))
    for line in stamp:
        assert flat(line) in drawn, line
    assert flat(report.values["unit.name"]) in flat("".join(outside))  # the unit name stays under the box
