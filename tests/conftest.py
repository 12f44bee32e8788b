"""Fixtures shared by several test modules."""
from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# The same examples on every run, so that a run of the suite (and CI) cannot pass or fail by
# chance; HYPOTHESIS_PROFILE=explore draws new examples each time, to look for new failures.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

from selfeval.cli import main


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The reference folder beside the checkout; tests that read it skip cleanly without it."""
    path = Path(__file__).resolve().parents[2] / "shared"
    if not path.is_dir():
        pytest.skip("the shared reference folder is not available")
    return path


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A data folder of its own (SELFEVAL_HOME) for a test that runs the command line."""
    path = tmp_path / "home"
    monkeypatch.setenv("SELFEVAL_HOME", str(path))
    monkeypatch.delenv("SELFEVAL_FORMS", raising=False)
    return path


@pytest.fixture
def cli(home, capsys):
    """Run ``selfeval ARGS…`` in-process; returns (exit status, stdout, stderr)."""
    def run(*args):
        capsys.readouterr()
        try:
            code = main([str(a) for a in args])
        except SystemExit as stop:
            code = stop.code
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> dict[str, Path]:
    """The damaged databases and hostile inputs of tests/data/make_damaged.py, built once."""
    script = Path(__file__).parent / "data" / "make_damaged.py"
    spec = importlib.util.spec_from_file_location("make_damaged", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build(tmp_path_factory.mktemp("corpus"))


@pytest.fixture
def case(corpus, tmp_path):
    """``case(name, to)``: a fresh copy of one corpus file at ``to`` (default: in tmp_path)."""
    def copy(name: str, to: Path | None = None) -> Path:
        target = Path(to) if to else tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpus[name], target)
        return target

    return copy
