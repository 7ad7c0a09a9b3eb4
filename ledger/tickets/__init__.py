"""Proxy tickets (代办件): full-process proxy service for residents and key projects.

The faces import everything from here: ``from ledger import tickets``;
``tickets.open_ticket(office, item="R11", applicant_name="许桂兰", …)``.
"""

from ledger.tickets.query import (
    OPEN,
    TicketFilter,
    agents,
    count_tickets,
    find_ticket,
    get_ticket,
    iter_tickets,
    list_tickets,
)
from ledger.tickets.report import report
from ledger.tickets.rules import (
    ACTIONS,
    DEADLINE_STATES,
    IRREVERSIBLE,
    NOTE_REQUIRED,
    OPEN_STATES,
    SATISFACTION,
    STATES,
    TRANSITIONS,
    allowed_actions,
    due_label,
)
from ledger.tickets.service import (
    advance,
    assign,
    check_materials,
    due_preview,
    open_ticket,
    rate,
    recompute_due_dates,
    reopen,
    resume,
    return_ticket,
    withdraw,
)

__all__ = [
    "ACTIONS", "DEADLINE_STATES", "IRREVERSIBLE", "NOTE_REQUIRED", "OPEN", "OPEN_STATES",
    "SATISFACTION", "STATES", "TRANSITIONS", "TicketFilter", "advance", "agents",
    "allowed_actions", "assign", "check_materials", "count_tickets", "due_label", "due_preview",
    "find_ticket", "get_ticket", "iter_tickets", "list_tickets", "open_ticket",
    "rate", "recompute_due_dates", "reopen", "report", "resume", "return_ticket", "withdraw",
]
