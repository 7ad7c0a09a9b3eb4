"""Staff (工作人员): the people of the office who act as agents, handle petitions and
supervise, and how reminders reach them.

    from ledger import staff
    staff.add_staff(office, name="王芳", email="wf@example.cn", channels="email")
"""

from ledger.staff.query import (
    StaffFilter,
    count_staff,
    find_staff,
    get_staff,
    iter_staff,
    list_staff,
    staff_dict,
)
from ledger.staff.report import match_responsible, report
from ledger.staff.rules import (
    CHANNELS,
    LANGUAGES,
    ROLES,
    STAFF_FIELDS,
    WEBHOOK_KINDS,
    clean_staff,
    is_email,
    parse_channels,
)
from ledger.staff.service import (
    add_staff,
    edit_staff,
    first_supervisor,
    link_written_names,
    retire_staff,
)

__all__ = [
    "CHANNELS", "LANGUAGES", "ROLES", "STAFF_FIELDS", "WEBHOOK_KINDS", "StaffFilter",
    "add_staff", "clean_staff", "count_staff", "edit_staff", "find_staff", "first_supervisor",
    "get_staff", "is_email", "iter_staff", "link_written_names", "list_staff", "match_responsible",
    "parse_channels", "report", "retire_staff", "staff_dict",
]
