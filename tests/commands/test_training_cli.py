"""``jiedao training``: add, list and show (JSON too), edit with versions, check-in and
attendance, the hours report, series, and the .ics export read back with icalendar."""

from __future__ import annotations

import json

import pytest

from ledger import members, open_office, villages
from ledger.people import id_check_char


def _id(birth: str, seq: str) -> str:
    first17 = "139021" + birth + seq
    return first17 + id_check_char(first17)


LH_ID = _id("19850607", "222")


@pytest.fixture
def url(db_url, clock):
    office = open_office(db_url, operator="tester", clock=clock)
    villages.add_village(office, name="许庄村", code="V01")
    members.add_member(office, name="许少伟", village="V01", post="branch_secretary",
                       id_number=_id("19700304", "111"), election_date="2015-01-10")
    members.add_member(office, name="许少芳", village="V01", post="committee_member",
                       election_date="2015-01-10")
    members.add_member(office, name="李红", village="V01", post="deputy_secretary",
                       id_number=LH_ID, election_date="2015-01-10")
    office.close()
    return db_url


def _add(jiedao, url, *extra: str):
    return jiedao("--db", url, "training", "add", "--title", "信访条例讲座", "--start",
                  "2026-11-20 09:00", "--end", "2026-11-20 11:00", "--hours", "2", *extra)


def test_add_list_show_and_json(jiedao, url):
    added = _add(jiedao, url, "--place", "会议室", "--kind", "lecture")
    assert added.code == 0 and added.out.strip() == "1"
    assert "信访条例讲座" in added.err
    table = jiedao("--db", url, "training", "list")
    assert "信访条例讲座" in table.out and "2026-11-20 09:00" in table.out
    assert "1–1" in table.err
    rows = json.loads(jiedao("--db", url, "training", "list", "--json").out)
    assert [(r["id"], r["credit_hours"], r["state"]) for r in rows] == [(1, 2.0, "planned")]
    assert json.loads(jiedao("--db", url, "training", "list", "--state", "held",
                             "--json").out) == []
    # --status, the former name, still works for scripts, and help no longer shows it
    assert len(json.loads(jiedao("--db", url, "training", "list", "--status", "planned",
                                 "--json").out)) == 1
    listed_help = jiedao("--db", url, "training", "list", "--help").out
    assert "--state" in listed_help and "--status" not in listed_help
    shown = json.loads(jiedao("--db", url, "training", "show", "1", "--json").out)
    assert shown["required_count"] == 3 and shown["place"] == "会议室"
    assert "attendance sheet (3 required)" in jiedao("--db", url, "training", "show", "1").out


@pytest.mark.parametrize("args, code, word", [
    (("--hours", "-1"), 1, "credit hours"),
    (("--hours", "2", "--kind", "party"), 2, "kind"),
    (("--hours", "2", "--audience", "village"), 1, "audience"),
])
def test_bad_input_is_one_line_and_nothing_stored(jiedao, url, args, code, word):
    result = jiedao("--db", url, "training", "add", "--title", "x", "--start",
                    "2026-11-20 09:00", "--end", "2026-11-20 10:00", *args)
    assert result.code == code
    assert word in result.err and "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert json.loads(jiedao("--db", url, "training", "list", "--json").out) == []


def test_edit_refuses_a_stale_version(jiedao, url):
    _add(jiedao, url)
    assert jiedao("--db", url, "training", "edit", "1", "--version", "1", "--place",
                  "礼堂").code == 0
    stale = jiedao("--db", url, "training", "edit", "1", "--version", "1", "--place", "二楼")
    assert stale.code == 1 and "礼堂" in stale.err and "version 1" in stale.err
    missing = jiedao("--db", url, "training", "show", "42")
    assert missing.code == 1 and "42" in missing.err


def test_checkin_attendance_and_ambiguity(jiedao, url):
    _add(jiedao, url)
    ok = jiedao("--db", url, "training", "checkin", "1", "xsw", LH_ID[-4:])
    assert ok.code == 0 and "许少伟: present" in ok.err and "李红: present" in ok.err
    ambiguous = jiedao("--db", url, "training", "checkin", "1", "xs")
    assert ambiguous.code == 1 and "许少伟" in ambiguous.err and "许少芳" in ambiguous.err
    refused = jiedao("--db", url, "training", "attendance", "1", "许少芳", "--state", "excused")
    assert refused.code == 1 and "reason" in refused.err
    excused = jiedao("--db", url, "training", "attendance", "1", "许少芳", "--state",
                     "excused", "--reason", "病假", "--json")
    assert json.loads(excused.out)["counts"] == {"present": 2, "late": 0, "absent": 0,
                                                 "excused": 1}
    sheet = json.loads(jiedao("--db", url, "training", "attendance", "1", "--json").out)
    assert {r["name"]: r["state"] for r in sheet} == {"许少伟": "present", "许少芳": "excused",
                                                      "李红": "present"}
    assert jiedao("--db", url, "training", "attendance", "1", "xsw").code == 2


def test_cancelled_and_future_sessions_take_no_attendance(jiedao, url):
    _add(jiedao, url)
    assert jiedao("--db", url, "training", "cancel", "1", "--reason", "台风").code == 0
    refused = jiedao("--db", url, "training", "checkin", "1", "xsw")
    assert refused.code == 1 and "cancelled" in refused.err
    assert jiedao("--db", url, "training", "reinstate", "1").code == 0
    later = jiedao("--db", url, "training", "add", "--title", "下周", "--start",
                   "2026-12-01 09:00", "--end", "2026-12-01 10:00", "--hours", "1")
    assert later.code == 0
    assert jiedao("--db", url, "training", "checkin", "2", "xsw").code == 1
    assert jiedao("--db", url, "training", "hold", "2").code == 1


def test_report_lists_who_falls_short(jiedao, url, tmp_path):
    (tmp_path / "config.toml").write_text("[training]\nrequired_hours = 3\n", encoding="utf-8")
    _add(jiedao, url)
    jiedao("--db", url, "training", "checkin", "1", "xsw", "李红")
    data = json.loads(jiedao("--db", url, "training", "report", "--year", "2026",
                             "--json").out)
    assert [(r["name"], r["shortfall"]) for r in data["short"]] == [("许少芳", 3.0),
                                                                    ("李红", 1.0),
                                                                    ("许少伟", 1.0)]
    text = jiedao("--db", url, "training", "report")
    assert text.code == 0 and "3 of 3 members in office fall short" in text.out
    assert "66.7%" in text.out
    assert jiedao("--db", url, "training", "report", "--year", "99999").code == 2


def test_series_add_show_edit_end(jiedao, url):
    added = jiedao("--db", url, "training", "series", "add", "--title", "两委例会", "--rule",
                   "FREQ=MONTHLY;BYDAY=1MO;COUNT=3", "--start", "2026-12-07 09:00",
                   "--minutes", "90", "--hours", "1.5", "--json")
    assert added.code == 0
    series = json.loads(added.out)
    assert [s["starts_at"] for s in series["session_list"]] == [
        "2026-12-07T01:00:00+00:00", "2027-01-04T01:00:00+00:00", "2027-02-01T01:00:00+00:00"]
    assert "FREQ=MONTHLY" in jiedao("--db", url, "training", "series", "list").out
    assert "2027-01-04 09:00" in jiedao("--db", url, "training", "series", "show", "1").out
    assert jiedao("--db", url, "training", "series", "edit", "1", "--version", "1",
                  "--place", "礼堂").code == 0
    assert jiedao("--db", url, "training", "series", "end", "1").code == 0
    rows = json.loads(jiedao("--db", url, "training", "list", "--series", "1", "--json").out)
    assert {r["state"] for r in rows} == {"cancelled"}
    unbounded = jiedao("--db", url, "training", "series", "add", "--title", "x", "--rule",
                       "FREQ=DAILY", "--start", "2026-12-07 09:00", "--minutes", "60",
                       "--hours", "1")
    assert unbounded.code == 1 and "366" in unbounded.err


def test_export_ics_reads_back_and_updates_in_place(jiedao, url, tmp_path):
    from icalendar import Calendar

    _add(jiedao, url)
    out = tmp_path / "training.ics"
    first = jiedao("--db", url, "training", "export", "--format", "ics", "--out", str(out))
    assert first.code == 0 and "1 sessions" in first.err
    events = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    assert [(str(e["SUMMARY"]), int(e["SEQUENCE"])) for e in events] == [("信访条例讲座", 0)]
    uid = str(events[0]["UID"])
    jiedao("--db", url, "training", "edit", "1", "--place", "礼堂")
    jiedao("--db", url, "training", "export", "--out", str(out))
    again = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    assert [(str(e["UID"]), int(e["SEQUENCE"]), str(e["LOCATION"])) for e in again] == [
        (uid, 1, "礼堂")]
    bad = jiedao("--db", url, "training", "export", "--out", str(tmp_path / "no" / "x.ics"))
    assert bad.code == 1 and "Traceback" not in bad.err

