"""Reading rosters: posts, who is eligible, unavailability, shifts (a filter, a stream, a
page), gaps, who is on duty at a moment, and the week grid both faces draw."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ledger import lists
from ledger.db import parse_id
from ledger.errors import NotFound, ValidationError
from ledger.models import DutyEligible, DutyPost, Shift, Unavailability, Village
from ledger.office import Office
from ledger.roster import people as duty_people
from ledger.roster import rules
from ledger.roster.people import OnDuty


@dataclass(frozen=True)
class ShiftFilter:
    post: Any = None  # a post code or id
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    person: Any = None  # an ``OnDuty``, or a member's id
    gaps: bool = False  # only shifts nobody holds
    source: str | None = None


def _utc(instant: dt.datetime) -> dt.datetime:
    return instant.replace(tzinfo=dt.UTC)


# --- posts ---------------------------------------------------------------------------------


def find_post(ref: Any) -> DutyPost:
    """A post by code (either case) or id (``#3`` or ``3``)."""
    text = "" if ref is None else str(ref).strip()
    if "\x00" in text:  # nothing stored holds a NUL (fields.no_nul)
        raise NotFound("duty_post", ref)
    row = DutyPost.get_or_none(DutyPost.code == text.upper()) if text else None
    if row is None:
        number = parse_id(text.lstrip("#")) if text else None
        row = DutyPost.get_or_none(DutyPost.id == number) if number else None
    if row is None:
        raise NotFound("duty_post", ref)
    return row


def post_dict(row: DutyPost, villages: dict[int, str] | None = None) -> dict[str, Any]:
    if villages is None:
        villages = dict(Village.select(Village.id, Village.name).tuples())
    shifts = json.loads(row.shifts)
    return {
        "id": row.id, "code": row.code, "name": row.name, "kind": row.kind,
        "village_id": row.village_id, "village": villages.get(row.village_id, ""),
        "shifts": shifts, "shift_pattern": rules.shifts_text(shifts),
        "staffed_off_days": bool(row.staffed_off_days), "notes": row.notes,
        "version": row.version,
    }


def get_post(office: Office, ref: Any) -> dict[str, Any]:
    """A post with the people eligible at it."""
    row = find_post(ref)
    data = post_dict(row)
    data["eligible"] = eligible(office, row.id)
    return data


def list_posts(office: Office) -> list[dict[str, Any]]:
    """Every post: the centre first, then the stations by code."""
    villages = dict(Village.select(Village.id, Village.name).tuples())
    counts: dict[int, int] = {}
    for (pid,) in DutyEligible.select(DutyEligible.post).tuples():
        counts[pid] = counts.get(pid, 0) + 1
    rows = DutyPost.select().order_by(DutyPost.kind, DutyPost.code)
    out = []
    for row in rows:
        data = post_dict(row, villages)
        data["eligible_count"] = counts.get(row.id, 0)
        out.append(data)
    return out


def eligible_people(post_id: int) -> list[OnDuty]:
    """Everyone eligible at a post, members and staff alike."""
    return [who for pid, sid in DutyEligible.select(DutyEligible.person, DutyEligible.staff)
            .where(DutyEligible.post == post_id).tuples()
            if (who := duty_people.holder(pid, sid)) is not None]


def eligible(office: Office, post_id: int) -> list[dict[str, Any]]:
    """The people eligible at a post, by pinyin: committee members (with their village) and
    staff (with their post in the office; ``active`` false for one who retired)."""
    return duty_people.describe(eligible_people(post_id))


# --- unavailability ------------------------------------------------------------------------


def find_unavailability(ref: Any) -> Unavailability:
    number = parse_id(str(ref).strip().lstrip("#")) if ref is not None else None
    row = Unavailability.get_or_none(Unavailability.id == number) if number else None
    if row is None:
        raise NotFound("duty_unavailability", ref)
    return row


def unavailability_dict(row: Unavailability, name: str = "") -> dict[str, Any]:
    who = duty_people.holder_of(row)
    if not name and who is not None:
        name = duty_people.names([who]).get(who, "")
    return {"id": row.id, "person_id": row.person_id, "staff_id": row.staff_id,
            "holder": who.key if who else "", "person": name,
            "date_from": row.date_from, "date_to": row.date_to, "reason": row.reason,
            "note": row.note, "version": row.version}


def list_unavailability(office: Office, *, date_from: dt.date | None = None,
                        date_to: dt.date | None = None,
                        person: Any = None) -> list[dict[str, Any]]:
    """Periods touching ``date_from``..``date_to`` (either bound may be open); ``person``
    an ``OnDuty`` (or a member's id)."""
    query = Unavailability.select()
    if date_from:
        query = query.where(Unavailability.date_to >= date_from)
    if date_to:
        query = query.where(Unavailability.date_from <= date_to)
    if person is not None:
        who = person if isinstance(person, OnDuty) else OnDuty(duty_people.MEMBER, person)
        query = query.where(duty_people.holds(Unavailability, who))
    rows = [(r, duty_people.holder_of(r))
            for r in query.order_by(Unavailability.date_from, Unavailability.id)]
    known = duty_people.names(who for _, who in rows)
    return [unavailability_dict(r, known.get(who, "") if who else "") for r, who in rows]


# --- shifts --------------------------------------------------------------------------------


def find_shift(ref: Any) -> Shift:
    """A shift by id (``#12`` or ``12``) or as ``POST/DATE/SHIFT`` (``CENTRE/2026-11-27/day``)."""
    text = "" if ref is None else str(ref).strip()
    if "/" in text:
        parts = text.split("/")
        if len(parts) == 3:
            post = find_post(parts[0])
            try:
                day = dt.date.fromisoformat(parts[1].strip())
            except ValueError:
                raise NotFound("duty_shift", ref) from None
            row = Shift.get_or_none(Shift.post == post.id, Shift.day == day,
                                    Shift.name == parts[2].strip())
            if row is not None:
                return row
        raise NotFound("duty_shift", ref)
    number = parse_id(text.lstrip("#")) if text else None
    row = Shift.get_or_none(Shift.id == number) if number else None
    if row is None:
        raise NotFound("duty_shift", ref)
    return row


def shift_dict(row: Shift, posts: dict[int, DutyPost] | None = None,
               names: dict[OnDuty, str] | None = None) -> dict[str, Any]:
    """A shift for the faces: ``person`` is the name of whoever holds it (member or staff,
    ``holder`` says which: ``member:12`` / ``staff:3``), empty on a gap."""
    post = posts[row.post_id] if posts else DutyPost.get_by_id(row.post_id)
    who = duty_people.holder_of(row)
    if who is not None and (names is None or who not in names):
        names = {**(names or {}), **duty_people.names([who])}
    return {
        "id": row.id, "post_id": row.post_id, "post": post.code, "post_name": post.name,
        "day": row.day, "shift": row.name, "starts_at": _utc(row.starts_at),
        "ends_at": _utc(row.ends_at), "person_id": row.person_id, "staff_id": row.staff_id,
        "holder": who.key if who else "", "holder_kind": who.kind if who else "",
        "person": (names or {}).get(who, "") if who else "",
        "gap": who is None, "source": row.source, "version": row.version,
        "sequence": row.version - 1,
    }


def get_shift(office: Office, ref: Any) -> dict[str, Any]:
    return shift_dict(find_shift(ref))


def _where(f: ShiftFilter) -> list[Any]:
    conds: list[Any] = []
    if f.post not in (None, ""):
        conds.append(Shift.post == find_post(f.post).id)
    if f.date_from and f.date_to and f.date_to < f.date_from:
        raise ValidationError("date_to", "error.date_order")
    if f.date_from:
        conds.append(Shift.day >= f.date_from)
    if f.date_to:
        conds.append(Shift.day <= f.date_to)
    if f.person not in (None, ""):
        who = f.person if isinstance(f.person, OnDuty) else OnDuty(duty_people.MEMBER,
                                                                    int(f.person))
        conds.append(duty_people.holds(Shift, who))
    if f.gaps:
        conds.append(duty_people.nobody(Shift))
    if f.source:
        conds.append(Shift.source == f.source)
    return conds


def _query(f: ShiftFilter) -> Any:
    query = Shift.select()
    conds = _where(f)
    return query.where(*conds) if conds else query


def iter_shifts(office: Office, f: ShiftFilter | None = None, *, offset: int = 0,
                limit: int | None = None, reveal: bool = False) -> Iterator[dict[str, Any]]:
    """Matching shifts by start and post, read lazily. A shift names who stands it but no
    ID numbers or phones: ``reveal`` changes nothing."""
    query = lists.page(_query(f or ShiftFilter()).order_by(Shift.starts_at, Shift.post,
                                                           Shift.id), offset, limit)
    return _shift_rows(query)


def _shift_rows(query: Any) -> Iterator[dict[str, Any]]:
    posts = {p.id: p for p in DutyPost.select()}
    names: dict[OnDuty, str] = {}
    for row in query.iterator():
        who = duty_people.holder_of(row)
        if who is not None and who not in names:
            # Few people stand duty: one look-up each, remembered for the stream.
            names.update(duty_people.names([who]))
        yield shift_dict(row, posts, names)


def list_shifts(office: Office, f: ShiftFilter | None = None, *, offset: int = 0,
                limit: int | None = 50, reveal: bool = False) -> list[dict[str, Any]]:
    """One page of ``iter_shifts``."""
    return list(iter_shifts(office, f, offset=offset, limit=limit))


def count_shifts(office: Office, f: ShiftFilter | None = None) -> int:
    return int(_query(f or ShiftFilter()).count())


def gaps(office: Office, date_from: Any, date_to: Any, *,
         post: Any = None) -> list[dict[str, Any]]:
    """Shifts nobody holds in the period (and, per post, staffed days with no shift at all
    are not gaps: a post gets its shifts by planning)."""
    start, end = rules.period(date_from, date_to)
    return list(iter_shifts(office, ShiftFilter(post=post, date_from=start, date_to=end,
                                                gaps=True)))


def who(office: Office, day: Any, time: Any = None) -> list[dict[str, Any]]:
    """The shifts of ``day`` (office-local), or those running at ``time`` that day."""
    from ledger.fields import date_field

    when = date_field("date", day)
    if when is None:
        raise ValidationError("date", "error.required")
    shifts = list(iter_shifts(office, ShiftFilter(date_from=when, date_to=when)))
    if time in (None, ""):
        return shifts
    if isinstance(time, dt.time):
        moment = time
    else:
        try:
            moment = dt.time.fromisoformat(str(time).strip())
        except ValueError:
            raise ValidationError("time", "error.roster_bad_time", value=time) from None
    instant = (dt.datetime.combine(when, moment).replace(tzinfo=office.clock.zone)
               .astimezone(dt.UTC))
    return [s for s in shifts if s["starts_at"] <= instant < s["ends_at"]]


def today(office: Office) -> list[dict[str, Any]]:
    return who(office, office.today())


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def grid(office: Office, date_from: Any, date_to: Any, *,
         post: Any = None) -> dict[str, Any]:
    """Posts × days: per post, one row per shift of its pattern (and any other shift name
    found), one cell per day: the shift (id, person, version, gap) or None (not staffed)."""
    start, end = rules.period(date_from, date_to)
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    posts = [find_post(post)] if post not in (None, "") else list(
        DutyPost.select().order_by(DutyPost.kind, DutyPost.code))
    cells: dict[tuple[int, str, dt.date], dict[str, Any]] = {}
    for s in iter_shifts(office, ShiftFilter(post=post, date_from=start, date_to=end)):
        cells[(s["post_id"], s["shift"], s["day"])] = s
    out = []
    villages = dict(Village.select(Village.id, Village.name).tuples())
    for p in posts:
        names = [s["name"] for s in json.loads(p.shifts)]
        for pid, name, _ in cells:
            if pid == p.id and name not in names:
                names.append(name)
        rows = [{"shift": name, "cells": [cells.get((p.id, name, d)) for d in days]}
                for name in names]
        out.append({"post": post_dict(p, villages), "rows": rows})
    return {"date_from": start, "date_to": end, "days": days, "posts": out}
