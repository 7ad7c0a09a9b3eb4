"""Members of the village two committees (村两委): people, their posts, terms and elections.

A *member* is a ``Person`` with at least one active ``Term``; a term is one post held from an
election (or an appointment) until it ends. Ending a term keeps it as history, so a person who
leaves both committees drops out of the active list but not out of the records.

Villages live in ``ledger.villages`` and are re-exported here; the education and post report
lives in ``ledger.member_report`` (``report`` below).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta
from peewee import JOIN, Case, fn

from ledger import journal
from ledger.db import parse_id
from ledger.errors import Conflict, InvalidTransition, NotFound, ValidationError
from ledger.fields import date_field
from ledger.i18n import value_label
from ledger.models import Election, Person, Term, Village
from ledger.office import Office
from ledger.people import (
    birth_date_from_id,
    gender_from_id,
    mask_id_number,
    mask_phone,
    normalise_id_number,
    normalise_phone,
    pinyin_keys,
    search_terms,
)
from ledger.villages import (
    RELOCATION_STATUSES,
    add_village,
    choice,
    edit_village,
    find_village,
    get_village,
    list_villages,
    resolve_village,
    text_field,
)

__all__ = [
    "RELOCATION_STATUSES", "EDUCATION_LEVELS", "POLITICAL_STATUSES", "POSTS", "GENDERS",
    "COMMITTEES", "SOLE_POSTS", "EDITABLE_FIELDS", "MemberFilter", "committee_of",
    "add_village", "edit_village", "get_village", "list_villages", "resolve_village",
    "add_member", "add_post", "edit_member", "end_term", "get_member", "list_members",
    "count_members", "report",
]

# 研究生 / 大学本科 / 大专 / 高中中专 / 初中及以下
EDUCATION_LEVELS = ("postgraduate", "bachelor", "associate", "senior_secondary",
                    "junior_secondary")
# 中共党员 / 中共预备党员 / 共青团员 / 群众
POLITICAL_STATUSES = ("party_member", "probationary_member", "league_member", "masses")
# In rank order: the branch leads all village work, so its posts sort first.
POSTS = ("branch_secretary", "deputy_secretary", "branch_member",
         "committee_director", "deputy_director", "committee_member")
GENDERS = ("male", "female")
COMMITTEES = ("branch", "committee")
# Posts a village has one holder of at a time (deputies and members may be several).
SOLE_POSTS = ("branch_secretary", "committee_director")
EDITABLE_FIELDS = ("name", "id_number", "gender", "birth_date", "phone", "education",
                   "political_status", "college_graduate_official", "village", "notes")
# The date from which villagers' committees serve the longer term (2018 amendment).
LONGER_TERMS_FROM = dt.date(2018, 1, 1)


def committee_of(post: str) -> str:
    """``branch`` for the Party branch's posts, ``committee`` for the villagers' committee's."""
    if post not in POSTS:
        raise ValidationError("post", "error.bad_choice", value=post, choices=", ".join(POSTS))
    return "branch" if POSTS.index(post) < 3 else "committee"


@dataclasses.dataclass(frozen=True)
class MemberFilter:
    """What ``list_members`` shows. ``active``: True current members, False former, None all."""

    village: str | None = None
    post: str | None = None
    education: str | None = None
    active: bool | None = True
    search: str | None = None


# ---------------------------------------------------------------- values


def _age(birth: dt.date | None, on: dt.date) -> int | None:
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _bool(field: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "y", "是"):
        return True
    if text in ("0", "false", "no", "n", "否", ""):
        return False
    raise ValidationError(field, "error.bad_choice", value=value, choices="true, false")


def _village_field(ref: Any) -> Village:
    """The village a form names; unknown is a validation error on the ``village`` field."""
    if ref is None or str(ref).strip() == "":
        raise ValidationError("village", "error.required")
    row = find_village(ref)
    if row is None:
        raise ValidationError("village", "error.unknown_village", ref=ref)
    return row


def _validate_person(office: Office, data: dict[str, Any],
                     current: Person | None = None) -> dict[str, Any]:
    """Clean person fields; gender and birth date come from the ID number when blank."""
    name = text_field("name", data.get("name"), 60, required=True, label="person_name")
    id_number = normalise_id_number(data.get("id_number"))
    gender = choice("gender", data.get("gender"), GENDERS, blank=True)
    birth = date_field("birth_date", data.get("birth_date"))
    if id_number:
        id_gender, id_birth = gender_from_id(id_number), birth_date_from_id(id_number)
        if gender and gender != id_gender:
            raise ValidationError("gender", "error.gender_id_mismatch",
                                  value=value_label("gender", gender))
        if birth and birth != id_birth:
            raise ValidationError("birth_date", "error.birth_id_mismatch",
                                  value=birth.isoformat())
        gender, birth = id_gender, id_birth
    if birth and birth > office.today():
        raise ValidationError("birth_date", "error.birth_in_future", value=birth.isoformat())
    education = choice("education", data.get("education"), EDUCATION_LEVELS, blank=True)
    official = _bool("college_graduate_official", data.get("college_graduate_official", False))
    if official and education in ("senior_secondary", "junior_secondary"):
        raise ValidationError("college_graduate_official", "error.official_education")
    clean = {
        "name": name,
        "id_number": id_number,
        "gender": gender,
        "birth_date": birth,
        "phone": normalise_phone(data.get("phone")),
        "education": education,
        "political_status": choice("political_status", data.get("political_status"),
                                   POLITICAL_STATUSES, blank=True),
        "college_graduate_official": official,
        "notes": text_field("notes", data.get("notes"), 2000),
    }
    clean["name_initials"], clean["name_pinyin"] = pinyin_keys(name)
    if id_number:
        clash = Person.select().where(Person.id_number == id_number)
        if current is not None:
            clash = clash.where(Person.id != current.id)
        existing = clash.first()
        if existing is not None:
            raise Conflict("error.duplicate_id_number", name=existing.name, id=existing.id,
                           village=existing.village.name if existing.village_id else "")
    return clean


# ---------------------------------------------------------------- dicts


def _stored(row: Person) -> dict[str, Any]:
    """A person's stored fields, unmasked: what the journal keeps as before/after."""
    return {
        "name": row.name, "id_number": row.id_number, "gender": row.gender,
        "birth_date": row.birth_date, "phone": row.phone, "education": row.education,
        "political_status": row.political_status,
        "college_graduate_official": bool(row.college_graduate_official),
        "village_id": row.village_id, "notes": row.notes,
    }


def _member_dict(office: Office, row: Person, posts: list[str], reveal: bool) -> dict[str, Any]:
    village = row.village if row.village_id else None
    return {
        "id": row.id,
        "name": row.name,
        "name_initials": row.name_initials,
        "gender": row.gender,
        "birth_date": row.birth_date,
        "age": _age(row.birth_date, office.today()),
        "id_number": (row.id_number or "") if reveal else mask_id_number(row.id_number),
        "phone": row.phone if reveal else mask_phone(row.phone),
        "education": row.education,
        "political_status": row.political_status,
        "college_graduate_official": bool(row.college_graduate_official),
        "village": village.name if village else "",
        "village_code": village.code if village else "",
        "village_id": row.village_id,
        "posts": posts,
        "active": bool(posts),
        "notes": row.notes,
    }


def _term_dict(term: Term, today: dt.date) -> dict[str, Any]:
    return {
        "id": term.id,
        "post": term.post,
        "committee": committee_of(term.post),
        "village": term.village.name,
        "village_id": term.village_id,
        "election_date": term.election.held_on if term.election_id else None,
        "started_on": term.started_on,
        "ends_on": term.ends_on,
        "ended_on": term.ended_on,
        "end_reason": term.end_reason,
        "active": term.ended_on is None,
        # Still in office after the term was due to end: the next election is overdue.
        "overdue": term.ended_on is None and term.ends_on is not None and term.ends_on < today,
    }


def _person(member_id: Any) -> Person:
    key = parse_id(member_id)
    if key is None:
        raise NotFound("member", member_id)
    row = Person.get_or_none(Person.id == key)
    if row is None:
        raise NotFound("member", member_id)
    return row


def _active_posts(person_ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {pid: [] for pid in person_ids}
    if not person_ids:
        return out
    query = (Term.select(Term.person, Term.post)
             .where(Term.person.in_(person_ids), Term.ended_on.is_null()))
    for term in query:
        out[term.person_id].append(term.post)
    for posts in out.values():
        posts.sort(key=POSTS.index)
    return out


# ---------------------------------------------------------------- terms and elections


def term_years(office: Office, held_on: dt.date) -> int:
    key = "terms.years_before_2018" if held_on < LONGER_TERMS_FROM else "terms.years_since_2018"
    return int(office.settings[key])


def _election(office: Office, village: Village, held_on: dt.date) -> Election:
    row = Election.get_or_none(Election.village == village.id, Election.held_on == held_on)
    if row is None:
        row = Election.create(village=village, held_on=held_on,
                              term_years=term_years(office, held_on))
        journal.record(office, "election", row.id, "create",
                       after={"village_id": village.id, "held_on": held_on,
                              "term_years": row.term_years})
    return row


def _open_term(office: Office, person: Person, village: Village, post: Any,
               election_date: Any, started_on: Any) -> Term:
    """Validate and create one term; the caller holds the transaction."""
    post = choice("post", post, POSTS)
    held_on = date_field("election_date", election_date)
    start = date_field("started_on", started_on)
    if held_on and held_on > office.today():
        raise ValidationError("election_date", "error.election_in_future",
                              value=held_on.isoformat())
    start = start or held_on or office.today()
    if held_on and start < held_on:
        raise ValidationError("started_on", "error.started_before_election")
    active = list(Term.select().where(Term.person == person.id, Term.ended_on.is_null()))
    for term in active:
        if term.post == post:
            raise Conflict("error.post_already_held", name=person.name,
                           post=value_label("post", post))
        if committee_of(term.post) == committee_of(post):
            raise Conflict("error.same_committee", name=person.name,
                           post=value_label("post", term.post))
    if post in SOLE_POSTS:
        holder = (Term.select(Term, Person).join(Person)
                  .where(Term.village == village.id, Term.post == post,
                         Term.ended_on.is_null()).first())
        if holder is not None:
            raise Conflict("error.post_taken", post=value_label("post", post),
                           village=village.name, name=holder.person.name)
    if held_on:
        election: Election | None = _election(office, village, held_on)
    else:
        # An appointment or by-election serves out the village's current term.
        election = (Election.select()
                    .where(Election.village == village.id, Election.held_on <= start)
                    .order_by(Election.held_on.desc()).first())
    ends_on = (election.held_on + relativedelta(years=election.term_years)
               if election is not None else None)
    if ends_on is not None and ends_on <= start:
        election, ends_on = None, None  # that election's term is over: no known end
    term = Term.create(person=person, village=village, election=election, post=post,
                       started_on=start, ends_on=ends_on)
    journal.record(office, "term", term.id, "create", after=_term_journal(term))
    return term


def _term_journal(term: Term) -> dict[str, Any]:
    return {"person_id": term.person_id, "village_id": term.village_id,
            "election_id": term.election_id, "post": term.post,
            "started_on": term.started_on, "ends_on": term.ends_on,
            "ended_on": term.ended_on, "end_reason": term.end_reason}


# ---------------------------------------------------------------- use cases


def add_member(office: Office, *, name: str, village: Any, post: str,
               id_number: str | None = None, gender: str = "", birth_date: Any = None,
               phone: str = "", education: str = "", political_status: str = "",
               college_graduate_official: bool = False, election_date: Any = None,
               started_on: Any = None, notes: str = "") -> dict[str, Any]:
    """Record a new member: the person and their first term (and the election if new)."""
    with office.transaction():
        data = _validate_person(office, {
            "name": name, "id_number": id_number, "gender": gender, "birth_date": birth_date,
            "phone": phone, "education": education, "political_status": political_status,
            "college_graduate_official": college_graduate_official, "notes": notes})
        place = _village_field(village)
        choice("post", post, POSTS)
        row = Person.create(**data, village=place, created_at=office.now())
        journal.record(office, "member", row.id, "create", after=_stored(row))
        _open_term(office, row, place, post, election_date, started_on)
    return get_member(office, row.id)


def add_post(office: Office, member_id: Any, *, post: str, village: Any = None,
             election_date: Any = None, started_on: Any = None) -> dict[str, Any]:
    """Give a member another post, e.g. the committee director's beside the secretary's (一肩挑)."""
    with office.transaction():
        person = _person(member_id)
        if village is None or str(village).strip() == "":
            if not person.village_id:
                raise ValidationError("village", "error.required")
            place = person.village
        else:
            place = _village_field(village)
            if person.village_id and place.id != person.village_id:
                raise ValidationError("village", "error.post_other_village",
                                      village=person.village.name)
        _open_term(office, person, place, post, election_date, started_on)
        if not person.village_id:
            person.village = place
            person.save()
    return get_member(office, person.id)


def edit_member(office: Office, member_id: Any, **changes: Any) -> dict[str, Any]:
    """Change a member's personal fields; the journal keeps before and after."""
    for key in changes:
        if key not in EDITABLE_FIELDS:
            raise ValidationError(key, "error.unknown_field", field=key)
    with office.transaction():
        row = _person(member_id)
        before = _stored(row)
        merged = {**before, **changes}
        if "id_number" in changes:
            # A new ID number brings its own gender and birth date unless given as well.
            if "gender" not in changes:
                merged["gender"] = ""
            if "birth_date" not in changes:
                merged["birth_date"] = None
        data = _validate_person(office, merged, current=row)
        village_id = row.village_id
        if "village" in changes:
            place = _village_field(changes["village"])
            other = (Term.select().where(Term.person == row.id, Term.ended_on.is_null(),
                                         Term.village != place.id).exists())
            if other:
                raise ValidationError("village", "error.village_has_active_terms")
            village_id = place.id
        for key, value in data.items():
            setattr(row, key, value)
        row.village = village_id
        after = _stored(row)
        if after != before:
            row.save()
            journal.record(office, "member", row.id, "update", before=before, after=after)
    return get_member(office, row.id)


def end_term(office: Office, member_id: Any, *, post: str | None = None,
             ended_on: Any = None, reason: str = "") -> dict[str, Any]:
    """End the member's active terms (or the one for ``post``); the terms stay as history."""
    with office.transaction():
        person = _person(member_id)
        query = Term.select().where(Term.person == person.id, Term.ended_on.is_null())
        if post:
            post = choice("post", post, POSTS)
            query = query.where(Term.post == post)
        terms = list(query)
        if not terms:
            if post:
                raise InvalidTransition("error.no_active_post", name=person.name,
                                        post=value_label("post", post))
            raise InvalidTransition("error.no_active_term", name=person.name)
        end = date_field("ended_on", ended_on) or office.today()
        why = text_field("end_reason", reason, 500)
        for term in terms:
            if end < term.started_on:
                raise ValidationError("ended_on", "error.date_order")
            before = _term_journal(term)
            term.ended_on, term.end_reason = end, why
            term.save()
            journal.record(office, "term", term.id, "end", before=before,
                           after=_term_journal(term))
    return get_member(office, person.id)


# ---------------------------------------------------------------- reading


def _active_exists(post: str | None = None, active_only: bool = True) -> Any:
    sub = Term.select(Term.id).where(Term.person == Person.id)
    if active_only:
        sub = sub.where(Term.ended_on.is_null())
    if post:
        sub = sub.where(Term.post == post)
    return fn.EXISTS(sub)


def _filtered(filters: MemberFilter) -> Any:
    query = (Person.select(Person, Village)
             .join(Village, JOIN.LEFT_OUTER, on=(Person.village == Village.id)))
    if filters.village not in (None, ""):
        query = query.where(Person.village == resolve_village(filters.village).id)
    if filters.post:
        post = choice("post", filters.post, POSTS)
        query = query.where(_active_exists(post, active_only=filters.active is not False))
    if filters.education:
        query = query.where(Person.education == choice("education", filters.education,
                                                       EDUCATION_LEVELS))
    if filters.active is True:
        query = query.where(_active_exists())
    elif filters.active is False:
        query = query.where(~_active_exists())
    text = search_terms(filters.search or "")
    if text:
        compact = text.replace(" ", "").replace("'", "")
        query = query.where(Person.name.contains(text)
                            | Person.name_initials.startswith(compact)
                            | Person.name_pinyin.startswith(compact))
    return query


def count_members(office: Office, filters: MemberFilter | None = None) -> int:
    return _filtered(filters or MemberFilter()).count()


def list_members(office: Office, filters: MemberFilter | None = None, *, offset: int = 0,
                 limit: int = 50, reveal: bool = False) -> list[dict[str, Any]]:
    """One page of members: by village, then the highest post held, then name."""
    filters = filters or MemberFilter()
    ranks = Case(Term.post, [(p, i) for i, p in enumerate(POSTS)], len(POSTS))
    rank = (Term.select(fn.MIN(ranks)).where(Term.person == Person.id,
                                             Term.ended_on.is_null()))
    query = (_filtered(filters)
             .order_by(fn.COALESCE(Village.code, "~"), fn.COALESCE(rank, len(POSTS)),
                       Person.name_pinyin, Person.name, Person.id)
             .offset(max(0, int(offset))).limit(max(0, int(limit))))
    rows = list(query)
    posts = _active_posts([r.id for r in rows])
    members = [_member_dict(office, r, posts[r.id], reveal) for r in rows]
    if reveal and members:
        with office.transaction():
            journal.record(office, "member", "list", "reveal",
                           after={"filters": dataclasses.asdict(filters), "offset": offset,
                                  "limit": limit, "ids": [m["id"] for m in members]})
    return members


def get_member(office: Office, member_id: Any, *, reveal: bool = False) -> dict[str, Any]:
    """A member with every term they held, oldest first."""
    row = _person(member_id)
    terms = list(Term.select(Term, Village).join(Village)
                 .where(Term.person == row.id).order_by(Term.started_on, Term.id))
    # One query for the elections instead of one per term.
    elections = {e.id: e for e in Election.select().where(
        Election.id.in_([t.election_id for t in terms if t.election_id]))} if terms else {}
    today = office.today()
    posts = sorted((t.post for t in terms if t.ended_on is None), key=POSTS.index)
    data = _member_dict(office, row, posts, reveal)
    data["terms"] = []
    for term in terms:
        if term.election_id:
            term.election = elections[term.election_id]
        data["terms"].append(_term_dict(term, today))
    if reveal:
        with office.transaction():
            journal.record(office, "member", row.id, "reveal")
    return data


def report(office: Office, *, village: Any = None, as_of: Any = None) -> dict[str, Any]:
    """The education and post breakdown of active members; see ``ledger.member_report``."""
    from ledger.member_report import build_report

    return build_report(office, village=village, as_of=as_of)
