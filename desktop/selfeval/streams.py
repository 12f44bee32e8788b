"""Standard streams for a program started without a console.

A windowed program on Windows (``pythonw``, or an executable PyInstaller built
with ``console=False`` such as selfeval-gui.exe) has ``sys.stdout`` and
``sys.stderr`` set to None: ``print`` then does nothing, but anything that
writes to them directly (``sys.stdout.write``, ``stream.fileno()``, a logging
handler, a library's warning) raises.  :func:`ensure_streams` gives such a
program streams that discard what is written.
"""
from __future__ import annotations

import os
import sys


def ensure_streams() -> None:
    """Replace a missing ``sys.stdout``/``sys.stderr`` by a stream to the null device."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8", errors="replace"))  # noqa: SIM115
