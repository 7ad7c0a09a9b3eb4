"""Proxy tickets (代办件): placeholder while the module is written."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ledger import journal
from ledger.models.tickets import Ticket, TicketEvent
from ledger.workcal import calendar_for

OPEN_STATUSES = ("received", "in_progress", "returned")


def recompute_due_dates(office: Any, year: int) -> int:
    """After a calendar change: recompute open tickets whose clock passes through ``year``.

    Call inside the transaction that changed the calendar. Returns how many changed.
    """
    cal = calendar_for(office)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    query = (Ticket.select()
             .where(Ticket.status.in_(OPEN_STATUSES), Ticket.received_on <= last,
                    (Ticket.due_date >= first) | Ticket.due_provisional)
             .order_by(Ticket.id))
    changed = 0
    now = office.now()
    for row in query:
        due, provisional = cal.add_working_days(row.received_on,
                                                row.time_limit_days + row.returned_days)
        if (due, provisional) == (row.due_date, bool(row.due_provisional)):
            continue
        before = {"due_date": row.due_date, "due_provisional": bool(row.due_provisional)}
        Ticket.update(due_date=due, due_provisional=provisional, updated_at=now).where(
            Ticket.id == row.id).execute()
        TicketEvent.create(ticket=row.id, at=now, operator=office.operator, action="recompute",
                           from_status=row.status, to_status=row.status, due_date=due,
                           note=str(year))
        journal.record(office, "ticket", row.number, "recompute_due", before=before,
                       after={"due_date": due, "due_provisional": provisional})
        changed += 1
    return changed
