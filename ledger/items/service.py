"""Use cases that change the catalogue: add, edit, retire (items are never deleted once
tickets refer to them)."""

from __future__ import annotations

import json
from typing import Any

from ledger import journal
from ledger.errors import Conflict, ValidationError
from ledger.items.query import item_dict, resolve_item
from ledger.items.rules import ITEM_FIELDS, clean_item
from ledger.models.tickets import ServiceItem
from ledger.office import Office


def _stored(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "materials": json.dumps(data["materials"], ensure_ascii=False)}


def add_item(office: Office, *, name: str, category: str, level: str, time_limit_days: int,
             materials: Any = None, fee: str = "", track: str = "resident",
             code: str | None = None, notes: str = "") -> dict[str, Any]:
    data = clean_item({"name": name, "category": category, "level": level,
                      "time_limit_days": time_limit_days, "materials": materials, "fee": fee,
                      "track": track, "code": code, "notes": notes})
    with office.transaction():
        row = ServiceItem.create(**_stored(data), created_at=office.now())
        result = item_dict(row)
        journal.record(office, "item", row.code, "create", after=result)
    return result


def edit_item(office: Office, ref: Any, **changes: Any) -> dict[str, Any]:
    """Change some fields. A new time limit applies to tickets opened from now on only: a
    promise made to an applicant is not rewritten behind their back."""
    unknown = sorted(set(changes) - set(ITEM_FIELDS))
    if unknown:
        raise ValidationError(unknown[0], "error.item_unknown_field", field=unknown[0])
    with office.transaction():
        row = resolve_item(ref)
        before = item_dict(row)
        merged = {**before, **{k: v for k, v in changes.items() if v is not None}}
        data = clean_item(merged, current=row)
        ServiceItem.update(**_stored(data)).where(ServiceItem.id == row.id).execute()
        after = item_dict(ServiceItem.get_by_id(row.id))
        if after != before:
            journal.record(office, "item", after["code"], "update", before=before, after=after)
    return after


def retire_item(office: Office, ref: Any, *, note: str = "") -> dict[str, Any]:
    """Stop offering an item; its tickets stay. Retiring twice is refused."""
    with office.transaction():
        row = resolve_item(ref)
        if not row.active:
            raise Conflict("error.item_already_retired", item=row.name)
        before = item_dict(row)
        ServiceItem.update(active=False).where(ServiceItem.id == row.id).execute()
        after = item_dict(ServiceItem.get_by_id(row.id))
        journal.record(office, "item", row.code, "retire", before=before, after=after,
                       note=note)
    return after
