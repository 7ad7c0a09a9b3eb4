"""Who the agents of tickets and the handlers of petitions are.

A ticket's agent and a petition's handler are staff records (``agent_id``, ``handler_id``);
the name as written stays beside them. Names written before the staff directory were matched
to staff records by name when the database was upgraded (migration 0014); a name that matched
nobody keeps no record and is listed here, never dropped: someone must add the person (which
links the name's items, ``staff.service.link_written_names``) or assign the items to a staff
member."""

from __future__ import annotations

from typing import Any

from peewee import Case, fn

from ledger.models.petitions import Petition
from ledger.models.staff import Staff
from ledger.models.tickets import Ticket
from ledger.office import Office
from ledger.petitions.rules import OPEN_STATES as PETITION_OPEN
from ledger.tickets.rules import OPEN_STATES as TICKET_OPEN


def _counts(name_col: Any, id_col: Any, state_col: Any, open_states: tuple[str, ...],
            *, linked: bool) -> dict[Any, tuple[int, int]]:
    """(open, all) per staff id (``linked``) or per name written that matches nobody."""
    key = id_col if linked else name_col
    opened = fn.SUM(Case(None, [(state_col.in_(open_states), 1)], 0))
    query = (name_col.model.select(key, opened, fn.COUNT(name_col.model.id))
             .where(id_col.is_null(False) if linked else
                    (id_col.is_null() & (name_col != "")))
             .group_by(key).tuples())
    return {k: (int(o or 0), int(n)) for k, o, n in query}


def match_responsible(office: Office) -> dict[str, Any]:
    """``{"matched": [...], "unmatched": [...]}``. Matched: each staff member with open
    tickets or petitions (``staff_id``, ``name``, ``tickets``, ``petitions``: open ones).
    Unmatched: each name written that matches no staff record, with its open ``tickets`` and
    ``petitions`` and ``total``, every item carrying it, finished ones too."""
    matched: list[dict[str, Any]] = []
    names = dict(Staff.select(Staff.id, Staff.name).tuples())
    t_linked = _counts(Ticket.agent, Ticket.agent_staff, Ticket.state, TICKET_OPEN,
                       linked=True)
    p_linked = _counts(Petition.handler, Petition.handler_staff, Petition.state,
                       PETITION_OPEN, linked=True)
    for sid in sorted(set(t_linked) | set(p_linked), key=lambda i: (names.get(i, ""), i)):
        tickets, petitions = t_linked.get(sid, (0, 0))[0], p_linked.get(sid, (0, 0))[0]
        if tickets or petitions:
            matched.append({"staff_id": sid, "name": names.get(sid, ""), "tickets": tickets,
                            "petitions": petitions})
    t_free = _counts(Ticket.agent, Ticket.agent_staff, Ticket.state, TICKET_OPEN,
                     linked=False)
    p_free = _counts(Petition.handler, Petition.handler_staff, Petition.state,
                     PETITION_OPEN, linked=False)
    unmatched = []
    for name in sorted(set(t_free) | set(p_free)):
        (t_open, t_all), (p_open, p_all) = t_free.get(name, (0, 0)), p_free.get(name, (0, 0))
        unmatched.append({"name": name, "tickets": t_open, "petitions": p_open,
                          "total": t_all + p_all})
    return {"matched": matched, "unmatched": unmatched}


def report(office: Office) -> dict[str, Any]:
    return match_responsible(office)
