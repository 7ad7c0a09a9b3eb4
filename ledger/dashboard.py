"""The office at a glance: the figures the TUI's dashboard shows.

Each figure is its own call (``figure(office, name)``, names in ``FIGURES``) so a face can
show each one as it arrives, and each number in it is one indexed query: the dashboard
paints as fast on a million tickets as on a thousand (``tests/domain/test_dashboard.py``
checks the plans). What counts as *open*, *overdue* and *due soon* is each area's own rule:
the counts go through the area's ``count_X`` with the area's filter, the very filter its
list takes, so a figure and the list it opens agree.

- ``duty``: who is on duty today at each post (``roster.today``; committee members and
  staff alike, ``kind`` says which);
- ``tickets``: open, overdue and due-soon tickets;
- ``petitions``: open, overdue and due-soon petitions and the nearest coming deadlines;
- ``trainings``: this week's sessions (office-local Monday to Sunday), today's marked;
- ``villages``: each village's active members, open tickets and open petitions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ledger.office import Office

FIGURES = ("duty", "tickets", "petitions", "trainings", "villages")
NEAREST = 6  # how many coming petition deadlines the dashboard lists
WEEK_SESSIONS = 12  # at most this many of the week's sessions are listed (all are counted)


def counts(office: Office) -> dict[str, int]:
    """Villages, active members, open and overdue tickets and petitions."""
    from ledger import members, petitions, tickets, villages

    return {
        "villages": villages.count_villages(office),
        "members": members.count_members(office, members.MemberFilter(active=True)),
        "open_tickets": tickets.count_tickets(office, tickets.TicketFilter(state="open")),
        # Only a running clock has a due date to miss (``running_due``): no state condition.
        "overdue_tickets": tickets.count_tickets(office, tickets.TicketFilter(overdue=True)),
        "open_petitions": petitions.count_petitions(
            office, petitions.PetitionFilter(state="open")),
        "overdue_petitions": petitions.count_petitions(
            office, petitions.PetitionFilter(state="open", overdue=True)),
    }


def duty_today(office: Office) -> list[dict[str, Any]]:
    """Who is on duty today at each post (``ledger.roster.today``): ``person`` is a committee
    member's or a staff member's name, ``kind`` says which (empty on a gap)."""
    from ledger import roster

    return [{"post": s["post_name"], "shift": s["shift"], "person": s["person"],
             "kind": s["holder_kind"], "gap": s["gap"], "starts_at": s["starts_at"],
             "ends_at": s["ends_at"]}
            for s in roster.today(office)]


def tickets_due(office: Office) -> dict[str, int]:
    """Open, overdue and due-soon tickets (the tickets list's own filters)."""
    from ledger import tickets

    def n(**kw: Any) -> int:
        return tickets.count_tickets(office, tickets.TicketFilter(**kw))

    return {"open": n(state="open"), "overdue": n(overdue=True), "due_soon": n(due_soon=True)}


def petitions_due(office: Office, *, nearest: int = NEAREST) -> dict[str, Any]:
    """Open, overdue and due-soon petitions, and the ``nearest`` coming deadlines (today or
    later, soonest first: ``number``, ``summary``, ``next_due``, ``next_due_kind``,
    ``days_left``), read along the deadline index."""
    from ledger import petitions
    from ledger.models.petitions import Petition

    def n(**kw: Any) -> int:
        return petitions.count_petitions(office, petitions.PetitionFilter(state="open", **kw))

    today = office.today()
    # Only an open petition has a next deadline (``next_due`` is NULL once it is closed),
    # so the (next_due, id) index answers alone, in order.
    query = (Petition.select(Petition.id, Petition.number, Petition.summary,
                             Petition.next_due, Petition.next_due_kind)
             .where(Petition.next_due >= today)
             .order_by(Petition.next_due, Petition.id).limit(nearest))
    coming = []
    for pid, number, summary, due, kind in query.tuples():
        if isinstance(due, str):  # SQLite's ISO text
            due = dt.date.fromisoformat(due[:10])
        coming.append({"id": pid, "number": number, "summary": summary, "next_due": due,
                       "next_due_kind": kind, "days_left": (due - today).days})
    return {"open": n(), "overdue": n(overdue=True), "due_soon": n(due_soon=True),
            "nearest": coming}


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The Monday and Sunday of ``day``'s week."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def trainings(office: Office, *, limit: int = WEEK_SESSIONS) -> dict[str, Any]:
    """This week's training sessions in start order (at most ``limit``), how many there
    are this week and today, and the days they span (``today``, ``week``: the filters the
    training list takes)."""
    from ledger import training

    today = office.today()
    monday, sunday = week_of(today)
    week = training.TrainingFilter(date_from=monday, date_to=sunday)
    sessions = [
        {"id": s["id"], "title": s["title"], "starts_at": s["starts_at"],
         "ends_at": s["ends_at"], "place": s["place"], "state": s["state"],
         "today": office.clock.to_local(s["starts_at"]).date() == today}
        for s in training.list_sessions(office, week, limit=limit)]
    return {
        "today": today, "week": (monday, sunday), "sessions": sessions,
        "week_count": training.count_sessions(office, week),
        "today_count": training.count_sessions(
            office, training.TrainingFilter(date_from=today, date_to=today)),
    }


def villages(office: Office) -> list[dict[str, Any]]:
    """Each village in code order with its active members, open tickets and open
    petitions: one grouped query per figure (tickets and petitions read their open states
    along the state index)."""
    from peewee import SQL, fn

    from ledger.models.members import Village
    from ledger.models.petitions import Petition
    from ledger.models.tickets import Ticket
    from ledger.petitions.rules import OPEN_STATES as PETITION_OPEN
    from ledger.tickets.rules import OPEN_STATES as TICKET_OPEN
    from ledger.villages.query import active_member_counts

    def grouped(model: Any, states: tuple[str, ...]) -> dict[int, int]:
        # Grouped by state as well, in the (state, village) index's own order: grouped by
        # village alone, SQLite's planner (with a big office's statistics) walks the whole
        # village index instead, 4 s on a million tickets.
        query = (model.select(model.village, fn.COUNT(SQL("*")))
                 .where(model.state.in_(states)).group_by(model.state, model.village))
        counted: dict[int, int] = {}
        for village, number in query.tuples():
            if village is not None:
                counted[village] = counted.get(village, 0) + number
        return counted

    members = active_member_counts()
    open_tickets = grouped(Ticket, TICKET_OPEN)
    open_petitions = grouped(Petition, PETITION_OPEN)
    return [{"id": vid, "code": code, "name": name,
             "members": members.get(vid, 0), "open_tickets": open_tickets.get(vid, 0),
             "open_petitions": open_petitions.get(vid, 0)}
            for vid, code, name in Village.select(Village.id, Village.code, Village.name)
            .order_by(Village.code).tuples()]


_FIGURE: dict[str, Callable[[Office], Any]] = {
    "duty": duty_today,
    "tickets": tickets_due,
    "petitions": petitions_due,
    "trainings": trainings,
    "villages": villages,
}


def figure(office: Office, name: str) -> Any:
    """One of ``FIGURES``."""
    return _FIGURE[name](office)


def overview(office: Office) -> dict[str, Any]:
    """Every figure at once (``as_of``: the office's today), for a face that shows them
    together; the TUI asks for each with ``figure`` instead, to show each as it comes."""
    return {"as_of": office.today(), **{name: figure(office, name) for name in FIGURES}}
