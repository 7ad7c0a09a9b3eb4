"""Petitions (信访): registration, the procedure of the 信访工作条例, its deadlines, repeat
petitions and the report. Faces call these functions; each returns plain dicts.

    from ledger import petitions
    p = petitions.register(office, channel="visit", category="land_demolition",
                           summary="…", petitioners=[{"name": "王五", "phone": "13800000000"}])
    petitions.accept(office, p["number"])
"""

from ledger.petitions.due import DEADLINE_STATES, KINDS, OFFICE_KINDS, next_due_label
from ledger.petitions.query import (
    PetitionFilter,
    chain,
    count_petitions,
    deadlines,
    get_petition,
    iter_petitions,
    list_petitions,
)
from ledger.petitions.report import report
from ledger.petitions.rules import (
    CHANNELS,
    MAX_REPRESENTATIVES,
    STATES,
    TRANSITIONS,
    allowed_actions,
    categories,
    clean_petition,
    label,
    parse_petitioner,
    parse_petitioners,
    place_person_error,
    refusal,
)
from ledger.petitions.service import (
    accept,
    assign,
    close,
    decline,
    extend,
    recompute_deadlines,
    register,
    reply,
    request_rereview,
    request_review,
    rereview,
    review,
)

DEADLINE_KINDS = tuple(KINDS)

__all__ = [
    "CHANNELS",
    "DEADLINE_KINDS",
    "DEADLINE_STATES",
    "MAX_REPRESENTATIVES",
    "OFFICE_KINDS",
    "STATES",
    "TRANSITIONS",
    "PetitionFilter",
    "accept",
    "allowed_actions",
    "assign",
    "categories",
    "next_due_label",
    "chain",
    "clean_petition",
    "close",
    "count_petitions",
    "deadlines",
    "decline",
    "extend",
    "get_petition",
    "iter_petitions",
    "label",
    "list_petitions",
    "parse_petitioner",
    "parse_petitioners",
    "place_person_error",
    "refusal",
    "recompute_deadlines",
    "register",
    "reply",
    "report",
    "request_rereview",
    "request_review",
    "rereview",
    "review",
]
