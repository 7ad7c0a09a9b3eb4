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
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ledger import journal, versions
from ledger.errors import ValidationError
from ledger.models import DutyEligible, Person, Shift, Unavailability
from ledger.office import Office
from ledger.roster import rules
from ledger.roster.query import find_post, shift_dict
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
    start, end = rules.period(date_from, date_to)
    with office.transaction():
        row = find_post(post)
        people = {p.id: p.name for p in Person.select(Person.id, Person.name)
                  .join(DutyEligible, on=DutyEligible.person == Person.id)
                  .where(DutyEligible.post == row.id)}
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
        last: dict[int, dt.date] = {}
        for pid, day in Shift.select(Shift.person, Shift.day).where(
                Shift.post == row.id, Shift.person.in_(list(people)),
                Shift.day < start, Shift.day >= start - dt.timedelta(days=window)).tuples():
            counts[pid] += 1
            last[pid] = max(last.get(pid, day), day)
        kept = [s for s in existing.values() if s.source != rules.PLANNED]
        for s in kept:
            if s.person_id in counts:
                counts[s.person_id] += 1
        away: dict[int, list[tuple[dt.date, dt.date]]] = {}
        for pid, a, b in Unavailability.select(
                Unavailability.person, Unavailability.date_from, Unavailability.date_to).where(
                Unavailability.person.in_(list(people)), Unavailability.date_to >= start,
                Unavailability.date_from <= end).tuples():
            away.setdefault(pid, []).append((a, b))
        # Everyone's other shifts in the period (other posts, and kept ones here): a
        # person on duty elsewhere at that time is not free.
        busy: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
        first_instant = rules.slot_instants(office, start, {"start": "00:00",
                                                            "end": "00:01"})[0]
        for pid, post_id, a, b, src in Shift.select(
                Shift.person, Shift.post, Shift.starts_at, Shift.ends_at,
                Shift.source).where(
                Shift.person.in_(list(people)),
                Shift.starts_at >= first_instant - dt.timedelta(days=1),
                Shift.starts_at < first_instant + dt.timedelta(days=(end - start).days + 2)
        ).tuples():
            if post_id == row.id and src == rules.PLANNED:
                continue  # this post's planned shifts are being rewritten
            busy.setdefault(pid, []).append((a, b))

        def free(pid: int, day: dt.date, a: dt.datetime, b: dt.datetime) -> bool:
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
                                    current.person_id, people, "keep", current))
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
                                           starts_at=a, ends_at=b, person=chosen,
                                           source=rules.PLANNED, created_at=now,
                                           updated_at=now)
                    journal.record(office, SHIFT_ENTITY, current.id, "plan",
                                   after=versions.journaled(shift_dict(current, posts, people)))
            elif (current.person_id, current.starts_at, current.ends_at) == (chosen, a, b):
                action = "same"
            else:
                action = "update"
                if not dry_run:
                    current = versions.lock(Shift, current.id)
                    before = shift_dict(current, posts, people)
                    current.person, current.starts_at, current.ends_at = chosen, a, b
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
                                s.person_id, people, "delete", s))
            if not dry_run:
                before = shift_dict(s, posts, people)
                s.delete_instance()
                journal.record(office, SHIFT_ENTITY, s.id, "delete",
                               before=versions.journaled(before))
    in_period: dict[int, int] = dict.fromkeys(people, 0)
    for line in result:
        if line["person_id"] in in_period and line["action"] != "delete":
            in_period[line["person_id"]] += 1
    result.sort(key=lambda r: (r["starts_at"], r["shift"]))
    return {
        "post": row.code, "post_name": row.name, "date_from": start, "date_to": end,
        "dry_run": dry_run, "shifts": result,
        "counts": [{"person_id": pid, "person": people[pid], "shifts": n}
                   for pid, n in sorted(in_period.items(), key=lambda kv: (people[kv[0]],
                                                                           kv[0]))],
        "gaps": sum(1 for r in result if r["person_id"] is None and r["action"] != "delete"),
        "written": 0 if dry_run else sum(1 for r in result
                                         if r["action"] in ("create", "update", "delete")),
    }


def _line(office: Office, post: Any, day: dt.date, name: str, a: dt.datetime, b: dt.datetime,
          person_id: int | None, people: dict[int, str], action: str,
          row: Shift | None) -> dict[str, Any]:
    name_of = people.get(person_id, "") if person_id else ""
    if person_id and not name_of:
        name_of = Person.get_by_id(person_id).name
    return {"id": row.id if row is not None else None, "post": post.code, "day": day,
            "shift": name, "starts_at": a.replace(tzinfo=dt.UTC),
            "ends_at": b.replace(tzinfo=dt.UTC), "person_id": person_id, "person": name_of,
            "source": row.source if row is not None else rules.PLANNED, "action": action}
