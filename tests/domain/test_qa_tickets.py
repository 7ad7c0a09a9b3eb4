"""QA: proxy tickets' edge cases (the stopped clock, the calendar, numbering, refusals).

The clock is conftest's NOW (Friday 2026-11-27 10:00 Asia/Shanghai) unless a test moves it;
every date here is fixed.
"""

from __future__ import annotations

import datetime as dt

import pytest

from ledger import items, journal, tickets, workcal
from ledger.errors import ValidationError
from ledger.villages import add_village

D = dt.date

# An invented 2027 schedule whose New Year break runs to Wednesday 01-06 (the library
# guesses only 01-01): 01-04..06 stop being working days once it is loaded.
SCHEDULE_2027 = ('year = 2027\n[[holiday]]\nname = "元旦"\nfrom = 2027-01-01\n'
                 'to = 2027-01-06\n')


@pytest.fixture
def cat(office, staff_names):
    add_village(office, name="许庄村", code="V01")
    items.add_item(office, code="R11", name="重度残疾人护理补贴", category="残疾人服务",
                   level="district", time_limit_days=20, materials="身份证|户口簿|残疾证")
    items.add_item(office, code="R21", name="生育服务登记", category="卫生计生",
                   level="subdistrict", time_limit_days=0, materials="身份证|户口簿|结婚证")
    return office


def _open(office, item="R11", when=None, **kw):
    data = {"item": item, "applicant_name": "许桂兰", "applicant_phone": "13812345678",
            "village": "V01", "received_at": when, "materials": True}
    data.update(kw)
    return tickets.open_ticket(office, **data)


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour))


def test_a_return_over_the_year_end_is_counted_again_when_the_year_is_loaded(cat, tmp_path):
    cat.clock = cat.clock.at(dt.datetime(2027, 1, 20, 10, 0), tz="Asia/Shanghai")
    t = _open(cat, when=_at(D(2026, 12, 21)))
    tickets.return_ticket(cat, t["number"], note="缺残疾证", at=_at(D(2026, 12, 28)))
    back = tickets.resume(cat, t["number"], at=_at(D(2027, 1, 8)))
    # Returned Mon 12-28, back Fri 01-08: 12-29..31 and, by the library's guess of 2027,
    # 01-04..08: 8 working days, the due date provisional.
    assert (back["returned_days"], back["due_provisional"]) == (8, True)
    schedule = tmp_path / "2027.toml"
    schedule.write_text(SCHEDULE_2027, encoding="utf-8")
    assert workcal.load_schedule(cat, schedule)["tickets_changed"] == 1
    again = tickets.get_ticket(cat, t["number"])
    # With 01-04..06 holidays the clock stood still 5 working days (12-29..31, 01-07, 01-08),
    # and 20 + 5 working days from 12-21 still end on 2027-01-29: the new holidays fell
    # while the clock was stopped. Counting the stale 8 moved it to 02-03.
    cal = workcal.calendar_for(cat)
    assert cal.working_days_between(D(2026, 12, 28), D(2027, 1, 8)) == 5
    assert again["returned_days"] == 5
    assert (again["due_date"], again["due_provisional"]) == (
        cal.add_working_days(D(2026, 12, 21), 25)[0], False)
    assert again["due_date"] == back["due_date"] == D(2027, 1, 29)
    entry = [e for e in journal.entries(cat, entity="ticket")
             if e["action"] == "recompute_due"][-1]
    assert (entry["before"]["returned_days"], entry["after"]["returned_days"]) == (8, 5)


# --- the stopped clock ---------------------------------------------------------------------

def test_returned_twice_adds_both_stops_and_a_same_day_resume_adds_none(cat):
    t = _open(cat, when=_at(D(2026, 11, 2)))  # Mon; 20 working days: due Mon 11-30
    n = t["number"]
    tickets.return_ticket(cat, n, note="缺户口簿", at=_at(D(2026, 11, 3)))
    same_day = tickets.resume(cat, n, at=_at(D(2026, 11, 3), 15))
    assert (same_day["returned_days"], same_day["due_date"]) == (0, D(2026, 11, 30))
    tickets.return_ticket(cat, n, note="缺残疾证", at=_at(D(2026, 11, 5)))  # Thu
    first = tickets.resume(cat, n, at=_at(D(2026, 11, 9)))  # Mon: 11-06, 11-09
    assert (first["returned_days"], first["due_date"]) == (2, D(2026, 12, 2))
    tickets.return_ticket(cat, n, note="照片不合格", at=_at(D(2026, 11, 12)))
    second = tickets.resume(cat, n, at=_at(D(2026, 11, 16)))  # 11-13, 11-16
    assert (second["returned_days"], second["due_date"]) == (4, D(2026, 12, 4))
    tickets.advance(cat, n, at=_at(D(2026, 11, 17)))
    done = tickets.advance(cat, n, at=_at(D(2026, 11, 27)))
    # 19 working days 11-03..11-27, less the 4 stopped
    assert (done["working_days_taken"], done["on_time"]) == (15, True)


def test_a_ticket_back_after_the_spring_festival_moves_by_working_days_only(cat):
    cat.clock = cat.clock.at(dt.datetime(2026, 3, 10, 10, 0), tz="Asia/Shanghai")
    t = _open(cat, when=_at(D(2026, 2, 9)))
    # Returned Fri 02-13; the worked Saturday 02-14, the holiday 02-15..23, back Tue 02-24:
    # 02-14 and 02-24 are the stopped working days.
    tickets.return_ticket(cat, t["number"], note="缺残疾证", at=_at(D(2026, 2, 13)))
    back = tickets.resume(cat, t["number"], at=_at(D(2026, 2, 24)))
    cal = workcal.calendar_for(cat)
    assert cal.is_working_day(D(2026, 2, 14)) and not cal.is_working_day(D(2026, 2, 23))
    assert back["returned_days"] == 2
    assert back["due_date"] == cal.add_working_days(D(2026, 2, 9), 22)[0]


# --- due soon --------------------------------------------------------------------------------

def test_due_soon_on_the_friday_before_a_holiday_weekend_looks_past_the_holiday(cat):
    # Friday 2026-04-03, Qingming 04-04..06: two working days ahead are Tue 04-07, Wed 04-08.
    cat.clock = cat.clock.at(dt.datetime(2026, 4, 3, 10, 0), tz="Asia/Shanghai")
    cal = workcal.calendar_for(cat)
    assert not cal.is_working_day(D(2026, 4, 6))
    for received in (D(2026, 3, 9), D(2026, 3, 10), D(2026, 3, 11), D(2026, 3, 5)):
        _open(cat, when=_at(received))  # 20 working days: due 04-07, 04-08, 04-09, 04-02
    states = {t["due_date"]: tickets.get_ticket(cat, t["number"])["deadline_state"]
              for t in tickets.list_tickets(cat)}
    assert states[D(2026, 4, 7)] == states[D(2026, 4, 8)] == "due_soon"
    assert states[D(2026, 4, 9)] == "ok"
    assert states[D(2026, 4, 2)] == "overdue"
    soon = tickets.list_tickets(cat, tickets.TicketFilter(due_soon=True))
    assert [r["due_date"] for r in soon] == [D(2026, 4, 7), D(2026, 4, 8)]


# --- on the spot, reopening, rating ----------------------------------------------------------

def test_an_on_the_spot_item_is_due_the_day_it_is_received(cat):
    t = _open(cat, item="R21", when=_at(D(2026, 11, 27)))
    assert (t["due_date"], t["due_provisional"], t["deadline_state"]) == (
        D(2026, 11, 27), False, "due_soon")
    tickets.advance(cat, t["number"])
    done = tickets.advance(cat, t["number"])
    assert (done["on_time"], done["working_days_taken"]) == (True, 0)


def test_reopening_keeps_the_promise_and_the_second_result_is_judged_against_it(cat):
    t = _open(cat, when=_at(D(2026, 10, 12)))  # 20 working days: due 11-09
    n = t["number"]
    assert t["due_date"] == D(2026, 11, 9)
    tickets.advance(cat, n, at=_at(D(2026, 10, 13)))
    first = tickets.advance(cat, n, at=_at(D(2026, 11, 2)))
    assert first["on_time"] is True
    tickets.rate(cat, n, "satisfied", at=_at(D(2026, 11, 3)))
    reopened = tickets.reopen(cat, n, note="结果有误", at=_at(D(2026, 11, 20)))
    assert (reopened["due_date"], reopened["deadline_state"]) == (D(2026, 11, 9), "overdue")
    report = tickets.report(cat, year=2026)["totals"]
    assert (report["done"], report["open"], report["overdue"], report["rated"]) == (0, 1, 1, 0)
    again = tickets.advance(cat, n, at=_at(D(2026, 11, 24)))
    assert (again["on_time"], again["due_date"]) == (False, D(2026, 11, 9))
    report = tickets.report(cat, year=2026)["totals"]
    assert (report["done"], report["on_time"], report["on_time_rate"]) == (1, 0, 0.0)


def test_a_refused_change_leaves_no_event_no_journal_row_and_no_number(cat):
    from ledger.errors import InvalidTransition, ValidationError
    from ledger.models import JournalEntry
    from ledger.models.core import NumberSequence
    from ledger.models.tickets import Ticket, TicketEvent

    t = _open(cat, when=_at(D(2026, 11, 20)))
    counts = (JournalEntry.select().count(), TicketEvent.select().count())
    for refused in (lambda: tickets.rate(cat, t["number"], "satisfied"),
                    lambda: tickets.resume(cat, t["number"]),
                    lambda: tickets.reopen(cat, t["number"], note="x")):
        with pytest.raises(InvalidTransition):
            refused()
    with pytest.raises(ValidationError):
        tickets.return_ticket(cat, t["number"], note="")
    with pytest.raises(ValidationError):
        _open(cat, applicant_phone="12345")
    with pytest.raises(ValidationError):
        _open(cat, when=_at(D(2026, 11, 28)))
    assert (JournalEntry.select().count(), TicketEvent.select().count()) == counts
    assert Ticket.get_by_id(t["id"]).state == "received"
    assert NumberSequence.select(NumberSequence.last).scalar() == 1
    assert _open(cat, when=_at(D(2026, 11, 20)))["number"] == "DB-2026-0002"


# --- numbering -----------------------------------------------------------------------------

def test_numbers_restart_in_the_new_year_by_the_office_s_local_date(cat):
    cat.clock = cat.clock.at(dt.datetime(2026, 12, 31, 23, 30), tz="Asia/Shanghai")
    last_of_2026 = _open(cat)  # 15:30 UTC: still 2026-12-31 in the office
    cat.clock = cat.clock.at(dt.datetime(2027, 1, 1, 0, 30), tz="Asia/Shanghai")
    first_of_2027 = _open(cat)
    late_paper = _open(cat, when=dt.datetime(2026, 12, 31, 16, 0))  # entered after midnight
    assert [last_of_2026["number"], first_of_2027["number"], late_paper["number"]] == [
        "DB-2026-0001", "DB-2027-0001", "DB-2026-0002"]
    assert first_of_2027["due_provisional"] is True  # 2027's 调休 is not published


# --- a step dated by its day alone -----------------------------------------------------------

def test_a_step_given_only_its_day_is_taken_on_the_day_of_the_previous_step(cat):
    # A form's "2026-11-27" (no time) meant midnight, a date object 09:00: a ticket opened
    # today at 10:00 could then not be advanced "today" (before the previous step).
    t = _open(cat)  # now: 2026-11-27 10:00
    moved = tickets.advance(cat, t["number"], at="2026-11-27")
    done = tickets.advance(cat, t["number"], at=D(2026, 11, 27))
    assert (moved["state"], done["state"], done["done_on"]) == (
        "in_progress", "done", D(2026, 11, 27))
    at = [e["at"] for e in tickets.get_ticket(cat, t["number"])["history"]]
    assert at == sorted(at)
    # a day before the previous step's day is still refused
    other = _open(cat, when=_at(D(2026, 11, 20)))
    with pytest.raises(ValidationError):
        tickets.advance(cat, other["number"], at="2026-11-19")
    # a day given before nine in the morning of today is not in the future
    cat.clock = cat.clock.at(dt.datetime(2026, 11, 27, 8, 0), tz="Asia/Shanghai")
    early = _open(cat, when=D(2026, 11, 27))
    assert early["received_on"] == D(2026, 11, 27)
    assert tickets.advance(cat, early["number"], at="2026-11-27")["state"] == "in_progress"


def test_two_clerks_with_their_own_clocks_share_each_year_s_numbers(cat):
    # Two clerks on one database around midnight on New Year's Eve: each number follows
    # the day the ticket was received in the office's time zone, never a clerk's clock.
    from ledger import Clock, open_office

    before = open_office(cat.url, operator="甲", settings=cat.settings,
                         clock=Clock.at(dt.datetime(2026, 12, 31, 23, 50)))
    after = open_office(cat.url, operator="乙", settings=cat.settings,
                        clock=Clock.at(dt.datetime(2027, 1, 1, 0, 10)))
    try:
        numbers = [_open(before)["number"], _open(after)["number"], _open(before)["number"],
                   _open(after, when=dt.datetime(2026, 12, 31, 23, 55))["number"],
                   _open(after)["number"]]
    finally:
        before.close()
        after.close()
    assert numbers == ["DB-2026-0001", "DB-2027-0001", "DB-2026-0002", "DB-2026-0003",
                       "DB-2027-0002"]


def test_a_calendar_recompute_is_no_step_a_late_entry_must_follow(cat, tmp_path):
    # Loading 2027 adds a "recompute" line to the timeline at the moment of the load; a
    # paper form for a step taken the day before was then refused as "before the previous
    # step", though nobody had done anything to the ticket since.
    cat.clock = cat.clock.at(dt.datetime(2026, 12, 16, 10, 0), tz="Asia/Shanghai")
    t = _open(cat, when=_at(D(2026, 12, 14)))
    assert t["due_provisional"] is True
    schedule = tmp_path / "2027.toml"
    schedule.write_text(SCHEDULE_2027, encoding="utf-8")
    assert workcal.load_schedule(cat, schedule)["tickets_changed"] == 1
    moved = tickets.advance(cat, t["number"], at=_at(D(2026, 12, 15), 16))
    assert moved["state"] == "in_progress"
    assert [e["action"] for e in moved["history"]] == ["open", "recompute", "advance"]
    # the ticket's own steps still bind: not before the advance just recorded
    with pytest.raises(ValidationError):
        tickets.advance(cat, t["number"], at=_at(D(2026, 12, 15), 10))


def test_a_stop_over_a_weekend_that_becomes_a_working_saturday_is_counted(cat, tmp_path):
    # Returned Fri 2027-01-08, back Sat 01-09: no working day stopped on the library's
    # guess, one once 01-09 is loaded as an adjusted working day.
    cat.clock = cat.clock.at(dt.datetime(2027, 1, 12, 10, 0), tz="Asia/Shanghai")
    t = _open(cat, when=_at(D(2027, 1, 4)))
    tickets.return_ticket(cat, t["number"], note="缺残疾证", at=_at(D(2027, 1, 8)))
    back = tickets.resume(cat, t["number"], at=_at(D(2027, 1, 9)))
    assert back["returned_days"] == 0
    schedule = tmp_path / "2027.toml"
    schedule.write_text(SCHEDULE_2027 + '[[workday]]\nname = "元旦调休"\ndate = 2027-01-09\n',
                        encoding="utf-8")
    workcal.load_schedule(cat, schedule)
    again = tickets.get_ticket(cat, t["number"])
    cal = workcal.calendar_for(cat)
    assert cal.is_working_day(D(2027, 1, 9))
    assert again["returned_days"] == 1
    assert again["due_date"] == cal.add_working_days(D(2027, 1, 4), 21)[0]


def test_agents_in_use_are_listed_once_each_in_order(cat):
    office = cat
    for agent in ("王芳", "", "李强", "王芳", "陈静", "李强"):
        _open(office, agent=agent)
    assert tickets.agents(office) == sorted({"王芳", "李强", "陈静"})


def test_no_agents_on_an_empty_office(cat):
    assert tickets.agents(cat) == []


def test_item_and_village_codes_are_found_in_either_case(cat):
    from ledger.villages import get_village

    assert items.get_item(cat, "r11")["code"] == "R11"
    assert get_village(cat, "v01")["code"] == "V01"
    assert _open(cat, item="r21", village="v01")["item_code"] == "R21"
