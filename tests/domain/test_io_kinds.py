"""The import kinds added after the first four: tickets (set-based, validated by
``clean_ticket``), satisfaction surveys, training attendance, duty unavailability and shifts
(through the areas' own use cases). For each: round trip (export, import → nothing changed),
dry run, skip-invalid, an invalid last row → nothing written. Exports filtered like lists."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest

from ledger import (
    Office,
    io,
    items,
    journal,
    members,
    open_office,
    roster,
    surveys,
    tickets,
    training,
    villages,
)
from ledger.config import Settings
from ledger.errors import ValidationError
from ledger.models import Attendance, JournalEntry, NumberSequence
from ledger.models.roster import Shift, Unavailability
from ledger.models.surveys import SatisfactionSurvey
from ledger.models.tickets import Ticket, TicketEvent
from ledger.people import id_check_char
from ledger.workcal import calendar_for

D = dt.date


def idn(seq: str, birth: str = "19800102") -> str:
    first17 = "139021" + birth + seq
    return first17 + id_check_char(first17)


A, B, C = idn("123"), idn("224", "19751130"), idn("331", "19900505")


@pytest.fixture
def base(office, staff_names):
    """Villages, two items, three members, a session held last week, a centre and a station
    (two of the three eligible there); the test staff (agents)."""
    villages.add_village(office, name="许庄村", code="V01")
    villages.add_village(office, name="东王村", code="V02")
    items.add_item(office, code="R11", name="重度残疾人护理补贴", category="残疾人服务",
                   level="district", time_limit_days=20, materials="身份证|户口簿|残疾证")
    items.add_item(office, code="R13", name="城乡低保", category="社会救助", level="district",
                   time_limit_days=15, materials="身份证|户口簿")
    for name, number in (("许少伟", A), ("王建国", B), ("李红", C)):
        members.add_member(office, name=name, village="V01", post="committee_member",
                           id_number=number, election_date="2024-03-01")
    training.add_session(office, title="信访条例讲座", starts_at="2026-11-20 09:00",
                         ends_at="2026-11-20 11:00", credit_hours=2)
    roster.add_post(office, code="centre", name="便民服务中心", kind="centre",
                    shifts="day=08:30-17:30")
    roster.add_post(office, code="V01", name="许庄村服务站", kind="station", village="V01",
                    shifts="morning=08:30-12:00,afternoon=14:00-17:30")
    roster.add_eligible(office, "CENTRE", ["许少伟", "王建国", "李红"])
    roster.add_eligible(office, "V01", ["许少伟", "王建国"])
    return office


@pytest.fixture
def other_office(tmp_path: Path, sqlite_template: Path, clock) -> Office:
    path = tmp_path / "other.db"
    shutil.copy(sqlite_template, path)
    office = open_office(f"sqlite:///{path}", operator="tester", clock=clock,
                         settings=Settings())
    yield office
    office.close()


# kind -> (header, two good rows, a bad row, the table written)
CASES = {
    "tickets": (
        ["number", "item", "applicant_name", "applicant_phone", "village", "received_at",
         "materials", "notes"],
        [["", "R11", "许桂兰", "13812345678", "V01", "2026/11/2", "身份证|户口簿", ""],
         ["DB-2026-0040", "R13", "王芳", "", "许庄村", "2026-11-20 15:30", "", "=备注"]],
        ["", "R11", "李四", "", "V01", "2026-12-01", "", ""],  # received in the future
        Ticket),
    "surveys": (
        ["village", "surveyed_on", "satisfied", "basically_satisfied", "dissatisfied",
         "comments"],
        [["V01", "2026-06-30", "80", "15", "5", ""], ["V02", "2026/9/1", "10", "0", "0", "好"]],
        ["V01", "2026-07-01", "0", "0", "0", ""],  # nobody answered
        SatisfactionSurvey),
    "attendance": (
        ["session", "name", "ID number", "attendance", "reason"],
        [["1", "许少伟", A, "出席", ""], ["1", "王建国", "", "excused", "出差"]],
        ["1", "李红", "", "excused", ""],  # excused needs a reason
        Attendance),
    "unavailability": (
        ["name", "ID number", "date_from", "date_to", "reason", "note"],
        [["许少伟", "", "2026-12-01", "2026-12-05", "leave", ""],
         ["王建国", B, "2026-12-10", "", "病假", ""]],
        ["李红", "", "2026-12-10", "2026-12-01", "leave", ""],  # ends before it starts
        Unavailability),
    "shifts": (
        ["post", "day", "shift", "name", "ID number"],
        [["centre", "2026-12-01", "day", "许少伟", ""], ["V01", "2026-12-01", "morning", "", B]],
        ["V01", "2026-12-01", "afternoon", "李红", ""],  # not eligible at the station
        Shift),
}
KINDS = list(CASES)


def case(kind: str) -> tuple[list[str], list[list[str]], list[str], type]:
    """A kind's case, copied: a test may change its rows."""
    header, good, bad, model = CASES[kind]
    return header, [r[:] for r in good], bad[:], model


def write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def counts(model) -> tuple[int, int]:
    return model.select().count(), JournalEntry.select().count()


@pytest.mark.parametrize("kind", KINDS)
def test_round_trip_changes_nothing(base, tmp_path, kind):
    header, good, _, model = case(kind)
    result = io.run_import(base, kind, write(tmp_path / "in.csv", header, good))
    assert result.error_lines() == [] and (result.added, result.written) == (2, True)
    assert model.select().count() == 2
    out = tmp_path / "out.csv"
    assert io.write_export(base, kind, "csv", out, reveal=True) == 2
    before = counts(model)
    again = io.run_import(base, kind, out)
    assert again.error_lines() == []
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    assert counts(model) == before
    assert journal.verify(base).ok


@pytest.mark.parametrize("kind", KINDS)
def test_dry_run_reports_and_writes_nothing(base, tmp_path, kind):
    header, good, _, model = case(kind)
    before = counts(model)
    result = io.run_import(base, kind, write(tmp_path / "in.csv", header, good), dry_run=True)
    assert result.error_lines() == []
    assert (result.added, result.written, result.dry_run) == (2, False, True)
    assert counts(model) == before


@pytest.mark.parametrize("kind", KINDS)
def test_an_invalid_last_row_writes_nothing(base, tmp_path, kind):
    header, good, bad, model = case(kind)
    before = counts(model)
    path = write(tmp_path / "in.csv", header, [*good, bad])
    result = io.run_import(base, kind, path)
    assert not result.written and result.error_count == 1
    assert result.error_lines()[0].startswith(f"{path}:4: ")
    assert counts(model) == before
    assert NumberSequence.select().where(NumberSequence.prefix == "DB").count() == 0


@pytest.mark.parametrize("kind", KINDS)
def test_skip_invalid_imports_the_good_rows_and_sets_the_bad_aside(base, tmp_path, kind):
    header, good, bad, model = case(kind)
    rejects = tmp_path / "bad.csv"
    result = io.run_import(base, kind, write(tmp_path / "in.csv", header, [bad, *good]),
                           skip_invalid=rejects)
    assert result.written and (result.added, result.rejected) == (2, 1)
    assert model.select().count() == 2
    rows = read(rejects)
    assert rows[0] == [*header, "error"] and rows[1][:len(bad)] == bad and rows[1][-1]
    assert journal.verify(base).ok


# --- tickets ------------------------------------------------------------------------------

def test_imported_tickets_are_opened_as_open_ticket_opens_them(base, tmp_path):
    header, good, _, _ = case("tickets")
    io.run_import(base, "tickets", write(tmp_path / "t.csv", header, good))
    by_hand = tickets.open_ticket(base, item="R11", applicant_name="许桂兰",
                                  applicant_phone="13812345678", village="V01",
                                  received_at=D(2026, 11, 2), materials="身份证|户口簿")
    numbers = [t.number for t in Ticket.select().order_by(Ticket.id)]
    # a blank number: the next of its year, in a block; a given one kept, the counter past it
    assert numbers == ["DB-2026-0041", "DB-2026-0040", "DB-2026-0042"]
    imported = tickets.get_ticket(base, "DB-2026-0041")
    for key in ("item", "track", "applicant_name", "village", "received_at", "state",
                "time_limit_days", "due_date", "due_provisional", "materials"):
        assert imported[key] == by_hand[key], key
    due, _ = calendar_for(base).add_working_days(D(2026, 11, 20), 15)
    other = tickets.get_ticket(base, "DB-2026-0040")
    assert other["due_date"] == due and other["notes"] == "=备注"
    assert other["received_at"] == dt.datetime(2026, 11, 20, 7, 30, tzinfo=dt.UTC)
    assert TicketEvent.select().where(TicketEvent.action == "open").count() == 3
    # the lists find them (searchable, by deadline)
    assert tickets.count_tickets(base, tickets.TicketFilter(search="xgl")) == 2
    entry = next(e for e in journal.entries(base, entity="ticket", reveal=True)
                 if e["entity_id"] == str(imported["id"]))
    assert entry["action"] == "create" and entry["after"]["applicant_phone"] == "13812345678"
    assert journal.verify(base).ok


def test_ticket_rows_are_refused_by_clean_ticket_with_its_messages(base, tmp_path):
    header = ["number", "item", "applicant_name", "applicant_phone", "village", "state"]
    rows = [["", "R99", "甲", "", "", ""], ["", "R11", "乙", "12345", "", ""],
            ["", "R11", "丙", "", "火星村", ""], ["", "R11", "丁", "", "", "done"],
            ["", "R11", "", "", "", ""]]
    path = write(tmp_path / "t.csv", header, rows)
    lines = io.run_import(base, "tickets", path).error_lines()
    assert [line.split(": ")[1] for line in lines] == [
        "item", "applicant_phone", "village", "state", "applicant_name"]
    with pytest.raises(ValidationError) as by_hand:
        tickets.open_ticket(base, item="R11", applicant_name="乙", applicant_phone="12345")
    assert lines[1].endswith(by_hand.value.detail())
    assert Ticket.select().count() == 0


def test_a_stored_ticket_is_edited_but_its_promise_and_steps_are_not(base, tmp_path):
    t = tickets.open_ticket(base, item="R11", applicant_name="许桂兰", village="V01",
                            applicant_id_number=C, received_at=D(2026, 11, 2),
                            materials="all")
    tickets.assign(base, t["number"], "王芳")
    tickets.advance(base, t["number"])
    out = tmp_path / "t.csv"
    io.write_export(base, "tickets", "csv", out, reveal=True)
    rows = read(out)
    assert rows[1][rows[0].index("state")] == "in_progress"
    assert io.run_import(base, "tickets", out).unchanged == 1  # steps repeated as stored
    masked = tmp_path / "masked.csv"
    io.write_export(base, "tickets", "csv", masked)  # ID number masked: stands for itself
    assert io.run_import(base, "tickets", masked).unchanged == 1
    rows[1][rows[0].index("applicant's phone")] = "13912345678"
    rows[1][rows[0].index("village")] = "V02"
    changed = write(tmp_path / "t2.csv", rows[0], rows[1:])
    result = io.run_import(base, "tickets", changed)
    assert (result.updated, result.error_lines()) == (1, [])
    row = Ticket.get_by_id(t["id"])
    assert (row.applicant_phone, row.village.code, row.version) == ("13912345678", "V02", 4)
    entry = list(journal.entries(base, entity="ticket", reveal=True))[-1]
    assert entry["action"] == "update" and entry["before"]["applicant_phone"] == ""
    assert entry["after"]["applicant_phone"] == "13912345678"
    for column, value in (("item", "R13"), ("received at", "2026-11-03"),
                          ("agent", "李四"), ("state", "done"), ("materials", "身份证")):
        bad = [r[:] for r in rows]
        bad[1][bad[0].index(column)] = value
        result = io.run_import(base, "tickets", write(tmp_path / "b.csv", bad[0], bad[1:]))
        assert not result.written, column
        assert result.error_lines()[0].startswith(f"{tmp_path / 'b.csv'}:2: {column}: "), column
    blank = [r[:] for r in rows]
    for column in ("item", "received at", "agent", "state", "materials"):
        blank[1][blank[0].index(column)] = ""  # not given: stays as it is
    assert io.run_import(base, "tickets", write(tmp_path / "c.csv", blank[0], blank[1:])
                         ).unchanged == 1
    assert journal.verify(base).ok


def test_edit_ticket_uses_the_same_validator(base):
    t = tickets.open_ticket(base, item="R11", applicant_name="许桂兰")
    row = tickets.edit_ticket(base, t["number"], applicant_phone="13812345678", version=1)
    assert row["version"] == 2 and Ticket.get_by_id(t["id"]).applicant_phone == "13812345678"
    with pytest.raises(ValidationError) as err:
        tickets.edit_ticket(base, t["number"], applicant_phone="12345")
    assert err.value.field == "applicant_phone"
    with pytest.raises(ValidationError) as err:
        tickets.edit_ticket(base, t["number"], item="R13")
    assert err.value.field == "item"
    with pytest.raises(ValidationError):
        tickets.edit_ticket(base, t["number"], applicant_name="")


def test_tickets_round_trip_into_another_office(base, other_office, tmp_path):
    header, good, _, _ = case("tickets")
    io.run_import(base, "tickets", write(tmp_path / "t.csv", header, good))
    first = tmp_path / "a.csv"
    io.write_export(base, "tickets", "csv", first, reveal=True)
    for kind in ("villages", "items"):  # the catalogue the tickets name, by the import too
        io.write_export(base, kind, "csv", tmp_path / f"{kind}.csv")
        assert io.run_import(other_office, kind, tmp_path / f"{kind}.csv").written
    result = io.run_import(other_office, "tickets", first)
    assert result.error_lines() == [] and result.added == 2
    second = tmp_path / "b.csv"
    io.write_export(other_office, "tickets", "csv", second, reveal=True)
    assert sorted(read(second)) == sorted(read(first))


# --- the small kinds ------------------------------------------------------------------------

def test_a_changed_survey_is_edited_through_edit_survey(base, tmp_path):
    header, good, _, _ = case("surveys")
    io.run_import(base, "surveys", write(tmp_path / "s.csv", header, good))
    good[0][2] = "70"
    result = io.run_import(base, "surveys", write(tmp_path / "s2.csv", header, good))
    assert (result.updated, result.unchanged) == (1, 1)
    row = surveys.list_surveys(base, surveys.SurveyFilter(village="V01"))[0]
    assert row["satisfied"] == 70
    assert surveys.get_survey(base, row["id"])["version"] == 2


def test_attendance_goes_through_record_attendance(base, tmp_path):
    header, good, _, _ = case("attendance")
    io.run_import(base, "attendance", write(tmp_path / "a.csv", header, good))
    # a sign-in sheet proves the session took place: held, by the use case's own step
    assert "hold" in [e["action"] for e in journal.entries(base, entity="training_session")]
    late = [["1", "许少伟", A, "late", ""]]
    result = io.run_import(base, "attendance", write(tmp_path / "b.csv", header, late))
    assert result.updated == 1
    assert Attendance.get(Attendance.state == "late").person.name == "许少伟"
    planned = training.add_session(base, title="明年的课", starts_at="2026-12-20 09:00",
                                   ends_at="2026-12-20 11:00", credit_hours=1)
    early = [[str(planned["id"]), "许少伟", "", "present", ""], ["99", "许少伟", "", "", ""],
             ["1", "张三", "", "", ""], ["1", "李红", B, "", ""]]
    lines = io.run_import(base, "attendance", write(tmp_path / "c.csv", header, early)
                          ).error_lines()
    assert len(lines) == 4
    assert ":3: session: " in lines[1] and ":4: name: " in lines[2]
    assert ":5: name: " in lines[3]  # the ID number is someone else's


def test_a_changed_period_is_removed_and_added_again(base, tmp_path):
    header, good, _, _ = case("unavailability")
    io.run_import(base, "unavailability", write(tmp_path / "u.csv", header, good))
    good[0][3] = "2026-12-08"
    result = io.run_import(base, "unavailability", write(tmp_path / "u2.csv", header, good))
    assert (result.updated, result.unchanged) == (1, 1)
    periods = roster.list_unavailability(base)
    assert [(p["person"], p["date_to"]) for p in periods] == [
        ("许少伟", D(2026, 12, 8)), ("王建国", D(2026, 12, 10))]
    actions = [e["action"] for e in journal.entries(base, entity="duty_unavailability")]
    assert actions[-2:] == ["delete", "create"]


def test_shifts_keep_the_rosters_checks(base, tmp_path):
    header, good, _, _ = case("shifts")
    io.run_import(base, "shifts", write(tmp_path / "s.csv", header, good))
    roster.add_unavailable(base, "李红", date_from="2026-12-02")
    rows = [["centre", "2026-12-02", "day", "李红", ""],  # unavailable that day
            ["V01", "2026-12-02", "morning", "许少伟", ""],  # fine
            ["centre", "2026-12-01", "day", "王建国", ""],  # on the station's morning then
            ["nowhere", "2026-12-01", "day", "王建国", ""]]
    result = io.run_import(base, "shifts", write(tmp_path / "s2.csv", header, rows))
    lines = result.error_lines()
    assert [line.split(":")[1] for line in lines] == ["2", "4", "5"]
    assert ":5: post: " in lines[2]
    assert Shift.get(Shift.name == "day").person.name == "许少伟"  # nothing written


# --- exports filtered like the lists ----------------------------------------------------------

def test_ticket_exports_take_the_lists_filters(base, tmp_path):
    tickets.open_ticket(base, item="R11", applicant_name="甲", village="V01",
                        received_at=D(2026, 10, 8))  # overdue by now
    tickets.open_ticket(base, item="R13", applicant_name="乙", village="V02",
                        received_at=D(2026, 11, 20))
    done = tickets.open_ticket(base, item="R13", applicant_name="丙", materials="all")
    tickets.advance(base, done["number"])
    tickets.advance(base, done["number"])

    def names(f: tickets.TicketFilter) -> list[str]:
        path = tmp_path / "t.csv"
        io.write_export(base, "tickets", "csv", path, filters=f)
        rows = read(path)
        return sorted(r[rows[0].index("applicant")] for r in rows[1:])

    assert names(tickets.TicketFilter()) == ["丙", "乙", "甲"]
    assert names(tickets.TicketFilter(village="V02")) == ["乙"]
    assert names(tickets.TicketFilter(state="done")) == ["丙"]
    assert names(tickets.TicketFilter(overdue=True)) == ["甲"]
    assert names(tickets.TicketFilter(received_from=D(2026, 11, 1))) == ["丙", "乙"]
    assert names(tickets.TicketFilter(state="open", received_to=D(2026, 11, 1))) == ["甲"]
    with pytest.raises(ValidationError):
        io.write_export(base, "villages", "csv", tmp_path / "v.csv",
                        filters=tickets.TicketFilter())
    with pytest.raises(ValidationError):
        io.write_export(base, "petitions", "csv", tmp_path / "v.csv",
                        filters=tickets.TicketFilter())
