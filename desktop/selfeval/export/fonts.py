"""Fonts for the PDF: the official ones where installed, else the bundled substitutes.

GB/T 9704 asks for 仿宋 (body), 小标宋 (title), 黑体 and 楷体 (headings).  Every
Chinese Windows PC has 仿宋, 黑体 and 楷体 as TrueType files and often 方正小标宋;
those may not be shipped, so ``resources/fonts`` holds free substitutes (see
its README).  ``SELFEVAL_PDF_FONTS=bundled`` forces the bundled fonts.
Fonts are registered with reportlab once per process.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..catalog import resources_dir

# role → (bundled file, official file names in order of preference)
ROLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "body": ("SelfevalSerif-Regular.ttf",
             ("simfang.ttf", "仿宋_GB2312.ttf", "FangSong_GB2312.ttf", "fs_gb2312.ttf", "fsgb2312.ttf")),
    "title": ("SelfevalSerif-Bold.ttf",
              ("FZXBSJW.TTF", "方正小标宋简体.ttf", "FZXBSJW--GB1-0.ttf", "方正小标宋_GBK.ttf", "FZXBSK.TTF")),
    "heading": ("SelfevalSans-Regular.ttf", ("simhei.ttf",)),
    "kai": ("SelfevalKai-Regular.ttf",
            ("simkai.ttf", "楷体_GB2312.ttf", "KaiTi_GB2312.ttf", "kt_gb2312.ttf", "ktgb2312.ttf")),
}


@dataclass(frozen=True)
class FontSet:
    """reportlab font names by role, and the file each one was read from."""

    body: str
    title: str
    heading: str
    kai: str
    files: dict[str, Path]

    @property
    def bundled(self) -> bool:
        return all(path.parent == bundled_dir() for path in self.files.values())


def bundled_dir() -> Path:
    return resources_dir() / "fonts"


def system_font_dirs() -> list[Path]:
    home = Path.home()
    if sys.platform.startswith("win"):
        windir = Path(os.environ.get("WINDIR") or os.environ.get("SystemRoot") or r"C:\Windows")
        local = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
        return [windir / "Fonts", local / "Microsoft" / "Windows" / "Fonts"]
    if sys.platform == "darwin":
        return [home / "Library" / "Fonts", Path("/Library/Fonts")]
    data = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return [home / ".fonts", data / "fonts", Path("/usr/local/share/fonts"), Path("/usr/share/fonts")]


@lru_cache(maxsize=1)
def _installed() -> dict[str, Path]:
    """Every font file under the system font folders, by lower-case file name (first wins)."""
    found: dict[str, Path] = {}
    for folder in system_font_dirs():
        if not folder.is_dir():
            continue
        for root, _dirs, names in os.walk(folder):
            for name in names:
                if name.lower().endswith((".ttf", ".ttc")):  # Windows: simsun.ttc, msyh.ttc beside simfang.ttf
                    found.setdefault(name.lower(), Path(root) / name)
    return found


def find_official(role: str) -> Path | None:
    installed = _installed()
    for name in ROLES[role][1]:
        path = installed.get(name.lower())
        if path is not None:
            return path
    return None


def _register(name: str, path: Path) -> bool:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    if name in pdfmetrics.getRegisteredFontNames():
        return True
    try:
        pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=0))  # the first font of a .ttc
    except (TTFError, OSError, ValueError):
        return False
    return True


@lru_cache(maxsize=2)
def register_fonts(prefer_system: bool | None = None) -> FontSet:
    """Register the four fonts with reportlab (once) and return their names."""
    if prefer_system is None:
        prefer_system = os.environ.get("SELFEVAL_PDF_FONTS", "").lower() != "bundled"
    names, files = {}, {}
    for role, (bundled, _official) in ROLES.items():
        official = find_official(role) if prefer_system else None
        if official is not None and _register(f"Selfeval-{role}-{official.stem}", official):
            names[role], files[role] = f"Selfeval-{role}-{official.stem}", official
            continue
        path = bundled_dir() / bundled
        if not _register(f"Selfeval-{role}", path):
            raise FileNotFoundError(f"找不到或无法读取字体文件“{path}”，请重新安装本程序。")
        names[role], files[role] = f"Selfeval-{role}", path
    return FontSet(files=files, **names)


def missing_glyphs(font_name: str, text: str) -> str:
    """The characters of ``text`` that the registered font has no glyph for."""
    from reportlab.pdfbase import pdfmetrics

    cmap = pdfmetrics.getFont(font_name).face.charToGlyph
    return "".join(sorted({c for c in text if not c.isspace() and ord(c) not in cmap}))
