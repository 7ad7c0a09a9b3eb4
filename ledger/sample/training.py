"""Sample training: a year of sessions up to today, with attendance for the 68 members.

- A monthly series, the two committees' study meeting (两委班子学习例会) on the first Monday of
  each month from eleven months ago, 1.5 credit hours, thirteen occurrences (the last ones
  still to come); the one nearest the Spring Festival cancelled, one moved by a day.
- Lectures on the report's themes (the petition regulation, full-process proxy service, the
  five-step decision method, village finances), a field visit to a resettlement site for the
  branch secretaries, and an online exam; one cancelled for a typhoon warning.
- Attendance through paper sign-in sheets (``training.record_sheet``: one bulk insert and one
  journal entry per sheet), so ``jiedao init --example`` stays fast. Each member has a
  diligence drawn from ``rng``; a few rarely come, so the hours report with the default
  ``training.required_hours`` (20) has people falling short.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import MO, relativedelta

from ledger import training
from ledger.models import Person

if TYPE_CHECKING:
    from ledger.office import Office

EXCUSES = ("外出办事", "病假", "参加区里会议", "拆迁入户工作", "家中有事")
LECTURES = (
    # (months ago, title, topic, kind, hours, audience, refs, place, organiser)
    (10, "《信访工作条例》解读", "受理告知、办理时限与复查复核", "lecture", "3", "all", (),
     "街道办三楼会议室", "街道信访办"),
    (8, "为民服务全程代办业务培训", "47 项代办事项的材料与承诺时限", "lecture", "2.5", "all", (),
     "街道便民服务中心", "街道便民服务中心"),
    (6, "回迁安置区现场观摩", "平改回迁村的四室一站建设", "field_visit", "4", "post",
     ("branch_secretary", "committee_director"), "回迁安置区一期", "街道党工委"),
    (4, "五步决策法与四议两公开", "村级重大事务决策程序", "lecture", "3", "all", (),
     "街道办三楼会议室", "街道党工委组织办"),
    (2, "农村集体“三资”管理", "村级财务公开与审计", "online", "2", "all", (), "网络学院",
     "街道农经站"),
    (1, "年度学法考试", "基层治理法规", "exam", "2", "all", (), "街道办二楼考场",
     "街道党工委组织办"),
)


def _first_monday(day: dt.date) -> dt.date:
    return day.replace(day=1) + relativedelta(weekday=MO(1))


def fill(office: Office, rng: random.Random) -> None:
    today = office.today()
    now = office.clock.local_now().replace(tzinfo=None)
    people = [pid for (pid,) in Person.select(Person.id).order_by(Person.id).tuples()]
    # Most members come nearly always; some often miss; a few rarely come.
    diligence = {pid: rng.choice((0.97, 0.95, 0.9, 0.9, 0.85, 0.75, 0.6, 0.35))
                 for pid in people}

    start = _first_monday(today - relativedelta(months=11))
    series = training.add_series(
        office, title="两委班子学习例会", topic="政策法规与为民服务", kind="meeting",
        rule="FREQ=MONTHLY;BYDAY=1MO;COUNT=13",
        first_start=dt.datetime.combine(start, dt.time(9, 0)), duration_minutes=120,
        credit_hours="1.5", place="街道办三楼会议室", organiser="街道党工委")
    sessions = series["session_list"]
    festival = min(sessions, key=lambda s: abs((s["starts_at"].date()
                                                - dt.date(s["starts_at"].year, 2, 10)).days))
    training.cancel_session(office, festival["id"], reason="春节假期")
    moved = next(s for s in sessions[3:] if s["id"] != festival["id"])
    local = office.clock.to_local(moved["starts_at"]).replace(tzinfo=None)
    training.edit_session(office, moved["id"], starts_at=local + dt.timedelta(days=1),
                          ends_at=local + dt.timedelta(days=1, hours=2),
                          notes="周一为区里集中会议，顺延一天")

    for months, title, topic, kind, hours, audience, refs, place, organiser in LECTURES:
        day = today - relativedelta(months=months) + dt.timedelta(days=rng.randint(-6, 6))
        begin = dt.datetime.combine(day, dt.time(14, 30))
        training.add_session(office, title=title, topic=topic, kind=kind, starts_at=begin,
                             ends_at=begin + dt.timedelta(hours=float(hours) + 0.5),
                             credit_hours=hours, audience=audience, audience_refs=list(refs),
                             place=place, organiser=organiser)
    typhoon = dt.datetime.combine(today - relativedelta(months=5), dt.time(9, 0))
    cancelled = training.add_session(office, title="防汛防台应急培训", kind="lecture",
                                     starts_at=typhoon, ends_at=typhoon + dt.timedelta(hours=2),
                                     credit_hours="2", place="街道办三楼会议室",
                                     organiser="街道应急办")
    training.cancel_session(office, cancelled["id"], reason="台风预警，改为书面传达")
    ahead = dt.datetime.combine(today + dt.timedelta(days=12), dt.time(14, 30))
    training.add_session(office, title="村级换届工作培训", topic="换届选举程序与纪律",
                         kind="lecture", starts_at=ahead, ends_at=ahead + dt.timedelta(hours=3),
                         credit_hours="3", place="街道办三楼会议室", organiser="街道党工委")

    for session in list(training.iter_sessions(office,
                                               training.TrainingFilter(state="planned"))):
        if office.clock.to_local(session["starts_at"]).replace(tzinfo=None) > now:
            continue
        sheet = training.get_session(office, session["id"])["attendance"]
        marks: dict[int, Any] = {}
        for row in sheet:
            roll, p = rng.random(), diligence[row["person_id"]]
            if roll < p * 0.9:
                marks[row["person_id"]] = "present"
            elif roll < p:
                marks[row["person_id"]] = "late"
            elif rng.random() < 0.4:
                marks[row["person_id"]] = ("excused", rng.choice(EXCUSES))
            else:
                marks[row["person_id"]] = "absent"
        training.record_sheet(office, session["id"], marks)
