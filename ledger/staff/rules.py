"""What a staff record is: the languages and channels that reach a person, and the one
validator of a staff record's fields (add, edit and a later batch import)."""

from __future__ import annotations

import re
from typing import Any

from ledger.access import ROLES  # supervisor, clerk, viewer; "" is none
from ledger.errors import Conflict, ValidationError
from ledger.fields import bool_field, choice, text_field
from ledger.models.staff import Staff
from ledger.people import normalise_phone

LANGUAGES = ("zh", "en")
CHANNELS = ("email", "webhook")  # what can reach one person (stdout reaches the cron owner)
WEBHOOK_KINDS = ("generic", "wecom", "dingtalk")
STAFF_FIELDS = ("name", "post", "phone", "email", "language", "channels", "webhook_url",
                "webhook_kind", "active", "role", "login", "notes")
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
        "role": choice("role", data.get("role"), ROLES, blank=True),
        "login": text_field("login", data.get("login"), 100),
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
    # A login (or a name standing for one) names one person: else who acts would be a guess.
    if clean["login"]:
        taken = Staff.select(Staff.name).where((Staff.login == clean["login"])
                                               | (Staff.name == clean["login"]))
        if current is not None:
            taken = taken.where(Staff.id != current.id)
        holder = taken.scalar()
        if holder is not None:
            raise ValidationError("login", "error.staff.login_taken", login=clean["login"],
                                  name=holder)
    return clean


def check_supervised() -> None:
    """Once anyone holds a role, someone active must be a supervisor: the last one cannot be
    demoted or retired, and the first role given is a supervisor's, else nobody could manage
    the staff again. Called inside the change's transaction, after it."""
    holders = Staff.select(Staff.id).where(Staff.role != "")
    if holders.exists() and not holders.where(Staff.role == ROLES[0], Staff.active).exists():
        raise ValidationError("role", "error.staff.no_supervisor")
