"""Who stands duty (值班人员): a committee member or one of the office's own staff, as one
notion, ``OnDuty`` — the rest of the roster never asks which kind a person is.

A row of eligibility, unavailability or a shift names its person in one of two columns
(``person_id`` for a member, ``staff_id`` for staff; the schema's CHECK allows one). This
module is the only place that knows it: ``holder(person_id, staff_id)`` reads a row's person,
``columns(who)`` writes it, ``holds(Model, who)`` / ``held_by(Model, people)`` are the
conditions, ``names(people)`` reads many names at once, and ``resolve`` turns what a clerk
typed into one person.

What a clerk may type for a person:
- a member as the members list finds them: name, pinyin initials or full pinyin, an ID
  number's tail, ``#12`` (a member's id) — ``ledger.training.people``, as at check-in;
- a staff member by name (exact, or part of it), pinyin initials or full pinyin;
- ``staff:NAME`` / ``staff:#3`` (staff only) or ``member:TERM`` (members only) when a name
  means both a member and a staff member: a term that matches both is an error naming both,
  never a guess.

Retired staff (``active`` false) stay readable — their past shifts keep their names — but are
never planned, assigned or made eligible (``check_can_stand``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ledger.errors import ValidationError
from ledger.models import Person, Village
from ledger.models.staff import Staff
from ledger.people import pinyin_keys, search_terms

if TYPE_CHECKING:
    from ledger.office import Office

MEMBER, STAFF = "member", "staff"
KINDS = (MEMBER, STAFF)
_PREFIXES = {"staff:": STAFF, "staff：": STAFF, "member:": MEMBER, "member：": MEMBER}


@dataclass(frozen=True, order=True)
class OnDuty:
    """A person who may stand duty: a member (``kind="member"``, ``id`` a ``Person`` id) or
    staff (``kind="staff"``, a ``Staff`` id). Equal and hashed by kind and id; ``name`` and
    ``active`` ride along for messages and checks."""

    kind: str
    id: int
    name: str = field(default="", compare=False)
    active: bool = field(default=True, compare=False)

    @property
    def key(self) -> str:
        """``member:12`` / ``staff:3``: how dicts and the faces name the person."""
        return f"{self.kind}:{self.id}"

    @property
    def ref(self) -> str:
        """A term ``resolve`` reads back as this very person."""
        return f"#{self.id}" if self.kind == MEMBER else f"staff:#{self.id}"

    @property
    def person_id(self) -> int | None:
        return self.id if self.kind == MEMBER else None

    @property
    def staff_id(self) -> int | None:
        return self.id if self.kind == STAFF else None


def holder(person_id: int | None, staff_id: int | None) -> OnDuty | None:
    """The person a row names (None: nobody, a gap)."""
    if person_id is not None:
        return OnDuty(MEMBER, person_id)
    if staff_id is not None:
        return OnDuty(STAFF, staff_id)
    return None


def holder_of(row: Any) -> OnDuty | None:
    """The person of a row of eligibility, unavailability or a shift."""
    return holder(row.person_id, row.staff_id)


def columns(who: OnDuty | None) -> dict[str, int | None]:
    """The two columns that store ``who`` on a shift (both None: nobody, a gap)."""
    from ledger.roster.rules import clean_holder

    return clean_holder({"person_id": who.person_id if who else None,
                         "staff_id": who.staff_id if who else None}, required=False)


def holds(model: Any, who: OnDuty) -> Any:
    """The condition: ``model``'s row names ``who``."""
    return (model.person == who.id) if who.kind == MEMBER else (model.staff == who.id)


def held_by(model: Any, people: Iterable[OnDuty]) -> Any:
    """The condition: ``model``'s row names one of ``people`` (false for none)."""
    members = sorted({p.id for p in people if p.kind == MEMBER})
    staff = sorted({p.id for p in people if p.kind == STAFF})
    conds = []
    if members:
        conds.append(model.person.in_(members))
    if staff:
        conds.append(model.staff.in_(staff))
    if not conds:
        return model.id.is_null()  # no row has no id: nothing matches
    return conds[0] | conds[1] if len(conds) == 2 else conds[0]


def nobody(model: Any) -> Any:
    """The condition: ``model``'s row names nobody (a shift that is a gap)."""
    return model.person.is_null() & model.staff.is_null()


def names(people: Iterable[OnDuty | None]) -> dict[OnDuty, str]:
    """Names of many people in two queries."""
    wanted = {p for p in people if p is not None}
    out: dict[OnDuty, str] = {}
    members = [p.id for p in wanted if p.kind == MEMBER]
    staff = [p.id for p in wanted if p.kind == STAFF]
    if members:
        out.update({OnDuty(MEMBER, i): n for i, n in
                    Person.select(Person.id, Person.name).where(Person.id.in_(members))
                    .tuples()})
    if staff:
        out.update({OnDuty(STAFF, i): n for i, n in
                    Staff.select(Staff.id, Staff.name).where(Staff.id.in_(staff)).tuples()})
    return out


def named(who: OnDuty | None) -> OnDuty | None:
    """``who`` with its name and (for staff) whether still active, read from its table."""
    if who is None:
        return None
    if who.kind == MEMBER:
        row = Person.get_by_id(who.id)
        return OnDuty(MEMBER, row.id, row.name)
    staff = Staff.get_by_id(who.id)
    return OnDuty(STAFF, staff.id, staff.name, bool(staff.active))


def describe(people: Iterable[OnDuty]) -> list[dict[str, Any]]:
    """People as the faces list them, by pinyin: ``key``, ``kind``, ``person_id``,
    ``staff_id``, ``name`` and where they belong (a member's village, a staff member's post
    in the office), and ``active`` (a retired staff member is not)."""
    wanted = set(people)
    villages = dict(Village.select(Village.id, Village.name).tuples())
    rows: list[tuple[str, dict[str, Any]]] = []
    members = [p.id for p in wanted if p.kind == MEMBER]
    staff = [p.id for p in wanted if p.kind == STAFF]
    if members:
        for pid, name, village, pinyin in Person.select(
                Person.id, Person.name, Person.village, Person.name_pinyin).where(
                Person.id.in_(members)).tuples():
            rows.append((pinyin or name, {
                "key": f"{MEMBER}:{pid}", "kind": MEMBER, "person_id": pid, "staff_id": None,
                "name": name, "village": villages.get(village, ""), "post": "",
                "active": True}))
    if staff:
        for sid, name, post, active in Staff.select(
                Staff.id, Staff.name, Staff.post, Staff.active).where(
                Staff.id.in_(staff)).tuples():
            rows.append((pinyin_keys(name)[1] or name, {
                "key": f"{STAFF}:{sid}", "kind": STAFF, "person_id": None, "staff_id": sid,
                "name": name, "village": "", "post": post, "active": bool(active)}))
    rows.sort(key=lambda r: (r[0], r[1]["kind"], r[1]["person_id"] or r[1]["staff_id"]))
    return [r for _, r in rows]


# --- what a clerk typed ----------------------------------------------------------------------


def _staff_candidates(text: str) -> list[Staff]:
    """Staff a term may mean: an id (``#3``), an exact name, exact initials or full pinyin;
    else part of the name or the start of the pinyin. The directory is small: read whole."""
    if text.startswith("#") and text[1:].isdigit():
        return list(Staff.select().where(Staff.id == int(text[1:])))
    rows = list(Staff.select().order_by(Staff.name, Staff.id))
    compact = text.replace(" ", "").replace("'", "").lower()
    keyed = [(row, *pinyin_keys(row.name)) for row in rows]
    exact = [r for r, initials, full in keyed
             if r.name == text or (compact and compact in (initials, full))]
    if exact:
        return exact
    return [r for r, initials, full in keyed
            if text in r.name or (compact.isascii() and compact.isalpha()
                                  and (initials.startswith(compact) or full.startswith(compact)))]


def _members(office: Office, text: str) -> list[dict[str, Any]]:
    from ledger.training.people import candidates

    return candidates(office, text)


def resolve(office: Office, term: Any, *, field: str = "person") -> OnDuty:
    """The one person ``term`` means (see the module's docstring), with name and state;
    none or several is a ``ValidationError`` on ``field`` (several lists them)."""
    if isinstance(term, OnDuty):
        try:
            found = named(term)
        except (Person.DoesNotExist, Staff.DoesNotExist):
            raise ValidationError(field, "error.training_no_person", term=term.ref) from None
        assert found is not None
        return found
    if isinstance(term, int) and not isinstance(term, bool):  # a member's id, as before
        row = Person.get_or_none(Person.id == term)
        if row is None:
            raise ValidationError(field, "error.training_no_person", term=term)
        return OnDuty(MEMBER, row.id, row.name)
    raw = "" if term is None else str(term).strip()
    only = None
    for prefix, kind in _PREFIXES.items():
        if raw.lower().startswith(prefix):
            only, raw = kind, raw[len(prefix):].strip()
            break
    text = search_terms(raw)
    if not text:
        raise ValidationError(field, "error.training_no_person", term=term)
    members = _members(office, text) if only != STAFF else []
    # ``#12`` alone is a member's id, as the members list shows it; staff say ``staff:#3``.
    staff = _staff_candidates(text) if only == STAFF or (
        only is None and not text.startswith("#")) else []
    if members and staff:
        # An exact name on one side only is what the clerk meant.
        exact_members = [m for m in members if m["name"] == text]
        exact_staff = [s for s in staff if s.name == text]
        if exact_members and not exact_staff:
            staff = []
        elif exact_staff and not exact_members:
            members = []
    if len(members) + len(staff) == 0:
        raise ValidationError(field, "error.training_no_person", term=term)
    if len(members) + len(staff) > 1:
        from ledger.i18n import t

        listed = [f"{m['name']}（{m['village'] or '-'}，{m['id_number'] or '#' + str(m['id'])}）"
                  for m in members]
        listed += [f"{s.name}（{t('roster.staff_label')}，staff:#{s.id}）" for s in staff]
        raise ValidationError(field, "error.training_ambiguous_person", term=term,
                              candidates="；".join(listed))
    if members:
        return OnDuty(MEMBER, members[0]["id"], members[0]["name"])
    return OnDuty(STAFF, staff[0].id, staff[0].name, bool(staff[0].active))


def check_can_stand(who: OnDuty, *, field: str = "person") -> None:
    """Refuse a retired staff member for duty from now on (eligibility, assignment)."""
    if not who.active:
        raise ValidationError(field, "error.roster_staff_retired", person=who.name)
