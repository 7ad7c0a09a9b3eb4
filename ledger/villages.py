"""Villages: the places whose two committees the office oversees.

``ledger.members`` re-exports everything here, so callers write ``members.add_village``.
A village is named by a ``ref``: its id, its code (``V01``) or its name (``许庄村``).
"""

from __future__ import annotations

from typing import Any

from peewee import fn

from ledger import journal
from ledger.db import parse_id
from ledger.errors import Conflict, NotFound, ValidationError
from ledger.fields import choice, text_field
from ledger.models import Person, Term, Village
from ledger.office import Office

# 平改回迁 / 拆迁完毕回迁房在建 / 异地平改 / 准备拆迁 / 城中村 / 未涉及
RELOCATION_STATUSES = (
    "flattened_returned",
    "demolished_rebuilding",
    "resettled_elsewhere",
    "preparing_demolition",
    "urban_village",
    "not_affected",
)

_VILLAGE_FIELDS = ("name", "code", "relocation_status", "notes")




def village_dict(row: Village, active_members: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": row.id,
        "code": row.code,
        "name": row.name,
        "relocation_status": row.relocation_status,
        "notes": row.notes,
    }
    if active_members is not None:
        data["active_members"] = active_members
    return data


def find_village(ref: Any) -> Village | None:
    """The village with this id, code or name (in that order), or None."""
    if isinstance(ref, Village):
        return ref
    if ref is None:
        return None
    text = str(ref).strip()
    if not text:
        return None
    key = parse_id(ref)
    if key is not None:
        row = Village.get_or_none(Village.id == key)
        if row is not None:
            return row
    # A clerk types v01 as often as V01: codes match either way.
    row = Village.get_or_none(Village.code == text)
    if row is None and text.upper() != text:
        row = Village.get_or_none(Village.code == text.upper())
    if row is None:
        row = Village.get_or_none(Village.name == text)
    return row


def resolve_village(ref: Any) -> Village:
    row = find_village(ref)
    if row is None:
        raise NotFound("village", ref)
    return row


def _active_members(village_id: int | None = None) -> dict[int, int]:
    """Village id -> how many people hold an active post there (a person counts once)."""
    query = (Term.select(Term.village, fn.COUNT(fn.DISTINCT(Term.person)).alias("n"))
             .where(Term.ended_on.is_null())
             .group_by(Term.village))
    if village_id is not None:
        query = query.where(Term.village == village_id)
    return {row.village_id: row.n for row in query}


def _validate_village(data: dict[str, Any], *, current: Village | None = None) -> dict[str, Any]:
    clean = {
        "name": text_field("name", data.get("name"), 60, required=True),
        "code": text_field("code", data.get("code"), 20, required=True).upper(),
        "relocation_status": choice("relocation_status",
                                    data.get("relocation_status") or "not_affected",
                                    RELOCATION_STATUSES),
        "notes": text_field("notes", data.get("notes"), 2000),
    }
    # A code that reads like an id would make refs ambiguous.
    if clean["code"].isdigit():
        raise ValidationError("code", "error.village_code_digits")
    others = Village.select()
    if current is not None:
        others = others.where(Village.id != current.id)
    clash = others.where((Village.code == clean["code"]) | (Village.name == clean["name"])
                         | (Village.code == clean["name"]) | (Village.name == clean["code"])
                         ).first()
    if clash is not None:
        raise Conflict("error.village_exists", name=clash.name, code=clash.code)
    return clean


def add_village(office: Office, *, name: str, code: str, relocation_status: str = "not_affected",
                notes: str = "") -> dict[str, Any]:
    """Create a village; its code and name must both be new."""
    with office.transaction():
        data = _validate_village({"name": name, "code": code,
                                  "relocation_status": relocation_status, "notes": notes})
        row = Village.create(**data, created_at=office.now())
        journal.record(office, "village", row.id, "create", after=village_dict(row))
    return village_dict(row, 0)


def edit_village(office: Office, ref: Any, **changes: Any) -> dict[str, Any]:
    """Change a village's name, code, relocation status or notes (journaled before/after)."""
    for key in changes:
        if key not in _VILLAGE_FIELDS:
            raise ValidationError(key, "error.unknown_field", field=key)
    with office.transaction():
        row = resolve_village(ref)
        before = village_dict(row)
        merged = {**before, **changes}
        data = _validate_village(merged, current=row)
        if all(data[k] == before[k] for k in _VILLAGE_FIELDS):
            return village_dict(row, _active_members(row.id).get(row.id, 0))
        for key, value in data.items():
            setattr(row, key, value)
        row.save()
        journal.record(office, "village", row.id, "update", before=before,
                       after=village_dict(row))
    return village_dict(row, _active_members(row.id).get(row.id, 0))


def get_village(office: Office, ref: Any) -> dict[str, Any]:
    row = resolve_village(ref)
    data = village_dict(row, _active_members(row.id).get(row.id, 0))
    data["people"] = Person.select().where(Person.village == row.id).count()
    return data


def list_villages(office: Office) -> list[dict[str, Any]]:
    """Every village in code order, each with its count of active members."""
    counts = _active_members()
    query = Village.select().order_by(Village.code)
    return [village_dict(row, counts.get(row.id, 0)) for row in query]
