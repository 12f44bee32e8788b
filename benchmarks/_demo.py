"""Shared set-up for the benchmark scripts: the source tree on the path, the demo report, timing."""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "desktop"))

from selfeval.catalog import demo_report_path  # noqa: E402
from selfeval.workspace import Workspace  # noqa: E402


@contextmanager
def demo_workspace() -> Iterator[tuple[Workspace, int, Path]]:
    """A workspace in a temporary folder holding the imported demo report: (workspace, id, folder)."""
    with tempfile.TemporaryDirectory() as folder:
        workspace = Workspace.open(Path(folder) / "bench.sqlite3")
        try:
            yield workspace, workspace.import_json(demo_report_path().read_text("utf-8")), Path(folder)
        finally:
            workspace.close()


def timed(action: Callable[[], object], runs: int) -> tuple[list[float], object]:
    """Seconds of each of ``runs`` calls, and the last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return times, result


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def median(samples: list[float]) -> float:
    return statistics.median(samples)
