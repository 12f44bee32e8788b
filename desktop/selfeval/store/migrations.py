"""The versions of the database schema and the steps between them.

``MIGRATIONS`` is an ordered list of ``(version, step)``; a step receives the
open database and changes the schema from ``version - 1`` to ``version``.
Steps are frozen: once released, a step is never edited, a new one is
appended instead.  They are written in plain SQL, so each keeps doing what it
did whatever the models become later.
"""

from __future__ import annotations

import re
from typing import Callable, Sequence

import peewee

from .seal import entry_digest, stored_content_digest

_V1_SCHEMA = (
    'CREATE TABLE "unit" ('
    '"id" INTEGER NOT NULL PRIMARY KEY, "name" TEXT NOT NULL, "credit_code" TEXT, '
    '"region" TEXT, "created_at" TEXT NOT NULL)',
    'CREATE UNIQUE INDEX "unit_name" ON "unit" ("name")',
    'CREATE TABLE "report" ('
    '"id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "unit_id" INTEGER NOT NULL, '
    '"year" INTEGER NOT NULL, "form_id" TEXT NOT NULL, "form_edition" TEXT NOT NULL, '
    "\"status\" TEXT NOT NULL CHECK (status IN ('draft', 'final')), "
    '"created_at" TEXT NOT NULL, "updated_at" TEXT NOT NULL, "total" TEXT, "grade" TEXT, '
    '"complete" INTEGER, '
    'FOREIGN KEY ("unit_id") REFERENCES "unit" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "report_unit_id_year" ON "report" ("unit_id", "year")',
    'CREATE TABLE "value" ('
    '"id" INTEGER NOT NULL PRIMARY KEY, "report_id" INTEGER NOT NULL, "key" TEXT NOT NULL, '
    '"value_json" TEXT NOT NULL, "updated_at" TEXT NOT NULL, '
    'FOREIGN KEY ("report_id") REFERENCES "report" ("id") ON DELETE CASCADE)',
    'CREATE UNIQUE INDEX "value_report_id_key" ON "value" ("report_id", "key")',
    'CREATE TABLE "explanation" ('
    '"id" INTEGER NOT NULL PRIMARY KEY, "report_id" INTEGER NOT NULL, '
    '"check_id" TEXT NOT NULL, "text" TEXT NOT NULL, "updated_at" TEXT NOT NULL, '
    'FOREIGN KEY ("report_id") REFERENCES "report" ("id") ON DELETE CASCADE)',
    'CREATE UNIQUE INDEX "explanation_report_id_check_id" '
    'ON "explanation" ("report_id", "check_id")',
    'CREATE TABLE "export" ('
    '"id" INTEGER NOT NULL PRIMARY KEY, "report_id" INTEGER NOT NULL, '
    '"created_at" TEXT NOT NULL, "kind" TEXT NOT NULL, "path" TEXT NOT NULL, '
    '"sha256" TEXT NOT NULL, '
    'FOREIGN KEY ("report_id") REFERENCES "report" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "export_report_id" ON "export" ("report_id")',
    'CREATE TABLE "audit_entry" ('
    '"id" INTEGER NOT NULL PRIMARY KEY, "report_id" INTEGER, "at" TEXT NOT NULL, '
    '"action" TEXT NOT NULL, "key" TEXT, "old_json" TEXT, "new_json" TEXT, "note" TEXT, '
    'FOREIGN KEY ("report_id") REFERENCES "report" ("id") ON DELETE SET NULL)',
    'CREATE INDEX "audit_entry_report_id" ON "audit_entry" ("report_id")',
)


def create_schema_v1(db) -> None:
    for statement in _V1_SCHEMA:
        db.execute_sql(statement)


_V2_SCHEMA = (
    'ALTER TABLE "report" ADD COLUMN "carried_from" INTEGER',
    'ALTER TABLE "report" ADD COLUMN "carried_from_year" INTEGER',
    'CREATE TABLE "carried_value" ('
    '"id" INTEGER NOT NULL PRIMARY KEY, "report_id" INTEGER NOT NULL, "key" TEXT NOT NULL, '
    '"value_json" TEXT NOT NULL, '
    'FOREIGN KEY ("report_id") REFERENCES "report" ("id") ON DELETE CASCADE)',
    'CREATE UNIQUE INDEX "carried_value_report_id_key" ON "carried_value" ("report_id", "key")',
)
# Version 1 kept a carry-over only in words: the "create" audit entry of a
# report started from an earlier one had this note, and the values carried were
# the "set" entries written in the same moment right after it.
_V1_CARRIED_NOTE = re.compile(r"由编号 (\d+) 的报告（(\d{4}) 年度）转入")


def _v1_carried_values(db, report_id: int, created_id: int, at: str) -> dict[str, str]:
    later = db.execute_sql(
        "SELECT action, key, new_json, at FROM audit_entry WHERE report_id = ? AND id > ?"
        " ORDER BY id", (report_id, created_id))
    carried: dict[str, str] = {}
    for action, key, new_json, when in later:
        if when != at or action != "set" or key in carried:
            break
        if key and new_json is not None:
            carried[key] = new_json
    return carried


def record_carry_over(db) -> None:
    """Version 2: a report started from an earlier one names it (``carried_from``,
    ``carried_from_year``) and keeps the values carried (``carried_value``).
    Reports carried over under version 1 get both from their audit trail."""
    for statement in _V2_SCHEMA:
        db.execute_sql(statement)
    created = db.execute_sql(
        "SELECT id, report_id, at, note FROM audit_entry"
        " WHERE action = 'create' AND report_id IS NOT NULL ORDER BY id").fetchall()
    for created_id, report_id, at, note in created:
        match = _V1_CARRIED_NOTE.search(note or "")
        if match is None:
            continue
        db.execute_sql('UPDATE "report" SET "carried_from" = ?, "carried_from_year" = ? WHERE "id" = ?',
                       (int(match.group(1)), int(match.group(2)), report_id))
        for key, value_json in _v1_carried_values(db, report_id, created_id, at).items():
            db.execute_sql('INSERT INTO "carried_value" ("report_id", "key", "value_json")'
                           " VALUES (?, ?, ?)", (report_id, key, value_json))


_V3_SCHEMA = (
    'ALTER TABLE "report" ADD COLUMN "values_digest" TEXT',
    'ALTER TABLE "audit_entry" ADD COLUMN "digest" TEXT',
)


def seal_final_reports(db) -> None:
    """Version 3: a final report keeps a digest of what it held when finalised
    (``report.values_digest``) and audit entries are chained (``audit_entry.digest``).
    Reports already final are sealed as they are now; the existing trail is chained."""
    for statement in _V3_SCHEMA:
        db.execute_sql(statement)
    finals = db.execute_sql("SELECT id FROM report WHERE status = 'final' ORDER BY id").fetchall()
    for (report_id,) in finals:
        db.execute_sql('UPDATE "report" SET "values_digest" = ? WHERE "id" = ?',
                       (stored_content_digest(db.execute_sql, report_id), report_id))
    entries = db.execute_sql('SELECT "id", "at", "action", "key", "old_json", "new_json", "note"'
                             ' FROM "audit_entry" ORDER BY "id"').fetchall()
    previous = None
    for entry_id, *fields in entries:
        previous = entry_digest(previous, *fields)
        db.execute_sql('UPDATE "audit_entry" SET "digest" = ? WHERE "id" = ?', (previous, entry_id))


Migration = tuple[int, Callable[[peewee.Database], None]]
MIGRATIONS: list[Migration] = [
    (1, create_schema_v1),
    (2, record_carry_over),
    (3, seal_final_reports),
]
SCHEMA_VERSION = 3
# the tables each version has (besides SQLite's own)
TABLES = {1: frozenset({"unit", "report", "value", "explanation", "export", "audit_entry"})}
TABLES[2] = TABLES[1] | {"carried_value"}
TABLES[3] = TABLES[2]


def latest_version(migrations: Sequence[Migration]) -> int:
    versions = [version for version, _ in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise ValueError(f"migration versions must be 1, 2, 3, ... in order, got {versions}")
    return versions[-1] if versions else 0


assert latest_version(MIGRATIONS) == SCHEMA_VERSION
