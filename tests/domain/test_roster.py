"""Duty rosters: posts and shift patterns, the fair rotation (fairness, carry-over,
unavailability, double booking across posts, the working-day calendar with 调休), re-plans
that keep manual and swapped shifts, assignment, swaps, gaps, who is on duty, versions and
the .ics / .xlsx exports. The clock is fixed at 2026-11-27 10:00 Asia/Shanghai (a Friday)."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest

from ledger import journal, members, roster, villages
from ledger.errors import Conflict, NotFound, StaleVersion, ValidationError

D = dt.date


@pytest.fixture
def duty(office):
    """The centre (one day shift) and a village station (morning + afternoon), four
    members eligible at the centre and two of them at the station too."""
    villages.add_village(office, name="许庄村", code="V01")
    names = ["许少伟", "王建国", "李红", "赵敏"]
    people = {n: members.add_member(office, name=n, village="V01", post="committee_member",
                                    election_date="2015-01-10")["id"] for n in names}
    centre = roster.add_post(office, code="centre", name="便民服务中心", kind="centre",
                             shifts="day=08:30-17:30")
    station = roster.add_post(office, code="V01", name="许庄村服务站", kind="station",
                              village="V01",
                              shifts="morning=08:30-12:00,afternoon=14:00-17:30")
    roster.add_eligible(office, "CENTRE", [f"#{i}" for i in people.values()])
    roster.add_eligible(office, "V01", [f"#{people['许少伟']}", f"#{people['王建国']}"])
    return {"people": people, "centre": centre, "station": station}


def _counts(result: dict) -> dict[str, int]:
    return {c["person"]: c["shifts"] for c in result["counts"]}


# --- posts ---------------------------------------------------------------------------------


def test_post_keeps_its_pattern_in_time_order(office, duty):
    post = roster.get_post(office, "v01")
    assert post["shift_pattern"] == "morning=08:30-12:00,afternoon=14:00-17:30"
    assert [e["name"] for e in post["eligible"]] == ["王建国", "许少伟"]
    assert post["version"] == 1 and post["village"] == "许庄村"


@pytest.mark.parametrize("shifts, key", [
    ("day=08:30", "error.roster_bad_shifts"),
    ("day=17:30-08:30", "error.roster_shift_order"),
    ("a=08:00-12:00,b=11:00-14:00", "error.roster_shifts_overlap"),
    ("a=08:00-09:00,a=10:00-11:00", "error.roster_duplicate_shift"),
    ("day=25:00-26:00", "error.roster_bad_shifts"),
    ("", "error.required"),
])
def test_bad_shift_patterns_are_refused(office, duty, shifts, key):
    with pytest.raises(ValidationError) as err:
        roster.add_post(office, code="V09", name="x", kind="centre", shifts=shifts)
    assert err.value.field == "shifts" and err.value.key == key


def test_a_station_needs_its_village_and_codes_are_unique(office, duty):
    with pytest.raises(ValidationError) as err:
        roster.add_post(office, code="V02", name="东王村服务站", shifts="day=08:30-17:30")
    assert err.value.key == "error.roster_station_village"
    with pytest.raises(ValidationError) as err:
        roster.add_post(office, code="Centre", name="另一个", kind="centre",
                        shifts="day=08:30-17:30")
    assert err.value.key == "error.roster_post_exists"


def test_edit_post_checks_the_version(office, duty):
    edited = roster.edit_post(office, "CENTRE", version=1, staffed_off_days=True)
    assert edited["version"] == 2 and edited["staffed_off_days"] is True
    with pytest.raises(StaleVersion):
        roster.edit_post(office, "CENTRE", version=1, notes="x")


# --- the rotation --------------------------------------------------------------------------


def test_plan_is_fair_over_a_period_and_skips_days_off(office, duty):
    result = roster.plan(office, "CENTRE", "2026-11-02", "2026-11-29")
    days = {s["day"] for s in result["shifts"]}
    assert all(d.weekday() < 5 for d in days) and len(days) == 20
    counts = _counts(result)
    assert sum(counts.values()) == 20
    assert max(counts.values()) - min(counts.values()) <= 1
    assert result["gaps"] == 0 and result["written"] == 20
    assert roster.count_shifts(office, roster.ShiftFilter(post="CENTRE")) == 20


def test_plan_stays_fair_across_consecutive_periods(office, duty):
    total: Counter[str] = Counter()
    for start, end in (("2026-11-02", "2026-11-06"), ("2026-11-09", "2026-11-13"),
                       ("2026-11-16", "2026-11-20")):
        total.update(_counts(roster.plan(office, "CENTRE", start, end)))
    # 15 shifts over four people: 4, 4, 4, 3 — not 5, 5, 5, 0 or each week's first twice.
    assert sum(total.values()) == 15
    assert max(total.values()) - min(total.values()) <= 1


def test_dry_run_writes_nothing(office, duty):
    result = roster.plan(office, "CENTRE", "2026-11-02", "2026-11-06", dry_run=True)
    assert len(result["shifts"]) == 5 and result["written"] == 0
    assert {s["action"] for s in result["shifts"]} == {"create"}
    assert roster.count_shifts(office) == 0


def test_a_tiaoxiu_saturday_is_staffed_and_a_holiday_is_not(office, duty):
    # 2026-02-14 is a Saturday worked (调休) before the Spring Festival; the 15th is off.
    result = roster.plan(office, "CENTRE", "2026-02-09", "2026-02-15")
    days = sorted({s["day"] for s in result["shifts"]})
    assert D(2026, 2, 14) in days and D(2026, 2, 15) not in days
    assert len(days) == 6


def test_a_post_staffed_on_days_off_gets_every_day(office, duty):
    roster.edit_post(office, "V01", staffed_off_days=True)
    result = roster.plan(office, "V01", "2026-11-23", "2026-11-29")
    assert len(result["shifts"]) == 14  # 7 days x morning and afternoon
    assert max(_counts(result).values()) - min(_counts(result).values()) <= 1


def test_plan_respects_unavailability(office, duty):
    p = duty["people"]
    roster.add_unavailable(office, f"#{p['李红']}", date_from="2026-11-02",
                           date_to="2026-11-13", reason="sickness")
    result = roster.plan(office, "CENTRE", "2026-11-02", "2026-11-13")
    assert all(s["person"] != "李红" for s in result["shifts"])
    counts = _counts(result)
    assert counts["李红"] == 0
    others = [n for k, n in counts.items() if k != "李红"]
    assert max(others) - min(others) <= 1


def test_nobody_is_on_two_posts_at_once(office, duty):
    centre = roster.plan(office, "CENTRE", "2026-11-02", "2026-11-13")
    station = roster.plan(office, "V01", "2026-11-02", "2026-11-13")
    taken = {(s["day"], s["person"]) for s in centre["shifts"]}
    # The centre's day shift overlaps both station shifts: never the same person that day.
    assert not any((s["day"], s["person"]) in taken for s in station["shifts"])


def test_a_slot_nobody_can_take_is_a_gap(office, duty):
    p = duty["people"]
    for name in ("许少伟", "王建国"):
        roster.add_unavailable(office, f"#{p[name]}", date_from="2026-11-30",
                               date_to="2026-11-30", reason="training")
    result = roster.plan(office, "V01", "2026-11-30", "2026-12-01")
    assert result["gaps"] == 2
    gaps = roster.gaps(office, "2026-11-01", "2026-12-31")
    assert [(g["day"], g["shift"]) for g in gaps] == [(D(2026, 11, 30), "morning"),
                                                     (D(2026, 11, 30), "afternoon")]
    assert roster.gaps(office, "2026-12-01", "2026-12-31") == []


def test_replan_keeps_manual_and_swapped_shifts(office, duty):
    p = duty["people"]
    first = roster.plan(office, "CENTRE", "2026-11-02", "2026-11-06")
    by_day = {s["day"]: s for s in first["shifts"]}
    monday, tuesday, wednesday = (by_day[D(2026, 11, d)] for d in (2, 3, 4))
    manual_person = next(n for n in p if n != monday["person"])
    roster.assign(office, "CENTRE", "2026-11-02", "day", f"#{p[manual_person]}")
    roster.swap(office, tuesday["id"], wednesday["id"], reason="家中有事")
    again = roster.plan(office, "CENTRE", "2026-11-02", "2026-11-06")
    lines = {s["day"]: s for s in again["shifts"]}
    assert lines[D(2026, 11, 2)]["action"] == "keep"
    assert lines[D(2026, 11, 2)]["person"] == manual_person
    assert lines[D(2026, 11, 3)]["person"] == wednesday["person"]
    assert lines[D(2026, 11, 4)]["person"] == tuesday["person"]
    assert {lines[D(2026, 11, d)]["source"] for d in (3, 4)} == {"swapped"}


def test_plan_refuses_a_post_nobody_is_eligible_at_and_bad_periods(office, duty):
    roster.add_post(office, code="C2", name="备用", kind="centre", shifts="day=09:00-17:00")
    with pytest.raises(ValidationError) as err:
        roster.plan(office, "C2", "2026-11-02", "2026-11-06")
    assert err.value.key == "error.roster_nobody_eligible"
    with pytest.raises(ValidationError) as err:
        roster.plan(office, "CENTRE", "2026-11-06", "2026-11-02")
    assert err.value.key == "error.date_order"
    with pytest.raises(ValidationError) as err:
        roster.plan(office, "CENTRE", "2026-01-01", "2027-06-01")
    assert err.value.key == "error.roster_period_too_long"
    with pytest.raises(NotFound):
        roster.plan(office, "NOPE", "2026-11-02", "2026-11-06")


# --- assignment and swaps ------------------------------------------------------------------


def test_double_booking_is_refused_with_a_clear_error(office, duty):
    p = duty["people"]
    roster.assign(office, "CENTRE", "2026-12-01", "day", f"#{p['许少伟']}")
    with pytest.raises(Conflict) as err:
        roster.assign(office, "V01", "2026-12-01", "morning", f"#{p['许少伟']}")
    assert err.value.key == "error.roster_double_booked"
    assert "许少伟" in err.value.message() and "便民服务中心" in err.value.message()
    assert roster.count_shifts(office, roster.ShiftFilter(post="V01")) == 0  # nothing half-written
    assert [s["person"] for s in roster.who(office, "2026-12-01", "09:00")] == ["许少伟"]


def test_assigning_someone_unavailable_or_not_eligible_is_refused(office, duty):
    p = duty["people"]
    roster.add_unavailable(office, f"#{p['王建国']}", date_from="2026-12-01",
                           date_to="2026-12-02", reason="leave")
    with pytest.raises(Conflict) as err:
        roster.assign(office, "CENTRE", "2026-12-02", "day", f"#{p['王建国']}")
    assert err.value.key == "error.roster_unavailable"
    with pytest.raises(ValidationError) as err:
        roster.assign(office, "V01", "2026-12-03", "morning", f"#{p['李红']}")
    assert err.value.key == "error.roster_not_eligible"
    with pytest.raises(ValidationError) as err:
        roster.assign(office, "V01", "2026-12-03", "night", f"#{p['许少伟']}")
    assert err.value.key == "error.roster_unknown_shift"
    assert roster.count_shifts(office) == 0


def test_unavailability_lists_shifts_it_clashes_with(office, duty):
    p = duty["people"]
    roster.assign(office, "CENTRE", "2026-12-01", "day", f"#{p['赵敏']}")
    away = roster.add_unavailable(office, f"#{p['赵敏']}", date_from="2026-12-01",
                                  reason="sickness")
    assert [c["day"] for c in away["clashes"]] == [D(2026, 12, 1)]
    with pytest.raises(ValidationError) as err:
        roster.add_unavailable(office, f"#{p['赵敏']}", date_from="2026-12-05",
                               date_to="2026-12-01")
    assert err.value.key == "error.date_order"


def test_swap_exchanges_people_and_is_journaled(office, duty):
    p = duty["people"]
    a = roster.assign(office, "CENTRE", "2026-12-01", "day", f"#{p['许少伟']}")
    b = roster.assign(office, "CENTRE", "2026-12-02", "day", f"#{p['李红']}")
    done = roster.swap(office, a["id"], b["id"], reason="孩子生病",
                       version_first=a["version"], version_second=b["version"])
    assert done["first"]["person"] == "李红" and done["second"]["person"] == "许少伟"
    assert done["first"]["source"] == "swapped" and done["first"]["version"] == 3
    entries = journal.entries(office, entity="duty_shift", entity_id=a["id"])
    swap_entry = next(e for e in entries if e["action"] == "swap")
    assert "孩子生病" in swap_entry["note"] and "许少伟" in swap_entry["note"]


def test_swap_refusals(office, duty):
    p = duty["people"]
    a = roster.assign(office, "CENTRE", "2026-12-01", "day", f"#{p['许少伟']}")
    b = roster.assign(office, "CENTRE", "2026-12-02", "day", f"#{p['李红']}")
    gap = roster.assign(office, "CENTRE", "2026-12-03", "day", "")
    with pytest.raises(ValidationError) as err:
        roster.swap(office, a["id"], b["id"], reason="  ")
    assert err.value.field == "reason"
    with pytest.raises(ValidationError) as err:
        roster.swap(office, a["id"], gap["id"], reason="x")
    assert err.value.key == "error.roster_swap_gap"
    with pytest.raises(StaleVersion):
        roster.swap(office, a["id"], b["id"], reason="x", version_first=99)
    # 李红 cannot take a station shift: not eligible there.
    s = roster.assign(office, "V01", "2026-12-02", "morning", f"#{p['王建国']}")
    with pytest.raises(ValidationError) as err:
        roster.swap(office, s["id"], b["id"], reason="x")
    assert err.value.key == "error.roster_not_eligible"
    assert roster.get_shift(office, b["id"])["person"] == "李红"
    assert roster.get_shift(office, s["id"])["person"] == "王建国"


def test_swap_that_would_double_book_is_refused(office, duty):
    p = duty["people"]
    # 许少伟 holds the centre on the 1st; 王建国 the station morning on the 2nd and
    # the centre on the 1st is 许少伟's — swapping 王建国 into the 1st while he holds the
    # station morning of the 1st is a double booking.
    a = roster.assign(office, "CENTRE", "2026-12-01", "day", f"#{p['许少伟']}")
    roster.assign(office, "V01", "2026-12-01", "morning", f"#{p['王建国']}")
    b = roster.assign(office, "V01", "2026-12-02", "afternoon", f"#{p['王建国']}")
    with pytest.raises(Conflict) as err:
        roster.swap(office, a["id"], b["id"], reason="x")
    assert err.value.key == "error.roster_double_booked"


# --- reads ---------------------------------------------------------------------------------


def test_who_and_today(office, duty):
    roster.plan(office, "CENTRE", "2026-11-23", "2026-11-27")
    roster.plan(office, "V01", "2026-11-23", "2026-11-27")
    today = roster.today(office)
    assert {s["post"] for s in today} == {"CENTRE", "V01"} and len(today) == 3
    at_three = roster.who(office, "2026-11-27", "15:00")
    assert {(s["post"], s["shift"]) for s in at_three} == {("CENTRE", "day"),
                                                          ("V01", "afternoon")}
    assert roster.who(office, "2026-11-27", "13:00") == [s for s in at_three
                                                       if s["post"] == "CENTRE"]
    with pytest.raises(ValidationError):
        roster.who(office, "2026-11-27", "25:99")


def test_grid_has_a_row_per_shift_and_none_on_unstaffed_days(office, duty):
    roster.plan(office, "V01", "2026-11-23", "2026-11-29")
    g = roster.grid(office, "2026-11-23", "2026-11-29", post="V01")
    rows = g["posts"][0]["rows"]
    assert [r["shift"] for r in rows] == ["morning", "afternoon"]
    assert rows[0]["cells"][5] is None and rows[0]["cells"][0]["person"]


def test_shift_refs_by_post_day_and_name(office, duty):
    roster.plan(office, "CENTRE", "2026-11-23", "2026-11-27")
    s = roster.get_shift(office, "centre/2026-11-24/day")
    assert s["day"] == D(2026, 11, 24)
    for ref in ("centre/2026-11-28/day", "nope", "#999999999999", "a/b/c"):
        with pytest.raises(NotFound):
            roster.get_shift(office, ref)


# --- exports -------------------------------------------------------------------------------


def test_ics_export_parses_back_with_stable_uids_and_sequence(office, duty):
    from icalendar import Calendar

    roster.plan(office, "CENTRE", "2026-11-23", "2026-11-27")
    data, count = roster.ics_bytes(office, "2026-11-23", "2026-11-27")
    cal = Calendar.from_ical(data)
    events = [c for c in cal.walk("VEVENT")]
    assert count == len(events) == 5
    first = events[0]
    assert str(first["uid"]).startswith("roster-") and int(first["sequence"]) == 0
    assert first.decoded("dtstart") == dt.datetime(2026, 11, 23, 0, 30, tzinfo=dt.UTC)
    shifts = roster.list_shifts(office, roster.ShiftFilter(post="CENTRE"))
    roster.swap(office, shifts[0]["id"], shifts[1]["id"], reason="换")
    again = Calendar.from_ical(roster.ics_bytes(office, "2026-11-23", "2026-11-27")[0])
    by_uid = {str(e["uid"]): e for e in again.walk("VEVENT")}
    assert set(by_uid) == {str(e["uid"]) for e in events}
    assert int(by_uid[str(first["uid"])]["sequence"]) == 1
    assert shifts[1]["person"] in str(by_uid[str(first["uid"])]["summary"])


def test_xlsx_export_is_a_week_grid_with_names_in_cells(office, duty):
    from openpyxl import load_workbook

    roster.plan(office, "CENTRE", "2026-11-23", "2026-11-27")
    roster.plan(office, "V01", "2026-11-23", "2026-11-27")
    roster.assign(office, "V01", "2026-11-25", "afternoon", "")
    data, weeks = roster.xlsx_bytes(office, "2026-11-23", "2026-11-29")
    book = load_workbook(io.BytesIO(data))
    assert weeks == 1 and book.sheetnames == ["2026-11-23"]
    sheet = book["2026-11-23"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[1][:3] == ["duty post", "shift", "Mon 11/23"]
    centre = next(r for r in rows if r[0] == "便民服务中心")
    who = {s["day"]: s["person"] for s in roster.list_shifts(
        office, roster.ShiftFilter(post="CENTRE"))}
    assert centre[2:7] == [who[D(2026, 11, d)] for d in range(23, 28)]
    assert centre[7] in (None, "")  # Saturday: not staffed
    afternoon = next(r for r in rows if r[0] == "许庄村服务站" and r[1].startswith("afternoon"))
    assert afternoon[4] == "vacant"
    # A plain weekday row per post shift: centre 1 + station 2.
    assert sum(1 for r in rows[2:] if r[0]) == 3


# --- the sample office ---------------------------------------------------------------------


def test_the_sample_has_a_current_roster_for_every_post(office):
    import random

    from ledger.sample import members as sample_members
    from ledger.sample import roster as sample_roster

    rng = random.Random(2015)
    sample_members.fill(office, rng)
    sample_roster.fill(office, rng)
    posts = roster.list_posts(office)
    assert len(posts) == 10 and [p["kind"] for p in posts].count("centre") == 1
    for post in posts:
        around = roster.count_shifts(office, roster.ShiftFilter(
            post=post["code"], date_from=D(2026, 11, 16), date_to=D(2026, 12, 11)))
        assert around >= 15, post["code"]
    today = roster.today(office)
    assert {s["post"] for s in today} == {p["code"] for p in posts}
    sources = {s["source"] for s in roster.iter_shifts(office)}
    assert sources == {"planned", "manual", "swapped"}
    # Paged like every list (ledger.lists): a page is a slice of the stream, a bad page is
    # refused on its field when the list is asked for.
    every = [s["id"] for s in roster.iter_shifts(office)]
    assert len(every) == roster.count_shifts(office)
    assert [s["id"] for s in roster.list_shifts(office, offset=3, limit=4)] == every[3:7]
    for bad in ({"offset": -1}, {"limit": -1}, {"offset": 2**40}):
        with pytest.raises(ValidationError) as err:
            roster.iter_shifts(office, **bad)
        assert err.value.field in bad


def test_two_clerks_cannot_double_book_one_person_at_once(office, duty):
    """Two clerks at once put 许少伟 on the centre and on the station the same morning:
    one is refused (on PostgreSQL a per-person lock makes the second wait and see the
    first's shift)."""
    import threading

    from ledger import open_office

    p = duty["people"]
    refused: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def clerk(name: str, post: str, shift: str) -> None:
        try:
            mine = open_office(office.url, operator=name, clock=office.clock,
                               settings=office.settings)
            try:
                start.wait(10)
                roster.assign(mine, post, "2026-12-01", shift, f"#{p['许少伟']}")
            except Conflict as err:
                refused.append(err.key)
            finally:
                mine.close()
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=clerk, args=("a", "CENTRE", "day")),
               threading.Thread(target=clerk, args=("b", "V01", "morning"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert refused == ["error.roster_double_booked"]
    held = [s for s in roster.who(office, "2026-12-01") if s["person"] == "许少伟"]
    assert len(held) == 1
