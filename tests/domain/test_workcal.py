"""Working days: statutory holidays, adjusted working days (调休), provisional years, and
schedules the office loads itself."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ledger import journal, workcal
from ledger.errors import ValidationError
from ledger.models.calendar import CalendarDay, CalendarYear
from ledger.workcal import WorkCalendar, calendar_for

D = dt.date
EXAMPLE_2027 = Path(__file__).resolve().parents[2] / "examples" / "calendar-2027.toml"


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar()


# --- the published years ------------------------------------------------------------------

@pytest.mark.parametrize(("day", "working"), [
    (D(2025, 10, 3), False),   # National Day, a Friday
    (D(2025, 10, 8), False),   # Wednesday off, paid for by 10-11
    (D(2025, 10, 11), True),   # a Saturday worked (调休)
    (D(2025, 9, 28), True),    # a Sunday worked
    (D(2025, 10, 9), True),    # an ordinary Thursday
    (D(2025, 10, 12), False),  # an ordinary Sunday
    (D(2026, 2, 14), True),    # Saturday before Spring Festival 2026, worked
    (D(2026, 2, 16), False),   # New Year's Eve 2026
    (D(2026, 2, 23), False),   # the last day of the 2026 Spring Festival break
    (D(2026, 2, 28), True),    # Saturday after it, worked
    (D(2026, 1, 4), True),     # Sunday after New Year 2026, worked
    (D(2026, 10, 7), False),   # National Day week 2026
    (D(2026, 10, 10), True),   # Saturday worked after it
])
def test_holidays_and_adjusted_working_days(cal, day, working):
    assert cal.is_working_day(day) is working


def test_adding_working_days_skips_spring_festival_and_counts_the_adjusted_saturday(cal):
    # Friday 2026-02-13 + 1: Saturday 02-14 is a working day.
    assert cal.add_working_days(D(2026, 2, 13), 1) == (D(2026, 2, 14), False)
    # Saturday 02-14 + 1: the break runs 02-15..02-23, so Tuesday 02-24.
    assert cal.add_working_days(D(2026, 2, 14), 1) == (D(2026, 2, 24), False)


def test_the_start_day_is_not_counted_and_zero_means_on_the_spot(cal):
    friday = D(2026, 11, 27)
    assert cal.add_working_days(friday, 1) == (D(2026, 11, 30), False)
    assert cal.add_working_days(friday, 0) == (friday, False)
    with pytest.raises(ValueError):
        cal.add_working_days(friday, -1)


def test_national_day_2025_pushes_a_fifteen_day_limit(cal):
    # Received Tue 2025-09-30: 10-01..10-08 off; 10-09, 10-10, 10-11 (Sat, worked) are 1-3,
    # then 10-13..17 (8), 10-20..24 (13), 10-27, 10-28.
    due, provisional = cal.add_working_days(D(2025, 9, 30), 15)
    assert (due, provisional) == (D(2025, 10, 28), False)
    assert cal.working_days_between(D(2025, 9, 30), due) == 15


def test_working_days_between_counts_after_start_up_to_end(cal):
    assert cal.working_days_between(D(2026, 11, 27), D(2026, 11, 27)) == 0
    assert cal.working_days_between(D(2026, 11, 27), D(2026, 11, 30)) == 1
    assert cal.working_days_between(D(2026, 11, 30), D(2026, 11, 27)) == 0
    # Whole of 2026 as published: 365 - 104 weekend days - 19 weekday holidays + 6 Saturdays
    # and Sundays worked.
    assert cal.working_days_between(D(2025, 12, 31), D(2026, 12, 31)) == 248


def test_years_the_library_does_not_publish_are_provisional(cal):
    assert cal.year_source(2026) == "library"
    assert not cal.is_provisional(2026)
    assert cal.year_source(2027) == "provisional"
    assert cal.is_provisional(2027)
    # The library still knows the statutory day itself.
    assert not cal.is_working_day(D(2027, 1, 1))


def test_twenty_working_days_from_mid_december_cross_into_an_unknown_year(cal):
    due, provisional = cal.add_working_days(D(2026, 12, 15), 20)
    # 12 working days left in 2026, 2027-01-01 (Fri) is New Year's Day, then 8 more.
    assert due == D(2027, 1, 13)
    assert provisional is True
    # Staying inside 2026 is not provisional.
    assert cal.add_working_days(D(2026, 12, 15), 12) == (D(2026, 12, 31), False)


# --- loading a schedule -------------------------------------------------------------------

def test_loading_2027_makes_it_official_and_wins_over_the_library(office):
    cal = calendar_for(office)
    assert cal.is_provisional(2027)
    assert cal.is_working_day(D(2027, 2, 12))  # the library thinks it an ordinary Friday
    result = workcal.load_schedule(office, EXAMPLE_2027)
    assert result == {"year": 2027, "source": "calendar-2027.toml", "holidays": 28,
                      "workdays": 6, "replaced": False, "tickets_changed": 0,
                      "petitions_changed": 0}
    cal = calendar_for(office)
    assert cal.year_source(2027) == "loaded"
    assert not cal.is_provisional(2027)
    assert not cal.is_working_day(D(2027, 2, 12))
    assert cal.is_working_day(D(2027, 2, 14))  # an adjusted Sunday
    due, provisional = cal.add_working_days(D(2026, 12, 15), 20)
    # 12 in 2026; 01-01..01-03 off; 01-04..01-08 (5), 01-11, 01-12, 01-13 -> still 01-13.
    assert (due, provisional) == (D(2027, 1, 13), False)
    entries = list(journal.entries(office, entity="calendar_year"))
    assert [(e["entity_id"], e["action"]) for e in entries] == [("2027", "load")]
    assert len(entries[0]["after"]["holidays"]) == 28


def test_loading_a_year_again_replaces_it(office, tmp_path):
    workcal.load_schedule(office, EXAMPLE_2027)
    smaller = tmp_path / "2027.csv"
    smaller.write_text("date,kind,name\n2027-01-01,holiday,元旦\n2027-02-06,班,调休\n",
                       encoding="utf-8")
    result = workcal.load_schedule(office, smaller)
    assert result["replaced"] is True
    assert CalendarDay.select().count() == 2
    assert CalendarYear.select().count() == 1
    cal = calendar_for(office)
    assert cal.is_working_day(D(2027, 2, 12))
    assert cal.is_working_day(D(2027, 2, 6))
    before = list(journal.entries(office, entity="calendar_year"))[-1]["before"]
    assert len(before["holidays"]) == 28


def test_a_schedule_loaded_by_another_clerk_is_noticed(office, tmp_path):
    cal = calendar_for(office)
    assert cal.is_provisional(2027)
    # Simulate another process: write the rows directly, bypassing this office's cache.
    CalendarYear.create(year=2027, source="other.toml", loaded_at=office.now(),
                        loaded_by="someone")
    CalendarDay.create(day=D(2027, 1, 1), kind="holiday", name="元旦")
    assert calendar_for(office).year_source(2027) == "loaded"


def test_year_schedule_lists_days_and_source(office):
    shown = workcal.year_schedule(office, 2026)
    assert shown["source"] == "library" and shown["provisional"] is False
    workdays = [w["date"] for w in shown["workdays"]]
    assert workdays == [D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9),
                        D(2026, 9, 20), D(2026, 10, 10)]
    assert {"date": D(2026, 10, 1), "name": "National Day", "weekday": "thu"} in shown["holidays"]
    assert shown["working_days"] == 248
    assert workcal.year_schedule(office, 2028)["provisional"] is True
    with pytest.raises(ValidationError):
        workcal.year_schedule(office, 1800)


# --- bad files: one line naming the file and the line, nothing stored ---------------------

BAD_FILES = [
    ("bad.toml", "year = 2027\n[[holiday]]\nname = \"x\"\ndate = 2027-02-30\n", "line 4",
     "malformed"),
    ("bad.toml", "year = 2027\n[[holiday]]\nname = \"x\"\ndate = \"2027-02-30\"\n", "line 4",
     "not a date"),
    ("bad.toml", "year = 2027\n[[holiday]]\nname = \"x\"\ndate = 2026-12-31\n", "line 4",
     "not in 2027"),
    ("bad.toml", "year = 2027\n[[holiday]]\nname = \"x\"\ndate = 2027-01-01\n"
                 "[[workday]]\nname = \"y\"\ndate = 2027-01-04\n", "line 7", "weekday anyway"),
    ("bad.toml", "year = 2027\n[[holiday]]\nname = \"x\"\ndates = [2027-01-01, 2027-01-01]\n",
     "line 4", "twice"),
    ("bad.toml", "year = 2027\n[[holiday]]\nname = \"x\"\ndate = 2027-01-02\n"
                 "[[workday]]\nname = \"y\"\ndate = 2027-01-02\n", "line 4", "both"),
    ("bad.toml", "year = 2027\n[[holiday]\nname = 1\n", "line 2", "malformed"),
    ("bad.toml", "year = \"soon\"\n", "line 1", "bad year"),
    ("bad.toml", "year = 2027\ncolour = 1\n", "line 2", "unknown key"),
    ("bad.toml", "year = 2027\n[[holiday]]\nname = \"x\"\nfrom = 2027-01-05\nto = 2027-01-01\n",
     "line 2", "bad date range"),
    ("bad.toml", "year = 2027\n", "line 1", "no holidays"),
    ("bad.csv", "date,kind,name\n2027-01-01,holiday,元旦\n2027-13-01,holiday,x\n", "line 3",
     "not a date"),
    ("bad.csv", "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-02,party,x\n", "line 3",
     "bad kind"),
    ("bad.csv", "date,kind,name\n2027-01-01,holiday,元旦\n2028-01-01,holiday,x\n", "line 3",
     "not in 2027"),
    ("bad.csv", "date,kind,name\n", "line 1", "no dates"),
]


@pytest.mark.parametrize(("name", "text", "where", "what"), BAD_FILES)
def test_a_bad_schedule_names_file_and_line_and_stores_nothing(office, tmp_path, name, text,
                                                               where, what):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        workcal.load_schedule(office, path)
    message = caught.value.message()
    assert str(path) in message and where in message and what in message, message
    assert "\n" not in message
    assert CalendarYear.select().count() == 0
    assert CalendarDay.select().count() == 0
    assert list(journal.entries(office, entity="calendar_year")) == []


def test_a_missing_file_is_one_line(office, tmp_path):
    with pytest.raises(ValidationError) as caught:
        workcal.load_schedule(office, tmp_path / "nowhere.toml")
    assert "nowhere.toml" in caught.value.message()


def test_a_failed_reload_keeps_the_earlier_schedule(office, tmp_path):
    workcal.load_schedule(office, EXAMPLE_2027)
    bad = tmp_path / "2027.toml"
    bad.write_text("year = 2027\n[[holiday]]\nname = \"x\"\ndate = 2027-02-31\n",
                   encoding="utf-8")
    with pytest.raises(ValidationError):
        workcal.load_schedule(office, bad)
    assert CalendarDay.select().count() == 34
    assert calendar_for(office).year_source(2027) == "loaded"


def test_a_day_set_or_removed_keeps_the_rest_of_the_year(office):
    """Changing one day of a year not stored yet stores the year as the office counted it
    (the library's days), then the change; removing a day makes it ordinary again."""
    before = workcal.year_schedule(office, 2026)
    assert before["source"] == "library"
    result = workcal.set_day(office, "2026-12-31", "holiday", "元旦前夕")
    assert (result["date"], result["kind"], result["replaced"]) == (
        dt.date(2026, 12, 31), "holiday", False)
    after = workcal.year_schedule(office, 2026)
    assert after["source"] == "loaded" and after["loaded_from"] == workcal.EDITED
    assert len(after["holidays"]) == len(before["holidays"]) + 1
    assert after["workdays"] == before["workdays"]
    assert not workcal.day_info(office, dt.date(2026, 12, 31))["working"]

    saturday = dt.date(2026, 12, 26)
    workcal.set_day(office, saturday, "workday")
    assert workcal.day_info(office, saturday)["working"]
    workcal.remove_day(office, saturday)
    assert not workcal.day_info(office, saturday)["working"]
    workcal.remove_day(office, "2026-12-31")
    assert workcal.day_info(office, dt.date(2026, 12, 31))["working"]
    assert [e["action"] for e in journal.entries(office, entity="calendar_year")][-4:] == [
        "set_day", "set_day", "remove_day", "remove_day"]


def test_a_day_is_refused_naming_its_field(office):
    with pytest.raises(ValidationError) as caught:
        workcal.set_day(office, "2026-12-30", "workday")  # a Wednesday works anyway
    assert caught.value.field == "kind"
    with pytest.raises(ValidationError) as caught:
        workcal.remove_day(office, "2026-12-30")
    assert caught.value.field == "date"
    with pytest.raises(ValidationError) as caught:
        workcal.set_day(office, "", "holiday")
    assert caught.value.field == "date"
