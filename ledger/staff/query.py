"""Reading staff. A staff record is named by its id or its name."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ledger import access, journal, lists
from ledger.errors import NotFound
from ledger.fields import no_nul
from ledger.lookups import find_staff_row
from ledger.models.staff import Staff
from ledger.office import Office
from ledger.people import mask_phone

ENTITY = "staff"


@dataclass(frozen=True)
class StaffFilter:
    active: bool | None = True  # None: retired ones too
    search: str | None = None  # part of a name or post


def find_staff(ref: Any) -> Staff:
    """The staff record a command is about (id or name); unknown is ``NotFound``."""
    row = find_staff_row(ref)
    if row is None:
        raise NotFound(ENTITY, ref)
    return row


def staff_dict(row: Staff, *, reveal: bool = False) -> dict[str, Any]:
    return {
        "id": row.id, "name": row.name, "post": row.post,
        "phone": row.phone if reveal else mask_phone(row.phone),
        "email": row.email, "language": row.language,
        "channels": [c for c in row.channels.split(",") if c],
        "webhook_url": row.webhook_url, "webhook_kind": row.webhook_kind,
        "active": bool(row.active), "role": row.role, "login": row.login, "notes": row.notes,
        "version": row.version,
    }


def get_staff(office: Office, ref: Any, *, reveal: bool = False) -> dict[str, Any]:
    row = find_staff(ref)
    if reveal:
        access.require(office, "reveal", ENTITY, row.id)
        journal.record_reveal(office, ENTITY, row.id)
    return staff_dict(row, reveal=reveal)


def _query(f: StaffFilter) -> Any:
    query = Staff.select()
    if f.active is not None:
        query = query.where(Staff.active == f.active)
    if f.search and f.search.strip():
        term = no_nul("search", f.search.strip())
        query = query.where(Staff.name.contains(term) | Staff.post.contains(term))
    return query.order_by(Staff.name, Staff.id)


def iter_staff(office: Office, f: StaffFilter | None = None, *, offset: int = 0,
               limit: int | None = None, reveal: bool = False) -> Iterator[dict[str, Any]]:
    """Matching staff by name, read lazily. Phones are masked unless ``reveal``, journaled
    once (filters, count) before the first row."""
    f = f or StaffFilter()
    query = lists.page(_query(f), offset, limit)
    if reveal:
        lists.journal_reveal(office, ENTITY, f,
                             count=lists.shown(count_staff(office, f), offset, limit))
    return (staff_dict(row, reveal=reveal) for row in query.iterator())


def list_staff(office: Office, f: StaffFilter | None = None, *, offset: int = 0,
               limit: int | None = 50, reveal: bool = False) -> list[dict[str, Any]]:
    """One page of ``iter_staff``; a reveal is journaled with the ids shown."""
    f = f or StaffFilter()
    rows = [staff_dict(r, reveal=reveal) for r in lists.page(_query(f), offset, limit)]
    if reveal:
        lists.journal_reveal(office, ENTITY, f, ids=[r["id"] for r in rows])
    return rows


def count_staff(office: Office, f: StaffFilter | None = None) -> int:
    return int(_query(f or StaffFilter()).count())

