"""Duty rosters (值班): duty posts (the convenience service centre and the village service
stations), who is eligible at each, periods of unavailability, a fair rotation, manual
assignment and swaps (换班), gaps, who is on duty, and the .ics / .xlsx exports.

The faces import everything from here: ``from ledger import roster``;
``roster.plan(office, "CENTRE", date_from, date_to, dry_run=True)``,
``roster.swap(office, 12, 15, reason="…")``, ``roster.today(office)``.

Who may stand duty is a committee member or one of the office's staff, one notion
(``OnDuty``, ``ledger.roster.people``): ``roster.add_eligible(office, "CENTRE",
["许少伟", "staff:王芳"])``. The rules are in ``ledger.roster.rules``, the rotation in
``ledger.roster.plan``.
"""

from ledger.roster.export import ics_bytes, shift_uid, xlsx_bytes
from ledger.roster.people import OnDuty
from ledger.roster.people import resolve as resolve_on_duty
from ledger.roster.plan import plan
from ledger.roster.query import (
    ShiftFilter,
    count_shifts,
    eligible,
    eligible_people,
    find_post,
    find_shift,
    gaps,
    get_post,
    get_shift,
    grid,
    iter_shifts,
    list_posts,
    list_shifts,
    list_unavailability,
    today,
    week_start,
    who,
)
from ledger.roster.report import coverage, report
from ledger.roster.rules import (
    KINDS,
    SOURCES,
    UNAVAILABLE_REASONS,
    clean_eligible,
    clean_holder,
    clean_post,
    clean_unavailability,
    parse_shifts,
)
from ledger.roster.service import (
    add_eligible,
    add_post,
    add_unavailable,
    assign,
    edit_post,
    remove_eligible,
    remove_unavailable,
    swap,
)

__all__ = [
    "KINDS", "SOURCES", "UNAVAILABLE_REASONS", "OnDuty", "ShiftFilter", "add_eligible",
    "add_post", "add_unavailable", "assign", "clean_eligible", "clean_holder", "clean_post",
    "clean_unavailability", "count_shifts", "coverage", "edit_post", "eligible",
    "eligible_people", "find_post", "find_shift", "gaps", "get_post", "get_shift", "grid",
    "ics_bytes", "iter_shifts", "list_posts", "list_shifts", "list_unavailability",
    "parse_shifts", "plan", "remove_eligible", "remove_unavailable", "report",
    "resolve_on_duty", "shift_uid", "swap", "today", "week_start", "who", "xlsx_bytes",
]
