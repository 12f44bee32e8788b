"""Local storage of reports: peewee over SQLite, with backups and migrations."""

from .backup import auto_backup, plan_rotation, restore_from
from .backup_files import backup_to
from .database import DatabaseTooNew, StoreError, migrate, open_database
from .migrations import MIGRATIONS, SCHEMA_VERSION
from .reports import (
    AuditRecord,
    CarriedOver,
    ReportDamaged,
    ReportInfo,
    ReportLocked,
    ReportNotFound,
    Store,
)

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "AuditRecord",
    "CarriedOver",
    "DatabaseTooNew",
    "ReportInfo",
    "ReportDamaged",
    "ReportLocked",
    "ReportNotFound",
    "Store",
    "StoreError",
    "auto_backup",
    "backup_to",
    "migrate",
    "open_database",
    "plan_rotation",
    "restore_from",
]
