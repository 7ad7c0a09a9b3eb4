"""What is due, and who hears about it.

The selection goes through the lists' own queries (``tickets.iter_tickets``' conditions with
``overdue``+``due_soon``, ``petitions.iter_petitions``' with ``overdue``+``due_within_days``,
read by their ``iter_due`` as narrow tuples), so a reminder, the app and ``list --overdue``
never disagree about what is overdue. The
lead is the reminders' own (``remind.lead_working_days``), counted in working days.

Items are grouped by the staff record responsible (a ticket's ``agent_id``, a petition's
``handler_id``), never by the name written on them: a renamed person still hears about their
work, and two people are never merged by a shared spelling.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ledger.errors import ConfigError
from ledger.lookups import find_staff_row
from ledger.models.staff import Staff
from ledger.office import Office
from ledger.petitions.query import PetitionFilter
from ledger.petitions.query import iter_due as iter_due_petitions
from ledger.staff.rules import is_email
from ledger.tickets import rules as ticket_rules
from ledger.tickets.query import TicketFilter
from ledger.tickets.query import iter_due as iter_due_tickets
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
    late: dict[dt.date, int] = {}  # working days overdue, per deadline: many items share one

    def item(kind: str, id_: int, number: str, title: str | None, deadline: dt.date,
             deadline_kind: str | None, responsible: str | None,
             responsible_id: int | None) -> dict[str, Any]:
        if deadline < today:
            if deadline not in late:
                late[deadline] = cal.working_days_between(deadline, today)
            state, days = "overdue", late[deadline]
        else:
            state, days = "due_soon", 0
        return {"kind": kind, "id": id_, "number": number, "title": (title or "")[:60],
                "deadline": deadline, "deadline_kind": deadline_kind or "", "state": state,
                "overdue_working_days": days, "responsible": (responsible or "").strip(),
                "responsible_id": responsible_id}

    # The lists' own conditions and order (tickets.iter_tickets, petitions.iter_petitions),
    # reading only the columns a reminder shows.
    items = [item("ticket", tid, number, title, due, TICKET_DEADLINE, agent, agent_id)
             for tid, number, title, due, agent, agent_id in iter_due_tickets(
                 office, TicketFilter(overdue=True, due_soon=True, lead_working_days=lead))]
    within = (limit - today).days  # the same last day, in the calendar days petitions count
    items += [item("petition", pid, number, summary, due, kind, handler, handler_id)
              for pid, number, summary, due, kind, handler, handler_id in iter_due_petitions(
                  office, PetitionFilter(overdue=True, due_within_days=within))]
    # Each part comes in deadline order already: the sort merges two runs.
    items.sort(key=lambda i: (i["deadline"], i["kind"], i["id"]))
    return items


def plan(office: Office) -> dict[str, Any]:
    """The reminders of today: ``recipients`` (each a person with the items they hear about,
    each item with its ``reason``), ``unmatched`` (responsible names no staff record has)."""
    staff = {row.id: row for row in Staff.select()}  # retired ones too: their items fall back
    boss = supervisor(office)
    escalate = office.settings["remind.escalate_after_working_days"]
    # Recipients by staff id (a bare-address supervisor by the address).
    people: dict[int | str, dict[str, Any]] = {}
    unmatched: set[str] = set()

    def person(found: dict[str, Any] | None) -> dict[str, Any]:
        if found is None:
            raise ConfigError("error.remind.no_supervisor")
        key = found["staff_id"] or found["key"]
        return people.setdefault(key, found)

    # Each item is due once (one row per ticket or petition), so only the escalation can
    # reach someone twice: the supervisor who is also responsible hears it once.
    for item in due_items(office):
        found = staff.get(item["responsible_id"])
        if found is not None and found.active:
            first = people.get(found.id) or person(_person(found))
            reason = "responsible"
        else:
            if found is None and item["responsible"]:
                unmatched.add(item["responsible"])
            first = person(boss)
            reason = ("retired" if found is not None else
                      "unmatched" if item["responsible"] else "unassigned")
        item["reason"] = reason  # due_items made it for this plan: no copy
        first["items"].append(item)
        if item["overdue_working_days"] > escalate:
            chief = person(boss)
            if chief is not first:
                chief["items"].append({**item, "reason": "escalated"})
    recipients = sorted(people.values(), key=lambda p: p["key"])
    return {"day": office.today(), "recipients": recipients, "unmatched": sorted(unmatched)}
