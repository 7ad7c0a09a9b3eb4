"""Training (培训): sessions, recurring series, attendance (签到) and credit hours (学时).

The faces import everything from here: ``from ledger import training``;
``training.add_session(office, title=…, starts_at=…, ends_at=…, credit_hours=2)``,
``training.checkin(office, session_id, people=["xsw", "1234"])``,
``training.report(office, year=2026)``.

The rules the area decided (attendance only once a session has started, late earns the full
hours, a series edit leaves moved and cancelled occurrences alone…) are in
``ledger.training.rules``; the report's definitions in ``ledger.training.report``.
"""

from ledger.training.export import ics_bytes, session_uid
from ledger.training.people import candidates, resolve_person
from ledger.training.query import (
    TrainingFilter,
    count_sessions,
    find_series,
    find_session,
    get_series,
    get_session,
    iter_sessions,
    list_series,
    list_sessions,
)
from ledger.training.report import report
from ledger.training.rules import (
    ATTENDANCE_STATES,
    AUDIENCES,
    CHECKIN_STATES,
    EARNING_STATES,
    KINDS,
    MAX_OCCURRENCES,
    SERIES_STATES,
    STATES,
    TRANSITIONS,
    allowed_actions,
    clean_series,
    clean_session,
)
from ledger.training.service import (
    add_series,
    add_session,
    cancel_session,
    checkin,
    edit_series,
    edit_session,
    end_series,
    hold_session,
    record_attendance,
    record_sheet,
    reinstate_session,
)

__all__ = [
    "ATTENDANCE_STATES", "AUDIENCES", "CHECKIN_STATES", "EARNING_STATES", "KINDS",
    "MAX_OCCURRENCES", "SERIES_STATES", "STATES", "TRANSITIONS", "TrainingFilter", "add_series",
    "add_session", "allowed_actions", "cancel_session", "candidates", "checkin",
    "clean_series", "clean_session", "count_sessions", "edit_series", "edit_session",
    "end_series", "find_series", "find_session", "get_series", "get_session",
    "hold_session", "ics_bytes", "iter_sessions", "list_series", "list_sessions",
    "record_attendance", "record_sheet", "reinstate_session", "report", "resolve_person",
    "session_uid",
]
