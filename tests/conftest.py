"""Fixtures shared by several test modules."""
from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The reference folder beside the checkout; tests that read it skip cleanly without it."""
    path = Path(__file__).resolve().parents[2] / "shared"
    if not path.is_dir():
        pytest.skip("the shared reference folder is not available")
    return path
