"""A form file with one passage changed, written beside a test, for load-error tests."""
from __future__ import annotations

from pathlib import Path


def changed_form(source: Path, folder: Path, old: str, new: str, name: str = "form.yaml") -> Path:
    """``source`` with its one occurrence of ``old`` replaced by ``new``, as ``folder/name``."""
    text = source.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = folder / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path
