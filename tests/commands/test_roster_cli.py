"""``jiedao roster``: posts, eligibility, plan (dry run and for real), show, today, who,
assign and swap (with a double booking refused in one line), gaps, and both exports read
back (icalendar, openpyxl)."""

from __future__ import annotations

import json

import pytest

from ledger import members, open_office, villages


@pytest.fixture
def url(db_url, clock):
    office = open_office(db_url, operator="tester", clock=clock)
    villages.add_village(office, name="许庄村", code="V01")
    for name in ("许少伟", "王建国", "李红"):
        members.add_member(office, name=name, village="V01", post="committee_member",
                           election_date="2015-01-10")
    office.close()
    return db_url


def test_roster_from_posts_to_exports(jiedao, url, tmp_path):
    r = jiedao("--db", url, "roster", "add-post", "--code", "CENTRE", "--name", "便民服务中心",
               "--kind", "centre", "--shifts", "day=08:30-17:30")
    assert r.code == 0, r.err
    r = jiedao("--db", url, "roster", "add-post", "--code", "V01", "--name", "许庄村服务站",
               "--village", "V01", "--shifts", "morning=08:30-12:00,afternoon=14:00-17:30")
    assert r.code == 0, r.err
    r = jiedao("--db", url, "roster", "eligible", "CENTRE", "--add", "许少伟", "--add", "王建国",
               "--add", "李红")
    assert r.code == 0 and "李红" in r.out
    assert jiedao("--db", url, "roster", "eligible", "V01", "--add", "许少伟").code == 0
    r = jiedao("--db", url, "roster", "posts", "--json")
    assert [p["code"] for p in json.loads(r.out)] == ["CENTRE", "V01"]

    r = jiedao("--db", url, "roster", "plan", "CENTRE", "--from", "2026-11-23", "--to",
               "2026-11-29", "--dry-run")
    assert r.code == 0 and "Dry run" in r.err
    assert json.loads(jiedao("--db", url, "roster", "today", "--json").out) == []
    r = jiedao("--db", url, "roster", "plan", "CENTRE", "--from", "2026-11-23", "--to",
               "2026-11-29", "--json")
    planned = json.loads(r.out)
    assert len(planned["shifts"]) == 5 and planned["written"] == 5

    r = jiedao("--db", url, "roster", "today", "--json")
    today = json.loads(r.out)
    assert len(today) == 1 and today[0]["day"] == "2026-11-27"
    r = jiedao("--db", url, "roster", "show", "--week")
    assert r.code == 0 and "Fri 11/27" in r.out and today[0]["person"] in r.out

    # 许少伟 at the centre on the 26th cannot take the station's morning that day.
    r = jiedao("--db", url, "roster", "assign", "CENTRE", "2026-11-26", "day", "许少伟")
    assert r.code == 0, r.err
    r = jiedao("--db", url, "roster", "assign", "V01", "2026-11-26", "morning", "许少伟")
    assert r.code == 1 and r.err.count("\n") == 1 and "double booking" in r.err
    r = jiedao("--db", url, "roster", "assign", "V01", "2026-11-30", "morning", "许少伟")
    assert r.code == 0, r.err

    r = jiedao("--db", url, "roster", "swap", "CENTRE/2026-11-23/day", "CENTRE/2026-11-24/day")
    assert r.code == 2  # --reason is required
    r = jiedao("--db", url, "roster", "swap", "CENTRE/2026-11-23/day", "CENTRE/2026-11-24/day",
               "--reason", "家中有事", "--json")
    assert r.code == 0, r.err
    swapped = json.loads(r.out)
    assert swapped["first"]["source"] == "swapped"

    r = jiedao("--db", url, "roster", "who", "2026-11-24", "10:00", "--json")
    assert [s["person"] for s in json.loads(r.out)] == [planned["shifts"][0]["person"]]
    r = jiedao("--db", url, "roster", "gaps", "--from", "2026-11-23", "--to", "2026-11-30")
    assert r.code == 0 and "No gaps" in r.err

    ics = tmp_path / "roster.ics"
    r = jiedao("--db", url, "roster", "export", "--from", "2026-11-23", "--to", "2026-11-29",
               "--format", "ics", "--out", str(ics))
    assert r.code == 0, r.err
    from icalendar import Calendar

    events = list(Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))
    assert len(events) == 5
    xlsx = tmp_path / "roster.xlsx"
    r = jiedao("--db", url, "roster", "export", "--from", "2026-11-23", "--to", "2026-11-29",
               "--format", "xlsx", "--out", str(xlsx), "--post", "CENTRE")
    assert r.code == 0, r.err
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx).active
    values = [c.value for c in sheet[3]]
    assert values[0] == "便民服务中心" and values[6] == today[0]["person"]


def test_bad_input_is_one_line(jiedao, url):
    r = jiedao("--db", url, "roster", "add-post", "--code", "X", "--name", "x", "--kind",
               "centre", "--shifts", "day=17:00-08:00")
    assert r.code == 1 and r.err.count("\n") == 1 and "shift pattern" in r.err
    r = jiedao("--db", url, "roster", "plan", "NOPE", "--from", "2026-11-23", "--to",
               "2026-11-29")
    assert r.code == 1 and "not found" in r.err.lower()
    r = jiedao("--db", url, "roster", "who", "2026-11-27", "9h")
    assert r.code == 1 and "time" in r.err


def test_staff_stand_duty_from_the_command_line(jiedao, url, db_url, clock):
    from ledger import staff

    office = open_office(db_url, operator="tester", clock=clock)
    staff.add_staff(office, name="王芳", post="代办员")
    staff.add_staff(office, name="张丽", post="代办员")
    staff.retire_staff(office, "张丽")
    office.close()
    assert jiedao("--db", url, "roster", "add-post", "--code", "CENTRE", "--name", "便民服务中心",
                  "--kind", "centre", "--shifts", "day=08:30-17:30").code == 0
    r = jiedao("--db", url, "roster", "eligible", "CENTRE", "--add", "许少伟",
               "--add-staff", "王芳")
    assert r.code == 0, r.err
    assert "王芳（staff）" in r.out and "许少伟" in r.out
    r = jiedao("--db", url, "roster", "eligible", "CENTRE", "--add-staff", "张丽")
    assert r.code == 1 and r.err.count("\n") == 1 and "retired" in r.err
    r = jiedao("--db", url, "roster", "eligible", "CENTRE", "--add-staff", "许少伟")
    # --add-staff looks among staff only: a member's name there matches nobody.
    assert r.code == 1 and r.err.count("\n") == 1 and "nobody matches staff:许少伟" in r.err
    r = jiedao("--db", url, "roster", "eligible", "CENTRE", "--json")
    assert {(e["name"], e["kind"]) for e in json.loads(r.out)["eligible"]} == {
        ("许少伟", "member"), ("王芳", "staff")}

    r = jiedao("--db", url, "roster", "assign", "CENTRE", "2026-11-30", "day", "--staff", "王芳",
               "--json")
    assert r.code == 0, r.err
    shift = json.loads(r.out)
    assert (shift["person"], shift["holder_kind"]) == ("王芳", "staff")
    r = jiedao("--db", url, "roster", "assign", "CENTRE", "2026-11-30", "day", "许少伟",
               "--staff", "王芳")
    assert r.code == 1 and r.err.count("\n") == 1 and "not both" in r.err
    r = jiedao("--db", url, "roster", "unavailable", "--staff", "王芳", "--from", "2026-11-30",
               "--reason", "sickness")
    assert r.code == 0, r.err
    assert "王芳" in r.out and "shifts in the period" in r.err  # her shift on the 30th
    r = jiedao("--db", url, "roster", "plan", "CENTRE", "--from", "2026-12-01", "--to",
               "2026-12-04", "--json")
    counts = {c["person"]: c["shifts"] for c in json.loads(r.out)["counts"]}
    assert counts == {"许少伟": 2, "王芳": 2}
    r = jiedao("--db", url, "roster", "show", "--week", "--date", "2026-12-01")
    assert r.code == 0 and "王芳" in r.out
