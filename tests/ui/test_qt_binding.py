"""The Qt binding in use must not lose references to None.

PySide6-Essentials 6.12.0 on Python 3.11 drops one reference to None on every Qt call that
returns nothing; after some 15,000 such calls (a few minutes of typing) the interpreter aborts
with "none_dealloc".  pyproject.toml keeps that version out; this test catches any binding
with the same fault."""
from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_void_calls_keep_the_references_to_none(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.hide()
        label.setText("x")
    assert sys.getrefcount(None) >= before - 10
