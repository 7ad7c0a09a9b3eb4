"""What a staff record is: the languages and channels that reach a person, and the one
validator of a staff record's fields (add, edit and a later batch import)."""

from __future__ import annotations

import re
from typing import Any

from ledger.errors import Conflict, ValidationError
from ledger.fields import bool_field, choice, text_field
from ledger.models.staff import Staff
from ledger.people import normalise_phone

LANGUAGES = ("zh", "en")
CHANNELS = ("email", "webhook")  # what can reach one person (stdout reaches the cron owner)
WEBHOOK_KINDS = ("generic", "wecom", "dingtalk")
STAFF_FIELDS = ("name", "post", "phone", "email", "language", "channels", "webhook_url",
                "webhook_kind", "active", "notes")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def is_email(text: str) -> bool:
    return bool(_EMAIL.match(text))


def parse_channels(value: Any) -> list[str]:
    """A list, or text like ``email,webhook``; each a known channel, in ``CHANNELS`` order."""
    if value is None:
        return []
    parts = value if isinstance(value, list | tuple) else re.split(r"[,，\s]+", str(value))
    names = [str(p).strip() for p in parts if str(p).strip()]
    for name in names:
        choice("channels", name, CHANNELS)
    return [c for c in CHANNELS if c in names]


def clean_staff(data: dict[str, Any], *, current: Staff | None = None) -> dict[str, Any]:
    clean: dict[str, Any] = {
        "name": text_field("name", data.get("name"), 60, required=True, label="staff_name"),
        "post": text_field("post", data.get("post"), 60),
        "phone": normalise_phone(data.get("phone")),
        "email": text_field("email", data.get("email"), 200),
        "language": choice("language", data.get("language") or "zh", LANGUAGES),
        "webhook_url": text_field("webhook_url", data.get("webhook_url"), 500),
        "webhook_kind": choice("webhook_kind", data.get("webhook_kind") or "generic",
                               WEBHOOK_KINDS),
        "active": bool_field("active", data.get("active"), default=True),
        "notes": text_field("notes", data.get("notes"), 2000),
    }
    channels = parse_channels(data.get("channels"))
    if clean["email"] and not is_email(clean["email"]):
        raise ValidationError("email", "error.staff.bad_email", value=clean["email"])
    if clean["webhook_url"] and not re.match(r"^https?://\S+$", clean["webhook_url"]):
        raise ValidationError("webhook_url", "error.staff.bad_url")
    # A channel the record names must be able to reach the person.
    if "email" in channels and not clean["email"]:
        raise ValidationError("email", "error.staff.channel_needs", channel="email")
    if "webhook" in channels and not clean["webhook_url"]:
        raise ValidationError("webhook_url", "error.staff.channel_needs", channel="webhook")
    clean["channels"] = ",".join(channels)
    others = Staff.select(Staff.id).where(Staff.name == clean["name"])
    if current is not None:
        others = others.where(Staff.id != current.id)
    if others.exists():
        raise Conflict("error.staff.exists", name=clean["name"])
    return clean
