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
from typing import Any, cast

from peewee import SQL, fn

from ledger import access, journal, lists, search
from ledger.db import parse_id
from ledger.errors import NotFound, ValidationError
from ledger.fields import date_range
from ledger.items import resolve_item
from ledger.lookups import find_staff_row, village_ref
from ledger.models.members import Village
from ledger.models.tickets import ServiceItem, Ticket, TicketEvent
from ledger.office import Office
from ledger.tickets import rules
from ledger.workcal import calendar_for

OPEN = "open"  # a pseudo-state for filters: received, in progress or returned


@dataclass(frozen=True)
class TicketFilter:
    state: str | None = None  # one of rules.STATES, or "open"
    village: Any = None  # id, code or name
    agent: Any = None  # a staff member (id or name), else an agent's name as written
    item: Any = None  # id, code or name
    overdue: bool = False
    due_soon: bool = False
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    search: str | None = None  # number, applicant, enterprise, project (ledger.search)
    # How many working days ahead "due soon" reaches; None: tickets.due_soon_working_days
    # (the lists). Reminders pass their own lead (remind.lead_working_days).
    lead_working_days: int | None = None


_COLUMNS = (Ticket.id, Ticket.number, Ticket.track, Ticket.item, Ticket.applicant_name,
            Ticket.applicant_phone, Ticket.applicant_id_number, Ticket.village,
            Ticket.enterprise, Ticket.project, Ticket.agent, Ticket.agent_staff,
            Ticket.received_at, Ticket.received_on, Ticket.state, Ticket.due_date,
            Ticket.due_provisional, Ticket.running_due, Ticket.done_on, Ticket.on_time,
            Ticket.satisfaction)

SEARCH = search.Columns(
    name=Ticket.applicant_name, initials=Ticket.applicant_initials,
    pinyin=Ticket.applicant_pinyin, phone=Ticket.applicant_phone,
    id_number=Ticket.applicant_id_number, number=Ticket.number,
    texts=(Ticket.enterprise, Ticket.project))


def _where(office: Office, f: TicketFilter) -> tuple[list[Any], bool]:
    """The conditions for ``f`` and whether the result is ordered by deadline."""
    conds: list[Any] = []
    if f.state:
        if f.state == OPEN:
            # A running clock (all that overdue / due soon look at) is always open: leave
            # the condition out there, so the running_due index answers alone.
            if not (f.overdue or f.due_soon):
                conds.append(Ticket.state.in_(rules.OPEN_STATES))
        elif f.state in rules.STATES:
            conds.append(Ticket.state == f.state)
        else:
            raise ValidationError("state", "error.bad_choice", value=f.state,
                                  choices=", ".join((*rules.STATES, OPEN)))
    if f.village not in (None, ""):
        village = village_ref(f.village)
        conds.append(Ticket.village == (village.id if village else None))
    if f.agent not in (None, ""):
        conds.append(_agent_condition(f.agent))
    if f.item not in (None, ""):
        conds.append(Ticket.item == resolve_item(f.item).id)
    conds += date_range(Ticket.received_on, f.received_from, f.received_to, "received_to")
    by_deadline = bool(f.overdue or f.due_soon)
    if by_deadline:
        today = office.today()
        if f.due_soon:  # the working calendar only when the list reaches ahead
            lead = (office.settings["tickets.due_soon_working_days"]
                    if f.lead_working_days is None else f.lead_working_days)
            soon = rules.soon_limit(calendar_for(office), today, lead)
        if f.overdue and f.due_soon:
            conds.append(Ticket.running_due <= soon)
        elif f.overdue:
            conds.append(Ticket.running_due < today)
        else:
            conds.append(Ticket.running_due.between(today, soon))
    term = search.parse(f.search)
    if term is not None:
        conds.append(search.condition(term, SEARCH))
    return conds, by_deadline


def _agent_condition(ref: Any) -> Any:
    """A staff member's tickets (by the record, whatever name each ticket was written
    under); a name that is no staff record's: the tickets that name matches nobody on
    (``jiedao staff unmatched`` lists them)."""
    person = find_staff_row(ref)
    if person is not None:
        return Ticket.agent_staff == person.id
    return (Ticket.agent == str(ref).strip()) & Ticket.agent_staff.is_null()


def _query(office: Office, f: TicketFilter, columns: tuple[Any, ...] = _COLUMNS) -> Any:
    conds, by_deadline = _where(office, f)
    query = Ticket.select(*columns)
    if conds:
        query = query.where(*conds)
    if by_deadline:
        return query.order_by(Ticket.running_due, Ticket.id)
    return query.order_by(Ticket.id.desc())


def iter_tickets(office: Office, f: TicketFilter | None = None, *, offset: int = 0,
                 limit: int | None = None, reveal: bool = False) -> Iterator[dict[str, Any]]:
    """Matching tickets as list rows, read lazily as tuples: for exports of any size. Phones
    and ID numbers are masked unless ``reveal``, which is journaled once (filters, count)."""
    f = f or TicketFilter()
    rows = _rows(office, lists.page(_query(office, f), offset, limit), reveal)
    if reveal:
        lists.journal_reveal(office, "ticket", f,
                             count=lists.shown(count_tickets(office, f), offset, limit))
    return rows


def _rows(office: Office, query: Any, reveal: bool) -> Iterator[dict[str, Any]]:
    items = {i: (c, n) for i, c, n in
             ServiceItem.select(ServiceItem.id, ServiceItem.code, ServiceItem.name).tuples()}
    villages = dict(Village.select(Village.id, Village.name).tuples())
    today = office.today()
    soon: dt.date | None = None  # the last due-soon day: asked of the calendar when needed
    show_id, show_phone, deadline = rules.show_id, rules.show_phone, rules.deadline_state
    day, instant = lists.Dates(), lists.instant
    utc = dt.UTC
    for (tid, number, track, item_id, name, phone, id_number, village_id, enterprise,
         project, agent, agent_id, received_at, received_on, state, due, provisional,
         running_due, done_on, on_time, satisfaction) in lists.raw(office, query):
        # A day seen before is a dict hit, not a call: four date columns a row add up.
        received_at = instant(received_at)
        received_on = day[received_on] if received_on in day else day(received_on)
        due = day[due] if due in day else day(due)
        running_due = day[running_due] if running_due in day else day(running_due)
        done_on = day[done_on] if done_on in day else day(done_on)
        if soon is None and running_due is not None and running_due >= today:
            # Only a running clock not yet overdue needs it: a page of finished or overdue
            # tickets reads no calendar.
            soon = rules.soon_limit(calendar_for(office), today,
                                    office.settings["tickets.due_soon_working_days"])
        code, item_name = items.get(item_id, ("", ""))
        yield {
            "id": tid, "number": number, "track": track, "item_code": code, "item": item_name,
            "applicant_name": name, "applicant_phone": show_phone(phone, reveal),
            "applicant_id_number": show_id(id_number, reveal),
            "village": villages.get(village_id, "") if village_id else "",
            "enterprise": enterprise, "project": project, "agent": agent,
            "agent_id": agent_id, "received_at": received_at.replace(tzinfo=utc),
            "received_on": received_on,
            "state": state, "due_date": due, "due_provisional": bool(provisional),
            "deadline_state": deadline(running_due, today, soon or today), "done_on": done_on,
            "on_time": None if on_time is None else bool(on_time),
            "satisfaction": satisfaction,
        }


def iter_due(office: Office, f: TicketFilter) -> Iterator[tuple[int, str, str, dt.date,
                                                                 str, int | None]]:
    """``(id, number, item name, due date, agent, agent's staff id)`` of the tickets ``f``
    matches, in the list's order: the rows ``iter_tickets`` gives (the same conditions), with
    only what reminders need of each, read as tuples. Phones and ID numbers are not read at all."""
    query = _query(office, f, (Ticket.id, Ticket.number, Ticket.item, Ticket.due_date,
                               Ticket.agent, Ticket.agent_staff))
    names = dict(ServiceItem.select(ServiceItem.id, ServiceItem.name).tuples())
    day = lists.Dates()
    for tid, number, item_id, due, agent, agent_id in lists.raw(office, query):
        yield tid, number, names.get(item_id, ""), cast(dt.date, day(due)), agent, agent_id


def list_tickets(office: Office, f: TicketFilter | None = None, *, offset: int = 0,
                 limit: int | None = 50, reveal: bool = False) -> list[dict[str, Any]]:
    """One page of ``iter_tickets`` (newest first; by due date when filtering on deadlines);
    a reveal is journaled with the ids shown."""
    f = f or TicketFilter()
    rows = list(_rows(office, lists.page(_query(office, f), offset, limit), reveal))
    if reveal:
        lists.journal_reveal(office, "ticket", f, ids=[r["id"] for r in rows])
    return rows


def count_tickets(office: Office, f: TicketFilter | None = None) -> int:
    conds, _ = _where(office, f or TicketFilter())
    # COUNT(*) itself, not peewee's count() of a wrapped subquery: SQLite counts a whole
    # table from its smallest index in a third of the time.
    query = Ticket.select(fn.COUNT(SQL("*")))
    if conds:
        query = query.where(*conds)
    return int(query.scalar())


NUMBER_RE = re.compile(r"^[A-Z]{1,10}-\d{4}-\d{4,}$")


def find_ticket(ref: Any) -> Ticket:
    text = "" if ref is None else str(ref).strip().upper()
    query = Ticket.select()
    if NUMBER_RE.match(text):
        query = query.where(Ticket.number == text)
    elif parse_id(text) is not None:
        query = query.where(Ticket.id == parse_id(text))
    else:
        raise NotFound("ticket", ref)
    row = query.first()
    if row is None:
        raise NotFound("ticket", ref)
    return row


def event_dict(event: TicketEvent) -> dict[str, Any]:
    return {
        "at": event.at.replace(tzinfo=dt.UTC),
        "operator": event.operator,
        "action": event.action,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "due_date": event.due_date,
        "note": event.note,
    }


def ticket_dict(office: Office, row: Ticket, *, reveal: bool = False,
                history: bool = True) -> dict[str, Any]:
    item = ServiceItem.get_by_id(row.item_id)
    village = Village.get_or_none(Village.id == row.village_id) if row.village_id else None
    cal = calendar_for(office)
    today = office.today()
    soon = rules.soon_limit(cal, today, office.settings["tickets.due_soon_working_days"])
    materials = rules.materials_checklist(row.materials)
    data: dict[str, Any] = {
        "id": row.id,
        "number": row.number,
        "track": row.track,
        "item_id": item.id,
        "item_code": item.code,
        "item": item.name,
        "level": item.level,
        "applicant_name": row.applicant_name,
        "applicant_id_number": rules.show_id(row.applicant_id_number, reveal),
        "applicant_phone": rules.show_phone(row.applicant_phone, reveal),
        "village_id": row.village_id,
        "village": village.name if village else "",
        "enterprise": row.enterprise,
        "project": row.project,
        "agent": row.agent,
        "agent_id": row.agent_id,
        "received_at": row.received_at.replace(tzinfo=dt.UTC),
        "received_on": row.received_on,
        "state": row.state,
        "time_limit_days": row.time_limit_days,
        "due_date": row.due_date,
        "due_provisional": bool(row.due_provisional),
        "deadline_state": rules.deadline_state(row.running_due, today, soon),
        "returned_on": row.returned_on,
        "returned_days": row.returned_days,
        "materials": materials,
        "materials_missing": [m["name"] for m in materials if not m["checked"]],
        "done_on": row.done_on,
        "working_days_taken": row.working_days_taken,
        "on_time": row.on_time,
        "satisfaction": row.satisfaction,
        "satisfaction_comment": row.satisfaction_comment,
        "notes": row.notes,
        "version": row.version,
    }
    data["allowed_actions"] = rules.allowed_actions(data)
    if history:
        data["history"] = [event_dict(e) for e in
                           TicketEvent.select().where(TicketEvent.ticket == row.id)
                           .order_by(TicketEvent.id)]
    return data


def get_ticket(office: Office, ref: Any, *, reveal: bool = False) -> dict[str, Any]:
    row = find_ticket(ref)
    data = ticket_dict(office, row, reveal=reveal)
    if reveal and (row.applicant_id_number or row.applicant_phone):
        access.require(office, "reveal", "ticket", row.id)
        journal.record_reveal(office, "ticket", row.id)
    return data


def agents(office: Office) -> list[str]:
    """Agent names in use, for a face's suggestions.

    A loose index scan (each next name is one index seek on ``ticket(agent, id)``), not a
    DISTINCT over every ticket: a handful of agents over a million tickets costs
    microseconds, not the 70 ms of a full scan the list screen would wait behind."""
    sql = ("WITH RECURSIVE agents(name) AS ("
           " SELECT MIN(agent) FROM ticket WHERE agent > ''"
           " UNION ALL"
           " SELECT (SELECT MIN(agent) FROM ticket WHERE agent > agents.name)"
           " FROM agents WHERE agents.name IS NOT NULL)"
           " SELECT name FROM agents WHERE name IS NOT NULL")
    return [name for (name,) in office.db.execute_sql(sql).fetchall()]
