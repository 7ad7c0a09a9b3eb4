"""The training report of a year: each member's credit hours (学时) against the office's
required annual hours (setting ``training.required_hours``), who falls short, and attendance
rates per session and per village.

- Hours: the credit hours of every held session in the year (office-local start date) that
  the person attended as ``present`` or ``late`` (late earns the full hours, see rules).
- The people assessed: members in office on the report's day (the year's last day, or today
  while the year runs), whether or not a session was required for them.
- Rates: attended (present or late) / required, over held sessions; an excused absence
  still counts as not attended (the sheet shows it apart). Per village, a person counts
  under the village of the post that made them required, else their own village.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from decimal import Decimal
from typing import Any

from ledger.models import Attendance, Person, TrainingSession, Village
from ledger.office import Office
from ledger.training import rules
from ledger.training.query import load_posts, local, required_people
from ledger.training.rules import to_utc


def _rate(attended: int, expected: int) -> float | None:
    return round(attended / expected, 4) if expected else None


def report(office: Office, *, year: int | None = None) -> dict[str, Any]:
    today = office.today()
    year = today.year if year is None else int(year)
    if not 2000 <= year <= 2100:
        from ledger.errors import ValidationError

        raise ValidationError("year", "error.training_year_range", value=year)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    as_of = min(last, today) if today >= first else last
    start = to_utc(office, dt.datetime.combine(first, dt.time()))
    end = to_utc(office, dt.datetime.combine(dt.date(year + 1, 1, 1), dt.time()))
    required_hours = Decimal(str(office.settings["training.required_hours"]))

    sessions = list(TrainingSession.select().where(TrainingSession.starts_at >= start,
                                                   TrainingSession.starts_at < end)
                    .order_by(TrainingSession.starts_at, TrainingSession.id))
    held = [s for s in sessions if s.state == rules.HELD]
    marks: dict[int, dict[int, str]] = defaultdict(dict)
    if held:
        for sid, pid, state in Attendance.select(
                Attendance.session, Attendance.person, Attendance.state).where(
                Attendance.session.in_([s.id for s in held])).tuples():
            marks[sid][pid] = state
    posts = load_posts()
    villages = dict(Village.select(Village.id, Village.name).tuples())
    people = {pid: (name, vid) for pid, name, vid in
              Person.select(Person.id, Person.name, Person.village).tuples()}

    hours: dict[int, Decimal] = defaultdict(Decimal)
    attended_count: dict[int, int] = defaultdict(int)
    by_village: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
    by_session: list[dict[str, Any]] = []
    for s in held:
        day = local(office, s.starts_at).date()
        refs = json.loads(s.audience_refs or "[]")
        required = required_people(s.audience, refs, day, posts)
        sheet = marks.get(s.id, {})
        for pid, state in sheet.items():
            if state in rules.EARNING_STATES:
                hours[pid] += Decimal(str(s.credit_hours))
                attended_count[pid] += 1
        village_of = {p.person: p.village for p in posts
                      if p.person in required and p.started <= day
                      and (p.ended is None or p.ended > day)}
        attended = 0
        for pid in required:
            came = int(sheet.get(pid) in rules.EARNING_STATES)
            attended += came
            vid = village_of.get(pid, people.get(pid, ("", None))[1])
            by_village[vid][0] += 1
            by_village[vid][1] += came
        states = {st: sum(1 for v in sheet.values() if v == st) for st in rules.ATTENDANCE_STATES}
        by_session.append({
            "id": s.id, "title": s.title, "kind": s.kind, "starts_at": s.starts_at.replace(
                tzinfo=dt.UTC), "credit_hours": rules.hours_value(s.credit_hours),
            "required": len(required), "attended": attended,
            "rate": _rate(attended, len(required)), **states,
        })

    in_office = {p.person for p in posts
                 if p.started <= as_of and (p.ended is None or p.ended > as_of)}
    assessed = sorted(in_office | set(hours), key=lambda pid: (
        hours.get(pid, Decimal(0)), villages.get(people.get(pid, ("", None))[1], "~"),
        people.get(pid, ("", None))[0], pid))
    rows = []
    for pid in assessed:
        name, vid = people.get(pid, ("", None))
        have = hours.get(pid, Decimal(0))
        short = max(Decimal(0), required_hours - have) if pid in in_office else Decimal(0)
        rows.append({"person_id": pid, "name": name, "village": villages.get(vid, ""),
                     "in_office": pid in in_office, "sessions": attended_count.get(pid, 0),
                     "hours": float(have), "required_hours": float(required_hours),
                     "shortfall": float(short), "short": short > 0})
    codes = dict(Village.select(Village.id, Village.code).tuples())
    village_rows = [{"village_id": vid, "village": villages.get(vid, "") if vid else "",
                     "expected": exp, "attended": att, "rate": _rate(att, exp)}
                    for vid, (exp, att) in sorted(by_village.items(),
                                                  key=lambda kv: codes.get(kv[0], "~"))]
    expected = sum(r["required"] for r in by_session)
    came = sum(r["attended"] for r in by_session)
    return {
        "year": year,
        "as_of": as_of,
        "required_hours": float(required_hours),
        "totals": {
            "sessions": len(sessions), "held": len(held),
            "planned": sum(1 for s in sessions if s.state == rules.PLANNED),
            "cancelled": sum(1 for s in sessions if s.state == rules.CANCELLED),
            "hours_offered": float(sum((Decimal(str(s.credit_hours)) for s in held),
                                       Decimal(0))),
            "assessed": sum(1 for r in rows if r["in_office"]),
            "short": sum(1 for r in rows if r["short"]),
            "expected": expected, "attended": came, "rate": _rate(came, expected),
        },
        "people": rows,
        "short": [r for r in rows if r["short"]],
        "by_session": by_session,
        "by_village": village_rows,
    }
