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
from ledger.tickets.report import monthly, report
from ledger.tickets.rules import (
    ACTIONS,
    DEADLINE_STATES,
    EDITABLE,
    IRREVERSIBLE,
    NOTE_REQUIRED,
    OPEN_STATES,
    SATISFACTION,
    STATES,
    TRANSITIONS,
    allowed_actions,
    clean_ticket,
    due_label,
    materials_warning,
    refusal,
)
from ledger.tickets.service import (
    advance,
    assign,
    check_materials,
    due_preview,
    edit_ticket,
    open_ticket,
    rate,
    recompute_due_dates,
    reopen,
    resume,
    return_ticket,
    withdraw,
)

__all__ = [
    "ACTIONS", "DEADLINE_STATES", "EDITABLE", "IRREVERSIBLE", "NOTE_REQUIRED", "OPEN",
    "OPEN_STATES", "SATISFACTION", "STATES", "TRANSITIONS", "TicketFilter", "advance", "agents",
    "allowed_actions", "assign", "check_materials", "clean_ticket", "count_tickets", "due_label",
    "due_preview", "edit_ticket", "find_ticket", "get_ticket", "iter_tickets", "list_tickets",
    "materials_warning", "monthly", "open_ticket", "rate", "recompute_due_dates", "refusal",
    "reopen", "report", "resume", "return_ticket", "withdraw",
]
