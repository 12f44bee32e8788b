"""Write tests/data/schema-v2.sqlite: a database as saved by schema version 2.

Run once from the project root: ``PYTHONPATH=desktop python tests/data/make_schema_v2.py``.
The schema comes from the frozen steps 1 and 2 and the rows are written with
plain SQL, so the file keeps showing what version 2 looked like.  Report 1 is
final, report 2 a draft; tests/test_store.py checks that version 3 seals
report 1 as it is and chains the audit trail.
"""

import json
import sys
from pathlib import Path

from make_schema_v1 import _Adapter, finish, start  # beside this file

from selfeval.store.migrations import record_carry_over

TARGET = Path(__file__).with_name("schema-v2.sqlite")


def _text(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def main() -> int:
    conn = start(TARGET)
    record_carry_over(_Adapter(conn))
    conn.execute("INSERT INTO unit VALUES (1, '某县教育局', NULL, '某省某县', '2025-03-01T01:00:00.000000+00:00')")
    stamp, final_at = "2025-03-01T01:00:00.000000+00:00", "2025-03-02T02:00:00.000000+00:00"
    conn.executemany(
        "INSERT INTO report (id, unit_id, year, form_id, form_edition, status, created_at, updated_at,"
        " total, grade, complete) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [(1, 1, 2024, "dept-overall", "2024", "final", stamp, final_at, "88.00", "良", 1),
         (2, 1, 2025, "dept-overall", "2025", "draft", stamp, stamp, None, None, None)])
    values = {1: {"unit.name": "某县教育局", "income.total": "1200.00", "score.effect": 16},
              2: {"unit.name": "某县教育局", "income.total": "1300.00"}}
    for report_id, mapping in values.items():
        conn.execute("INSERT INTO audit_entry (report_id, at, action, note) VALUES (?, ?, 'create', '新建报告')",
                     (report_id, stamp))
        for key, value in mapping.items():
            conn.execute("INSERT INTO value (report_id, key, value_json, updated_at) VALUES (?,?,?,?)",
                         (report_id, key, _text(value), stamp))
            conn.execute("INSERT INTO audit_entry (report_id, at, action, key, new_json) VALUES (?,?,'set',?,?)",
                         (report_id, stamp, key, _text(value)))
    conn.execute("INSERT INTO explanation (report_id, check_id, text, updated_at)"
                 " VALUES (1, 'balance.total', '年中追加预算。', ?)", (stamp,))
    conn.execute("INSERT INTO audit_entry (report_id, at, action, key, new_json) VALUES"
                 " (1, ?, 'explain', 'balance.total', ?)", (stamp, _text("年中追加预算。")))
    conn.execute("INSERT INTO audit_entry (report_id, at, action, old_json, new_json, note)"
                 " VALUES (1, ?, 'finalize', '\"draft\"', '\"final\"', '定稿')", (final_at,))
    finish(conn, 2, TARGET)
    return 0


if __name__ == "__main__":
    sys.exit(main())
