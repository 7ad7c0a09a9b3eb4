"""QA: proxy tickets' edge cases (the stopped clock, the calendar, numbering, refusals).

The clock is conftest's NOW (Friday 2026-11-27 10:00 Asia/Shanghai) unless a test moves it;
every date here is fixed.
"""

from __future__ import annotations

import datetime as dt

import pytest

from ledger import items, journal, tickets, workcal
from ledger.villages import add_village

D = dt.date

# An invented 2027 schedule whose New Year break runs to Wednesday 01-06 (the library
# guesses only 01-01): 01-04..06 stop being working days once it is loaded.
SCHEDULE_2027 = ('year = 2027\n[[holiday]]\nname = "元旦"\nfrom = 2027-01-01\n'
                 'to = 2027-01-06\n')


@pytest.fixture
def cat(office):
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
