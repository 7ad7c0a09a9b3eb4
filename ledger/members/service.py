"""Use cases that change members and their terms: each one transaction, journaled."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta

from ledger import access, journal, versions
from ledger.errors import Conflict, InvalidTransition, ValidationError
from ledger.fields import choice, date_field, editable, text_field
from ledger.i18n import value_label
from ledger.lookups import village_ref
from ledger.members.query import find_member, get_member
from ledger.members.rules import (
    EDITABLE_FIELDS,
    POSTS,
    SOLE_POSTS,
    clean_person,
    committee_of,
    term_years,
)
from ledger.models import Election, Person, Term, Village
from ledger.office import Office


def _stored(row: Person) -> dict[str, Any]:
    """A person's stored fields, unmasked: what the journal keeps as before/after."""
    return {
        "name": row.name, "id_number": row.id_number, "gender": row.gender,
        "birth_date": row.birth_date, "phone": row.phone, "education": row.education,
        "political_status": row.political_status,
        "college_graduate_official": bool(row.college_graduate_official),
        "village_id": row.village_id, "notes": row.notes,
    }


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


def add_member(office: Office, *, name: str, village: Any, post: str,
               id_number: str | None = None, gender: str = "", birth_date: Any = None,
               phone: str = "", education: str = "", political_status: str = "",
               college_graduate_official: bool = False, election_date: Any = None,
               started_on: Any = None, notes: str = "") -> dict[str, Any]:
    """Record a new member: the person and their first term (and the election if new)."""
    access.require(office, "write", "member")
    with office.transaction():
        data = clean_person(office, {
            "name": name, "id_number": id_number, "gender": gender, "birth_date": birth_date,
            "phone": phone, "education": education, "political_status": political_status,
            "college_graduate_official": college_graduate_official, "notes": notes})
        place = village_ref(village, required=True)
        choice("post", post, POSTS)
        row = Person.create(**data, village=place, created_at=office.now())
        journal.record(office, "member", row.id, "create", after=_stored(row))
        _open_term(office, row, place, post, election_date, started_on)
    return get_member(office, row.id)


def add_post(office: Office, member_id: Any, *, post: str, village: Any = None,
             election_date: Any = None, started_on: Any = None) -> dict[str, Any]:
    """Give a member another post, e.g. the committee director's beside the secretary's (一肩挑)."""
    access.require(office, "write", "member", member_id)
    with office.transaction():
        # Locked: two clerks giving one person posts at once would both pass the checks.
        person = versions.lock(Person, find_member(member_id).id)
        if village is None or str(village).strip() == "":
            if not person.village_id:
                raise ValidationError("village", "error.required")
            place = person.village
        else:
            place = village_ref(village, required=True)
            if person.village_id and place.id != person.village_id:
                raise ValidationError("village", "error.post_other_village",
                                      village=person.village.name)
        _open_term(office, person, place, post, election_date, started_on)
        if not person.village_id:
            person.village = place
            versions.bump(person)
            person.save()
    return get_member(office, person.id)


def edit_member(office: Office, member_id: Any, *, version: int | None = None,
                **changes: Any) -> dict[str, Any]:
    """Change a member's personal fields; the journal keeps before and after.
    ``version``: the one the clerk saw; a stale one is refused (``ledger.versions``)."""
    access.require(office, "write", "member", member_id)
    editable(changes, EDITABLE_FIELDS)
    with office.transaction():
        row = versions.lock(Person, find_member(member_id).id)
        before = _stored(row)
        current = {**before, "village": row.village.code if row.village_id else ""}
        versions.check(row, version, "member", current, changes, ref=row.id)
        merged = {**before, **changes}
        if "id_number" in changes:
            # A new ID number brings its own gender and birth date unless given as well.
            if "gender" not in changes:
                merged["gender"] = ""
            if "birth_date" not in changes:
                merged["birth_date"] = None
        data = clean_person(office, merged, current=row)
        village_id = row.village_id
        if "village" in changes:
            place = village_ref(changes["village"], required=True)
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
            versions.bump(row)
            row.save()
            journal.record(office, "member", row.id, "update", before=before, after=after)
    return get_member(office, row.id)


def end_term(office: Office, member_id: Any, *, post: str | None = None,
             ended_on: Any = None, reason: str = "") -> dict[str, Any]:
    """End the member's active terms (or the one for ``post``); the terms stay as history."""
    access.require(office, "write", "member", member_id)
    with office.transaction():
        person = versions.lock(Person, find_member(member_id).id)
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
            versions.bump(term)
            term.save()
            journal.record(office, "term", term.id, "end", before=before,
                           after=_term_journal(term))
    return get_member(office, person.id)
