"""A writer killed with SIGKILL loses nothing it reported as committed."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from selfeval.store import Store

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX only")

SEEN_BEFORE_KILL = 200

WRITER = textwrap.dedent("""
    import sys
    from selfeval.store import Store

    store = Store(sys.argv[1])
    report_id = int(sys.argv[2])
    for seq in range(1, 1_000_000):
        store.set_value(report_id, f"seq.{seq:07}", seq)
        print(seq, flush=True)
""")


def test_every_reported_commit_survives_sigkill(tmp_path):
    path = tmp_path / "selfeval.sqlite3"
    with Store(path) as store:
        report_id = store.create_report(unit_name="某单位", year=2024, form_id="f",
                                        form_edition="1")

    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(report_id)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    printed = []
    deadline = time.monotonic() + 60
    try:
        while len(printed) < SEEN_BEFORE_KILL and time.monotonic() < deadline:
            line = child.stdout.readline()
            if not line:
                break
            printed.append(int(line))
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        errors = child.stderr.read()
        child.stderr.close()
    assert len(printed) >= SEEN_BEFORE_KILL, errors
    assert child.returncode == -signal.SIGKILL

    with Store(path) as store:
        assert store.database.execute_sql("PRAGMA integrity_check").fetchall() == [("ok",)]
        stored = store.values(report_id)
    missing = [seq for seq in printed if stored.get(f"seq.{seq:07}") != seq]
    assert missing == []
