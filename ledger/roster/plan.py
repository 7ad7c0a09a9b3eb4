"""The fair rotation (排班): ``plan(office, post, date_from, date_to, dry_run=…)``.

How a plan is made:
- Slots: every shift of the post's pattern on every day the post is staffed (working days
  from ``ledger.workcal``, 调休 Saturdays included; every day when ``staffed_off_days``).
- Shifts already held by hand (``manual``) or by a swap (``swapped``) are kept as they are;
  only ``planned`` shifts are (re)written, and planned shifts for slots the pattern no longer
  has are removed.
- Each slot goes to the eligible person with the fewest shifts at this post, counting the
  shifts of the lookback window before the period (``LOOKBACK_DAYS`` or the period's own
  length, whichever is longer: consecutive periods carry on where the last left off, while a
  newcomer is not handed months of catching up) plus those given so far; ties go to whoever
  stood duty here least recently, then by id. So over a period with no unavailability the
  counts differ by at most one.
- A person is skipped for a slot on a day of their unavailability or when they hold an
  overlapping shift anywhere (at another post, or earlier in this plan). A slot nobody can
  take is written empty: a gap (``roster.gaps``).
- People are committee members and staff alike (``ledger.roster.people.OnDuty``): counts,
  unavailability and double booking read both columns through that one notion. Retired
  staff are eligible no longer in effect: they are not planned (their past shifts still
  count for nobody, and kept shifts keep them).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ledger import access, journal, versions
from ledger.errors import ValidationError
from ledger.models import Shift, Unavailability
from ledger.office import Office
from ledger.roster import people as duty_people
from ledger.roster import rules
from ledger.roster.people import OnDuty
from ledger.roster.query import eligible_people, find_post, shift_dict
from ledger.roster.service import SHIFT_ENTITY, lock_people

LOOKBACK_DAYS = 28


def _slots(office: Office, post: Any, start: dt.date,
           end: dt.date) -> list[tuple[dt.date, dict[str, str]]]:
    pattern = json.loads(post.shifts)
    out: list[tuple[dt.date, dict[str, str]]] = []
    day = start
    while day <= end:
        if rules.staffed(office, bool(post.staffed_off_days), day):
            out.extend((day, s) for s in pattern)
        day += dt.timedelta(days=1)
    return out


def plan(office: Office, post: Any, date_from: Any, date_to: Any, *,
         dry_run: bool = False) -> dict[str, Any]:
    """Plan (or re-plan) a post's shifts over a period. Returns what it wrote (or, with
    ``dry_run``, would write): every slot with its person and ``action`` (``create``,
    ``update``, ``keep``: manual or swapped, ``same``: planned and unchanged, ``delete``),
    the shifts per person in the period, and the number of gaps."""
    access.require(office, "read" if dry_run else "write", SHIFT_ENTITY, post)
    start, end = rules.period(date_from, date_to)
    with office.transaction():
        row = find_post(post)
        everyone = [duty_people.named(p) for p in eligible_people(row.id)]
        people: dict[OnDuty, str] = {p: p.name for p in everyone if p is not None and p.active}
        if not people:
            raise ValidationError("post", "error.roster_nobody_eligible", label="duty_post",
                                  post=row.name)
        lock_people(office, list(people))
        posts = {row.id: row}  # shift_dict reads these instead of querying per shift
        existing = {(s.day, s.name): s for s in Shift.select().where(
            Shift.post == row.id, Shift.day >= start, Shift.day <= end)}
        # Fairness carried from the lookback window before the period.
        window = max(LOOKBACK_DAYS, (end - start).days + 1)
        counts = dict.fromkeys(people, 0)
        last: dict[OnDuty, dt.date] = {}
        for pid, sid, day in Shift.select(Shift.person, Shift.staff, Shift.day).where(
                Shift.post == row.id, duty_people.held_by(Shift, people),
                Shift.day < start, Shift.day >= start - dt.timedelta(days=window)).tuples():
            who = duty_people.holder(pid, sid)
            if who in counts:
                counts[who] += 1
                last[who] = max(last.get(who, day), day)
        kept = [s for s in existing.values() if s.source != rules.PLANNED]
        for s in kept:
            who = duty_people.holder_of(s)
            if who in counts:
                counts[who] += 1
        away: dict[OnDuty, list[tuple[dt.date, dt.date]]] = {}
        for pid, sid, a, b in Unavailability.select(
                Unavailability.person, Unavailability.staff, Unavailability.date_from,
                Unavailability.date_to).where(
                duty_people.held_by(Unavailability, people), Unavailability.date_to >= start,
                Unavailability.date_from <= end).tuples():
            who = duty_people.holder(pid, sid)
            if who is not None:
                away.setdefault(who, []).append((a, b))
        # Everyone's other shifts in the period (other posts, and kept ones here): a
        # person on duty elsewhere at that time is not free.
        busy: dict[OnDuty, list[tuple[dt.datetime, dt.datetime]]] = {}
        first_instant = rules.slot_instants(office, start, {"start": "00:00",
                                                            "end": "00:01"})[0]
        for pid, sid, post_id, a, b, src in Shift.select(
                Shift.person, Shift.staff, Shift.post, Shift.starts_at, Shift.ends_at,
                Shift.source).where(
                duty_people.held_by(Shift, people),
                Shift.starts_at >= first_instant - dt.timedelta(days=1),
                Shift.starts_at < first_instant + dt.timedelta(days=(end - start).days + 2)
        ).tuples():
            if post_id == row.id and src == rules.PLANNED:
                continue  # this post's planned shifts are being rewritten
            who = duty_people.holder(pid, sid)
            if who is not None:
                busy.setdefault(who, []).append((a, b))

        def free(pid: OnDuty, day: dt.date, a: dt.datetime, b: dt.datetime) -> bool:
            if any(x <= day <= y for x, y in away.get(pid, ())):
                return False
            return not any(x < b and y > a for x, y in busy.get(pid, ()))

        result: list[dict[str, Any]] = []
        seen: set[tuple[dt.date, str]] = set()
        now = office.now()
        for day, pattern in _slots(office, row, start, end):
            key = (day, pattern["name"])
            seen.add(key)
            a, b = rules.slot_instants(office, day, pattern)
            current = existing.get(key)
            if current is not None and current.source != rules.PLANNED:
                result.append(_line(office, row, day, pattern["name"], a, b,
                                    duty_people.holder_of(current), people, "keep", current))
                continue
            candidates = [pid for pid in people if free(pid, day, a, b)]
            chosen = min(candidates, key=lambda pid: (counts[pid], last.get(pid, dt.date.min),
                                                      pid), default=None)
            if chosen is not None:
                counts[chosen] += 1
                last[chosen] = day
                busy.setdefault(chosen, []).append((a, b))
            if current is None:
                action = "create"
                if not dry_run:
                    current = Shift.create(post=row.id, day=day, name=pattern["name"],
                                           starts_at=a, ends_at=b,
                                           **duty_people.columns(chosen),
                                           source=rules.PLANNED, created_at=now,
                                           updated_at=now)
                    journal.record(office, SHIFT_ENTITY, current.id, "plan",
                                   after=versions.journaled(shift_dict(current, posts, people)))
            elif (duty_people.holder_of(current), current.starts_at,
                  current.ends_at) == (chosen, a, b):
                action = "same"
            else:
                action = "update"
                if not dry_run:
                    current = versions.lock(Shift, current.id)
                    before = shift_dict(current, posts, people)
                    for column, value in duty_people.columns(chosen).items():
                        setattr(current, column, value)
                    current.starts_at, current.ends_at = a, b
                    current.updated_at = now
                    versions.bump(current)
                    current.save()
                    journal.record(office, SHIFT_ENTITY, current.id, "plan",
                                   before=versions.journaled(before),
                                   after=versions.journaled(shift_dict(current, posts, people)))
            result.append(_line(office, row, day, pattern["name"], a, b, chosen, people,
                                action, current))
        for key, s in sorted(existing.items()):
            if key in seen or s.source != rules.PLANNED:
                continue
            result.append(_line(office, row, s.day, s.name, s.starts_at, s.ends_at,
                                duty_people.holder_of(s), people, "delete", s))
            if not dry_run:
                before = shift_dict(s, posts, people)
                s.delete_instance()
                journal.record(office, SHIFT_ENTITY, s.id, "delete",
                               before=versions.journaled(before))
    in_period: dict[str, int] = {p.key: 0 for p in people}
    for line in result:
        if line["holder"] in in_period and line["action"] != "delete":
            in_period[line["holder"]] += 1
    result.sort(key=lambda r: (r["starts_at"], r["shift"]))
    return {
        "post": row.code, "post_name": row.name, "date_from": start, "date_to": end,
        "dry_run": dry_run, "shifts": result,
        "counts": [{"holder": p.key, "person_id": p.person_id, "staff_id": p.staff_id,
                    "person": name, "shifts": in_period[p.key]}
                   for p, name in sorted(people.items(), key=lambda kv: (kv[1], kv[0]))],
        "gaps": sum(1 for r in result if not r["holder"] and r["action"] != "delete"),
        "written": 0 if dry_run else sum(1 for r in result
                                         if r["action"] in ("create", "update", "delete")),
    }


def _line(office: Office, post: Any, day: dt.date, name: str, a: dt.datetime, b: dt.datetime,
          who: OnDuty | None, people: dict[OnDuty, str], action: str,
          row: Shift | None) -> dict[str, Any]:
    name_of = people.get(who, "") if who else ""
    if who is not None and not name_of:  # a kept shift of someone no longer eligible here
        name_of = duty_people.names([who]).get(who, "")
    return {"id": row.id if row is not None else None, "post": post.code, "day": day,
            "shift": name, "starts_at": a.replace(tzinfo=dt.UTC),
            "ends_at": b.replace(tzinfo=dt.UTC), "person_id": who.person_id if who else None,
            "staff_id": who.staff_id if who else None, "holder": who.key if who else "",
            "person": name_of,
            "source": row.source if row is not None else rules.PLANNED, "action": action}
