"""The versions of the database schema and the steps between them.

``MIGRATIONS`` is an ordered list of ``(version, step)``; a step receives the
open database and changes the schema from ``version - 1`` to ``version``.
Steps are frozen: once released, a step is never edited, a new one is
appended instead.  They are written in plain SQL, so each keeps doing what it
did whatever the models become later.
"""

from __future__ import annotations

from typing import Callable, Sequence

import peewee

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


Migration = tuple[int, Callable[[peewee.Database], None]]
MIGRATIONS: list[Migration] = [
    (1, create_schema_v1),
]
SCHEMA_VERSION = 1


def latest_version(migrations: Sequence[Migration]) -> int:
    versions = [version for version, _ in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise ValueError(f"migration versions must be 1, 2, 3, ... in order, got {versions}")
    return versions[-1] if versions else 0


assert latest_version(MIGRATIONS) == SCHEMA_VERSION
