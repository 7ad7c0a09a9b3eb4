"""Reading members: the list's filter, a page, a count, one member with every term held."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Any

from peewee import JOIN, Case, fn

from ledger import access, journal, lists, search
from ledger.db import parse_id
from ledger.errors import NotFound
from ledger.fields import choice
from ledger.members.rules import EDUCATION_LEVELS, POSTS, age, committee_of
from ledger.models import Election, Person, Term, Village
from ledger.office import Office
from ledger.people import mask_id_number, mask_phone
from ledger.villages.query import resolve_village


@dataclasses.dataclass(frozen=True)
class MemberFilter:
    """What ``list_members`` shows. ``active``: True current members, False former, None all."""

    village: str | None = None
    post: str | None = None
    education: str | None = None
    active: bool | None = True
    search: str | None = None  # name, pinyin, phone or ID number tail (ledger.search)


SEARCH = search.Columns(name=Person.name, initials=Person.name_initials,
                        pinyin=Person.name_pinyin, phone=Person.phone,
                        id_number=Person.id_number)


def _member_dict(office: Office, row: Person, posts: list[str], reveal: bool) -> dict[str, Any]:
    village = row.village if row.village_id else None
    return {
        "id": row.id,
        "name": row.name,
        "name_initials": row.name_initials,
        "gender": row.gender,
        "birth_date": row.birth_date,
        "age": age(row.birth_date, office.today()),
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
        "version": row.version,
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
        "version": term.version,
    }


def find_member(member_id: Any) -> Person:
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
    term = search.parse(filters.search)
    if term is not None:
        query = query.where(search.condition(term, SEARCH))
    return query


def count_members(office: Office, filters: MemberFilter | None = None) -> int:
    return _filtered(filters or MemberFilter()).count()


def iter_members(office: Office, filters: MemberFilter | None = None, *, offset: int = 0,
                 limit: int | None = None, reveal: bool = False) -> Iterator[dict[str, Any]]:
    """Matching members, read lazily: by village, then the highest post held, then name.
    ID numbers and phones are masked unless ``reveal``, journaled once (filters, count)."""
    filters = filters or MemberFilter()
    rows = _page(office, filters, offset, limit, reveal)
    if reveal:
        lists.journal_reveal(office, "member", filters,
                             count=lists.shown(count_members(office, filters), offset, limit))
    return rows


def _page(office: Office, filters: MemberFilter, offset: int, limit: int | None,
          reveal: bool) -> Iterator[dict[str, Any]]:
    ranks = Case(Term.post, [(p, i) for i, p in enumerate(POSTS)], len(POSTS))
    rank = (Term.select(fn.MIN(ranks)).where(Term.person == Person.id,
                                             Term.ended_on.is_null()))
    query = lists.page(_filtered(filters)
                       .order_by(fn.COALESCE(Village.code, "~"), fn.COALESCE(rank, len(POSTS)),
                                 Person.name_pinyin, Person.name, Person.id), offset, limit)
    return _rows(office, query, reveal)


def _rows(office: Office, query: Any, reveal: bool) -> Iterator[dict[str, Any]]:
    batch: list[Person] = []
    for row in query.iterator():
        batch.append(row)
        if len(batch) == _BATCH:
            yield from _with_posts(office, batch, reveal)
            batch = []
    yield from _with_posts(office, batch, reveal)


_BATCH = 200  # members whose posts one query reads


def _with_posts(office: Office, rows: list[Person], reveal: bool) -> list[dict[str, Any]]:
    posts = _active_posts([r.id for r in rows])
    return [_member_dict(office, r, posts[r.id], reveal) for r in rows]


def list_members(office: Office, filters: MemberFilter | None = None, *, offset: int = 0,
                 limit: int | None = 50, reveal: bool = False) -> list[dict[str, Any]]:
    """One page of ``iter_members``; a reveal is journaled with the ids shown."""
    filters = filters or MemberFilter()
    rows = list(_page(office, filters, offset, limit, reveal))
    if reveal:
        lists.journal_reveal(office, "member", filters, ids=[r["id"] for r in rows])
    return rows


def get_member(office: Office, member_id: Any, *, reveal: bool = False) -> dict[str, Any]:
    """A member with every term they held, oldest first."""
    row = find_member(member_id)
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
        access.require(office, "reveal", "member", row.id)
        journal.record_reveal(office, "member", row.id)
    return data
