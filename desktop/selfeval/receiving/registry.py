"""The receiving desk's own database: units' certificates, received packages, and what people decided.

A separate SQLite file (``receive.sqlite3`` in the data folder), not the report
store: a bureau's desk and a unit's reports never share tables.  Its schema has
its own version in ``PRAGMA user_version``.
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .. import paths

FILE_NAME = "receive.sqlite3"
SCHEMA_VERSION = 1

# A package's state: accepted (受理), pending (证书变更，待人工决定), rejected (拒收), failed (验证未通过)
ACCEPTED, PENDING, REJECTED, FAILED = "accepted", "pending", "rejected", "failed"
STATE_NAMES = {ACCEPTED: "已受理", PENDING: "证书待决定", REJECTED: "已拒收", FAILED: "验证未通过"}
# how a unit's certificate came to be on record
FIRST_USE, IMPORTED, CHANGE_ACCEPTED, MANUAL_FIRST = "首次登记", "导入证书", "认可证书变更", "人工登记"

_SCHEMA = """
CREATE TABLE units (
    unit TEXT PRIMARY KEY,          -- the unit's name as signed
    fingerprint TEXT NOT NULL,      -- SHA-256 of the pinned certificate, 64 upper-case hex digits
    cert BLOB,                      -- the certificate (DER)
    how TEXT NOT NULL,              -- 首次登记 / 导入证书 / 认可证书变更 / 人工登记
    since TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE TABLE packages (
    id INTEGER PRIMARY KEY,
    digest TEXT NOT NULL UNIQUE,    -- SHA-256 over the package's files: the same package found twice
    unit TEXT NOT NULL,
    year INTEGER,
    form_id TEXT NOT NULL DEFAULT '',
    form_edition TEXT NOT NULL DEFAULT '',
    total TEXT NOT NULL DEFAULT '',
    grade TEXT NOT NULL DEFAULT '',
    signer TEXT NOT NULL DEFAULT '',
    signed_at TEXT NOT NULL DEFAULT '',  -- ISO 8601, as the signer reports it
    fingerprint TEXT NOT NULL DEFAULT '',
    cert BLOB,
    state TEXT NOT NULL,
    source TEXT NOT NULL,           -- where it was found
    stored TEXT NOT NULL DEFAULT '',  -- the read-only copy, relative to the desk's folder
    received_at TEXT NOT NULL,
    verdict TEXT NOT NULL,          -- verify's text
    note TEXT NOT NULL DEFAULT '',  -- the desk's conclusion in one line
    warnings TEXT NOT NULL DEFAULT '[]',
    rescore TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    package INTEGER,
    detail TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT ''
);
"""


class RegistryError(Exception):
    """The desk's database cannot be used; the message is Chinese."""


def default_path() -> Path:
    return paths.data_dir() / FILE_NAME


def now_text() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass(frozen=True)
class UnitCert:
    unit: str
    fingerprint: str
    cert: bytes | None
    how: str
    since: str
    reason: str


@dataclass
class Received:
    id: int
    digest: str
    unit: str
    year: int | None
    form_id: str
    form_edition: str
    total: str
    grade: str
    signer: str
    signed_at: str
    fingerprint: str
    cert: bytes | None
    state: str
    source: str
    stored: str
    received_at: str
    verdict: str
    note: str
    warnings: list[str]
    rescore: dict
    version: int | None = None  # 1, 2, … among one unit's accepted and held packages for one year and form
    newest: bool = False  # the newest accepted version
    versions: int = 0

    @property
    def state_name(self) -> str:
        return STATE_NAMES.get(self.state, self.state)

    @property
    def rescore_ok(self) -> bool:
        return bool(self.rescore.get("ok"))


@dataclass(frozen=True)
class AuditEntry:
    at: str
    action: str
    unit: str
    package: int | None
    detail: str
    reason: str = ""


class Registry:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version == 0:
                self.db.executescript(f"BEGIN;{_SCHEMA}PRAGMA user_version={SCHEMA_VERSION};COMMIT;")
            elif version > SCHEMA_VERSION:
                raise RegistryError(f"受理数据库“{self.path}”由更新版本的程序建立（版本 {version}），"
                                    "请升级本程序后再打开。")
        except sqlite3.Error as exc:
            raise RegistryError(f"无法打开受理数据库“{self.path}”：{exc}") from None
        self.folder = self.path.parent / "受理"

    @classmethod
    def open(cls, path: Path | str | None = None) -> "Registry":
        return cls(path or default_path())

    def close(self) -> None:
        self.db.close()

    def transaction(self):
        """All or nothing: a package and its pinning are recorded together."""
        return _transaction(self.db)

    # -- units

    def unit(self, unit: str) -> UnitCert | None:
        row = self.db.execute("SELECT unit, fingerprint, cert, how, since, reason FROM units WHERE unit = ?",
                              (unit,)).fetchone()
        return UnitCert(*row) if row else None

    def units(self) -> list[UnitCert]:
        rows = self.db.execute("SELECT unit, fingerprint, cert, how, since, reason FROM units ORDER BY unit")
        return [UnitCert(*row) for row in rows]

    def pin(self, unit: str, fingerprint: str, cert: bytes | None, how: str, *, reason: str = "",
            package: int | None = None) -> None:
        old = self.unit(unit)
        self.db.execute("INSERT OR REPLACE INTO units (unit, fingerprint, cert, how, since, reason) "
                        "VALUES (?, ?, ?, ?, ?, ?)", (unit, fingerprint, cert, how, now_text(), reason))
        detail = f"证书指纹 {fingerprint}" + (f"（原为 {old.fingerprint}）" if old and old.fingerprint != fingerprint
                                            else "")
        self.log(how, unit=unit, package=package, detail=detail, reason=reason)

    # -- packages

    def add(self, **values) -> int:
        values.setdefault("received_at", now_text())
        for key in ("warnings", "rescore"):
            if key in values and not isinstance(values[key], str):
                values[key] = json.dumps(values[key], ensure_ascii=False)
        keys = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        cursor = self.db.execute(f"INSERT INTO packages ({keys}) VALUES ({marks})", tuple(values.values()))
        return int(cursor.lastrowid)

    def update(self, package: int, **values) -> None:
        sets = ", ".join(f"{key} = ?" for key in values)
        self.db.execute(f"UPDATE packages SET {sets} WHERE id = ?", (*values.values(), package))

    def by_digest(self, digest: str) -> Received | None:
        return next((r for r in self.packages() if r.digest == digest), None)

    def package(self, package: int) -> Received:
        found = next((r for r in self.packages() if r.id == package), None)
        if found is None:
            raise RegistryError(f"没有编号为 {package} 的报送包。")
        return found

    def packages(self) -> list[Received]:
        rows = self.db.execute(f"SELECT {', '.join(_COLUMNS)} FROM packages ORDER BY id").fetchall()
        found = []
        for row in rows:
            values = dict(zip(_COLUMNS, row))
            values.update(warnings=json.loads(values["warnings"]), rescore=json.loads(values["rescore"]))
            found.append(Received(**values))
        _number_versions(found)
        return found

    # -- audit

    def log(self, action: str, *, unit: str = "", package: int | None = None, detail: str = "",
            reason: str = "") -> None:
        self.db.execute("INSERT INTO audit (at, action, unit, package, detail, reason) VALUES (?, ?, ?, ?, ?, ?)",
                        (now_text(), action, unit, package, detail, reason))

    def audit_trail(self) -> list[AuditEntry]:
        rows = self.db.execute("SELECT at, action, unit, package, detail, reason FROM audit ORDER BY id")
        return [AuditEntry(*row) for row in rows]


_COLUMNS = ("id", "digest", "unit", "year", "form_id", "form_edition", "total", "grade", "signer", "signed_at",
            "fingerprint", "cert", "state", "source", "stored", "received_at", "verdict", "note", "warnings",
            "rescore")


def _number_versions(received: list[Received]) -> None:
    """Number each unit's packages for one year, form and subject (a project) by signing time (failed
    and rejected ones are no version of the report); mark the newest accepted one."""
    groups: dict[tuple, list[Received]] = {}
    for item in received:
        if item.state in (ACCEPTED, PENDING):
            subject = item.rescore.get("subject", "") if isinstance(item.rescore, dict) else ""
            groups.setdefault((item.unit, item.year, item.form_id, subject), []).append(item)
    for group in groups.values():
        group.sort(key=lambda r: (r.signed_at, r.id))
        for number, item in enumerate(group, 1):
            item.version, item.versions = number, len(group)
        accepted = [r for r in group if r.state == ACCEPTED]
        if accepted:
            accepted[-1].newest = True


@contextmanager
def _transaction(db: sqlite3.Connection):
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
