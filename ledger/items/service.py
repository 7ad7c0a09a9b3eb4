"""Use cases that change the catalogue: add, edit, retire (items are never deleted once
tickets refer to them)."""

from __future__ import annotations

import json
from typing import Any

from ledger import access, journal, versions
from ledger.errors import Conflict
from ledger.fields import editable, text_field
from ledger.items.query import item_dict, resolve_item
from ledger.items.rules import ITEM_FIELDS, clean_item
from ledger.models.tickets import ServiceItem
from ledger.office import Office


def _stored(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "materials": json.dumps(data["materials"], ensure_ascii=False)}


def add_item(office: Office, *, name: str, category: str, level: str, time_limit_days: int,
             materials: Any = None, fee: str = "", track: str = "resident",
             code: str | None = None, notes: str = "") -> dict[str, Any]:
    access.require(office, "write", "item")
    data = clean_item({"name": name, "category": category, "level": level,
                      "time_limit_days": time_limit_days, "materials": materials, "fee": fee,
                      "track": track, "code": code, "notes": notes})
    with office.transaction():
        row = ServiceItem.create(**_stored(data), created_at=office.now())
        result = item_dict(row)
        journal.record(office, "item", row.id, "create", after=versions.journaled(result))
    return result


def edit_item(office: Office, ref: Any, *, version: int | None = None,
              **changes: Any) -> dict[str, Any]:
    """Change some fields. A new time limit applies to tickets opened from now on only: a
    promise made to an applicant is not rewritten behind their back. ``version``: the one
    the clerk saw; a stale one is refused (``ledger.versions``)."""
    access.require(office, "write", "item", ref)
    editable(changes, ITEM_FIELDS)
    with office.transaction():
        row = versions.lock(ServiceItem, resolve_item(ref).id)
        before = item_dict(row)
        wanted = {k: v for k, v in changes.items() if v is not None}
        versions.check(row, version, "item", before, wanted, ref=row.code)
        data = clean_item({**before, **wanted}, current=row)
        stored = _stored(data)
        # Only what differs is written, and only a real change counts as a new version.
        if any(getattr(row, k) != v for k, v in stored.items()):
            stored["version"] = versions.bump(row)
            ServiceItem.update(**stored).where(ServiceItem.id == row.id).execute()
        after = item_dict(ServiceItem.get_by_id(row.id))
        if after != before:
            journal.record(office, "item", after["id"], "update",
                           before=versions.journaled(before), after=versions.journaled(after))
    return after


def retire_item(office: Office, ref: Any, *, note: str = "",
                version: int | None = None) -> dict[str, Any]:
    """Stop offering an item; its tickets stay. Retiring twice is refused."""
    access.require(office, "write", "item", ref)
    note = text_field("note", note, 2000)
    with office.transaction():
        row = versions.lock(ServiceItem, resolve_item(ref).id)
        before = item_dict(row)
        versions.check(row, version, "item", before, {"active": False}, ref=row.code)
        if not row.active:
            raise Conflict("error.item_already_retired", item=row.name)
        ServiceItem.update(active=False, version=versions.bump(row)).where(
            ServiceItem.id == row.id).execute()
        after = item_dict(ServiceItem.get_by_id(row.id))
        journal.record(office, "item", row.id, "retire", before=versions.journaled(before),
                       after=versions.journaled(after), note=note)
    return after
