"""Tables of the local database.

The models are bound to ``proxy``; ``Store`` points it at its open database.
Report ids are never reused (AUTOINCREMENT), so an id quoted in an audit note,
a backup name or ``Report.carried_from`` keeps meaning one report. Timestamps are stored as UTC
ISO-8601 text with microseconds (``2025-03-01T08:15:00.123456+00:00``), so they
sort as text and read back as timezone-aware ``datetime`` objects.
"""

from __future__ import annotations

from datetime import datetime, timezone

from peewee import (
    SQL,
    AutoField,
    BooleanField,
    Check,
    DatabaseProxy,
    ForeignKeyField,
    IntegerField,
    Model,
    NodeList,
    TextField,
)

proxy = DatabaseProxy()


class AutoIncrementField(AutoField):
    """An id column declared AUTOINCREMENT, as playhouse.sqlite_ext's (whose FTS and JSON
    support the program does not use, and would load at start)."""

    def ddl(self, ctx):
        return NodeList((super().ddl(ctx), SQL("AUTOINCREMENT")))

DRAFT = "draft"
FINAL = "final"
STATUSES = (DRAFT, FINAL)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class TimestampField(TextField):
    def db_value(self, value):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(timezone.utc).isoformat(timespec="microseconds")

    def python_value(self, value):
        return None if value is None else datetime.fromisoformat(value)


class BaseModel(Model):
    class Meta:
        database = proxy
        legacy_table_names = False


class Unit(BaseModel):
    name = TextField(unique=True)
    credit_code = TextField(null=True)
    region = TextField(null=True)
    created_at = TimestampField(default=utcnow)


class Report(BaseModel):
    id = AutoIncrementField()
    unit = ForeignKeyField(Unit, backref="reports", on_delete="RESTRICT", index=False)
    year = IntegerField()
    form_id = TextField()
    form_edition = TextField()
    status = TextField(default=DRAFT, constraints=[Check("status IN ('draft', 'final')")])
    created_at = TimestampField(default=utcnow)
    updated_at = TimestampField(default=utcnow)
    total = TextField(null=True)
    grade = TextField(null=True)
    complete = BooleanField(null=True)
    # a report started from an earlier one: that report's id and year (the id is
    # kept should that report be deleted later; ids are never reused)
    carried_from = IntegerField(null=True)
    carried_from_year = IntegerField(null=True)
    # a final report: the digest of what it held when finalised (see .seal)
    values_digest = TextField(null=True)

    class Meta:
        indexes = ((("unit", "year"), False),)


class Value(BaseModel):
    report = ForeignKeyField(Report, backref="value_rows", on_delete="CASCADE", index=False)
    key = TextField()
    value_json = TextField()
    updated_at = TimestampField(default=utcnow)

    class Meta:
        indexes = ((("report", "key"), True),)


class CarriedValue(BaseModel):
    """A value carried over into a report from ``Report.carried_from``, as stored then."""

    report = ForeignKeyField(Report, backref="carried_rows", on_delete="CASCADE", index=False)
    key = TextField()
    value_json = TextField()

    class Meta:
        indexes = ((("report", "key"), True),)


class Explanation(BaseModel):
    report = ForeignKeyField(
        Report, backref="explanation_rows", on_delete="CASCADE", index=False
    )
    check_id = TextField()
    text = TextField()
    updated_at = TimestampField(default=utcnow)

    class Meta:
        indexes = ((("report", "check_id"), True),)


class Export(BaseModel):
    report = ForeignKeyField(Report, backref="exports", on_delete="CASCADE")
    created_at = TimestampField(default=utcnow)
    kind = TextField()
    path = TextField()
    sha256 = TextField()


class AuditEntry(BaseModel):
    report = ForeignKeyField(Report, backref="audit_entries", null=True, on_delete="SET NULL")
    at = TimestampField(default=utcnow)
    action = TextField()
    key = TextField(null=True)
    old_json = TextField(null=True)
    new_json = TextField(null=True)
    note = TextField(null=True)
    digest = TextField(null=True)  # covers this entry and the one before (see .seal)


MODELS = (Unit, Report, Value, CarriedValue, Explanation, Export, AuditEntry)
