"""How the free-text agents of tickets and handlers of petitions match staff records.

Tickets and petitions name the person responsible in a text column; a name matches the
active staff record of that exact name (surrounding spaces ignored). Names that match nobody
are listed, never dropped: someone must add the person, or correct the name."""

from __future__ import annotations

from typing import Any

from peewee import fn

from ledger.models.petitions import Petition
from ledger.models.tickets import Ticket
from ledger.office import Office
from ledger.petitions.rules import OPEN_STATES as PETITION_OPEN
from ledger.staff.query import active_by_name
from ledger.tickets.rules import OPEN_STATES as TICKET_OPEN


def match_responsible(office: Office) -> dict[str, Any]:
    """``{"matched": [...], "unmatched": [...]}``: each distinct name with how many open
    tickets and petitions carry it and, when matched, the staff id."""
    counts: dict[str, dict[str, int]] = {}
    tickets = (Ticket.select(Ticket.agent, fn.COUNT(Ticket.id))
               .where(Ticket.state.in_(TICKET_OPEN), Ticket.agent != "")
               .group_by(Ticket.agent).tuples())
    petitions = (Petition.select(Petition.handler, fn.COUNT(Petition.id))
                 .where(Petition.state.in_(PETITION_OPEN), Petition.handler != "")
                 .group_by(Petition.handler).tuples())
    for kind, query in (("tickets", tickets), ("petitions", petitions)):
        for name, n in query:
            key = (name or "").strip()
            if key:
                counts.setdefault(key, {"tickets": 0, "petitions": 0})[kind] += n
    staff = active_by_name(office)
    matched: list[dict[str, Any]] = []
    unmatched: list[dict[str, Any]] = []
    for name in sorted(counts):
        entry = {"name": name, **counts[name]}
        if name in staff:
            matched.append({**entry, "staff_id": staff[name].id})
        else:
            unmatched.append(entry)
    return {"matched": matched, "unmatched": unmatched}


def report(office: Office) -> dict[str, Any]:
    return match_responsible(office)
