"""The catalogue of proxy service items (代办事项).

An item names an errand the office runs on someone's behalf: which level of the three-level
platform (三级平台) finally handles it, the promised time limit in working days (0 = on the
spot), the materials the applicant must bring, the fee (free unless stated) and its track:
``resident`` (为民服务全程代办) or ``project`` (重点项目全程代办).

Items are never deleted once tickets refer to them; ``retire`` hides them from new tickets.
An item is named by a ``ref``: its id, code (``R11``) or exact name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from peewee import fn

from ledger import journal
from ledger.db import parse_id
from ledger.errors import Conflict, NotFound, ValidationError
from ledger.fields import choice, text_field
from ledger.i18n import t
from ledger.models.tickets import ServiceItem, Ticket

LEVELS = ("city", "district", "subdistrict")
TRACKS = ("resident", "project")
MAX_LIMIT_DAYS = 365
_FIELDS = ("code", "name", "category", "level", "time_limit_days", "materials", "fee", "track",
           "active", "notes")




def _limit(value: Any) -> int:
    if isinstance(value, bool):
        raise ValidationError("time_limit_days", "error.bad_number", value=value)
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError("time_limit_days", "error.bad_number", value=value) from None
    if not 0 <= number <= MAX_LIMIT_DAYS:
        raise ValidationError("time_limit_days", "error.item_limit_range", max=MAX_LIMIT_DAYS)
    return number


def parse_materials(value: Any) -> list[str]:
    """A checklist from a list, or from text separated by ``|``, ``;``, ``；``, ``、`` or lines."""
    if value is None:
        return []
    if isinstance(value, str):
        for sep in ("\n", ";", "；", "、"):
            value = value.replace(sep, "|")
        parts = value.split("|")
    elif isinstance(value, list | tuple):
        parts = [str(v) for v in value]
    else:
        raise ValidationError("materials", "error.item_materials")
    out: list[str] = []
    for part in parts:
        name = part.strip()
        if not name:
            continue
        if len(name) > 60:
            raise ValidationError("materials", "error.too_long", max=60)
        if name in out:
            raise ValidationError("materials", "error.item_material_twice", name=name)
        out.append(name)
    if len(out) > 30:
        raise ValidationError("materials", "error.item_materials_many", max=30)
    return out


def _bool(field: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "y", "是"):
        return True
    if text in ("0", "false", "no", "n", "否"):
        return False
    raise ValidationError(field, "error.bad_choice", value=value, choices="yes, no")


def time_limit_label(days: int) -> str:
    """An item's promised time limit as the faces show it: on the spot (0) or N working
    days."""
    return t("item.on_the_spot") if days == 0 else t("item.days", days=days)


def item_dict(row: ServiceItem, *, ticket_count: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": row.id,
        "code": row.code,
        "name": row.name,
        "category": row.category,
        "level": row.level,
        "time_limit_days": row.time_limit_days,
        "on_the_spot": row.time_limit_days == 0,
        "materials": json.loads(row.materials or "[]"),
        "fee": row.fee,
        "free": not row.fee,
        "track": row.track,
        "active": bool(row.active),
        "notes": row.notes,
    }
    if ticket_count is not None:
        data["tickets"] = ticket_count
    return data


def find_item(ref: Any) -> ServiceItem | None:
    if isinstance(ref, ServiceItem):
        return ref
    text = "" if ref is None else str(ref).strip()
    if not text:
        return None
    key = parse_id(ref)
    if key is not None:
        row = ServiceItem.get_or_none(ServiceItem.id == key)
        if row is not None:
            return row
    # A clerk types r11 as often as R11: codes match either way.
    return (ServiceItem.get_or_none(ServiceItem.code == text)
            or ServiceItem.get_or_none(ServiceItem.code == text.upper())
            or ServiceItem.get_or_none(ServiceItem.name == text))


def resolve_item(ref: Any) -> ServiceItem:
    row = find_item(ref)
    if row is None:
        raise NotFound("item", ref)
    return row


def _next_code(track: str) -> str:
    prefix = "R" if track == "resident" else "P"
    codes = [c for (c,) in ServiceItem.select(ServiceItem.code)
             .where(ServiceItem.code.startswith(prefix)).tuples()]
    numbers = [int(c[1:]) for c in codes if c[1:].isdigit()]
    return f"{prefix}{(max(numbers, default=0) + 1):02d}"


def _validate(data: dict[str, Any], *, current: ServiceItem | None = None) -> dict[str, Any]:
    out = {
        "name": text_field("name", data.get("name"), 100, required=True),
        "category": text_field("category", data.get("category"), 40, required=True),
        "level": choice("level", data.get("level"), LEVELS),
        "time_limit_days": _limit(data.get("time_limit_days")),
        "materials": parse_materials(data.get("materials")),
        "fee": text_field("fee", data.get("fee"), 100),
        "track": choice("track", data.get("track") or "resident", TRACKS),
        "active": _bool("active", data.get("active", True)),
        "notes": text_field("notes", data.get("notes"), 2000),
    }
    code = text_field("code", data.get("code"), 20)
    out["code"] = code or (current.code if current else _next_code(out["track"]))
    clash = ServiceItem.select().where(
        (ServiceItem.name == out["name"]) | (ServiceItem.code == out["code"]))
    if current is not None:
        clash = clash.where(ServiceItem.id != current.id)
    other = clash.first()
    if other is not None:
        which = "name" if other.name == out["name"] else "code"
        raise ValidationError(which, "error.item_duplicate", value=out[which])
    return out


def _stored(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "materials": json.dumps(data["materials"], ensure_ascii=False)}


def add_item(office: Any, *, name: str, category: str, level: str, time_limit_days: int,
             materials: Any = None, fee: str = "", track: str = "resident",
             code: str | None = None, notes: str = "") -> dict[str, Any]:
    data = _validate({"name": name, "category": category, "level": level,
                      "time_limit_days": time_limit_days, "materials": materials, "fee": fee,
                      "track": track, "code": code, "notes": notes})
    with office.transaction():
        row = ServiceItem.create(**_stored(data), created_at=office.now())
        result = item_dict(row)
        journal.record(office, "item", row.code, "create", after=result)
    return result


def edit_item(office: Any, ref: Any, **changes: Any) -> dict[str, Any]:
    """Change some fields. A new time limit applies to tickets opened from now on only: a
    promise made to an applicant is not rewritten behind their back."""
    unknown = sorted(set(changes) - set(_FIELDS))
    if unknown:
        raise ValidationError(unknown[0], "error.item_unknown_field", field=unknown[0])
    with office.transaction():
        row = resolve_item(ref)
        before = item_dict(row)
        merged = {**before, **{k: v for k, v in changes.items() if v is not None}}
        data = _validate(merged, current=row)
        ServiceItem.update(**_stored(data)).where(ServiceItem.id == row.id).execute()
        after = item_dict(ServiceItem.get_by_id(row.id))
        if after != before:
            journal.record(office, "item", after["code"], "update", before=before, after=after)
    return after


def retire_item(office: Any, ref: Any, *, note: str = "") -> dict[str, Any]:
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


def get_item(office: Any, ref: Any) -> dict[str, Any]:
    row = resolve_item(ref)
    return item_dict(row, ticket_count=Ticket.select().where(Ticket.item == row.id).count())


@dataclass(frozen=True)
class ItemFilter:
    track: str | None = None
    level: str | None = None
    category: str | None = None
    active: bool | None = True  # None: active and retired
    search: str | None = None


def _query(f: ItemFilter) -> Any:
    query = ServiceItem.select()
    if f.track:
        query = query.where(ServiceItem.track == choice("track", f.track, TRACKS))
    if f.level:
        query = query.where(ServiceItem.level == choice("level", f.level, LEVELS))
    if f.category:
        query = query.where(ServiceItem.category == f.category)
    if f.active is not None:
        query = query.where(ServiceItem.active == f.active)
    if f.search:
        term = f.search.strip()
        query = query.where(ServiceItem.name.contains(term) | (ServiceItem.code == term.upper()))
    return query


def list_items(office: Any, f: ItemFilter | None = None, *, offset: int = 0,
               limit: int | None = None, ticket_counts: bool = True) -> list[dict[str, Any]]:
    """The catalogue, each item with its number of ``tickets``; ``ticket_counts=False``
    leaves that out (a form's choices need no count over every ticket)."""
    query = _query(f or ItemFilter()).order_by(ServiceItem.track.desc(), ServiceItem.code)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    rows = list(query)
    if not ticket_counts:
        return [item_dict(r) for r in rows]
    counts = dict(Ticket.select(Ticket.item, fn.COUNT(Ticket.id))
                  .where(Ticket.item.in_([r.id for r in rows]))
                  .group_by(Ticket.item).tuples()) if rows else {}
    return [item_dict(r, ticket_count=counts.get(r.id, 0)) for r in rows]


def count_items(office: Any, f: ItemFilter | None = None) -> int:
    return _query(f or ItemFilter()).count()
