"""The rules of duty rosters (值班): codes, a post's shift pattern, and ``clean_post`` /
``clean_unavailability``, THE validators of those records' fields.

Decisions:
- A post has one or more named shifts in the office's wall time (``day=08:30-17:30``, or
  ``morning=08:30-12:00,afternoon=14:00-17:30``); shifts of one post never overlap and a
  shift ends on the day it starts. One person holds a shift.
- A post is staffed on working days (``ledger.workcal``: weekends off, statutory holidays
  off, 调休 Saturdays on); ``staffed_off_days`` staffs it every day.
- Nobody holds two shifts that overlap in time, at any posts; nobody is put on duty on a day
  of their unavailability; only people eligible at a post are put on it.
- A person on duty is a committee member or one of the office's staff
  (``ledger.roster.people``): a row of eligibility or unavailability names exactly one of
  the two (``person_id`` or ``staff_id``), a shift at most one (none: a gap) —
  ``clean_holder`` here, a CHECK constraint in the schema.
- Sources: ``planned`` (the rotation), ``manual`` (a clerk's assignment), ``swapped`` (a
  swap). Re-planning a period rewrites only planned shifts.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from ledger.errors import ValidationError
from ledger.fields import bool_field, choice, date_field, text_field

KINDS = ("centre", "station")
SOURCES = ("planned", "manual", "swapped")
PLANNED, MANUAL, SWAPPED = SOURCES
UNAVAILABLE_REASONS = ("leave", "training", "sickness", "other")
MAX_SHIFTS = 4  # named shifts in one post's day
MAX_PLAN_DAYS = 366  # one plan covers at most a year
POST_FIELDS = ("code", "name", "kind", "village", "shifts", "staffed_off_days", "notes")
CODE = re.compile(r"^[A-Za-z0-9_-]{1,20}$")
SHIFT_NAME = re.compile(r"^[\w-]{1,20}$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")


def _time(text: str, value: Any) -> dt.time:
    m = _TIME.match(text.strip())
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise ValidationError("shifts", "error.roster_bad_shifts", value=value)
    return dt.time(int(m.group(1)), int(m.group(2)))


def parse_shifts(value: Any) -> list[dict[str, str]]:
    """A shift pattern from text (``morning=08:30-12:00,afternoon=14:00-17:30``) or a list of
    ``{"name", "start", "end"}``: named, in time order, not overlapping, each within a day."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError("shifts", "error.required")
    items: list[tuple[str, str, str]] = []
    if isinstance(value, str):
        for part in (p.strip() for p in value.replace("，", ",").split(",")):
            if not part:
                continue
            name, sep, span = part.partition("=")
            start, dash, end = span.replace("–", "-").partition("-")
            if not sep or not dash:
                raise ValidationError("shifts", "error.roster_bad_shifts", value=part)
            items.append((name.strip(), start, end))
    elif isinstance(value, list | tuple):
        for item in value:
            if not isinstance(item, dict):
                raise ValidationError("shifts", "error.roster_bad_shifts", value=item)
            items.append((str(item.get("name", "")).strip(), str(item.get("start", "")),
                          str(item.get("end", ""))))
    else:
        raise ValidationError("shifts", "error.roster_bad_shifts", value=value)
    if not items:
        raise ValidationError("shifts", "error.required")
    if len(items) > MAX_SHIFTS:
        raise ValidationError("shifts", "error.roster_too_many_shifts", max=MAX_SHIFTS)
    shifts = []
    for name, start_text, end_text in items:
        if not SHIFT_NAME.match(name):
            raise ValidationError("shifts", "error.roster_bad_shift_name", value=name)
        begins, ends = _time(start_text, start_text), _time(end_text, end_text)
        if ends <= begins:
            raise ValidationError("shifts", "error.roster_shift_order", name=name)
        shifts.append({"name": name, "start": begins.strftime("%H:%M"),
                       "end": ends.strftime("%H:%M")})
    shifts.sort(key=lambda s: s["start"])
    names = [s["name"] for s in shifts]
    if len(set(names)) != len(names):
        raise ValidationError("shifts", "error.roster_duplicate_shift")
    for a, b in zip(shifts, shifts[1:], strict=False):
        if b["start"] < a["end"]:
            raise ValidationError("shifts", "error.roster_shifts_overlap", a=a["name"],
                                  b=b["name"])
    return shifts


def shifts_text(shifts: list[dict[str, str]]) -> str:
    """A pattern as a clerk types it: ``morning=08:30-12:00,afternoon=14:00-17:30``."""
    return ",".join(f"{s['name']}={s['start']}-{s['end']}" for s in shifts)


def clean_post(office: Any, data: dict[str, Any], *,
               current: dict[str, Any] | None = None) -> dict[str, Any]:
    """The stored fields of a duty post from what a clerk gave (``current``: stored values
    an edit starts from). The village is a reference (``ledger.lookups``); a station needs
    one, the centre has none."""
    from ledger.lookups import village_ref

    merged = {**(current or {}), **data}
    code = text_field("code", merged.get("code"), 20, required=True)
    if not CODE.match(code):
        raise ValidationError("code", "error.roster_bad_code", value=code)
    kind = choice("kind", merged.get("kind") or "station", KINDS)
    village = village_ref(merged.get("village"), "village", required=False)
    if kind == "station" and village is None:
        raise ValidationError("village", "error.roster_station_village")
    if kind == "centre" and village is not None:
        raise ValidationError("village", "error.roster_centre_village")
    return {
        "code": code.upper(),
        "name": text_field("name", merged.get("name"), 60, required=True),
        "kind": kind,
        "village": village.id if village is not None else None,
        "shifts": json.dumps(parse_shifts(merged.get("shifts")), ensure_ascii=False),
        "staffed_off_days": bool_field("staffed_off_days", merged.get("staffed_off_days")),
        "notes": text_field("notes", merged.get("notes"), 2000),
    }


def clean_holder(data: dict[str, Any], *, required: bool = True) -> dict[str, int | None]:
    """The stored person of a row from ``person_id`` (a member) and ``staff_id`` (staff):
    exactly one of them (``required``), or at most one (a shift; neither is a gap)."""
    ids: dict[str, int | None] = {}
    for key in ("person_id", "staff_id"):
        value = data.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise ValidationError("person", "error.roster_bad_holder", value=value)
        ids[key] = value
    if ids["person_id"] is not None and ids["staff_id"] is not None:
        raise ValidationError("person", "error.roster_two_holders")
    if required and ids["person_id"] is None and ids["staff_id"] is None:
        raise ValidationError("person", "error.required")
    return {"person": ids["person_id"], "staff": ids["staff_id"]}


def clean_eligible(office: Any, data: dict[str, Any], *,
                   current: dict[str, Any] | None = None) -> dict[str, Any]:
    """Who is made eligible at a post: one member or one staff member."""
    return clean_holder({**(current or {}), **data})


def clean_unavailability(office: Any, data: dict[str, Any], *,
                         current: dict[str, Any] | None = None) -> dict[str, Any]:
    """A period someone cannot stand duty: whose (``clean_holder``), the days, the reason."""
    merged = {**(current or {}), **data}
    holder = clean_holder(merged)
    start = date_field("date_from", merged.get("date_from"))
    end = date_field("date_to", merged.get("date_to")) or start
    if start is None:
        raise ValidationError("date_from", "error.required")
    assert end is not None
    if end < start:
        raise ValidationError("date_to", "error.date_order")
    if (end - start).days > MAX_PLAN_DAYS:
        raise ValidationError("date_to", "error.roster_period_too_long", max=MAX_PLAN_DAYS)
    return {
        **holder, "date_from": start, "date_to": end,
        "reason": choice("reason", merged.get("reason") or "leave", UNAVAILABLE_REASONS),
        "note": text_field("note", merged.get("note"), 500),
    }


def period(date_from: Any, date_to: Any) -> tuple[dt.date, dt.date]:
    """A plan's or a list's period: both days required, in order, at most a year."""
    start = date_field("date_from", date_from)
    end = date_field("date_to", date_to)
    if start is None:
        raise ValidationError("date_from", "error.required")
    if end is None:
        raise ValidationError("date_to", "error.required")
    if end < start:
        raise ValidationError("date_to", "error.date_order")
    if (end - start).days >= MAX_PLAN_DAYS:
        raise ValidationError("date_to", "error.roster_period_too_long", max=MAX_PLAN_DAYS)
    return start, end


def staffed(office: Any, post_off_days: bool, day: dt.date) -> bool:
    """Whether a post is staffed on ``day`` (the office's working-day calendar, 调休
    included)."""
    if post_off_days:
        return True
    from ledger.workcal import calendar_for

    return calendar_for(office).is_working_day(day)


def slot_instants(office: Any, day: dt.date, shift: dict[str, str]) -> tuple[dt.datetime,
                                                                             dt.datetime]:
    """A shift of a pattern on ``day`` as (start, end) in naive UTC, as stored."""
    def utc(text: str) -> dt.datetime:
        local = dt.datetime.combine(day, dt.time.fromisoformat(text))
        return local.replace(tzinfo=office.clock.zone).astimezone(dt.UTC).replace(tzinfo=None)

    return utc(shift["start"]), utc(shift["end"])
