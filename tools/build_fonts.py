"""Build the bundled fonts in resources/fonts/ from Debian font packages.

    apt-get install fonts-noto-cjk fonts-arphic-ukai
    .venv/bin/python tools/build_fonts.py [--check]

Each font is cut down to GB 2312 (every hanzi and symbol), ASCII, Latin-1,
CJK and full-width punctuation and every character used in forms/*.yaml,
resources/demo/*.json and the program's own messages.  The body font and the
sans font (headings, the window, the signature stamp), which carry what the
clerk types (names of people and places among it), also keep every hanzi of
GBK, so a rarer character in a name still prints.  Each is then written as a
TrueType (glyf) font without hinting or layout tables, renamed so it cannot
be mistaken for the original.  Noto CJK is CFF-based; its outlines are
converted to quadratic curves with fontTools' cu2qu, because reportlab embeds
TrueType outlines only.
"""
from __future__ import annotations

import argparse
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "fonts"
NOTO = Path("/usr/share/fonts/opentype/noto")
ARPHIC = Path("/usr/share/fonts/truetype/arphic")

# Punctuation that Chinese text sets full width; taken from the font's 'fwid' feature.
FULL_WIDTH = "‘’“”—…"
CU2QU_MAX_ERR = 1.0  # font units (1/1000 em)


@dataclass(frozen=True)
class Spec:
    out: str
    source: Path
    family: str  # exact name ID 1 of the subfont to take from the collection
    new_family: str
    style: str
    licence: str
    gbk: bool = False  # also every GBK hanzi (for fonts that print what the clerk types)


SPECS = (
    Spec("SelfevalSerif-Regular.ttf", NOTO / "NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC",
         "Selfeval Serif", "Regular", "LICENSE-NotoCJK.txt", gbk=True),
    Spec("SelfevalSerif-Bold.ttf", NOTO / "NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC",
         "Selfeval Serif", "Bold", "LICENSE-NotoCJK.txt"),
    Spec("SelfevalSans-Regular.ttf", NOTO / "NotoSansCJK-Regular.ttc", "Noto Sans CJK SC",
         "Selfeval Sans", "Regular", "LICENSE-NotoCJK.txt", gbk=True),
    Spec("SelfevalKai-Regular.ttf", ARPHIC / "ukai.ttc", "AR PL UKai CN",
         "Selfeval Kai", "Regular", "LICENSE-ArphicUKai.txt"),
)
LICENCES = {
    "LICENSE-NotoCJK.txt": [Path("/usr/share/doc/fonts-noto-cjk/copyright")],
    "LICENSE-ArphicUKai.txt": [Path("/usr/share/doc/fonts-arphic-ukai/copyright")],
}


def double_byte(codec: str, highs: range, lows: range) -> set[str]:
    chars = set()
    for high in highs:
        for low in lows:
            try:
                chars.add(bytes((high, low)).decode(codec))
            except UnicodeDecodeError:
                pass
    return chars


def gb2312() -> set[str]:
    return double_byte("gb2312", range(0xA1, 0xFF), range(0xA1, 0xFF))


def gbk_hanzi() -> set[str]:
    return {c for c in double_byte("gbk", range(0x81, 0xFF), range(0x40, 0xFF)) if "\u4e00" <= c <= "\u9fff"}


def ranges(*pairs: tuple[int, int]) -> set[str]:
    return {chr(cp) for low, high in pairs for cp in range(low, high + 1)}


def characters() -> set[str]:
    chars = gb2312()
    chars |= ranges(
        (0x20, 0x7E),  # ASCII
        (0xA0, 0xFF),  # Latin-1
        (0x2010, 0x203B),  # dashes, quotes, ‰, ※
        (0x2103, 0x2103), (0x2116, 0x2116), (0x2160, 0x216B), (0x2190, 0x2193),  # ℃ № Ⅰ-Ⅻ arrows
        (0x2212, 0x2212), (0x2460, 0x2473),  # minus, ①-⑳
        (0x3000, 0x301F),  # CJK punctuation: 、。〈〉《》「」『』【】〔〕〖〗
        (0xFF01, 0xFF5E), (0xFFE0, 0xFFE5),  # full-width forms
    )
    chars |= set("·•×÷±≤≥≠≈√∞∑□■△▲○●◆◇★☆√✓✔")
    sources = [*ROOT.glob("forms/*.yaml"), *ROOT.glob("resources/demo/*.json"),
               *ROOT.glob("desktop/selfeval/**/*.py")]
    for path in sources:
        chars |= set(path.read_text("utf-8"))
    return {c for c in chars if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")}


def open_subfont(spec: Spec) -> TTFont:
    collection = TTCollection(spec.source, lazy=True)
    for number, font in enumerate(collection.fonts):
        if font["name"].getDebugName(1) == spec.family:
            return TTFont(spec.source, fontNumber=number, recalcTimestamp=False)
    raise SystemExit(f"{spec.family} not found in {spec.source}")


def use_full_width(font: TTFont) -> None:
    """Point the cmap entries in FULL_WIDTH at the glyphs of the 'fwid' feature."""
    if "GSUB" not in font:
        return
    gsub = font["GSUB"].table
    mapping: dict[str, str] = {}
    for record in gsub.FeatureList.FeatureRecord:
        if record.FeatureTag != "fwid":
            continue
        for index in record.Feature.LookupListIndex:
            for sub in gsub.LookupList.Lookup[index].SubTable:
                mapping.update(getattr(sub, "mapping", {}) or {})
    for table in font["cmap"].tables:
        for char in FULL_WIDTH:
            glyph = table.cmap.get(ord(char))
            if glyph in mapping:
                table.cmap[ord(char)] = mapping[glyph]


def cut(font: TTFont, chars: set[str]) -> None:
    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "VORG", "FFTM", "DSIG", "meta", "gasp"]
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 10, 13, 14]
    options.name_languages = [0x409]
    options.notdef_outline = True
    options.recalc_bounds = True
    options.desubroutinize = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(font)


def to_truetype(font: TTFont) -> None:
    """Replace the CFF outlines by quadratic glyf outlines (as fontTools' otf2ttf does)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, CU2QU_MAX_ERR, reverse_direction=True))
        glyphs[name] = pen.glyph(dropImpliedOnCurves=True)
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyphs.items():
        advance = hmtx.metrics[name][0]
        hmtx.metrics[name] = (advance, getattr(glyph, "xMin", 0) if glyph.numberOfContours else 0)
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                 "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                 "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font.sfntVersion = "\x00\x01\x00\x00"


def rename(font: TTFont, spec: Spec) -> None:
    name = font["name"]
    ps = spec.new_family.replace(" ", "") + "-" + spec.style
    full = f"{spec.new_family} {spec.style}" if spec.style != "Regular" else spec.new_family
    origin = name.getDebugName(4)
    for record in list(name.names):
        if record.nameID in (1, 2, 3, 4, 6, 10, 16, 17):
            name.removeNames(nameID=record.nameID)
    for name_id, text in ((1, spec.new_family), (2, spec.style), (3, f"{ps};selfeval"), (4, full),
                          (6, ps), (10, f"Subset of {origin} for selfeval (GB 2312), TrueType outlines.")):
        name.setName(text, name_id, 3, 1, 0x409)
    post = font["post"]
    post.formatType = 3.0
    post.extraNames, post.mapping = [], {}


def build(spec: Spec, chars: set[str]) -> Path:
    font = open_subfont(spec)
    use_full_width(font)
    cut(font, chars)
    if "CFF " in font:
        to_truetype(font)
    rename(font, spec)
    target = OUT / spec.out
    font.save(target, reorderTables=True)
    return target


def verify(path: Path) -> list[str]:
    """Problems that make a font unusable; characters the source font lacks are only reported."""
    font = TTFont(path)
    problems = []
    if "glyf" not in font or "CFF " in font:
        problems.append(f"{path.name}: not TrueType outlines")
    cmap = font.getBestCmap()
    hanzi = [c for c in gb2312() if "\u4e00" <= c <= "\u9fff"]
    if any(ord(c) not in cmap for c in hanzi):
        problems.append(f"{path.name}: GB 2312 hanzi missing")
    missing = "".join(sorted(c for c in gb2312() if ord(c) not in cmap))
    print(f"{path.name}: {path.stat().st_size / 1e6:.2f} MB, {len(cmap)} characters"
          + (f"; the source font has no glyph for {missing}" if missing else ""))
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only verify the fonts in resources/fonts")
    args = parser.parse_args()
    chars = characters()
    OUT.mkdir(parents=True, exist_ok=True)
    if not args.check:
        for name, sources in LICENCES.items():
            (OUT / name).write_text("\n\n".join(src.read_text("utf-8") for src in sources), "utf-8")
        for spec in SPECS:
            started = time.perf_counter()
            path = build(spec, chars | gbk_hanzi() if spec.gbk else chars)
            print(f"built {path.name} in {time.perf_counter() - started:.0f} s")
    problems = [p for spec in SPECS for p in verify(OUT / spec.out)]
    total = sum((OUT / spec.out).stat().st_size for spec in SPECS)
    print(f"{len(chars)} characters requested; fonts total {total / 1e6:.2f} MB")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
