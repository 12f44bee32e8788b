"""Draw the application icon (a seal-red square with 评 in white) into resources/icons/.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python tools/make_icon.py
Writes selfeval.png (256 px) and selfeval.ico (16–256 px) with the bundled sans font.
"""
from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QImage, QPainter, QPainterPath

ROOT = Path(__file__).resolve().parents[1]
SIZES = (16, 24, 32, 48, 64, 128, 256)


def draw(size: int, family: str) -> QImage:
    image = QImage(size, size, QImage.Format_ARGB32)
    image.fill(Qt.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.Antialiasing)
    path = QPainterPath()
    margin = size * 0.04
    path.addRoundedRect(QRectF(margin, margin, size - 2 * margin, size - 2 * margin), size * 0.18, size * 0.18)
    painter.fillPath(path, QColor("#b3261e"))
    font = QFont(family)
    font.setPixelSize(int(size * 0.68))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(QRectF(0, -size * 0.03, size, size), Qt.AlignCenter, "评")
    painter.end()
    return image


def main() -> int:
    app = QGuiApplication(sys.argv)  # fonts need an application object
    font_file = ROOT / "resources" / "fonts" / "SelfevalSans-Regular.ttf"
    family = "Noto Sans CJK SC"
    if font_file.exists():
        font_id = QFontDatabase.addApplicationFont(str(font_file))
        family = QFontDatabase.applicationFontFamilies(font_id)[0]
    out = ROOT / "resources" / "icons"
    out.mkdir(parents=True, exist_ok=True)
    draw(256, family).save(str(out / "selfeval.png"))
    # Qt writes one image per .ico file; assemble the multi-size icon by hand.
    images = []
    for size in SIZES:
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.WriteOnly)
        draw(size, family).save(buffer, "PNG")
        images.append((size, bytes(data)))
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, blobs = b"", b""
    for size, png in images:
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), offset + len(blobs))
        blobs += png
    (out / "selfeval.ico").write_bytes(header + entries + blobs)
    print(out)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
