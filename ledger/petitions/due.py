"""The regulation's deadlines (信访工作条例) and how days are counted.

The regulation counts "日", calendar days, except once where it says 工作日, so the counting
rule is the setting ``petitions.day_counting``: ``calendar`` (default) or ``working`` (the
office's working-day calendar, with 调休; a date in a year whose schedule is not loaded yet is
*provisional*). Everything that counts days goes through ``DayCounter.add``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ledger.office import Office

ACCEPTANCE_DAYS = 15  # written notice of acceptance or not, from receipt
HANDLING_DAYS = 60  # handling, from acceptance
MAX_EXTENSION_DAYS = 30  # one extension, at most this long
REVIEW_REQUEST_DAYS = 30  # the petitioner may ask for a review within this, from the reply
REVIEW_DAYS = 30  # the review is answered within this, from the request
REREVIEW_REQUEST_DAYS = 30
REREVIEW_DAYS = 30

# kind -> (who must act, date field it runs from, days, field that meets it)
KINDS: dict[str, tuple[str, str, int, str]] = {
    "acceptance": ("office", "received_on", ACCEPTANCE_DAYS, "decided_on"),
    "handling": ("office", "accepted_on", HANDLING_DAYS, "replied_on"),
    "review_request": ("petitioner", "replied_on", REVIEW_REQUEST_DAYS, "review_requested_on"),
    "review": ("office", "review_requested_on", REVIEW_DAYS, "reviewed_on"),
    "rereview_request": ("petitioner", "reviewed_on", REREVIEW_REQUEST_DAYS,
                         "rereview_requested_on"),
    "rereview": ("office", "rereview_requested_on", REREVIEW_DAYS, "rereviewed_on"),
}
OFFICE_KINDS = tuple(k for k, v in KINDS.items() if v[0] == "office")
# The office's open deadline in each state: what ``next_due`` holds.
OPEN_KIND = {
    "registered": "acceptance",
    "accepted": "handling",
    "in_handling": "handling",
    "review_requested": "review",
    "rereview_requested": "rereview",
}
DEADLINE_STATES = ("ok", "due_soon", "overdue", "met", "late", "lapsed")


class DayCounter:
    """Adds the regulation's days to a date by the office's counting rule."""

    def __init__(self, office: Office) -> None:
        self.working = office.settings["petitions.day_counting"] == "working"
        self._calendar: Any = None
        self._office = office

    def add(self, start: dt.date, days: int) -> tuple[dt.date, bool]:
        """(the date ``days`` after ``start``, whether it is provisional)."""
        if not self.working:
            return start + dt.timedelta(days=days), False
        if self._calendar is None:
            from ledger.workcal import calendar_for

            self._calendar = calendar_for(self._office)
        day, provisional = self._calendar.add_working_days(start, days)
        return day, bool(provisional)


def provisional_due(counter: DayCounter, since: dt.date, due: dt.date | None) -> bool:
    """Whether a stored deadline ``due``, counted from a day no earlier than ``since`` (the
    received date will do), passes through a year whose working-day schedule is not known:
    for lists, which hold ``next_due`` but not the day it was counted from. Calendar days
    are never provisional."""
    if due is None or not counter.working:
        return False
    if counter._calendar is None:
        from ledger.workcal import calendar_for

        counter._calendar = calendar_for(counter._office)
    return any(counter._calendar.is_provisional(y) for y in range(since.year, due.year + 1))


def _get(petition: Any, name: str) -> Any:
    if isinstance(petition, Mapping):
        return petition.get(name)
    return getattr(petition, name)


def due_date(counter: DayCounter, petition: Any, kind: str) -> tuple[dt.date, bool] | None:
    """When deadline ``kind`` falls for this petition, or None while it has not started."""
    _, start_field, days, _ = KINDS[kind]
    start = _get(petition, start_field)
    if start is None:
        return None
    if kind == "handling":
        days += _get(petition, "extension_days") or 0
    return counter.add(start, days)


def _met_on(petition: Any, kind: str) -> dt.date | None:
    if kind == "acceptance":
        return _get(petition, "accepted_on") or _get(petition, "declined_on")
    return _get(petition, KINDS[kind][3])


def next_due_label(petition: Mapping[str, Any]) -> str:
    """The next deadline as both faces show it: ISO, starred when provisional (counted in
    working days through a year whose schedule is not published yet), like tickets' due."""
    due = petition.get("next_due")
    if not due:
        return ""
    return f"{due.isoformat()}*" if petition.get("next_due_provisional") else due.isoformat()


def deadline_state(due: dt.date, today: dt.date, soon_days: int) -> str:
    if today > due:
        return "overdue"
    if (due - today).days <= soon_days:
        return "due_soon"
    return "ok"


def deadlines(office: Office, petition: Any, *, counter: DayCounter | None = None
              ) -> list[dict[str, Any]]:
    """Every deadline that has started for ``petition`` (a dict or row), in procedure order.

    ``state``: open ones ``ok`` / ``due_soon`` / ``overdue``; met ones ``met`` (on time) or
    ``late``; a petitioner's window that closed unused (or the matter was closed) ``lapsed``.
    ``party`` says who must act: the ``office`` or the ``petitioner``.
    """
    counter = counter or DayCounter(office)
    today = office.today()
    soon = office.settings["petitions.due_soon_days"]
    closed = _get(petition, "state") in ("closed", "not_accepted")
    out: list[dict[str, Any]] = []
    for kind, (party, _, _, _) in KINDS.items():
        due = due_date(counter, petition, kind)
        if due is None:
            continue
        day, provisional = due
        met_on = _met_on(petition, kind)
        if met_on is not None:
            state = "met" if met_on <= day else "late"
        elif party == "petitioner" and (closed or today > day):
            state = "lapsed"
        elif closed:
            # An office deadline never met on a closed matter cannot happen through the
            # procedure (closing needs a reply); report it as late rather than hide it.
            state = "late"
        else:
            state = deadline_state(day, today, soon)
        out.append({
            "kind": kind,
            "party": party,
            "due": day,
            "provisional": provisional,
            "met_on": met_on,
            "state": state,
            "days_left": (day - today).days if state in ("ok", "due_soon", "overdue") else None,
        })
    return out


def next_due(counter: DayCounter, petition: Any) -> tuple[dt.date | None, str | None]:
    """The office's open deadline in the petition's current state: (due, kind)."""
    kind = OPEN_KIND.get(_get(petition, "state"))
    if kind is None:
        return None, None
    due = due_date(counter, petition, kind)
    return (due[0], kind) if due else (None, None)
