"""Damaged databases and hostile inputs, one case a file.

The tests build them afresh into a temporary folder (the ``corpus`` fixture in
tests/conftest.py), so they always match the current schema; to look at them,
run ``PYTHONPATH=desktop python tests/data/make_damaged.py [folder]`` (default
tests/data/damaged/, not kept in git).
Each case starts from ``good.sqlite3`` (the demo report twice: report 1
finalised, report 2 a draft) and is damaged with plain SQL or by cutting
bytes, the way the audit did.  tests/test_hostile.py reads the files: what
each command says about them, its exit status, and that no file it must not
change changes.  ``CASES`` says what each file is.
"""
from __future__ import annotations

import shutil
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

HERE = Path(__file__).parent
TARGET = HERE / "damaged"

CASES = {
    "good.sqlite3": "intact: report 1 final, report 2 draft",
    "bad-timestamp.sqlite3": "report 2: updated_at = 'garbage'",
    "bad-value-json.sqlite3": "report 2: one value's JSON cut off",
    "bad-row.sqlite3": "report 2: year 'abc' and its unit row gone",
    "bad-utf8.sqlite3": "report 2: a value's text is GBK bytes, not UTF-8",
    "missing-table.sqlite3": "the explanation table dropped",
    "truncated.sqlite3": "the good file less its last 100 bytes",
    "tampered-final.sqlite3": "report 1 (final): income.total changed in the database",
    "tampered-history.sqlite3": "report 2: the note of an audit entry rewritten",
    "too-new.sqlite3": "schema version 99",
    "empty.sqlite3": "0 bytes",
    "other-program.sqlite3": "another program's SQLite database",
    "gbk-report.json": "the demo report saved as GBK",
}


def _good(path: Path) -> None:
    from selfeval.catalog import demo_report_path
    from selfeval.workspace import Workspace

    text = demo_report_path().read_text(encoding="utf-8")
    ws = Workspace.open(path)
    try:
        final = ws.import_json(text)
        for finding in ws.evaluate(final).unexplained_warnings:
            ws.set_explanation(final, finding.check, "已核对。")
        ws.finalize(final)
        ws.import_json(text)
    finally:
        ws.store.close(backup=False)
    Path(f"{path}.lock").unlink(missing_ok=True)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("VACUUM")


def _sql(path: Path, *statements: str) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA foreign_keys=OFF")
        for statement in statements:
            conn.execute(statement)
        conn.commit()
        conn.execute("VACUUM")


def build(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    made = {name: folder / name for name in CASES}
    for path in made.values():
        path.unlink(missing_ok=True)
    good = made["good.sqlite3"]
    _good(good)
    for name in CASES:
        if name.endswith(".sqlite3") and name not in ("good.sqlite3", "empty.sqlite3", "other-program.sqlite3"):
            shutil.copyfile(good, made[name])
    _sql(made["bad-timestamp.sqlite3"], "UPDATE report SET updated_at = 'garbage' WHERE id = 2")
    _sql(made["bad-value-json.sqlite3"],
         "UPDATE value SET value_json = '{\"cut' WHERE report_id = 2 AND key = 'income.basic'")
    _sql(made["bad-row.sqlite3"], "INSERT INTO unit (name, created_at) VALUES ('另一单位', '2025-01-01T00:00:00+00:00')",
         "UPDATE report SET year = 'abc', unit_id = (SELECT max(id) FROM unit) WHERE id = 2",
         "DELETE FROM unit WHERE id = (SELECT max(id) FROM unit)")
    _sql(made["bad-utf8.sqlite3"], "UPDATE value SET value_json = CAST(X'22D5FEB8AE22' AS TEXT)"
                                   " WHERE report_id = 2 AND key = 'unit.region'")
    _sql(made["missing-table.sqlite3"], "DROP TABLE explanation")
    _sql(made["tampered-final.sqlite3"],
         "UPDATE value SET value_json = '\"9999.00\"' WHERE report_id = 1 AND key = 'income.total'")
    _sql(made["tampered-history.sqlite3"],
         "UPDATE audit_entry SET note = '改过的记录' WHERE id = (SELECT min(id) FROM audit_entry WHERE report_id = 2)")
    _sql(made["too-new.sqlite3"], "PRAGMA user_version = 99")
    made["empty.sqlite3"].write_bytes(b"")
    _sql(made["other-program.sqlite3"], "CREATE TABLE contacts (name TEXT, phone TEXT)",
         "INSERT INTO contacts VALUES ('张三', '13800000000')")
    from selfeval.catalog import demo_report_path

    for name, path in made.items():  # as the program keeps its databases
        if name.endswith(".sqlite3") and name not in ("empty.sqlite3", "truncated.sqlite3", "other-program.sqlite3"):
            with closing(sqlite3.connect(path)) as conn:
                conn.execute("PRAGMA journal_mode=WAL")
    made["truncated.sqlite3"].write_bytes(good.read_bytes()[:-100])
    made["gbk-report.json"].write_bytes(demo_report_path().read_text(encoding="utf-8").encode("gbk"))
    return made


def main() -> int:
    for name, path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else TARGET).items():
        print(f"{path}\t{path.stat().st_size}\t{CASES[name]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
