"""The catalogue of proxy service items (代办事项).

An item names an errand the office runs on someone's behalf: which level of the three-level
platform (三级平台) finally handles it, the promised time limit in working days (0 = on the
spot), the materials the applicant must bring, the fee (free unless stated) and its track:
``resident`` (为民服务全程代办) or ``project`` (重点项目全程代办).

Items are never deleted once tickets refer to them; ``retire`` hides them from new tickets.
This module holds what an item is: its codes and the one validator of its fields.
"""

from __future__ import annotations

from typing import Any

from ledger.errors import ValidationError
from ledger.fields import bool_field, choice, int_field, text_field
from ledger.i18n import t
from ledger.models.tickets import ServiceItem

LEVELS = ("city", "district", "subdistrict")
TRACKS = ("resident", "project")
MAX_LIMIT_DAYS = 365
ITEM_FIELDS = ("code", "name", "category", "level", "time_limit_days", "materials", "fee",
               "track", "active", "notes")


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


def time_limit_label(days: int) -> str:
    """An item's promised time limit as the faces show it: on the spot (0) or N working
    days."""
    return t("item.on_the_spot") if days == 0 else t("item.days", days=days)


def _next_code(track: str) -> str:
    prefix = "R" if track == "resident" else "P"
    codes = [c for (c,) in ServiceItem.select(ServiceItem.code)
             .where(ServiceItem.code.startswith(prefix)).tuples()]
    numbers = [int(c[1:]) for c in codes if c[1:].isdigit()]
    return f"{prefix}{(max(numbers, default=0) + 1):02d}"


def clean_item(data: dict[str, Any], *, current: ServiceItem | None = None) -> dict[str, Any]:
    out = {
        "name": text_field("name", data.get("name"), 100, required=True),
        "category": text_field("category", data.get("category"), 40, required=True),
        "level": choice("level", data.get("level"), LEVELS),
        "time_limit_days": int_field("time_limit_days", data.get("time_limit_days"), 0,
                                     MAX_LIMIT_DAYS, range_key="error.item_limit_range"),
        "materials": parse_materials(data.get("materials")),
        "fee": text_field("fee", data.get("fee"), 100),
        "track": choice("track", data.get("track") or "resident", TRACKS),
        "active": bool_field("active", data.get("active"), default=True),
        "notes": text_field("notes", data.get("notes"), 2000),
    }
    code = text_field("code", data.get("code"), 20)
    out["code"] = code or (current.code if current else _next_code(str(out["track"])))
    clash = ServiceItem.select().where(
        (ServiceItem.name == out["name"]) | (ServiceItem.code == out["code"]))
    if current is not None:
        clash = clash.where(ServiceItem.id != current.id)
    other = clash.first()
    if other is not None:
        which = "name" if other.name == out["name"] else "code"
        raise ValidationError(which, "error.item_duplicate", value=out[which])
    return out
