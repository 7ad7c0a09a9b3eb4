"""What is due, and who hears about it.

The selection goes through the lists' own queries (``tickets.iter_tickets`` with
``overdue``+``due_soon``, ``petitions.list_petitions`` with ``overdue``+``due_within_days``),
so a reminder, the app and ``list --overdue`` never disagree about what is overdue. The
lead is the reminders' own (``remind.lead_working_days``), counted in working days.

Items are grouped by the staff record responsible (a ticket's ``agent_id``, a petition's
``handler_id``), never by the name written on them: a renamed person still hears about their
work, and two people are never merged by a shared spelling.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ledger.errors import ConfigError
from ledger.lookups import find_staff_row
from ledger.models.staff import Staff
from ledger.office import Office
from ledger.petitions.query import PetitionFilter, list_petitions
from ledger.staff.rules import is_email
from ledger.tickets import rules as ticket_rules
from ledger.tickets.query import TicketFilter, iter_tickets
from ledger.workcal import calendar_for

TICKET_DEADLINE = "ticket_due"
REASONS = ("responsible", "unassigned", "unmatched", "retired", "escalated")


def _person(row: Any) -> dict[str, Any]:
    channels = [c for c in row.channels.split(",") if c]
    return {"key": row.name, "name": row.name, "staff_id": row.id, "language": row.language,
            "email": row.email, "webhook_url": row.webhook_url,
            "webhook_kind": row.webhook_kind, "phone": row.phone, "channels": channels,
            "items": []}


def supervisor(office: Office) -> dict[str, Any] | None:
    """The supervisor as a recipient: a staff record (id or name, active), or a bare email
    address. None when unset. Anything else is a configuration error."""
    ref = office.settings["remind.supervisor"].strip()
    if not ref:
        return None
    row = find_staff_row(ref)
    if row is not None and row.active:
        return _person(row)
    if is_email(ref):
        return {"key": ref, "name": ref, "staff_id": None,
                "language": office.settings["office.language"] or "zh", "email": ref,
                "webhook_url": "", "webhook_kind": "generic", "phone": "",
                "channels": ["email"], "items": []}
    raise ConfigError("error.remind.unknown_supervisor", value=ref)


def due_items(office: Office) -> list[dict[str, Any]]:
    """Open tickets and petitions overdue or due within the lead, soonest deadline first."""
    today = office.today()
    cal = calendar_for(office)
    lead = office.settings["remind.lead_working_days"]
    limit = ticket_rules.soon_limit(cal, today, lead)
    items: list[dict[str, Any]] = []
    late: dict[dt.date, int] = {}  # working days overdue, per deadline: many items share one

    def overdue_by(deadline: dt.date) -> int:
        if deadline not in late:
            late[deadline] = cal.working_days_between(deadline, today)
        return late[deadline]

    for t in iter_tickets(office, TicketFilter(overdue=True, due_soon=True,
                                               lead_working_days=lead)):
        items.append(_item("ticket", t["id"], t["number"], t["item"], t["due_date"],
                           TICKET_DEADLINE, t["agent"], t["agent_id"], today, overdue_by))
    within = (limit - today).days  # the same last day, in the calendar days petitions count
    for p in list_petitions(office, PetitionFilter(overdue=True, due_within_days=within),
                            limit=None):
        items.append(_item("petition", p["id"], p["number"], p["summary"], p["next_due"],
                           p["next_due_kind"], p["handler"], p["handler_id"], today,
                           overdue_by))
    items.sort(key=lambda i: (i["deadline"], i["kind"], i["id"]))
    return items


def _item(kind: str, id_: int, number: str, title: str, deadline: dt.date, deadline_kind: str,
          responsible: str | None, responsible_id: int | None, today: dt.date,
          overdue_by: Callable[[dt.date], int]) -> dict[str, Any]:
    overdue = deadline < today
    return {"kind": kind, "id": id_, "number": number, "title": (title or "")[:60],
            "deadline": deadline, "deadline_kind": deadline_kind or "",
            "state": "overdue" if overdue else "due_soon",
            "overdue_working_days": overdue_by(deadline) if overdue else 0,
            "responsible": (responsible or "").strip(), "responsible_id": responsible_id}


def plan(office: Office) -> dict[str, Any]:
    """The reminders of today: ``recipients`` (each a person with the items they hear about,
    each item with its ``reason``), ``unmatched`` (responsible names no staff record has)."""
    staff = {row.id: row for row in Staff.select()}  # retired ones too: their items fall back
    boss = supervisor(office)
    escalate = office.settings["remind.escalate_after_working_days"]
    # Recipients by staff id (a bare-address supervisor by the address).
    people: dict[int | str, dict[str, Any]] = {}
    told: set[tuple[int | str, str, int]] = set()
    unmatched: set[str] = set()

    def tell(person: dict[str, Any] | None, item: dict[str, Any], reason: str) -> None:
        if person is None:
            raise ConfigError("error.remind.no_supervisor")
        key = person["staff_id"] or person["key"]
        entry = people.setdefault(key, person)
        if (key, item["kind"], item["id"]) in told:
            return  # the supervisor responsible for an escalated item hears it once
        told.add((key, item["kind"], item["id"]))
        entry["items"].append({**item, "reason": reason})

    for item in due_items(office):
        person = staff.get(item["responsible_id"])
        if person is not None and person.active:
            tell(people.get(person.id) or _person(person), item, "responsible")
        else:
            if person is None and item["responsible"]:
                unmatched.add(item["responsible"])
            reason = ("retired" if person is not None else
                      "unmatched" if item["responsible"] else "unassigned")
            tell(boss, item, reason)
        if item["overdue_working_days"] > escalate:
            tell(boss, item, "escalated")
    recipients = sorted(people.values(), key=lambda p: p["key"])
    return {"day": office.today(), "recipients": recipients, "unmatched": sorted(unmatched)}
