"""The office's staff stand duty beside committee members (issue #8): one "person on duty"
for fairness, double booking, unavailability, swaps and gaps; retired staff never planned;
the schema's CHECK; names in the exports and on the dashboard; and migration 0012 upgrading
a roster written before it. The clock is fixed at 2026-11-27 10:00 Asia/Shanghai (a Friday).
"""

from __future__ import annotations

import datetime as dt
import io

import peewee
import pytest
from rawdb import insert_row, run_sql

from ledger import dashboard, journal, members, roster, staff, villages
from ledger.errors import Conflict, LedgerError, ValidationError

D = dt.date


@pytest.fixture
def mixed(office):
    """The centre (one day shift) with two members and two staff eligible, a station where
    a member and one staff member are eligible, and a retired staff member."""
    villages.add_village(office, name="许庄村", code="V01")
    people = {n: members.add_member(office, name=n, village="V01", post="committee_member",
                                    election_date="2015-01-10")["id"]
              for n in ("许少伟", "王建国")}
    for name in ("王芳", "李强", "张丽"):
        staff.add_staff(office, name=name, post="代办员")
    roster.add_post(office, code="CENTRE", name="便民服务中心", kind="centre",
                    shifts="day=08:30-17:30")
    roster.add_post(office, code="V01", name="许庄村服务站", village="V01",
                    shifts="morning=08:30-12:00,afternoon=14:00-17:30")
    roster.add_eligible(office, "CENTRE", ["许少伟", "王建国", "王芳", "staff:李强", "张丽"])
    roster.add_eligible(office, "V01", ["许少伟", "staff:王芳"])
    staff.retire_staff(office, "张丽")
    return people


def _counts(result: dict) -> dict[str, int]:
    return {c["person"]: c["shifts"] for c in result["counts"]}


def test_eligibility_lists_members_and_staff_alike(office, mixed):
    post = roster.get_post(office, "CENTRE")
    by_name = {e["name"]: e for e in post["eligible"]}
    assert set(by_name) == {"许少伟", "王建国", "王芳", "李强", "张丽"}
    assert by_name["王芳"]["kind"] == "staff" and by_name["王芳"]["post"] == "代办员"
    assert by_name["许少伟"]["kind"] == "member" and by_name["许少伟"]["village"] == "许庄村"
    assert by_name["张丽"]["active"] is False
    # Adding someone already eligible changes nothing; removing a staff member works.
    roster.add_eligible(office, "CENTRE", ["staff:王芳"])
    assert len(roster.get_post(office, "CENTRE")["eligible"]) == 5
    roster.remove_eligible(office, "V01", ["staff:王芳"])
    assert [e["name"] for e in roster.get_post(office, "V01")["eligible"]] == ["许少伟"]


def test_rotation_is_fair_across_members_and_staff_and_skips_the_retired(office, mixed):
    result = roster.plan(office, "CENTRE", "2026-11-02", "2026-11-29")  # 20 working days
    counts = _counts(result)
    assert set(counts) == {"许少伟", "王建国", "王芳", "李强"}  # 张丽 retired: not planned
    assert sum(counts.values()) == 20 and set(counts.values()) == {5}
    kinds = {s["person"]: s["holder"].split(":")[0] for s in result["shifts"]}
    assert kinds["王芳"] == "staff" and kinds["许少伟"] == "member"
    # Consecutive periods stay fair over the mix too.
    total = dict(counts)
    for start, end in (("2026-11-30", "2026-12-04"), ("2026-12-07", "2026-12-09")):
        for name, n in _counts(roster.plan(office, "CENTRE", start, end)).items():
            total[name] += n
    assert max(total.values()) - min(total.values()) <= 1


def test_double_booking_is_refused_across_kinds(office, mixed):
    roster.assign(office, "CENTRE", "2026-12-01", "day", "王芳")
    with pytest.raises(Conflict) as err:
        roster.assign(office, "V01", "2026-12-01", "morning", "staff:王芳")
    assert err.value.key == "error.roster_double_booked"
    assert "王芳" in err.value.message() and "便民服务中心" in err.value.message()
    assert roster.count_shifts(office, roster.ShiftFilter(post="V01")) == 0
    # The planner keeps her off the station that day: the member takes both halves.
    station = roster.plan(office, "V01", "2026-12-01", "2026-12-01")
    assert {s["person"] for s in station["shifts"]} == {"许少伟"}
    # Whoever holds the station (member or staff) is not planned at the centre that day.
    for day in ("2026-12-03", "2026-12-04", "2026-12-07", "2026-12-08"):
        at_station = {s["person"] for s in roster.plan(office, "V01", day, day)["shifts"]}
        centre = roster.plan(office, "CENTRE", day, day)["shifts"][0]["person"]
        assert centre and centre not in at_station, day


def test_retired_staff_are_neither_planned_nor_assigned_nor_made_eligible(office, mixed):
    with pytest.raises(ValidationError) as err:
        roster.assign(office, "CENTRE", "2026-12-01", "day", "张丽")
    assert err.value.key == "error.roster_staff_retired" and "张丽" in err.value.message()
    with pytest.raises(ValidationError) as err:
        roster.add_eligible(office, "V01", ["张丽"])
    assert err.value.key == "error.roster_staff_retired"
    # Retiring someone already planned: a re-plan hands their planned shifts to others,
    # while a shift they were given by hand is kept (a clerk decides about it).
    first = roster.plan(office, "CENTRE", "2026-12-07", "2026-12-11")
    assert "李强" in _counts(first) and _counts(first)["李强"] == 1
    staff.retire_staff(office, "李强")
    again = roster.plan(office, "CENTRE", "2026-12-07", "2026-12-11")
    assert "李强" not in {s["person"] for s in again["shifts"]}
    assert "李强" not in _counts(again)


def test_nobody_active_is_eligible_means_nothing_to_plan(office, mixed):
    roster.add_post(office, code="C2", name="备用", kind="centre", shifts="day=09:00-17:00")
    roster.add_eligible(office, "C2", ["staff:李强"])
    staff.retire_staff(office, "李强")
    with pytest.raises(ValidationError) as err:
        roster.plan(office, "C2", "2026-12-07", "2026-12-11")
    assert err.value.key == "error.roster_nobody_eligible"


def test_staff_unavailability_is_respected_and_lists_clashes(office, mixed):
    held = roster.assign(office, "CENTRE", "2026-12-08", "day", "staff:李强")
    away = roster.add_unavailable(office, "staff:李强", date_from="2026-12-07",
                                  date_to="2026-12-11", reason="training")
    assert away["person"] == "李强" and away["staff_id"] and away["person_id"] is None
    assert [c["id"] for c in away["clashes"]] == [held["id"]]
    assert [u["person"] for u in roster.list_unavailability(office)] == ["李强"]
    result = roster.plan(office, "CENTRE", "2026-12-07", "2026-12-11")
    planned = [s for s in result["shifts"] if s["action"] != "keep"]
    assert "李强" not in {s["person"] for s in planned}
    with pytest.raises(Conflict) as err:
        roster.assign(office, "CENTRE", "2026-12-09", "day", "李强")
    assert err.value.key == "error.roster_unavailable"


def test_swap_between_a_member_and_a_staff_member(office, mixed):
    a = roster.assign(office, "CENTRE", "2026-12-01", "day", "许少伟")
    b = roster.assign(office, "CENTRE", "2026-12-02", "day", "王芳")
    done = roster.swap(office, a["id"], b["id"], reason="下乡走访",
                       version_first=a["version"], version_second=b["version"])
    assert (done["first"]["person"], done["first"]["holder_kind"]) == ("王芳", "staff")
    assert (done["second"]["person"], done["second"]["holder_kind"]) == ("许少伟", "member")
    assert done["first"]["person_id"] is None and done["second"]["staff_id"] is None
    entry = next(e for e in journal.entries(office, entity="duty_shift", entity_id=a["id"])
                 if e["action"] == "swap")
    assert "许少伟" in entry["note"] and "王芳" in entry["note"]
    # A staff member not eligible at the station cannot be swapped onto it.
    s = roster.assign(office, "V01", "2026-12-03", "morning", "许少伟")
    c = roster.assign(office, "CENTRE", "2026-12-04", "day", "李强")
    with pytest.raises(ValidationError) as err:
        roster.swap(office, s["id"], c["id"], reason="x")
    assert err.value.key == "error.roster_not_eligible" and "李强" in err.value.message()
    assert roster.get_shift(office, c["id"])["person"] == "李强"


def test_gaps_are_shifts_neither_kind_holds(office, mixed):
    for term in ("许少伟", "staff:王芳"):
        roster.add_unavailable(office, term, date_from="2026-12-01", reason="leave")
    result = roster.plan(office, "V01", "2026-12-01", "2026-12-02")
    assert result["gaps"] == 2
    gaps = roster.gaps(office, "2026-12-01", "2026-12-31")
    assert [(g["day"], g["shift"], g["holder"]) for g in gaps] == [
        (D(2026, 12, 1), "morning", ""), (D(2026, 12, 1), "afternoon", "")]
    held = roster.list_shifts(office, roster.ShiftFilter(post="V01", date_from=D(2026, 12, 2)))
    assert {s["holder_kind"] for s in held} <= {"member", "staff"} and len(held) == 2


def test_a_name_that_means_a_member_and_a_staff_member_is_asked_about(office, mixed):
    both = members.add_member(office, name="李强", village="V01", post="committee_member",
                              election_date="2015-01-10")
    with pytest.raises(ValidationError) as err:
        roster.add_eligible(office, "V01", ["李强"])
    assert err.value.key == "error.training_ambiguous_person"
    assert "staff:#" in err.value.message()
    roster.add_eligible(office, "V01", [f"#{both['id']}"])
    names = [(e["name"], e["kind"]) for e in roster.get_post(office, "V01")["eligible"]]
    assert ("李强", "member") in names
    # Pinyin initials find staff too.
    assert roster.resolve_on_duty(office, "wf").name == "王芳"
    with pytest.raises(ValidationError):
        roster.resolve_on_duty(office, "staff:nobody")


def test_the_schema_holds_one_person_per_row(office, mixed, db_url):
    member = mixed["许少伟"]
    staff_id = staff.find_staff("王芳").id
    post = roster.find_post("CENTRE").id
    now = "2026-11-27 02:00:00"
    for sql, params in (
        ("INSERT INTO duty_eligible (post_id, person_id, staff_id, created_at) "
         "VALUES (?, ?, ?, ?)", (post, member, staff_id, now)),
        ("INSERT INTO duty_eligible (post_id, person_id, staff_id, created_at) "
         "VALUES (?, NULL, NULL, ?)", (post, now)),
        ("INSERT INTO duty_unavailability (person_id, staff_id, date_from, date_to, reason, "
         "note, version, created_at) VALUES (NULL, NULL, '2026-12-01', '2026-12-01', "
         "'leave', '', 1, ?)", (now,)),
        ("INSERT INTO duty_shift (post_id, day, name, starts_at, ends_at, person_id, "
         "staff_id, source, version, created_at, updated_at) VALUES (?, '2026-12-01', 'day', "
         "'2026-12-01 00:30:00', '2026-12-01 09:30:00', ?, ?, 'manual', 1, ?, ?)",
         (post, member, staff_id, now, now)),
        ("INSERT INTO duty_eligible (post_id, person_id, staff_id, created_at) "
         "VALUES (?, NULL, ?, ?)", (post, 999999, now)),  # no such staff: the foreign key
    ):
        with pytest.raises(peewee.IntegrityError):
            run_sql(db_url, sql, params)
    with pytest.raises(ValidationError) as err:
        roster.clean_unavailability(office, {"person_id": member, "staff_id": staff_id,
                                             "date_from": "2026-12-01"})
    assert err.value.key == "error.roster_two_holders"
    with pytest.raises(ValidationError) as err:
        roster.clean_eligible(office, {})
    assert err.value.key == "error.required"


def test_exports_and_the_dashboard_name_staff(office, mixed):
    from icalendar import Calendar
    from openpyxl import load_workbook

    roster.assign(office, "CENTRE", "2026-11-27", "day", "王芳")
    roster.assign(office, "CENTRE", "2026-11-26", "day", "王建国")
    data, count = roster.ics_bytes(office, "2026-11-23", "2026-11-29")
    summaries = sorted(str(e["summary"]) for e in Calendar.from_ical(data).walk("VEVENT"))
    assert count == 2 and summaries == ["便民服务中心 day: 王建国", "便民服务中心 day: 王芳"]
    book = load_workbook(io.BytesIO(roster.xlsx_bytes(office, "2026-11-23", "2026-11-29")[0]))
    rows = [[c.value for c in row] for row in book["2026-11-23"].iter_rows()]
    centre = next(r for r in rows if r[0] == "便民服务中心")
    assert centre[5:7] == ["王建国", "王芳"]
    duty = dashboard.figure(office, "duty")
    assert [(d["post"], d["person"], d["kind"]) for d in duty] == [
        ("便民服务中心", "王芳", "staff")]


# --- migration 0012 ----------------------------------------------------------------------

BEFORE = "0010_search"  # the last schema before staff stood duty on this branch
NOW = dt.datetime(2026, 11, 27, 2, 0)




def test_migration_0012_keeps_the_roster_and_lets_staff_stand_duty(empty_url, office):
    from playhouse.migrations import Runner

    from ledger import db as dbmod
    from ledger import open_office

    database = dbmod.connect(empty_url, create=True)
    Runner(database, dbmod.MIGRATIONS_DIR, table_name=dbmod.HISTORY_TABLE).up(BEFORE)
    village = insert_row(database, "village", name="许庄村", code="V01",
                      relocation_status="not_affected", notes="", created_at=NOW, version=1)
    person = insert_row(database, "person", name="许少伟", name_initials="xsw",
                     name_pinyin="xushaowei", id_number=None, gender="male", birth_date=None,
                     phone="", education="bachelor", political_status="party_member",
                     college_graduate_official=False, village_id=village, notes="",
                     created_at=NOW, version=1)
    post = insert_row(database, "duty_post", code="CENTRE", name="便民服务中心", kind="centre",
                   village_id=None, shifts='[{"name": "day", "start": "08:30", "end": "17:30"}]',
                   staffed_off_days=False, notes="", version=1, created_at=NOW)
    insert_row(database, "duty_eligible", post_id=post, person_id=person, staff_id=None,
            created_at=NOW)
    insert_row(database, "duty_unavailability", person_id=person, date_from=D(2026, 12, 7),
            date_to=D(2026, 12, 8), reason="leave", note="", version=1, created_at=NOW)
    shift = insert_row(database, "duty_shift", post_id=post, day=D(2026, 11, 30), name="day",
                    starts_at=dt.datetime(2026, 11, 30, 0, 30),
                    ends_at=dt.datetime(2026, 11, 30, 9, 30), person_id=person,
                    staff_id=None, source="planned", version=1, created_at=NOW,
                    updated_at=NOW)
    insert_row(database, "staff", name="王芳", post="代办员", phone="", email="", language="zh",
            channels="", webhook_url="", webhook_kind="generic", active=True, notes="",
            version=1, created_at=NOW, updated_at=NOW)
    assert "0012_roster_staff" in dbmod.upgrade(database)
    database.close()

    upgraded = open_office(empty_url, operator="tester", clock=office.clock,
                           settings=office.settings)
    try:
        kept = roster.get_shift(upgraded, shift)
        assert (kept["person"], kept["holder_kind"], kept["version"]) == ("许少伟", "member", 1)
        assert [u["person"] for u in roster.list_unavailability(upgraded)] == ["许少伟"]
        roster.add_eligible(upgraded, "CENTRE", ["王芳"])
        assert {e["name"] for e in roster.get_post(upgraded, "CENTRE")["eligible"]} == {
            "许少伟", "王芳"}
        done = roster.assign(upgraded, "CENTRE", "2026-12-01", "day", "王芳")
        assert done["holder_kind"] == "staff"
        roster.add_unavailable(upgraded, "王芳", date_from="2026-12-02")
        # The CHECK came with the upgrade: a row naming both is refused.
        with pytest.raises(LedgerError):
            with upgraded.transaction():
                upgraded.db.execute_sql(
                    "UPDATE duty_shift SET staff_id = person_id WHERE id = "
                    + upgraded.db.param, (shift,))
    finally:
        upgraded.close()


def test_the_sample_centre_roster_includes_office_staff(office):
    import random

    from ledger.sample import members as sample_members
    from ledger.sample import roster as sample_roster

    rng = random.Random(2015)
    sample_members.fill(office, rng)
    staff.add_staff(office, name="王芳", post="代办员")  # one there already: not made twice
    staff.retire_staff(office, "王芳")
    sample_roster.fill(office, rng)
    names = [s["name"] for s in staff.list_staff(office, staff.StaffFilter(active=None),
                                                 limit=None)]
    assert len(names) == len(set(names)) == 4  # 王芳 (retired) and three new agents
    centre = roster.get_post(office, "CENTRE")["eligible"]
    on_duty = {e["name"] for e in centre if e["kind"] == "staff"}
    assert on_duty and "王芳" not in on_duty
    held = {s["person"] for s in roster.iter_shifts(office, roster.ShiftFilter(post="CENTRE"))
            if s["holder_kind"] == "staff"}
    assert held == on_duty


def test_a_person_that_is_not_there_is_a_clear_error(office, mixed):
    for term in (roster.OnDuty("staff", 999999), roster.OnDuty("member", 999999), 999999,
                 "staff:#999999", "member:王芳"):
        with pytest.raises(ValidationError) as err:
            roster.assign(office, "CENTRE", "2026-12-01", "day", term)
        assert err.value.key == "error.training_no_person", term
        with pytest.raises(ValidationError) as err:
            roster.add_unavailable(office, term, date_from="2026-12-01")
        assert err.value.key == "error.training_no_person", term
    assert roster.count_shifts(office) == 0 and roster.list_unavailability(office) == []
