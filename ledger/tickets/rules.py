"""The rules of a proxy ticket: its states, which actions each allows, and its deadline.

States: ``received`` (受理) -> ``in_progress`` (办理中: submitted upstream) -> ``done`` (办结);
``returned`` (退回: materials missing, the clock stops until the applicant brings them, then
``resume``); ``withdrawn`` (撤回: final). ``reopen`` takes a done ticket back to in progress,
explicitly and with a note.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ledger import display, steps
from ledger.errors import InvalidTransition, ValidationError
from ledger.fields import text_field
from ledger.i18n import value_label
from ledger.lookups import item_ref, staff_ref, village_ref
from ledger.people import (
    mask_id_number,
    mask_phone,
    normalise_id_number,
    normalise_phone,
    pinyin_keys,
)
from ledger.steps import BACK, Target

if TYPE_CHECKING:
    from ledger.models.tickets import ServiceItem
    from ledger.office import Office

RECEIVED, IN_PROGRESS, DONE, RETURNED, WITHDRAWN = (
    "received", "in_progress", "done", "returned", "withdrawn")
STATES = (RECEIVED, IN_PROGRESS, DONE, RETURNED, WITHDRAWN)
OPEN_STATES = (RECEIVED, IN_PROGRESS, RETURNED)
RUNNING_STATES = (RECEIVED, IN_PROGRESS)  # the promised-time clock runs
SATISFACTION = ("satisfied", "basically_satisfied", "dissatisfied")
DEADLINE_STATES = ("ok", "due_soon", "overdue")

# action -> (the states it may start from, the state it leads to); the shape of
# ``ledger.steps``: None keeps the state, a mapping depends on the state it starts from,
# BACK goes back to where the ticket was when it was returned.
TRANSITIONS: dict[str, tuple[tuple[str, ...], Target]] = {
    "advance": ((RECEIVED, IN_PROGRESS), {RECEIVED: IN_PROGRESS, IN_PROGRESS: DONE}),
    "assign": ((RECEIVED, IN_PROGRESS, RETURNED), None),
    "materials": ((RECEIVED, IN_PROGRESS, RETURNED), None),
    "return": ((RECEIVED, IN_PROGRESS), RETURNED),
    "resume": ((RETURNED,), BACK),
    "withdraw": ((RECEIVED, IN_PROGRESS, RETURNED), WITHDRAWN),
    "reopen": ((DONE,), IN_PROGRESS),
    "rate": ((DONE,), None),
}
ACTIONS = tuple(TRANSITIONS)
# The words that mean "every material on the checklist was handed in" (either face, either
# language). Materials not given at all mean none was handed in.
ALL_MATERIALS = ("all", "全部")
# Actions that cannot be taken back: faces ask for confirmation first.
IRREVERSIBLE = ("withdraw",)
# Actions whose note is required (why it was returned, why a done ticket is reopened).
NOTE_REQUIRED = ("return", "reopen")


def refusal(ticket: dict[str, Any], action: str) -> InvalidTransition:
    """Why ``action`` is not allowed for this ticket (its ``number`` and ``state``): the
    reason ledger refuses the step with, for a face to show before asking for details."""
    state = ticket["state"]
    params = {"number": ticket["number"], "action": value_label("ticket_action", action),
              "state": value_label("ticket_state", state)}
    if state == WITHDRAWN:
        return InvalidTransition("error.ticket_withdrawn", **params)
    if state == DONE and action in ("advance", "return", "withdraw", "assign", "materials"):
        return InvalidTransition("error.ticket_done_reopen_first", **params)
    if action == "rate":
        return InvalidTransition("error.ticket_rate_not_done", **params)
    return InvalidTransition("error.ticket_cannot", **params)


def allowed_actions(ticket: dict[str, Any]) -> list[str]:
    """The actions a face may offer for this ticket, in a stable order."""
    return steps.allowed_actions(TRANSITIONS, ticket["state"])


def soon_limit(cal: Any, today: dt.date, lead: int) -> dt.date:
    """The last due date that counts as "due soon" today: ``lead`` working days ahead."""
    return cal.add_working_days(today, max(0, lead))[0]


def deadline_state(running_due: dt.date | None, today: dt.date,
                   soon: dt.date) -> str | None:
    """None when the clock is not running (returned, done, withdrawn)."""
    if running_due is None:
        return None
    if running_due < today:
        return "overdue"
    if running_due <= soon:
        return "due_soon"
    return "ok"


def due_label(ticket: Mapping[str, Any]) -> str:
    """The due date as both faces show it: ISO, starred when provisional (the year's
    working-day schedule is not published yet)."""
    due = ticket.get("due_date")
    if not due:
        return ""
    return f"{due.isoformat()}*" if ticket.get("due_provisional") else due.isoformat()


def materials_checklist(raw: str | None) -> list[dict[str, Any]]:
    return [{"name": m["name"], "checked": bool(m["checked"])} for m in json.loads(raw or "[]")]


def missing_materials(raw: str | None) -> list[str]:
    return [m["name"] for m in materials_checklist(raw) if not m["checked"]]


# Where missing materials still matter to the clerk: before submitting upstream and while the
# ticket waits for the applicant. Once in progress or closed, a warning would only be noise.
WARN_MISSING_STATES = (RECEIVED, RETURNED)


def materials_warning(ticket: dict[str, Any]) -> list[str]:
    """The missing materials both faces warn about after a ticket is opened or changed
    (empty: no warning)."""
    if ticket.get("state") not in WARN_MISSING_STATES:
        return []
    return list(ticket.get("materials_missing") or [])


def show_id(value: str | None, reveal: bool) -> str:
    return (value or "") if reveal else mask_id_number(value)


def show_phone(value: str | None, reveal: bool) -> str:
    return (value or "") if reveal else mask_phone(value)


# --- what a valid ticket is ----------------------------------------------------------------

MAX_AGENT = 60
# What a ticket's opening sets once: the item (its promise: time limit, checklist) and when it
# was received. Later the agent changes by ``assign``, the materials by ``materials`` and the
# state by the other steps, each with its own timeline event; an edit changes the rest.
FIXED = ("item", "received_at")
BY_STEP = ("agent", "materials", "state")
EDITABLE = ("applicant_name", "applicant_phone", "applicant_id_number", "village",
            "enterprise", "project", "notes")
_DAY_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def instant(office: Office, value: Any, field: str = "received_at",
            not_before: dt.datetime | None = None) -> dt.datetime:
    """A naive UTC instant from an aware datetime, a naive local one, or ISO text.

    A day without a time (a ``date``, or text like ``2026-11-27``) means "that day": 09:00
    local, but never later than now, and never before ``not_before`` (the previous step)
    when that step was on the same day, so a step entered by its day alone follows it."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return office.now()
    if isinstance(value, str) and _DAY_ONLY.match(value.strip()):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(field, "error.bad_datetime", value=value) from None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        day = value
        if day > office.today():
            raise ValidationError(field, "error.ticket_in_future")
        if day.year < 2000:
            raise ValidationError(field, "error.ticket_too_old")
        local = dt.datetime.combine(day, dt.time(9, 0)).replace(tzinfo=office.clock.zone)
        moment = min(local.astimezone(dt.UTC).replace(tzinfo=None), office.now())
        if (not_before is not None and moment < not_before
                and local_date(office, not_before) == day):
            moment = not_before
        return moment
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(field, "error.bad_datetime", value=value) from None
    if not isinstance(value, dt.datetime):
        raise ValidationError(field, "error.bad_datetime", value=value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=office.clock.zone)
    moment = value.astimezone(dt.UTC).replace(tzinfo=None)
    if moment > office.now() + dt.timedelta(minutes=5):
        raise ValidationError(field, "error.ticket_in_future")
    if moment.year < 2000:
        raise ValidationError(field, "error.ticket_too_old")
    return moment


def local_date(office: Office, moment: dt.datetime) -> dt.date:
    return office.clock.to_local(moment).date()


def material_names(required: list[str], handed_in: Any) -> set[str]:
    """The one rule for what was handed in, whichever face asks: nothing given (None, blank)
    means none; ``True`` or a word of ``ALL_MATERIALS`` means everything; otherwise names
    (or 1-based positions) from the checklist."""
    if handed_in is True or (isinstance(handed_in, str)
                             and handed_in.strip().lower() in ALL_MATERIALS
                             and handed_in.strip() not in required):
        return set(required)
    if not handed_in:
        return set()
    if isinstance(handed_in, str):
        handed_in = [p for p in re.split(r"[|;；、,，\n]", handed_in) if p.strip()]
    names: set[str] = set()
    for value in handed_in:
        text = str(value).strip()
        if text.isdigit() and 1 <= int(text) <= len(required) and text not in required:
            names.add(required[int(text) - 1])
        elif text in required:
            names.add(text)
        else:
            raise ValidationError("materials", "error.ticket_unknown_material", name=text,
                                  choices=display.join(required) or "-")
    return names


def checklist(item: ServiceItem, handed_in: Any) -> list[dict[str, Any]]:
    required = json.loads(item.materials or "[]")
    names = material_names(required, handed_in)
    return [{"name": m, "checked": m in names} for m in required]


def _person(data: Mapping[str, Any], track: str) -> dict[str, Any]:
    """The applicant's and the project's fields, as opening and an edit store them."""
    enterprise = text_field("enterprise", data.get("enterprise"), 200)
    project = text_field("project", data.get("project"), 200)
    if track == "project" and not (enterprise or project):
        raise ValidationError("enterprise", "error.ticket_project_needs_enterprise")
    name = text_field("applicant_name", data.get("applicant_name"), 100,
                      required=track == "resident")
    if not name:
        name = enterprise or project
    phone = normalise_phone(data.get("applicant_phone"), "applicant_phone")
    id_number = normalise_id_number(data.get("applicant_id_number"), "applicant_id_number")
    village = village_ref(data.get("village"))
    initials, full = pinyin_keys(name)
    return {
        "applicant_name": name, "applicant_initials": initials[:60],
        "applicant_pinyin": full[:300], "applicant_phone": phone,
        "applicant_id_number": id_number, "village_id": village.id if village else None,
        "enterprise": enterprise, "project": project,
        "notes": text_field("notes", data.get("notes"), 2000),
    }


def clean_ticket(office: Office, data: Mapping[str, Any], *,
                 current: Mapping[str, Any] | None = None, cal: Any = None) -> dict[str, Any]:
    """THE validator of a ticket's fields: opening (``open_ticket``), an edit
    (``edit_ticket``) and the batch import call it. It reads the item, the village and the
    calendar; it never writes.

    ``data`` holds what the clerk gives: item (id, code, name or the row), applicant_name,
    applicant_phone, applicant_id_number, village (ref or row), enterprise, project, agent,
    received_at (an instant, a day or ISO text; blank: now), materials (handed in), notes.

    A new ticket (no ``current``) comes back as the stored columns of its opening: the item's
    track and time limit copied, the due date counted by the office's calendar from the day
    it was received, the checklist with what was handed in. An edit (``current``: the stored
    fields, as the journal keeps them) returns the editable columns; a field fixed at opening
    (``FIXED``) or changed only by a step (``BY_STEP``) may be left blank or given as it is
    stored, so a file re-imported unchanged passes and a changed one is refused naming the
    field.
    ``cal``: the office's working-day calendar when a batch holds it for the run (no
    schedule is loaded inside the batch's transaction); by default ``calendar_for``."""
    if current is not None:
        for name in (*FIXED, *BY_STEP):
            if name in data and not _same(office, name, data[name], current):
                if name in FIXED:
                    raise ValidationError(name, "error.ticket_fixed")
                raise ValidationError(name, "error.ticket_by_step",
                                      step=value_label("ticket_action", _STEP_OF[name]))
        merged = {"village": current.get("village_id"), **{
            k: current.get(k) for k in EDITABLE if k != "village"}, **{
            k: v for k, v in data.items() if k in EDITABLE}}
        return _person(merged, current["track"])
    item = item_ref(data.get("item"), required=True)
    if not item.active:
        raise ValidationError("item", "error.item_retired", item=item.name)
    out = _person(data, item.track)
    # The agent is a staff member (id or name; a retired one is refused); the ticket keeps
    # the name too, as written when it was assigned.
    who = staff_ref(data.get("agent"), "agent")
    received = instant(office, data.get("received_at"))
    received_on = local_date(office, received)
    if cal is None:
        from ledger.workcal import calendar_for

        cal = calendar_for(office)
    due, provisional = cal.add_working_days(received_on, item.time_limit_days)
    return {
        **out, "item_id": item.id, "track": item.track,
        "agent": who.name if who else "", "agent_staff": who.id if who else None,
        "received_at": received, "received_on": received_on, "state": RECEIVED,
        "time_limit_days": item.time_limit_days, "due_date": due,
        "due_provisional": provisional,
        "materials": json.dumps(checklist(item, data.get("materials")), ensure_ascii=False),
    }


_STEP_OF = {"agent": "assign", "materials": "materials", "state": "advance"}


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text.strip())


def _same(office: Office, name: str, value: Any, current: Mapping[str, Any]) -> bool:
    """Whether ``value`` (as a clerk or a file gives it) is what is stored for ``name``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return True  # not given: it stays as it is (these never change by an edit)
    if name == "item":
        return item_ref(value).id == current["item_id"]  # type: ignore[union-attr]
    if name == "received_at":
        day = value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) \
            else None
        if isinstance(value, str) and _DAY_ONLY.match(value.strip()):
            instant(office, value)  # refuses a day that is no date, in the future or too old
            day = _day(value)
        if day is not None:  # a day alone: the day it was received
            return day == local_date(office, current["received_at"])
        return abs(instant(office, value) - current["received_at"]) < dt.timedelta(seconds=1)
    if name == "agent":
        return text_field("agent", value, MAX_AGENT) == current["agent"]
    if name == "materials":
        required = [m["name"] for m in current["materials"]]
        return material_names(required, value) == {
            m["name"] for m in current["materials"] if m["checked"]}
    return str(value).strip() == current["state"]
