"""What a village is: the relocation stages the report names and the one validator of a
village's fields (used by add, edit and the batch import)."""

from __future__ import annotations

from typing import Any

from ledger.errors import Conflict, ValidationError
from ledger.fields import choice, text_field
from ledger.models import Village

# 平改回迁 / 拆迁完毕回迁房在建 / 异地平改 / 准备拆迁 / 城中村 / 未涉及
RELOCATION_STATUSES = (
    "flattened_returned",
    "demolished_rebuilding",
    "resettled_elsewhere",
    "preparing_demolition",
    "urban_village",
    "not_affected",
)
VILLAGE_FIELDS = ("name", "code", "relocation_status", "notes")


def clean_village(data: dict[str, Any], *, current: Village | None = None) -> dict[str, Any]:
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
