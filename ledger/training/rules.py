"""The rules of training (培训): codes, the procedures of a session and of a series, the
series rule, and ``clean_session`` / ``clean_series``, THE validators of a session's and a
series' fields.

Decisions (also in the area's docstring):
- A session's ``state`` is ``planned``, ``held`` or ``cancelled``. ``hold`` and ``cancel``
  start from planned; ``reinstate`` takes a cancelled one back to planned (``TRANSITIONS``,
  run by ``ledger.steps``). A session is held only once it has started; recording attendance
  on a planned session whose start has passed marks it held (a sign-in sheet proves it took
  place).
- A series is ``active`` until ``end_series`` ends it (``SERIES_TRANSITIONS``), for good.
- Attendance is recorded only once the session has started (its start is not in the future)
  and never for a cancelled one.
- ``present`` and ``late`` earn the session's full credit hours (学时): the office counts a
  late arrival as attending, and the sheet keeps the lateness visible. ``absent`` and
  ``excused`` earn none; ``excused`` needs a reason.
- Attendance rates are (present + late) / the people the session is required for.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from ledger import steps
from ledger.errors import ValidationError
from ledger.fields import choice, int_field, text_field
from ledger.steps import Target

if TYPE_CHECKING:
    from ledger.office import Office

KINDS = ("meeting", "lecture", "field_visit", "online", "exam")
PLANNED, HELD, CANCELLED = "planned", "held", "cancelled"
STATES = (PLANNED, HELD, CANCELLED)
# action -> (the states it may start from, the state it leads to): ``ledger.steps``' shape
TRANSITIONS: dict[str, tuple[tuple[str, ...], Target]] = {
    "hold": ((PLANNED,), HELD),
    "cancel": ((PLANNED,), CANCELLED),
    "reinstate": ((CANCELLED,), PLANNED),
}
ACTIONS = tuple(TRANSITIONS)
ATTENDANCE_STATES = ("present", "late", "absent", "excused")
EARNING_STATES = ("present", "late")  # states that earn the session's credit hours
CHECKIN_STATES = ("present", "late")  # the fast check-in path records one of these
AUDIENCES = ("all", "post", "village", "people")
ACTIVE, ENDED = "active", "ended"
SERIES_STATES = (ACTIVE, ENDED)
SERIES_TRANSITIONS: dict[str, tuple[tuple[str, ...], Target]] = {
    "end_series": ((ACTIVE,), ENDED),
}

MAX_HOURS = Decimal("100")  # one session; a residential course is well under this
MAX_MINUTES = 7 * 24 * 60  # a session lasts at most a week
MAX_OCCURRENCES = 366  # a series materialises at most this many sessions
SESSION_FIELDS = ("title", "topic", "kind", "starts_at", "ends_at", "place", "organiser",
                  "credit_hours", "audience", "audience_refs", "notes")
SERIES_FIELDS = ("title", "topic", "kind", "rule", "first_start", "duration_minutes",
                 "place", "organiser", "credit_hours", "audience", "audience_refs", "notes")
# What a series hands down to its sessions when it is edited (times come from the rule).
INHERITED = ("title", "topic", "kind", "place", "organiser", "credit_hours", "audience",
             "audience_refs", "notes")


def allowed_actions(session: dict[str, Any]) -> list[str]:
    """The steps a face may offer for this session, in the table's order."""
    return steps.allowed_actions(TRANSITIONS, session["state"])


# --- field validators ----------------------------------------------------------------------


def hours_field(field: str, value: Any) -> Decimal:
    """Credit hours: a decimal from 0 to ``MAX_HOURS``, at most two places."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError(field, "error.required")
    if isinstance(value, bool):
        raise ValidationError(field, "error.training_bad_hours", value=value, max=MAX_HOURS)
    try:
        hours = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError(field, "error.training_bad_hours", value=value,
                              max=MAX_HOURS) from None
    if not hours.is_finite() or hours < 0 or hours > MAX_HOURS or hours != hours.quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP):
        raise ValidationError(field, "error.training_bad_hours", value=value, max=MAX_HOURS)
    return hours.quantize(Decimal("0.01"))


def hours_value(value: Any) -> float:
    """Credit hours as the faces get them: a float, 1.5."""
    return float(Decimal(str(value)).quantize(Decimal("0.01")))


def local_datetime(office: Office, field: str, value: Any) -> dt.datetime:
    """An aware datetime, a naive one (office wall time) or ISO text -> naive office wall
    time, minute precision."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError(field, "error.required")
    if isinstance(value, str) and len(value.strip()) <= 10:
        # A bare day would silently mean midnight: a session needs its time.
        raise ValidationError(field, "error.training_time_needed", value=value.strip())
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(field, "error.bad_datetime", value=value) from None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        raise ValidationError(field, "error.training_time_needed", value=value.isoformat())
    if not isinstance(value, dt.datetime):
        raise ValidationError(field, "error.bad_datetime", value=value)
    if value.tzinfo is not None:
        value = value.astimezone(office.clock.zone).replace(tzinfo=None)
    if not 2000 <= value.year <= 2100:
        raise ValidationError(field, "error.training_year_range", value=value.isoformat())
    return value.replace(second=0, microsecond=0)


def to_utc(office: Office, local: dt.datetime) -> dt.datetime:
    """Office wall time -> naive UTC as stored."""
    return local.replace(tzinfo=office.clock.zone).astimezone(dt.UTC).replace(tzinfo=None)


def audience_field(office: Office, audience: Any, refs: Any) -> tuple[str, list[Any]]:
    """Who a session is required for: everyone, posts, villages (ids) or people (ids)."""
    kind = choice("audience", audience or "all", AUDIENCES)
    if isinstance(refs, str):
        refs = [r for r in (p.strip() for p in refs.replace("，", ",").split(",")) if r]
    refs = list(refs or [])
    if kind == "all":
        if refs:  # a list without saying what it lists: refuse rather than drop it
            raise ValidationError("audience", "error.training_audience_all_refs")
        return kind, []
    if not refs:
        raise ValidationError("audience_refs", "error.training_audience_empty",
                              audience=kind)
    if kind == "post":
        from ledger.members import POSTS

        return kind, sorted({choice("audience_refs", r, POSTS) for r in refs},
                            key=POSTS.index)
    if kind == "village":
        from ledger.lookups import village_ref

        return kind, sorted({village_ref(r, "audience_refs", required=True).id
                             for r in refs})
    from ledger.training.people import resolve_person

    return kind, sorted({resolve_person(office, r, field="audience_refs").id for r in refs})


def _merged(data: dict[str, Any], current: dict[str, Any] | None) -> dict[str, Any]:
    """An edit's values over the stored ones; turning the audience to everyone drops the
    stored list."""
    merged = {**(current or {}), **data}
    if data.get("audience") == "all" and "audience_refs" not in data:
        merged["audience_refs"] = []
    return merged


def clean_session(office: Office, data: dict[str, Any], *,
                  current: dict[str, Any] | None = None) -> dict[str, Any]:
    """The stored fields of a session from what a clerk gave (``current``: the stored
    values an edit starts from). Times are office wall time in, naive UTC out."""
    merged = _merged(data, current)
    start = local_datetime(office, "starts_at", merged.get("starts_at"))
    end = local_datetime(office, "ends_at", merged.get("ends_at"))
    if end <= start:
        raise ValidationError("ends_at", "error.training_end_before_start")
    if end - start > dt.timedelta(minutes=MAX_MINUTES):
        raise ValidationError("ends_at", "error.training_too_long")
    audience, refs = audience_field(office, merged.get("audience"), merged.get("audience_refs"))
    return {
        "title": text_field("title", merged.get("title"), 100, required=True),
        "topic": text_field("topic", merged.get("topic"), 200),
        "kind": choice("kind", merged.get("kind") or "lecture", KINDS),
        "starts_at": to_utc(office, start),
        "ends_at": to_utc(office, end),
        "place": text_field("place", merged.get("place"), 100),
        "organiser": text_field("organiser", merged.get("organiser"), 100),
        "credit_hours": hours_field("credit_hours", merged.get("credit_hours")),
        "audience": audience,
        "audience_refs": json.dumps(refs),
        "notes": text_field("notes", merged.get("notes"), 2000),
    }


def clean_series(office: Office, data: dict[str, Any], *,
                 current: dict[str, Any] | None = None) -> dict[str, Any]:
    """The stored fields of a series; its rule is parsed and bounded here."""
    merged = _merged(data, current)
    first = local_datetime(office, "first_start", merged.get("first_start"))
    minutes = int_field("duration_minutes", merged.get("duration_minutes"), 1, MAX_MINUTES) or 0
    rule = text_field("rule", merged.get("rule"), 300, required=True)
    occurrences(rule, first)  # refuses a bad or unbounded rule
    audience, refs = audience_field(office, merged.get("audience"), merged.get("audience_refs"))
    return {
        "title": text_field("title", merged.get("title"), 100, required=True),
        "topic": text_field("topic", merged.get("topic"), 200),
        "kind": choice("kind", merged.get("kind") or "meeting", KINDS),
        "rule": rule,
        "first_start": first,
        "duration_minutes": minutes,
        "place": text_field("place", merged.get("place"), 100),
        "organiser": text_field("organiser", merged.get("organiser"), 100),
        "credit_hours": hours_field("credit_hours", merged.get("credit_hours")),
        "audience": audience,
        "audience_refs": json.dumps(refs),
        "notes": text_field("notes", merged.get("notes"), 2000),
    }


def occurrences(rule: str, first: dt.datetime) -> list[dt.datetime]:
    """The local start of every occurrence of ``rule`` from ``first`` (dateutil's rrulestr:
    "FREQ=MONTHLY;BYDAY=1MO;COUNT=12"). The rule must end (COUNT or UNTIL) within
    ``MAX_OCCURRENCES``; a DTSTART inside it is refused (the first start is its own field)."""
    from dateutil.rrule import DAILY, rrule, rrulestr

    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if "DTSTART" in text.upper() or "\n" in text:
        raise ValidationError("rule", "error.training_bad_rule", detail="DTSTART")
    try:
        parsed = rrulestr(text, dtstart=first, ignoretz=True)
        if not isinstance(parsed, rrule):
            raise ValueError(text)
        if parsed._freq > DAILY:  # hourly or finer: not a training calendar
            raise ValueError("FREQ")
        found = list(itertools.islice(iter(parsed), MAX_OCCURRENCES + 1))
    except (ValueError, TypeError, KeyError, OverflowError) as exc:
        raise ValidationError("rule", "error.training_bad_rule", detail=str(exc) or text) \
            from None
    if len(found) > MAX_OCCURRENCES:
        raise ValidationError("rule", "error.training_series_too_long", max=MAX_OCCURRENCES)
    if not found:
        raise ValidationError("rule", "error.training_series_empty")
    return found
