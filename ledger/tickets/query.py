"""Finding tickets: one frozen filter, a paged list, a count, and a stream for big exports.

Every filter is a condition on an indexed column, and overdue / due soon are a range on
``running_due`` (the due date while the clock runs), so the first page costs the same on a
thousand tickets as on a million. Rows are read as tuples and item and village names come
from two small lookups, not a join per row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ledger import journal
from ledger.errors import ValidationError
from ledger.fields import date_range
from ledger.items import resolve_item
from ledger.lookups import village_ref
from ledger.models.members import Village
from ledger.models.tickets import ServiceItem, Ticket
from ledger.tickets import rules
from ledger.workcal import calendar_for

OPEN = "open"  # a pseudo-status for filters: received, in progress or returned


@dataclass(frozen=True)
class TicketFilter:
    status: str | None = None  # one of rules.STATUSES, or "open"
    village: Any = None  # id, code or name
    agent: str | None = None
    item: Any = None  # id, code or name
    overdue: bool = False
    due_soon: bool = False
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    search: str | None = None  # number, applicant name, pinyin initials, enterprise


_COLUMNS = (Ticket.id, Ticket.number, Ticket.track, Ticket.item, Ticket.applicant_name,
            Ticket.applicant_phone, Ticket.applicant_id_number, Ticket.village,
            Ticket.enterprise, Ticket.project, Ticket.agent, Ticket.received_at,
            Ticket.received_on, Ticket.status, Ticket.due_date, Ticket.due_provisional,
            Ticket.running_due, Ticket.done_on, Ticket.on_time, Ticket.satisfaction)

_NUMBERISH = re.compile(r"^[A-Za-z]{0,10}-?\d[\d-]*$")
_LATIN = re.compile(r"^[A-Za-z]+$")


def _where(office: Any, f: TicketFilter) -> tuple[list[Any], bool]:
    """The conditions for ``f`` and whether the result is ordered by deadline."""
    conds: list[Any] = []
    if f.status:
        if f.status == OPEN:
            # A running clock (all that overdue / due soon look at) is always open: leave
            # the condition out there, so the running_due index answers alone.
            if not (f.overdue or f.due_soon):
                conds.append(Ticket.status.in_(rules.OPEN_STATUSES))
        elif f.status in rules.STATUSES:
            conds.append(Ticket.status == f.status)
        else:
            raise ValidationError("status", "error.bad_choice", value=f.status,
                                  choices=", ".join((*rules.STATUSES, OPEN)))
    if f.village not in (None, ""):
        village = village_ref(f.village)
        conds.append(Ticket.village == (village.id if village else None))
    if f.agent:
        conds.append(Ticket.agent == f.agent.strip())
    if f.item not in (None, ""):
        conds.append(Ticket.item == resolve_item(f.item).id)
    conds += date_range(Ticket.received_on, f.received_from, f.received_to, "received_to")
    by_deadline = bool(f.overdue or f.due_soon)
    if by_deadline:
        today = office.today()
        soon = rules.soon_limit(calendar_for(office), today,
                                office.settings["tickets.due_soon_working_days"])
        if f.overdue and f.due_soon:
            conds.append(Ticket.running_due <= soon)
        elif f.overdue:
            conds.append(Ticket.running_due < today)
        else:
            conds.append(Ticket.running_due.between(today, soon))
    if f.search and f.search.strip():
        term = f.search.strip()
        if _NUMBERISH.match(term):
            conds.append(Ticket.number.contains(term.upper()))
        elif _LATIN.match(term):
            low = term.lower()
            conds.append(Ticket.applicant_initials.startswith(low)
                         | Ticket.applicant_pinyin.startswith(low))
        else:
            conds.append(Ticket.applicant_name.contains(term)
                         | Ticket.enterprise.contains(term) | Ticket.project.contains(term))
    return conds, by_deadline


def _query(office: Any, f: TicketFilter, columns: tuple[Any, ...] = _COLUMNS) -> Any:
    conds, by_deadline = _where(office, f)
    query = Ticket.select(*columns)
    if conds:
        query = query.where(*conds)
    if by_deadline:
        return query.order_by(Ticket.running_due, Ticket.id)
    return query.order_by(Ticket.id.desc())


def _page(offset: int, limit: int | None) -> tuple[int, int | None]:
    if offset < 0:
        raise ValidationError("offset", "error.ticket_bad_page")
    if limit is not None and limit < 0:
        raise ValidationError("limit", "error.ticket_bad_page")
    return offset, limit


def iter_tickets(office: Any, f: TicketFilter | None = None, *, offset: int = 0,
                 limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Matching tickets as list rows, read lazily: for exports of any size. Phones and ID
    numbers are masked; ``list_tickets(reveal=True)`` shows them, and journals it."""
    return _rows(office, f, offset=offset, limit=limit, reveal=False)


def _rows(office: Any, f: TicketFilter | None, *, offset: int, limit: int | None,
          reveal: bool) -> Iterator[dict[str, Any]]:
    f = f or TicketFilter()
    offset, limit = _page(offset, limit)
    query = _query(office, f)
    if limit is not None:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)  # peewee adds SQLite's "LIMIT -1" when needed
    items = {i: (c, n) for i, c, n in
             ServiceItem.select(ServiceItem.id, ServiceItem.code, ServiceItem.name).tuples()}
    villages = dict(Village.select(Village.id, Village.name).tuples())
    today = office.today()
    soon = rules.soon_limit(calendar_for(office), today,
                            office.settings["tickets.due_soon_working_days"])
    show_id, show_phone, state = rules.show_id, rules.show_phone, rules.deadline_state
    utc = dt.UTC
    for (tid, number, track, item_id, name, phone, id_number, village_id, enterprise,
         project, agent, received_at, received_on, status, due, provisional, running_due,
         done_on, on_time, satisfaction) in query.tuples().iterator():
        code, item_name = items.get(item_id, ("", ""))
        yield {
            "id": tid, "number": number, "track": track, "item_code": code, "item": item_name,
            "applicant_name": name, "applicant_phone": show_phone(phone, reveal),
            "applicant_id_number": show_id(id_number, reveal),
            "village": villages.get(village_id, "") if village_id else "",
            "enterprise": enterprise, "project": project, "agent": agent,
            "received_at": received_at.replace(tzinfo=utc), "received_on": received_on,
            "status": status, "due_date": due, "due_provisional": bool(provisional),
            "deadline_state": state(running_due, today, soon), "done_on": done_on,
            "on_time": None if on_time is None else bool(on_time),
            "satisfaction": satisfaction,
        }


def list_tickets(office: Any, f: TicketFilter | None = None, *, offset: int = 0,
                 limit: int | None = 50, reveal: bool = False) -> list[dict[str, Any]]:
    """One page of matching tickets (newest first; by due date when filtering on deadlines).

    Revealing personal data is journaled once per list, with the filter and row count.
    """
    rows = list(_rows(office, f, offset=offset, limit=limit, reveal=reveal))
    if reveal and rows:
        with office.transaction():
            journal.record(office, "ticket", "list", "reveal",
                           note=f"{len(rows)} rows; filter {f or TicketFilter()!r}")
    return rows


def count_tickets(office: Any, f: TicketFilter | None = None) -> int:
    conds, _ = _where(office, f or TicketFilter())
    query = Ticket.select(Ticket.id)
    if conds:
        query = query.where(*conds)
    return query.count()
