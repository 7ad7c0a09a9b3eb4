"""Finding the person a clerk means at check-in: by name, pinyin initials (``xsw`` ->
许少伟), full pinyin, or the tail of the ID number (``1234``, ``123X``).

Names and pinyin go through the members list's own search (``ledger.members``), so the
check-in box finds whom the members list finds. A term that matches several people is an
error listing them (name, village, masked ID tail), never a guess; an exact name or exact
initials narrows a prefix match ("李红" over "李红梅").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ledger.errors import ValidationError
from ledger.models import Person, Village
from ledger.people import mask_id_number, search_terms

if TYPE_CHECKING:
    from ledger.office import Office

ID_TAIL = re.compile(r"^\d{3,17}[\dXx]$|^\d{4,18}$")
MAX_CANDIDATES = 20


def candidates(office: Office, term: Any) -> list[dict[str, Any]]:
    """Everyone ``term`` may mean, as ``{id, name, village, id_tail}``, best first."""
    text = search_terms("" if term is None else str(term))
    if not text:
        return []
    if text.startswith("#") and text[1:].isdigit():  # a record id, as lists show it
        rows = list(Person.select().where(Person.id == int(text[1:])))
    elif ID_TAIL.match(text):
        rows = list(Person.select().where(Person.id_number.endswith(text.upper()))
                    .order_by(Person.name_pinyin, Person.id).limit(MAX_CANDIDATES))
    else:
        from ledger.members import MemberFilter, list_members

        found = list_members(office, MemberFilter(search=text, active=None),
                             limit=MAX_CANDIDATES)
        ids = [m["id"] for m in found]
        by_id = {p.id: p for p in Person.select().where(Person.id.in_(ids))} if ids else {}
        rows = [by_id[i] for i in ids if i in by_id]
        compact = text.replace(" ", "").replace("'", "")
        exact = [p for p in rows if p.name == text or p.name_initials == compact
                 or p.name_pinyin == compact]
        if exact:
            rows = exact
    villages = dict(Village.select(Village.id, Village.name).tuples())
    return [{"id": p.id, "name": p.name, "village": villages.get(p.village_id, ""),
             "id_number": mask_id_number(p.id_number)} for p in rows]


def resolve_person(office: Office, term: Any, *, field: str = "person") -> Person:
    """The one person ``term`` means; none or several is a ``ValidationError`` on
    ``field`` (several lists them)."""
    if isinstance(term, int) and not isinstance(term, bool):
        row = Person.get_or_none(Person.id == term)
        if row is None:
            raise ValidationError(field, "error.training_no_person", term=term)
        return row
    found = candidates(office, term)
    if not found:
        raise ValidationError(field, "error.training_no_person", term=term)
    if len(found) > 1:
        listed = "；".join(
            f"{c['name']}（{c['village'] or '-'}，{c['id_number'] or '#' + str(c['id'])}）"
            for c in found)
        raise ValidationError(field, "error.training_ambiguous_person", term=term,
                              candidates=listed)
    return Person.get_by_id(found[0]["id"])
