"""The roster's reports: per post, how many shifts each person held in a period and how many
shifts nobody held (``report``); and each post's duty coverage (``coverage``), which the
annual assessment's ``duty`` goal reads."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ledger.models import DutyPost, Shift, Village
from ledger.office import Office
from ledger.roster import rules
from ledger.roster.query import ShiftFilter, find_post, iter_shifts, list_posts


def report(office: Office, date_from: Any, date_to: Any) -> dict[str, Any]:
    start, end = rules.period(date_from, date_to)
    posts = {p["code"]: {"post": p["code"], "name": p["name"], "shifts": 0, "gaps": 0,
                         "people": {}} for p in list_posts(office)}
    for s in iter_shifts(office, ShiftFilter(date_from=start, date_to=end)):
        entry = posts[s["post"]]
        entry["shifts"] += 1
        if s["gap"]:
            entry["gaps"] += 1
        else:
            entry["people"][s["person"]] = entry["people"].get(s["person"], 0) + 1
    out = []
    for entry in posts.values():
        people = entry.pop("people")
        entry["people"] = [{"person": k, "shifts": v} for k, v in sorted(people.items())]
        out.append(entry)
    return {"date_from": start, "date_to": end, "posts": out}


def coverage(office: Office, date_from: Any, date_to: Any, *,
             post: Any = None) -> dict[str, Any]:
    """How well each post (or one) was staffed over a period, judged up to today.

    A post's *slots* are every shift of its pattern on every day it is staffed (the working-
    day calendar, or every day with ``staffed_off_days``) from the day it was set up (or its
    first shift in the period, if earlier: a roster entered after the fact) to the end of
    the period or today, whichever comes first — days still ahead are not judged — plus any
    shift written in that span under a name the pattern no longer has. Of those, ``covered``
    had someone on duty (a committee member or staff), ``gaps`` were written with nobody
    (``roster.gaps``) and ``unplanned`` were never written at all: a staffed day with no
    roster is uncovered too. ``coverage`` is covered / slots (None with no slot to judge).
    """
    start, end = rules.period(date_from, date_to)
    last = min(end, office.today())
    posts = [find_post(post)] if post not in (None, "") else list(
        DutyPost.select().order_by(DutyPost.kind, DutyPost.code))
    villages = dict(Village.select(Village.id, Village.name).tuples())
    written: dict[int, dict[tuple[dt.date, str], bool]] = {p.id: {} for p in posts}
    first_shift: dict[int, dt.date] = {}
    for post_id, day, name, pid, sid in Shift.select(
            Shift.post, Shift.day, Shift.name, Shift.person, Shift.staff).where(
            Shift.post.in_([p.id for p in posts]), Shift.day >= start,
            Shift.day <= last).tuples():
        written[post_id][(day, name)] = pid is not None or sid is not None
        first_shift[post_id] = min(first_shift.get(post_id, day), day)
    out = []
    for p in posts:
        set_up = office.clock.to_local(p.created_at).date()
        begin = max(start, min(set_up, first_shift.get(p.id, set_up)))
        names = [s["name"] for s in json.loads(p.shifts)]
        expected: set[tuple[dt.date, str]] = set()
        day = begin
        while day <= last:
            if rules.staffed(office, bool(p.staffed_off_days), day):
                expected.update((day, n) for n in names)
            day += dt.timedelta(days=1)
        shifts = written[p.id]
        slots = expected | set(shifts)
        covered = sum(1 for h in shifts.values() if h)
        out.append({
            "post": p.code, "post_name": p.name, "kind": p.kind, "village_id": p.village_id,
            "village": villages.get(p.village_id, ""), "date_from": begin,
            "date_to": last if begin <= last else None, "slots": len(slots),
            "covered": covered, "gaps": len(shifts) - covered,
            "unplanned": len(slots) - len(shifts),
            "coverage": round(covered / len(slots), 4) if slots else None,
        })
    return {"date_from": start, "date_to": end, "as_of": last, "posts": out}
