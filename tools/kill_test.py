"""Kill ``selfeval set`` processes at random moments and count the damage.

    PYTHONPATH=desktop python tools/kill_test.py --kills 100 [--writers 2] [--seed 1]

One database holds the demo report.  Each round starts ``--writers``
``selfeval set`` processes at once, each writing its own new value into
``income.basic`` (so they also contend for the write lock), and SIGKILLs each
at a random moment between a fifth of and 1.6 times the time a full run
takes.  A process that exited with status 0 before its kill has acknowledged
its write.  After every round the database is checked:

* corrupt: ``PRAGMA integrity_check`` is not ``ok``, or the program cannot open it;
* lost: an acknowledged value has no ``set`` entry in the audit trail (the
  value and its audit entry are written in one transaction);
* inconsistent: the stored value is not the value of the last ``set`` entry,
  or the audit chain is broken.

POSIX only (SIGKILL).  Prints the figures; exit status 1 when anything was
corrupt, lost or inconsistent.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIELD = "income.basic"


def _env(home: Path) -> dict[str, str]:
    path = os.pathsep.join([str(ROOT / "desktop"), os.environ.get("PYTHONPATH", "")])
    return {**os.environ, "PYTHONPATH": path, "SELFEVAL_HOME": str(home)}


def _setter(db: Path, report_id: int, value: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "selfeval", "--db", str(db), "set", str(report_id), FIELD, value],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)


def _prepare(folder: Path, env: dict[str, str]) -> tuple[Path, int]:
    sys.path.insert(0, str(ROOT / "desktop"))
    from selfeval.catalog import demo_report_path

    db, demo = folder / "kill.sqlite3", demo_report_path()
    out = subprocess.run([sys.executable, "-m", "selfeval", "--db", str(db), "import", str(demo)],
                         capture_output=True, text=True, env=env, check=True)
    return db, int(out.stdout.strip())


def _check(db: Path, acknowledged: set[str], env: dict[str, str]) -> dict[str, int]:
    found = {"corrupt": 0, "lost": 0, "inconsistent": 0}
    try:
        with closing(sqlite3.connect(db)) as conn:
            if conn.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
                found["corrupt"] = 1
                return found
            written = {json.loads(text) for (text,) in conn.execute(
                "SELECT new_json FROM audit_entry WHERE action = 'set' AND key = ?", (FIELD,))}
            last = conn.execute("SELECT new_json FROM audit_entry WHERE action = 'set' AND key = ?"
                                " ORDER BY id DESC LIMIT 1", (FIELD,)).fetchone()
            stored = conn.execute("SELECT value_json FROM value WHERE key = ?", (FIELD,)).fetchone()
    except sqlite3.DatabaseError:
        found["corrupt"] = 1
        return found
    found["lost"] = len(acknowledged - {str(value) for value in written})
    if last != stored:
        found["inconsistent"] += 1
    probe = subprocess.run([sys.executable, "-m", "selfeval", "--db", str(db), "history", "1"],
                           capture_output=True, text=True, env=env)
    if probe.returncode == 2:
        found["corrupt"] = 1
    elif probe.returncode == 1:
        found["inconsistent"] += 1  # the audit chain is broken
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=100, help="how many processes to kill while running")
    parser.add_argument("--writers", type=int, default=2, help="processes started together in each round")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the working folder")
    args = parser.parse_args(argv)
    if os.name == "nt":
        print("SIGKILL is POSIX only.", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    folder = Path(tempfile.mkdtemp(prefix="selfeval-kill-"))
    env = _env(folder / "home")
    db, report_id = _prepare(folder, env)

    started = time.perf_counter()
    calibrate = _setter(db, report_id, "1", env)
    calibrate.wait()
    full_run = time.perf_counter() - started

    totals = {"rounds": 0, "kills": 0, "finished": 0, "acknowledged": 0, "corrupt": 0, "lost": 0,
              "inconsistent": 0, "failed": 0}
    acknowledged: set[str] = set()
    serial = 1
    began = time.perf_counter()
    while totals["kills"] < args.kills:
        totals["rounds"] += 1
        procs = []
        for _ in range(args.writers):
            serial += 1
            value = f"{serial}.{rng.randrange(100):02d}"
            procs.append((value, _setter(db, report_id, value, env), rng.uniform(0.2, 1.6) * full_run))
        start = time.perf_counter()
        for value, proc, at in sorted(procs, key=lambda item: item[2]):
            time.sleep(max(0.0, at - (time.perf_counter() - start)))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                totals["kills"] += 1
            proc.wait()
            proc.stderr.close()
            if proc.returncode == 0:
                totals["finished"] += 1
                acknowledged.add(value)
            elif proc.returncode > 0:
                totals["failed"] += 1  # refused (e.g. busy); nothing acknowledged
        found = _check(db, acknowledged, env)
        for key, count in found.items():
            totals[key] += count
        if found["corrupt"]:
            print(f"round {totals['rounds']}: corrupt database kept at {db}", file=sys.stderr)
            break
    totals["acknowledged"] = len(acknowledged)
    totals["lost"] = _check(db, acknowledged, env)["lost"]  # over all acknowledged writes, at the end
    totals["seconds"] = round(time.perf_counter() - began, 1)
    totals["full_run_seconds"] = round(full_run, 2)
    print(json.dumps(totals, indent=2))
    if not args.keep and not totals["corrupt"]:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    return 1 if totals["corrupt"] or totals["lost"] or totals["inconsistent"] else 0


if __name__ == "__main__":
    sys.exit(main())
