"""Run every benchmarks/bench_*.py and print their figures as one JSON object.

Run: .venv/bin/python benchmarks/run.py [name ...]   (names without bench_ and .py)
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(names: list[str]) -> int:
    results, status = {}, 0
    for script in sorted(HERE.glob("bench_*.py")):
        name = script.stem[len("bench_"):]
        if names and name not in names:
            continue
        done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
        if done.returncode != 0:
            results[name] = {"error": done.stderr.strip().splitlines()[-1:] or ["failed"]}
            status = 1
            continue
        results[name] = json.loads(done.stdout)
    print(json.dumps(results, ensure_ascii=False, indent=2))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
