"""Write tests/data/schema-v1.sqlite: a database as saved by schema version 1.

Run once from the project root: ``python tests/data/make_schema_v1.py``.
The rows are written with plain SQL so the file keeps showing what version 1
looked like, whatever the models become later. tests/test_store.py checks the
values written here.
"""

import json
import sqlite3
import sys
from pathlib import Path

from selfeval.store.migrations import create_schema_v1

TARGET = Path(__file__).with_name("schema-v1.sqlite")


class _Adapter:
    def __init__(self, conn):
        self.conn = conn

    def execute_sql(self, sql, params=()):
        return self.conn.execute(sql, params)


def start(target: Path):
    """A new file at ``target`` with the version 1 schema, inside an open transaction."""
    target.unlink(missing_ok=True)
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("BEGIN")
    create_schema_v1(_Adapter(conn))
    return conn


def main() -> int:
    conn = start(TARGET)
    conn.execute(
        "INSERT INTO unit VALUES (1, '某市财政局', '11110000000000000X', '某省某市',"
        " '2024-03-01T01:00:00.000000+00:00')"
    )
    reports = [
        (1, 1, 2023, "dept-overall", "2023", "final", "2024-03-01T01:00:00.000000+00:00",
         "2024-03-05T02:00:00.000000+00:00", "92.50", "优", 1),
        (2, 1, 2024, "dept-overall", "2024", "draft", "2025-02-10T03:00:00.000000+00:00",
         "2025-02-11T04:00:00.000000+00:00", None, None, None),
    ]
    conn.executemany("INSERT INTO report VALUES (?,?,?,?,?,?,?,?,?,?,?)", reports)
    values = {
        1: {"unit.name": "某市财政局", "income.basic": "628.76", "score.effect": 18,
            "narrative.fm_compliance": "资金使用合规，未发现违规。"},
        2: {"unit.name": "某市财政局", "income.basic": "701.20", "flags.audited": True,
            "targets": ["完成率", "满意度"], "budget": {"year": 2024, "lines": 3}},
    }
    stamp = "2025-02-11T04:00:00.000000+00:00"
    for report_id, mapping in values.items():
        for key, value in mapping.items():
            text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            conn.execute("INSERT INTO value (report_id, key, value_json, updated_at)"
                         " VALUES (?,?,?,?)", (report_id, key, text, stamp))
            conn.execute("INSERT INTO audit_entry (report_id, at, action, key, old_json, new_json)"
                         " VALUES (?,?,'set',?,NULL,?)", (report_id, stamp, key, text))
    conn.execute("INSERT INTO explanation (report_id, check_id, text, updated_at)"
                 " VALUES (2, 'balance.total', '年中追加预算，差额已说明。', ?)", (stamp,))
    conn.execute("INSERT INTO export (report_id, created_at, kind, path, sha256)"
                 " VALUES (1, '2024-03-05T02:00:00.000000+00:00', 'pdf', 'D:/报送/2023.pdf', ?)",
                 ("0" * 64,))
    conn.execute("INSERT INTO audit_entry (report_id, at, action, old_json, new_json, note)"
                 " VALUES (1, '2024-03-05T02:00:00.000000+00:00', 'finalize', '\"draft\"',"
                 " '\"final\"', '定稿报送')")
    # report 3 was started from report 1 (从上年报告转入) the way version 1 did it: the
    # "create" entry names the earlier report and the carried values are "set" in
    # the same moment; the year was set a moment later
    created, later = "2025-02-12T05:00:00.000000+00:00", "2025-02-12T05:00:01.000000+00:00"
    conn.execute("INSERT INTO report VALUES (3, 1, 2024, 'dept-overall', '2024', 'draft', ?, ?,"
                 " NULL, NULL, NULL)", (created, later))
    conn.execute("INSERT INTO audit_entry (report_id, at, action, note)"
                 " VALUES (3, ?, 'create', '由编号 1 的报告（2023 年度）转入')", (created,))
    carried = [(created, key, values[1][key]) for key in ("unit.name", "narrative.fm_compliance")]
    for at, key, value in carried + [(later, "report.year", 2024)]:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        conn.execute("INSERT INTO value (report_id, key, value_json, updated_at)"
                     " VALUES (3,?,?,?)", (key, text, at))
        conn.execute("INSERT INTO audit_entry (report_id, at, action, key, old_json, new_json)"
                     " VALUES (3,?,'set',?,NULL,?)", (at, key, text))
    finish(conn, 1, TARGET)
    return 0


def finish(conn, version: int, target: Path) -> None:
    """Mark the schema version, commit, compact and close."""
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute("COMMIT")
    conn.execute("VACUUM")
    conn.close()
    print(f"wrote {target}")


if __name__ == "__main__":
    sys.exit(main())
