"""The rules of a proxy ticket: its states, which actions each allows, and its deadline.

States: ``received`` (受理) -> ``in_progress`` (办理中: submitted upstream) -> ``done`` (办结);
``returned`` (退回: materials missing, the clock stops until the applicant brings them, then
``resume``); ``withdrawn`` (撤回: final). ``reopen`` takes a done ticket back to in progress,
explicitly and with a note.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from ledger import steps
from ledger.people import mask_id_number, mask_phone
from ledger.steps import BACK, Target

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
# Actions that cannot be taken back: faces ask for confirmation first.
IRREVERSIBLE = ("withdraw",)
# Actions whose note is required (why it was returned, why a done ticket is reopened).
NOTE_REQUIRED = ("return", "reopen")


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


def show_id(value: str | None, reveal: bool) -> str:
    return (value or "") if reveal else mask_id_number(value)


def show_phone(value: str | None, reveal: bool) -> str:
    return (value or "") if reveal else mask_phone(value)
