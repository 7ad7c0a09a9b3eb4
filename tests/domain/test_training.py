"""Training: sessions, rrule series (moved and cancelled occurrences), every attendance state
and its refusals, check-in by name / initials / ID tail, versions, the hours report and the
.ics export. The clock is fixed at 2026-11-27 10:00 Asia/Shanghai (a Friday)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from ledger import journal, members, training, villages
from ledger.errors import Conflict, InvalidTransition, NotFound, StaleVersion, ValidationError
from ledger.people import id_check_char

SH = ZoneInfo("Asia/Shanghai")


def _id(birth: str, seq: str) -> str:
    first17 = "139021" + birth + seq
    return first17 + id_check_char(first17)


@pytest.fixture
def people(office):
    """Two villages, four members in office and one who left in 2018."""
    villages.add_village(office, name="许庄村", code="V01")
    villages.add_village(office, name="东王村", code="V02")
    out = {
        "xsw": members.add_member(office, name="许少伟", village="V01", post="branch_secretary",
                                  id_number=_id("19700304", "111"), election_date="2015-01-10"),
        "xsf": members.add_member(office, name="许少芳", village="V01", post="committee_member",
                                  id_number=_id("19820304", "222"), election_date="2015-01-10"),
        "wjg": members.add_member(office, name="王建国", village="V02",
                                  post="committee_director", election_date="2015-01-12"),
        "lh": members.add_member(office, name="李红", village="V02", post="committee_member",
                                 election_date="2015-01-12"),
    }
    gone = members.add_member(office, name="张旧", village="V02", post="deputy_director",
                              election_date="2015-01-12")
    members.end_term(office, gone["id"], ended_on="2018-01-12", reason="term over")
    out["gone"] = gone
    return out


def _local(instant: dt.datetime) -> dt.datetime:
    return instant.astimezone(SH).replace(tzinfo=None)


def _lecture(office, start="2026-11-20 09:00", end="2026-11-20 11:00", hours="2", **kw):
    return training.add_session(office, title=kw.pop("title", "信访条例讲座"), starts_at=start,
                                ends_at=end, credit_hours=hours, kind="lecture", **kw)


# --- sessions ------------------------------------------------------------------------------


def test_add_session_stores_instants_in_utc_and_shows_the_fields(office, people):
    s = _lecture(office, place="街道会议室", organiser="党政办", topic="信访工作条例")
    assert s["starts_at"] == dt.datetime(2026, 11, 20, 1, 0, tzinfo=dt.UTC)
    assert _local(s["ends_at"]) == dt.datetime(2026, 11, 20, 11, 0)
    assert (s["state"], s["credit_hours"], s["version"], s["sequence"]) == ("planned", 2.0, 1, 0)
    assert s["required_count"] == 4  # all members in office that day, not the one who left
    assert [e["action"] for e in journal.history(office, "training_session", s["id"])] == [
        "create"]


BAD_FIELDS = [
    ({"credit_hours": "-1"}, "credit_hours"),
    ({"credit_hours": "101"}, "credit_hours"),
    ({"credit_hours": "1.255"}, "credit_hours"),
    ({"credit_hours": "abc"}, "credit_hours"),
    ({"credit_hours": "NaN"}, "credit_hours"),
    ({"ends_at": "2026-11-20 08:00"}, "ends_at"),
    ({"ends_at": "2026-12-20 08:00"}, "ends_at"),
    ({"starts_at": "2026-11-20"}, "starts_at"),
    ({"starts_at": "tomorrow"}, "starts_at"),
    ({"starts_at": "1999-01-01 09:00"}, "starts_at"),
    ({"title": "  "}, "title"),
    ({"kind": "party"}, "kind"),
    ({"audience": "village", "audience_refs": []}, "audience_refs"),
    ({"audience": "village", "audience_refs": ["V99"]}, "audience_refs"),
    ({"audience": "post", "audience_refs": ["boss"]}, "audience_refs"),
    ({"audience": "all", "audience_refs": ["V01"]}, "audience"),
]


def test_bad_session_fields_are_refused_naming_the_field(office, people):
    # One test walks every case: each is a validation before any write, and a database
    # fixture per case would cost more than the cases themselves.
    for changes, field in BAD_FIELDS:
        data = {"title": "讲座", "starts_at": "2026-11-20 09:00",
                "ends_at": "2026-11-20 11:00", "credit_hours": "2", **changes}
        with pytest.raises(ValidationError) as err:
            training.add_session(office, **data)
        assert err.value.field == field, changes
    assert training.count_sessions(office) == 0


def test_audience_by_post_village_and_named_people(office, people):
    by_post = _lecture(office, audience="post", audience_refs=["branch_secretary"])
    assert [r["name"] for r in by_post["attendance"]] == ["许少伟"]
    by_village = _lecture(office, audience="village", audience_refs=["东王村"])
    assert {r["name"] for r in by_village["attendance"]} == {"王建国", "李红"}
    named = _lecture(office, audience="people", audience_refs=["xsf", "李红"])
    assert named["audience_names"] == ["许少芳", "李红"]
    assert named["required_count"] == 2
    everyone = training.edit_session(office, named["id"], audience="all")
    assert (everyone["audience_refs"], everyone["required_count"]) == ([], 4)


def test_edit_with_a_stale_version_names_what_changed(office, people):
    s = _lecture(office)
    moved = training.edit_session(office, s["id"], version=1, place="二楼会议室")
    assert (moved["version"], moved["place"]) == (2, "二楼会议室")
    with pytest.raises(StaleVersion) as err:  # the shared ledger.versions check
        training.edit_session(office, s["id"], version=1, place="三楼")
    assert err.value.changes == [{"field": "place", "theirs": "二楼会议室", "yours": "三楼"}]
    assert "二楼会议室" in err.value.message()
    assert training.get_session(office, s["id"])["title"] == "信访条例讲座"
    with pytest.raises(ValidationError):
        training.edit_session(office, s["id"], version="x", title="t")
    with pytest.raises(ValidationError):
        training.edit_session(office, s["id"], colour="red")
    with pytest.raises(NotFound):
        training.edit_session(office, 999, title="t")


def test_cancel_and_reinstate(office, people):
    s = _lecture(office, start="2026-12-01 09:00", end="2026-12-01 10:00")
    cancelled = training.cancel_session(office, s["id"], reason="台风")
    assert (cancelled["state"], cancelled["cancel_reason"]) == ("cancelled", "台风")
    with pytest.raises(InvalidTransition):
        training.cancel_session(office, s["id"])
    with pytest.raises(InvalidTransition):
        training.edit_session(office, s["id"], place="x")
    back = training.reinstate_session(office, s["id"])
    assert (back["state"], back["cancel_reason"], back["version"]) == ("planned", "", 3)
    with pytest.raises(InvalidTransition):
        training.hold_session(office, s["id"])  # it has not started


# --- series --------------------------------------------------------------------------------


def test_first_monday_monthly_across_the_year_end(office, people):
    series = training.add_series(office, title="两委例会", rule="FREQ=MONTHLY;BYDAY=1MO;COUNT=4",
                                 first_start="2026-11-02 09:00", duration_minutes=90,
                                 credit_hours="1.5")
    starts = [_local(s["starts_at"]) for s in series["session_list"]]
    assert starts == [dt.datetime(2026, 11, 2, 9), dt.datetime(2026, 12, 7, 9),
                      dt.datetime(2027, 1, 4, 9), dt.datetime(2027, 2, 1, 9)]
    assert all(s["ends_at"] - s["starts_at"] == dt.timedelta(minutes=90)
               for s in series["session_list"])
    assert (series["sessions"], series["planned"]) == (4, 4)


def test_weekly_until_a_date(office, people):
    series = training.add_series(office, title="周三学习", rule="RRULE:FREQ=WEEKLY;BYDAY=WE;"
                                 "UNTIL=20270630T235900", first_start="2027-01-06 14:30",
                                 duration_minutes=60, credit_hours=1)
    starts = [_local(s["starts_at"]) for s in series["session_list"]]
    assert len(starts) == 26
    assert starts[0] == dt.datetime(2027, 1, 6, 14, 30)
    assert starts[-1] == dt.datetime(2027, 6, 30, 14, 30)
    assert {d.weekday() for d in starts} == {2}


BAD_RULES = [
    "FREQ=WEEKLY;BYDAY=WE",  # never ends
    "FREQ=DAILY;COUNT=367",  # too many
    "FREQ=FORTNIGHTLY;COUNT=3",
    "FREQ=MINUTELY;COUNT=5",  # not a training calendar
    "DTSTART:20260101T090000\nRRULE:FREQ=DAILY;COUNT=2",
    "FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=2;COUNT=1",  # no such day
    "",
]


def test_bad_rules_are_refused_and_nothing_is_written(office, people):
    for minutes in (0, "1.5", "a", 7 * 24 * 60 + 1):
        with pytest.raises(ValidationError) as err:
            training.add_series(office, title="x", rule="FREQ=DAILY;COUNT=2",
                                first_start="2026-12-01 09:00", duration_minutes=minutes,
                                credit_hours=1)
        assert err.value.field == "duration_minutes", minutes
    for rule in BAD_RULES:
        with pytest.raises(ValidationError) as err:
            training.add_series(office, title="x", rule=rule, first_start="2026-12-01 09:00",
                                duration_minutes=60, credit_hours=1)
        assert err.value.field == "rule", rule
    assert training.count_sessions(office) == 0 and training.list_series(office) == []


def test_moving_and_cancelling_one_occurrence_survive_an_edit_of_the_series(office, people):
    series = training.add_series(office, title="例会", rule="FREQ=MONTHLY;BYDAY=1MO;COUNT=4",
                                 first_start="2026-12-07 09:00", duration_minutes=60,
                                 credit_hours=1, place="会议室")
    dec, jan, feb, mar = (s["id"] for s in series["session_list"])
    moved = training.edit_session(office, jan, starts_at="2027-01-05 09:00",
                                  ends_at="2027-01-05 10:00")
    assert moved["detached"] and moved["series_id"] == series["id"]
    training.cancel_session(office, feb, reason="春节")
    edited = training.edit_series(office, series["id"], version=1, place="新会议室",
                                  credit_hours=2)
    assert edited["version"] == 2
    after = {s["id"]: s for s in edited["session_list"]}
    assert (after[dec]["place"], after[dec]["credit_hours"]) == ("新会议室", 2.0)
    assert after[mar]["place"] == "新会议室"
    assert (after[jan]["place"], _local(after[jan]["starts_at"]).day) == ("会议室", 5)
    assert (after[feb]["state"], after[feb]["place"]) == ("cancelled", "会议室")
    with pytest.raises(Conflict):
        training.edit_series(office, series["id"], version=1, place="又一处")


def test_a_new_rule_replans_the_sessions_that_follow_the_series(office, people):
    series = training.add_series(office, title="例会", rule="FREQ=MONTHLY;BYDAY=1MO;COUNT=3",
                                 first_start="2026-12-07 09:00", duration_minutes=60,
                                 credit_hours=1)
    first = series["session_list"][0]["id"]
    training.cancel_session(office, first, reason="改期")
    edited = training.edit_series(office, series["id"], rule="FREQ=MONTHLY;BYDAY=2MO;COUNT=3",
                                  first_start="2026-12-14 09:00")
    planned = sorted(_local(s["starts_at"]).date() for s in edited["session_list"]
                     if s["state"] == "planned")
    assert planned == [dt.date(2026, 12, 14), dt.date(2027, 1, 11), dt.date(2027, 2, 8)]
    # The occurrence cancelled by hand stays cancelled, with its own reason.
    assert training.get_session(office, first)["cancel_reason"] == "改期"
    reasons = {s["cancel_reason"] for s in edited["session_list"]
               if s["state"] == "cancelled" and s["id"] != first}
    assert reasons == {"no longer in its series' rule"}
    ended = training.end_series(office, series["id"])
    assert ended["state"] == "ended" and ended["planned"] == 0
    with pytest.raises(InvalidTransition):
        training.edit_series(office, series["id"], place="x")


def test_an_occurrence_the_rule_drops_and_brings_back_is_reinstated(office, people):
    series = training.add_series(office, title="例会", rule="FREQ=MONTHLY;BYDAY=1MO;COUNT=3",
                                 first_start="2026-12-07 09:00", duration_minutes=60,
                                 credit_hours=1)
    last = series["session_list"][-1]["id"]
    shorter = training.edit_series(office, series["id"], rule="FREQ=MONTHLY;BYDAY=1MO;COUNT=2")
    assert training.get_session(office, last)["state"] == "cancelled"
    again = training.edit_series(office, series["id"], version=shorter["version"],
                                 rule="FREQ=MONTHLY;BYDAY=1MO;COUNT=3")
    assert [s["state"] for s in again["session_list"]] == ["planned"] * 3
    back = training.get_session(office, last)
    assert (back["cancel_reason"], back["detached"]) == ("", False)
    assert [e["action"] for e in journal.history(office, "training_session", last)] == [
        "create", "cancel", "reinstate"]


# --- attendance ----------------------------------------------------------------------------


def test_every_attendance_state_and_re_recording(office, people):
    s = _lecture(office)
    training.record_attendance(office, s["id"], ["许少伟"], state="present")
    training.record_attendance(office, s["id"], ["xsf"], state="late")
    training.record_attendance(office, s["id"], ["王建国"], state="absent")
    sheet = training.record_attendance(office, s["id"], ["李红"], state="excused",
                                       reason="住院")
    assert sheet["state"] == "held"  # a planned session that took place
    assert sheet["counts"] == {"present": 1, "late": 1, "absent": 1, "excused": 1}
    assert sheet["attended"] == 2
    again = training.record_attendance(office, s["id"], ["王建国"], state="late")
    assert again["counts"]["absent"] == 0 and again["counts"]["late"] == 2
    entries = [e for e in journal.history(office, "training_session", s["id"])
               if e["action"] == "attendance"]
    assert entries[-1]["before"]["state"] == "absent" and entries[-1]["after"]["state"] == "late"
    assert [e["action"] for e in journal.history(office, "training_session", s["id"])][:2] == [
        "create", "hold"]


def test_checkin_by_initials_id_tail_and_exact_name(office, people):
    s = _lecture(office)
    tail = people["xsf"]["id_number"][-4:]  # masked in the dict, the tail is shown
    done = training.checkin(office, s["id"], people=["xsw", tail, "李红"])
    assert {r["name"] for r in done["recorded"]} == {"许少伟", "许少芳", "李红"}
    assert {r["state"] for r in done["attendance"] if r["state"]} == {"present"}
    late = training.checkin(office, s["id"], people=["wjg"], state="late")
    assert late["counts"]["late"] == 1
    with pytest.raises(ValidationError):
        training.checkin(office, s["id"], people=["wjg"], state="absent")


def test_ambiguity_lists_the_candidates(office, people):
    s = _lecture(office)
    with pytest.raises(ValidationError) as err:
        training.checkin(office, s["id"], people=["xs"])
    message = err.value.message()
    assert "许少伟" in message and "许少芳" in message
    assert training.get_session(office, s["id"])["counts"]["present"] == 0


REFUSED = [
    (["许少伟"], "excused", ""),
    (["赵无此人"], "present", ""),
    (["0000"], "present", ""),
    ([], "present", ""),
    (["许少伟"], "asleep", ""),
]


def test_attendance_refusals(office, people):
    s = _lecture(office)
    for who, state, reason in REFUSED:
        with pytest.raises(ValidationError):
            training.record_attendance(office, s["id"], who, state=state, reason=reason)
    after = training.get_session(office, s["id"])
    assert after["state"] == "planned" and sum(after["counts"].values()) == 0


def test_no_attendance_for_a_cancelled_or_future_session(office, people):
    cancelled = _lecture(office)
    training.cancel_session(office, cancelled["id"])
    with pytest.raises(InvalidTransition):
        training.checkin(office, cancelled["id"], people=["xsw"])
    future = _lecture(office, start="2026-11-27 14:00", end="2026-11-27 16:00")
    with pytest.raises(InvalidTransition):
        training.checkin(office, future["id"], people=["xsw"])
    with pytest.raises(NotFound):
        training.checkin(office, "nope", people=["xsw"])


def test_a_paper_sheet_in_one_go(office, people):
    s = _lecture(office)
    ids = {k: v["id"] for k, v in people.items()}
    sheet = training.record_sheet(office, s["id"], {ids["xsw"]: "present", ids["lh"]: "absent",
                                                    ids["wjg"]: ("excused", "出差")})
    assert sheet["counts"] == {"present": 1, "late": 0, "absent": 1, "excused": 1}
    entry = journal.history(office, "training_session", s["id"])[-1]
    assert entry["action"] == "attendance_sheet"
    assert entry["after"] == {"present": [f"许少伟#{ids['xsw']}"],
                              "absent": [f"李红#{ids['lh']}"],
                              "excused": [f"王建国#{ids['wjg']}（出差）"]}
    with pytest.raises(ValidationError):
        training.record_sheet(office, s["id"], {ids["xsf"]: "excused"})
    with pytest.raises(ValidationError):
        training.record_sheet(office, s["id"], {99999: "present"})


# --- the hours report ----------------------------------------------------------------------


def test_hours_report_finds_who_falls_short(office, people):
    office.settings = office.settings.with_overrides({"training.required_hours": 4}, "test")
    a = _lecture(office, start="2026-03-02 09:00", end="2026-03-02 12:00", hours="3")
    b = _lecture(office, start="2026-06-01 09:00", end="2026-06-01 11:00", hours="1.5",
                 audience="village", audience_refs=["V01"])
    _lecture(office, start="2025-12-01 09:00", end="2025-12-01 12:00", hours="10")  # last year
    _lecture(office, start="2026-12-10 09:00", end="2026-12-10 12:00", hours="10")  # planned
    training.checkin(office, a["id"], people=["xsw", "xsf", "wjg"])
    training.record_attendance(office, a["id"], ["李红"], state="excused", reason="病假")
    training.checkin(office, b["id"], people=["xsw"])
    training.checkin(office, b["id"], people=["xsf"], state="late")

    data = training.report(office, year=2026)
    hours = {r["name"]: r["hours"] for r in data["people"]}
    assert hours == {"许少伟": 4.5, "许少芳": 4.5, "王建国": 3.0, "李红": 0.0}
    assert [(r["name"], r["shortfall"]) for r in data["short"]] == [("李红", 4.0),
                                                                    ("王建国", 1.0)]
    assert data["required_hours"] == 4.0
    assert [(r["id"], r["required"], r["attended"], r["rate"], r["excused"])
            for r in data["by_session"]] == [(a["id"], 4, 3, 0.75, 1), (b["id"], 2, 2, 1.0, 0)]
    villages = {r["village"]: (r["expected"], r["attended"], r["rate"])
                for r in data["by_village"]}
    assert villages == {"许庄村": (4, 4, 1.0), "东王村": (2, 1, 0.5)}
    assert data["totals"]["held"] == 2 and data["totals"]["planned"] == 1
    assert data["totals"]["hours_offered"] == 4.5


def test_nobody_falls_short_without_a_required_number_of_hours(office, people):
    assert training.report(office, year=2026)["required_hours"] == 20  # the default
    office.settings = office.settings.with_overrides({"training.required_hours": 0}, "test")
    data = training.report(office, year=2026)
    assert data["required_hours"] == 0 and data["short"] == []
    assert data["totals"]["assessed"] == 4
    with pytest.raises(ValidationError):
        training.report(office, year=99999)


# --- iCalendar export ----------------------------------------------------------------------


def _events(data: bytes) -> dict[str, dict]:
    from icalendar import Calendar

    cal = Calendar.from_ical(data)
    return {str(e["UID"]): {"summary": str(e["SUMMARY"]), "sequence": int(e["SEQUENCE"]),
                            "start": e.decoded("DTSTART"), "status": str(e["STATUS"]),
                            "location": str(e.get("LOCATION", ""))}
            for e in cal.walk("VEVENT")}


def test_ics_export_parses_back_with_stable_uids_and_bumped_sequence(office, people):
    a = _lecture(office, place="会议室")
    series = training.add_series(office, title="例会", rule="FREQ=MONTHLY;BYDAY=1MO;COUNT=2",
                                 first_start="2026-12-07 09:00", duration_minutes=60,
                                 credit_hours=1)
    first, count = training.ics_bytes(office)
    assert count == 3
    events = _events(first)
    assert len(events) == 3
    uid = training.session_uid(a["id"], next(iter(events)).split("-")[2].split("@")[0])
    assert events[uid]["summary"] == "信访条例讲座"
    assert events[uid]["start"] == dt.datetime(2026, 11, 20, 1, 0, tzinfo=dt.UTC)
    assert events[uid]["sequence"] == 0

    again, _ = training.ics_bytes(office)
    assert set(_events(again)) == set(events)

    training.edit_session(office, a["id"], place="礼堂")
    cancelled = series["session_list"][1]["id"]
    training.cancel_session(office, cancelled)
    third = _events(training.ics_bytes(office)[0])
    assert set(third) == set(events)
    assert (third[uid]["sequence"], third[uid]["location"]) == (1, "礼堂")
    assert sorted(e["status"] for e in third.values()) == ["CANCELLED", "CONFIRMED",
                                                           "CONFIRMED"]


def test_the_sample_office_has_a_year_of_training_and_people_short_of_hours(office):
    import random

    from ledger.sample import members as sample_members
    from ledger.sample import training as sample_training

    rng = random.Random(2015)
    sample_members.fill(office, rng)
    sample_training.fill(office, rng)
    data = training.report(office, year=2026)
    assert data["totals"]["assessed"] == 68
    assert data["totals"]["held"] >= 12 and data["totals"]["cancelled"] == 2
    assert 0 < data["totals"]["short"] < 34  # some fall short, most do not
    assert len(data["by_village"]) == 9
    series = training.list_series(office)[0]
    assert series["sessions"] == 13 and series["cancelled"] == 1
    assert training.count_sessions(office, training.TrainingFilter(state="planned")) >= 1


def test_an_edit_that_changes_nothing_keeps_the_version(office, people):
    s = _lecture(office, hours="1.5")
    same = training.edit_session(office, s["id"], credit_hours="1.50", place="")
    assert same["version"] == 1
    assert [e["action"] for e in journal.history(office, "training_session", s["id"])] == [
        "create"]


def test_two_clerks_editing_one_session_at_once_one_is_refused(office, people, clerks):
    s = _lecture(office)
    refused: list[Conflict] = []

    def work(mine):
        try:
            training.edit_session(mine, s["id"], version=1, place=mine.operator)
        except Conflict as err:
            refused.append(err)

    clerks(office, work)
    after = training.get_session(office, s["id"])
    assert len(refused) == 1 and after["version"] == 2
    assert after["place"] in ("clerk0", "clerk1")
