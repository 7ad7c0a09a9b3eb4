"""Use cases that change rosters: posts, eligibility, unavailability, manual assignment and
swaps. Planning the rotation is in ``ledger.roster.plan``. Each runs in one transaction and
journals every change; shifts and posts carry optimistic versions (``ledger.versions``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ledger import access, journal, versions
from ledger.errors import Conflict, ValidationError
from ledger.fields import text_field
from ledger.models import DutyEligible, DutyPost, Shift, Unavailability
from ledger.office import Office
from ledger.roster import people as duty_people
from ledger.roster import rules
from ledger.roster.people import OnDuty
from ledger.roster.query import (
    find_post,
    find_shift,
    find_unavailability,
    get_post,
    post_dict,
    shift_dict,
    unavailability_dict,
)

POST_ENTITY = "duty_post"
SHIFT_ENTITY = "duty_shift"
UNAVAILABLE_ENTITY = "duty_unavailability"


# --- posts ---------------------------------------------------------------------------------


def _post_input(row: DutyPost) -> dict[str, Any]:
    import json

    return {"code": row.code, "name": row.name, "kind": row.kind,
            "village": row.village_id, "shifts": json.loads(row.shifts),
            "staffed_off_days": bool(row.staffed_off_days), "notes": row.notes}


def _unique_post(data: dict[str, Any], own_id: int | None = None) -> None:
    for field in ("code", "name"):
        other = DutyPost.get_or_none(getattr(DutyPost, field) == data[field])
        if other is not None and other.id != own_id:
            raise ValidationError(field, "error.roster_post_exists", value=data[field])


def add_post(office: Office, *, code: str, name: str, shifts: Any, kind: str = "station",
             village: Any = None, staffed_off_days: Any = False,
             notes: str = "") -> dict[str, Any]:
    """A duty post with its shift pattern."""
    access.require(office, "write", POST_ENTITY)
    with office.transaction():
        data = rules.clean_post(office, {
            "code": code, "name": name, "kind": kind, "village": village, "shifts": shifts,
            "staffed_off_days": staffed_off_days, "notes": notes})
        _unique_post(data)
        row = DutyPost.create(**data, created_at=office.now())
        journal.record(office, POST_ENTITY, row.id, "create",
                       after=versions.journaled(post_dict(row)))
    return get_post(office, row.id)


def edit_post(office: Office, ref: Any, *, version: Any = None,
              **changes: Any) -> dict[str, Any]:
    """Change a post; a new shift pattern applies to shifts planned from then on (shifts
    already written keep their times until the period is re-planned)."""
    access.require(office, "write", POST_ENTITY, ref)
    for key in changes:
        if key not in rules.POST_FIELDS:
            raise ValidationError(key, "error.unknown_field", field=key)
    with office.transaction():
        row = versions.lock(DutyPost, find_post(ref).id)
        before = post_dict(row)
        versions.check(row, version, POST_ENTITY, {**before, **_post_input(row)}, changes,
                       ref=row.code)
        data = rules.clean_post(office, changes, current=_post_input(row))
        _unique_post(data, row.id)
        for key, value in data.items():
            setattr(row, key, value)
        after = post_dict(row)
        if versions.journaled(after) == versions.journaled(before):
            return get_post(office, row.id)
        versions.bump(row)
        row.save()
        journal.record(office, POST_ENTITY, row.id, "update",
                       before=versions.journaled(before),
                       after=versions.journaled(post_dict(row)))
    return get_post(office, row.id)


# --- eligibility ---------------------------------------------------------------------------


def _who(who: OnDuty) -> dict[str, Any]:
    """A person as the journal names them: both columns, so the audit can compare rows."""
    return {"person_id": who.person_id, "staff_id": who.staff_id, "person": who.name}


def add_eligible(office: Office, post: Any, people: list[Any]) -> dict[str, Any]:
    """Make people eligible at a post: committee members or staff, as
    ``ledger.roster.people.resolve`` reads them (``staff:NAME`` for staff only). Already
    eligible people are left as they are; a retired staff member is refused."""
    access.require(office, "write", POST_ENTITY, post)
    if not people:
        raise ValidationError("person", "error.required")
    with office.transaction():
        row = find_post(post)
        for term in people:
            who = duty_people.resolve(office, term)
            duty_people.check_can_stand(who)
            if DutyEligible.get_or_none(DutyEligible.post == row.id,
                                        duty_people.holds(DutyEligible, who)):
                continue
            data = rules.clean_eligible(office, {"person_id": who.person_id,
                                                 "staff_id": who.staff_id})
            DutyEligible.create(post=row.id, **data, created_at=office.now())
            journal.record(office, POST_ENTITY, row.id, "add_eligible", after=_who(who))
    return get_post(office, row.id)


def remove_eligible(office: Office, post: Any, people: list[Any]) -> dict[str, Any]:
    """No longer eligible: shifts already written stay (re-plan or assign to change them)."""
    access.require(office, "write", POST_ENTITY, post)
    with office.transaction():
        row = find_post(post)
        for term in people:
            who = duty_people.resolve(office, term)
            gone = DutyEligible.delete().where(DutyEligible.post == row.id,
                                               duty_people.holds(DutyEligible, who)).execute()
            if gone:
                journal.record(office, POST_ENTITY, row.id, "remove_eligible", before=_who(who))
    return get_post(office, row.id)


# --- unavailability ------------------------------------------------------------------------


def add_unavailable(office: Office, person: Any, *, date_from: Any, date_to: Any = None,
                    reason: str = "leave", note: str = "") -> dict[str, Any]:
    """A period a person (member or staff) cannot be on duty. The result lists ``clashes``:
    shifts already written in the period that the person holds (assign or re-plan them)."""
    access.require(office, "write", UNAVAILABLE_ENTITY, person)
    with office.transaction():
        who = duty_people.resolve(office, person)
        data = rules.clean_unavailability(office, {
            "person_id": who.person_id, "staff_id": who.staff_id, "date_from": date_from,
            "date_to": date_to, "reason": reason, "note": note})
        row = Unavailability.create(**data, created_at=office.now())
        result = unavailability_dict(row, who.name)
        journal.record(office, UNAVAILABLE_ENTITY, row.id, "create",
                       after=versions.journaled(result))
    clashes = (Shift.select().where(duty_people.holds(Shift, who),
                                    Shift.day >= data["date_from"],
                                    Shift.day <= data["date_to"]).order_by(Shift.starts_at))
    result["clashes"] = [shift_dict(s) for s in clashes]
    return result


def remove_unavailable(office: Office, ref: Any) -> dict[str, Any]:
    access.require(office, "write", UNAVAILABLE_ENTITY, ref)
    with office.transaction():
        row = versions.lock(Unavailability, find_unavailability(ref).id)
        before = unavailability_dict(row)
        row.delete_instance()
        journal.record(office, UNAVAILABLE_ENTITY, row.id, "delete",
                       before=versions.journaled(before))
    return before


# --- the checks every assignment passes ----------------------------------------------------


def is_eligible(post_id: int, who: OnDuty) -> bool:
    return DutyEligible.get_or_none(DutyEligible.post == post_id,
                                    duty_people.holds(DutyEligible, who)) is not None


def unavailable_on(who: OnDuty, day: dt.date) -> Unavailability | None:
    return (Unavailability.select().where(duty_people.holds(Unavailability, who),
                                          Unavailability.date_from <= day,
                                          Unavailability.date_to >= day).first())


def overlapping(who: OnDuty, start: dt.datetime, end: dt.datetime,
                exclude: tuple[int, ...] = ()) -> Shift | None:
    """A shift of ``who`` at any post that overlaps ``start``..``end``."""
    query = Shift.select().where(duty_people.holds(Shift, who), Shift.starts_at < end,
                                 Shift.ends_at > start)
    if exclude:
        query = query.where(Shift.id.not_in(list(exclude)))
    return query.first()


# One advisory-lock space per kind of person: member 12 and staff 12 are different people.
_LOCK_SPACE = {duty_people.MEMBER: 7007, duty_people.STAFF: 7008}


def lock_people(office: Office, people: list[OnDuty]) -> None:
    """Serialise assignments of these people across posts: on PostgreSQL two clerks putting
    one person on two posts at once would each see the other's shift missing, so each takes
    a transaction lock per person (in one order, so two swaps never deadlock). SQLite's
    BEGIN IMMEDIATE already serialises writers."""
    if not office.is_postgres:
        return
    for who in sorted(set(people)):
        office.db.execute_sql("SELECT pg_advisory_xact_lock(%s, %s)",
                              (_LOCK_SPACE[who.kind], who.id))


def check_person(office: Office, shift: Shift, who: OnDuty, *,
                 exclude: tuple[int, ...] = ()) -> None:
    """Refuse putting ``who`` (a member or staff) on ``shift``: a retired staff member, not
    eligible at its post, unavailable that day, or on another shift at the same time
    (double booking, whatever the post)."""
    duty_people.check_can_stand(who)
    post = DutyPost.get_by_id(shift.post_id)
    if not is_eligible(post.id, who):
        raise ValidationError("person", "error.roster_not_eligible", person=who.name,
                              post=post.name)
    away = unavailable_on(who, shift.day)
    if away is not None:
        from ledger.i18n import value_label

        raise Conflict("error.roster_unavailable", person=who.name,
                       day=shift.day.isoformat(),
                       reason=value_label("unavailable_reason", away.reason),
                       date_from=away.date_from.isoformat(), date_to=away.date_to.isoformat())
    other = overlapping(who, shift.starts_at, shift.ends_at, (shift.id, *exclude))
    if other is not None:
        other_post = DutyPost.get_by_id(other.post_id)
        raise Conflict("error.roster_double_booked", person=who.name,
                       post=other_post.name, day=other.day.isoformat(), shift=other.name,
                       id=other.id)


def _stored(row: Shift) -> dict[str, Any]:
    return versions.journaled(shift_dict(row))


# --- manual assignment and swaps -----------------------------------------------------------


def _slot(office: Office, post: DutyPost, day: dt.date, name: str) -> Shift:
    """The shift ``name`` of ``post`` on ``day``, created (a gap) when not written yet;
    the name must be one of the post's pattern."""
    import json

    row = Shift.get_or_none(Shift.post == post.id, Shift.day == day, Shift.name == name)
    if row is not None:
        return versions.lock(Shift, row.id)
    pattern = {s["name"]: s for s in json.loads(post.shifts)}
    if name not in pattern:
        raise ValidationError("shift", "error.roster_unknown_shift", value=name,
                              choices=", ".join(pattern))
    start, end = rules.slot_instants(office, day, pattern[name])
    now = office.now()
    row = Shift.create(post=post.id, day=day, name=name, starts_at=start, ends_at=end,
                       person=None, staff=None, source=rules.MANUAL, created_at=now, updated_at=now)
    journal.record(office, SHIFT_ENTITY, row.id, "create", after=_stored(row))
    return row


def assign(office: Office, post: Any, day: Any, shift: str, person: Any, *,
           version: Any = None) -> dict[str, Any]:
    """Put a person (member or staff, ``ledger.roster.people.resolve``) on a shift by hand
    (``person`` blank leaves the shift empty: a gap). The shift becomes ``manual``:
    re-planning keeps it."""
    access.require(office, "write", SHIFT_ENTITY)
    from ledger.fields import date_field

    when = date_field("date", day)
    if when is None:
        raise ValidationError("date", "error.required")
    name = text_field("shift", shift, 20, required=True)
    blank = person is None or (isinstance(person, str) and not person.strip())
    with office.transaction():
        post_row = find_post(post)
        who = None if blank else duty_people.resolve(office, person)
        if who is not None:
            lock_people(office, [who])  # people first, then rows: as plan and swap do
        row = _slot(office, post_row, when, name)
        before = shift_dict(row)
        versions.check(row, version, SHIFT_ENTITY, before,
                       {"person": who.name if who else ""}, ref=row.id)
        if who is not None:
            check_person(office, row, who)
        if duty_people.holder_of(row) == who and row.source == rules.MANUAL:
            return shift_dict(row)
        for column, value in duty_people.columns(who).items():
            setattr(row, column, value)
        row.source = rules.MANUAL
        row.updated_at = office.now()
        versions.bump(row)
        row.save()
        journal.record(office, SHIFT_ENTITY, row.id, "assign",
                       before=versions.journaled(before), after=_stored(row))
    return shift_dict(row)


def swap(office: Office, first: Any, second: Any, *, reason: str,
         version_first: Any = None, version_second: Any = None) -> dict[str, Any]:
    """Two shifts exchange their people (换班): both shifts named, both held, a reason
    required; a member and a staff member swap like any two people. Each must be eligible
    at the other post, available that day and free at that time. Both shifts become
    ``swapped``; one journal entry on each names both."""
    access.require(office, "write", SHIFT_ENTITY, first)
    why = text_field("reason", reason, 500, required=True)
    with office.transaction():
        a = find_shift(first)
        b = find_shift(second)
        if a.id == b.id:
            raise ValidationError("second", "error.roster_swap_same")
        # People first, then the rows (in id order), as plan and assign lock: no deadlock.
        lock_people(office, [p for p in (duty_people.holder_of(a), duty_people.holder_of(b))
                             if p is not None])
        locked = {r.id: versions.lock(Shift, r.id) for r in sorted((a, b), key=lambda r: r.id)}
        a, b = locked[a.id], locked[b.id]
        before_a, before_b = shift_dict(a), shift_dict(b)
        versions.check(a, version_first, SHIFT_ENTITY, before_a,
                       {"person": before_b["person"]}, ref=a.id)
        versions.check(b, version_second, SHIFT_ENTITY, before_b,
                       {"person": before_a["person"]}, ref=b.id)
        pa, pb = duty_people.named(duty_people.holder_of(a)), duty_people.named(
            duty_people.holder_of(b))
        if pa is None or pb is None:
            raise _gap_error(a if pa is None else b)
        if pa == pb:
            raise ValidationError("second", "error.roster_swap_same_person",
                                  person=before_a["person"])
        check_person(office, b, pa, exclude=(a.id,))
        check_person(office, a, pb, exclude=(b.id,))
        now = office.now()
        for row, person in ((a, pb), (b, pa)):
            for column, value in duty_people.columns(person).items():
                setattr(row, column, value)
            row.source = rules.SWAPPED
            row.updated_at = now
            versions.bump(row)
            row.save()
        note = f"{pa.name} ⇄ {pb.name}: {why}"
        journal.record(office, SHIFT_ENTITY, a.id, "swap", before=versions.journaled(before_a),
                       after=_stored(a), note=note)
        journal.record(office, SHIFT_ENTITY, b.id, "swap", before=versions.journaled(before_b),
                       after=_stored(b), note=note)
    return {"first": shift_dict(a), "second": shift_dict(b), "reason": why}


def _gap_error(row: Shift) -> ValidationError:
    post = DutyPost.get_by_id(row.post_id)
    return ValidationError("shift", "error.roster_swap_gap", post=post.name,
                           day=row.day.isoformat(), shift=row.name)
