"""Digests that make changes made behind the program's back visible.

A finalised report keeps ``values_digest``: a digest of its form, values and
explanations as stored when it was finalised.  Every audit entry keeps
``digest``, which covers the entry and the digest of the entry before it, so
the trail is a chain: an entry edited or removed directly in the database
breaks it from there on.  The formats below are part of the schema (version
3): changing them needs a migration.
"""
from __future__ import annotations

import hashlib
import json
from typing import Callable, Iterable

Execute = Callable[..., Iterable[tuple]]  # db.execute_sql or sqlite3.Connection.execute


def _digest(payload: object) -> str:
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def content_digest(form_id: str, form_edition: str, values: Iterable[tuple[str, str]],
                   explanations: Iterable[tuple[str, str]]) -> str:
    return _digest({"form": [form_id, form_edition], "values": sorted(map(list, values)),
                    "explanations": sorted(map(list, explanations))})


def stored_content_digest(execute: Execute, report_id: int) -> str | None:
    """The content digest of a report as it is stored now (``None``: no such report)."""
    row = list(execute('SELECT "form_id", "form_edition" FROM "report" WHERE "id" = ?', (report_id,)))
    if not row:
        return None
    values = execute('SELECT "key", "value_json" FROM "value" WHERE "report_id" = ?', (report_id,))
    explanations = execute('SELECT "check_id", "text" FROM "explanation" WHERE "report_id" = ?',
                           (report_id,))
    return content_digest(row[0][0], row[0][1], list(values), list(explanations))


def entry_digest(previous: str | None, at: str, action: str, key: str | None, old_json: str | None,
                 new_json: str | None, note: str | None) -> str:
    """The digest of one audit entry (its report is left out: deleting a report unlinks its entries)."""
    return _digest([previous or "", at, action, key, old_json, new_json, note])


def last_entry_digest(execute: Execute) -> str | None:
    rows = list(execute('SELECT "digest" FROM "audit_entry" ORDER BY "id" DESC LIMIT 1'))
    return rows[0][0] if rows else None


def chain_breaks(execute: Execute) -> list[tuple[int, int | None]]:
    """``(entry id, report id)`` of each audit entry whose digest does not follow from the one before."""
    broken, previous = [], None
    rows = execute('SELECT "id", "report_id", "at", "action", "key", "old_json", "new_json", "note",'
                   ' "digest" FROM "audit_entry" ORDER BY "id"')
    for entry_id, report_id, *fields, digest in rows:
        try:
            expected = entry_digest(previous, *fields)
        except (TypeError, ValueError):
            expected = None
        if digest != expected:
            broken.append((entry_id, report_id))
        previous = digest
    return broken
