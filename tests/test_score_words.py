"""The total and grade of a report not wholly scored: 已评 …, 待评分 (the score panel and the report list)."""
from __future__ import annotations

import pytest

from selfeval.score_words import PENDING_GRADE, grade_text, total_text


@pytest.mark.parametrize("grade, complete, shown", [
    ("优", True, "优"), ("差", False, PENDING_GRADE), ("差", None, PENDING_GRADE), (None, None, ""), ("", False, ""),
])
def test_the_grade_waits_for_every_indicator(grade, complete, shown):
    assert grade_text(grade, complete) == shown


@pytest.mark.parametrize("total, complete, shown", [
    ("96.67", True, "96.67"), ("0", False, "已评 0"), ("12.5", None, "已评 12.5"), ("", False, ""),
])
def test_a_total_so_far_says_so(total, complete, shown):
    assert total_text(total, complete) == shown


def test_nothing_of_the_window_is_needed():
    import subprocess
    import sys

    script = "import sys, selfeval.score_words\nassert 'PySide6' not in sys.modules\n"
    assert subprocess.run([sys.executable, "-c", script], check=False).returncode == 0
