"""Members of the village two committees (村两委): people, their posts, terms and elections.

A *member* is a ``Person`` with at least one active ``Term``; a term is one post held from an
election (or an appointment) until it ends. Ending a term keeps it as history, so a person who
leaves both committees drops out of the active list but not out of the records.

    from ledger import members
    members.add_member(office, name="许少伟", village="V01", post="branch_secretary")
"""

from ledger.members.query import (
    MemberFilter,
    count_members,
    find_member,
    get_member,
    iter_members,
    list_members,
)
from ledger.members.report import report, shown_education
from ledger.members.rules import (
    COMMITTEES,
    EDITABLE_FIELDS,
    EDUCATION_LEVELS,
    GENDERS,
    POLITICAL_STATUSES,
    POSTS,
    SOLE_POSTS,
    clean_person,
    committee_of,
    term_years,
)
from ledger.members.service import add_member, add_post, edit_member, end_term

__all__ = [
    "COMMITTEES", "EDITABLE_FIELDS", "EDUCATION_LEVELS", "GENDERS", "POLITICAL_STATUSES",
    "POSTS", "SOLE_POSTS", "MemberFilter", "add_member", "add_post", "clean_person",
    "committee_of", "count_members", "edit_member", "end_term", "find_member", "get_member",
    "iter_members", "list_members", "report", "shown_education", "term_years",
]
