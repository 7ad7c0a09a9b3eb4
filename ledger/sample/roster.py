"""Sample duty rosters: the convenience service centre and a service station in each of the
nine villages (四室一站), with a current roster three weeks either side of today.

- The centre (便民服务中心) is staffed every day ("someone is on duty every day"), morning
  and afternoon; its eligible people are the office's own proxy agents (staff) and the
  college-graduate village officials (大学生村官), who also stand duty at their own
  village's station. The agents are the staff directory's active people; a directory
  still empty (no staff sample has run) gets the tickets' agents (``sample.tickets.AGENTS``)
  as staff here, each only if no staff record has that name yet.
- Each village station has a day shift on working days (the calendar: 调休 Saturdays
  worked), staffed by that village's committee members.
- A few periods of unavailability (leave, training, sickness; one of them a staff
  member's), one swap and one manual assignment, so the roster shows every source; the
  planner leaves a gap where nobody is free.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from ledger import members, roster, staff, villages
from ledger.errors import LedgerError, NotFound

WEEKS = 3
AGENTS_ON_DUTY = 4  # staff the centre's roster holds when the directory was empty


def _duty_staff(office: Any) -> list[str]:
    """Terms naming the staff who stand duty at the centre (``staff:#id``)."""
    active = staff.list_staff(office, staff.StaffFilter(active=True), limit=None)
    if not active:
        from ledger.sample.tickets import AGENTS

        for name in AGENTS[:AGENTS_ON_DUTY]:
            try:
                staff.find_staff(name)  # there already (retired, say): not made twice
            except NotFound:
                staff.add_staff(office, name=name, post="代办员",
                                notes="便民服务中心代办员，轮流值班")
        active = staff.list_staff(office, staff.StaffFilter(active=True), limit=None)
    return [f"staff:#{s['id']}" for s in active[:AGENTS_ON_DUTY]]


def fill(office: Any, rng: random.Random) -> None:
    today = office.today()
    start = roster.week_start(today) - dt.timedelta(days=7 * WEEKS)
    end = roster.week_start(today) + dt.timedelta(days=7 * WEEKS + 6)
    people = members.list_members(office, members.MemberFilter(active=True),
                                  limit=1000)
    roster.add_post(office, code="CENTRE", name="街道便民服务中心", kind="centre",
                    shifts="morning=08:30-12:00,afternoon=14:00-17:30",
                    staffed_off_days=True, notes="三级平台的街道一级，代办员轮流值守")
    officials = [f"#{p['id']}" for p in people if p["college_graduate_official"]]
    agents = _duty_staff(office)
    roster.add_eligible(office, "CENTRE", agents + (officials or [f"#{people[0]['id']}"]))
    for village in villages.list_villages(office):
        code = village["code"]
        roster.add_post(office, code=code, name=f"{village['name']}服务站", kind="station",
                        village=code, shifts="day=08:30-17:30")
        own = [f"#{p['id']}" for p in people if p["village_code"] == code]
        if own:
            roster.add_eligible(office, code, own)
    # A few people away: leave, a training course, sickness.
    away = rng.sample(people, min(4, len(people)))
    reasons = ("leave", "training", "sickness", "leave")
    terms = [f"#{p['id']}" for p in away] + agents[:1]  # and an agent's leave
    for term, reason in zip(terms, (*reasons, "leave"), strict=False):
        first = today + dt.timedelta(days=rng.randint(-14, 10))
        roster.add_unavailable(office, term, date_from=first,
                               date_to=first + dt.timedelta(days=rng.randint(1, 5)),
                               reason=reason)
    for post in roster.list_posts(office):
        if post["eligible_count"]:
            roster.plan(office, post["code"], start, end)
    # One swap at the centre and one manual assignment, a week ahead.
    ahead = roster.list_shifts(office, roster.ShiftFilter(
        post="CENTRE", date_from=today + dt.timedelta(days=7),
        date_to=today + dt.timedelta(days=13)), limit=None)
    held = [s for s in ahead if not s["gap"]]
    for a in held:
        b = next((s for s in held if s["day"] > a["day"] and s["person"] != a["person"]), None)
        if b is None:
            continue
        try:
            roster.swap(office, a["id"], b["id"], reason="家中有事，互换值班")
        except LedgerError:  # a pair the rules refuse (busy, not eligible): the next one
            continue
        break
    stations = [p for p in roster.list_posts(office) if p["kind"] == "station"
                and p["eligible_count"] > 1]
    if stations:
        post = roster.get_post(office, stations[0]["code"])
        current = None
        for ahead_days in range(1, 15):
            day = today + dt.timedelta(days=ahead_days)
            current = next((s for s in roster.who(office, day) if s["post"] == post["code"]),
                           None)
            if current is not None:
                break
        for person in post["eligible"]:
            if current is None or person["key"] == current["holder"]:
                continue
            try:
                ref = (f"#{person['person_id']}" if person["kind"] == "member"
                       else f"staff:#{person['staff_id']}")
                roster.assign(office, post["code"], day, "day", ref)
            except LedgerError:  # busy elsewhere that day: try another
                continue
            break
