"""Use cases that change villages: each one transaction with its journal entry."""

from __future__ import annotations

from typing import Any

from ledger import access, journal, versions
from ledger.fields import editable
from ledger.models import Village
from ledger.office import Office
from ledger.villages.query import active_member_counts, resolve_village, village_dict
from ledger.villages.rules import VILLAGE_FIELDS, clean_village


def add_village(office: Office, *, name: str, code: str, relocation_status: str = "not_affected",
                notes: str = "") -> dict[str, Any]:
    """Create a village; its code and name must both be new."""
    access.require(office, "write", "village")
    with office.transaction():
        data = clean_village({"name": name, "code": code,
                                  "relocation_status": relocation_status, "notes": notes})
        row = Village.create(**data, created_at=office.now())
        journal.record(office, "village", row.id, "create",
                       after=versions.journaled(village_dict(row)))
    return village_dict(row, 0)


def edit_village(office: Office, ref: Any, *, version: int | None = None,
                 **changes: Any) -> dict[str, Any]:
    """Change a village's name, code, relocation status or notes (journaled before/after).
    ``version``: the one the clerk saw; a stale one is refused (``ledger.versions``)."""
    access.require(office, "write", "village", ref)
    editable(changes, VILLAGE_FIELDS)
    with office.transaction():
        row = versions.lock(Village, resolve_village(ref).id)
        before = village_dict(row)
        versions.check(row, version, "village", before, changes, ref=row.code)
        merged = {**before, **changes}
        data = clean_village(merged, current=row)
        if all(data[k] == before[k] for k in VILLAGE_FIELDS):
            return village_dict(row, active_member_counts(row.id).get(row.id, 0))
        for key, value in data.items():
            setattr(row, key, value)
        versions.bump(row)
        row.save()
        journal.record(office, "village", row.id, "update",
                       before=versions.journaled(before),
                       after=versions.journaled(village_dict(row)))
    return village_dict(row, active_member_counts(row.id).get(row.id, 0))
