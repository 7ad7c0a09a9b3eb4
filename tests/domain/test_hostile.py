"""Hostile values (``tests/hostile.py``) through the domain: add, edit, lookups, search,
import (CSV and XLSX), export (CSV, XLSX, JSON) and the reminders' digest. Each is stored and
given back exactly as typed, or refused with a ``ValidationError`` naming the field (a NUL, a
value too long), never a driver's error; searches match ``%``, ``_``, ``\\`` and quotes
literally; a malformed file is one ``FileError`` naming the file and its real line."""

from __future__ import annotations

import csv
import io as stdio
import json
from pathlib import Path
from typing import Any

import pytest
from hostile import HOSTILE, LONG, MALFORMED_UTF8, refused

from ledger import (
    decisions,
    io,
    items,
    journal,
    lookups,
    members,
    petitions,
    roster,
    staff,
    tickets,
    training,
    villages,
)
from ledger.errors import LedgerError, ValidationError
from ledger.i18n import field_label
from ledger.io.readers import FileError, read_table
from ledger.remind.digest import one_line
from ledger.remind.run import remind


@pytest.fixture
def base(office):
    villages.add_village(office, name="许庄村", code="V01")
    items.add_item(office, code="R13", name="城乡低保", category="社会救助", level="district",
                   time_limit_days=15, materials="身份证|户口簿")
    staff.add_staff(office, name="王芳")
    return office


def expect_stored_or_refused(call: Any, value: str, max_length: int, field: str,
                             read: Any) -> None:
    """``call()`` stores ``value`` (``read(result)`` gives it back exactly) or, when the field
    refuses it, raises a ``ValidationError`` on ``field``."""
    key = refused(value, max_length)
    if key is None:
        assert read(call()) == value.strip()
        return
    with pytest.raises(ValidationError) as err:
        call()
    assert (err.value.field, err.value.key) == (field, key)
    assert err.value.message().startswith(field_label(err.value.label) + ": ")


def test_each_record_stores_a_hostile_name_or_refuses_it_on_the_field(base):
    for index, (_, value) in enumerate(HOSTILE):
        store_in_each_record(base, value, f"H{index}")
    assert journal.verify(base).ok


def store_in_each_record(office: Any, value: str, code: str) -> None:
    expect_stored_or_refused(lambda: villages.add_village(office, name=value, code=code),
                             value, 60, "name", lambda r: villages.get_village(office, r["id"])
                             ["name"])
    expect_stored_or_refused(
        lambda: members.add_member(office, name=value, village="V01", post="committee_member"),
        value, 60, "name", lambda r: members.get_member(office, r["id"])["name"])
    expect_stored_or_refused(lambda: staff.add_staff(office, name=value, post=value[:40]),
                             value, 60, "name", lambda r: staff.get_staff(office, r["id"])
                             ["name"])
    expect_stored_or_refused(
        lambda: tickets.open_ticket(office, item="R13", applicant_name=value, village="V01",
                                    materials="all", notes=value[:2000]),
        value, 60, "applicant_name",
        lambda r: tickets.get_ticket(office, r["number"])["applicant_name"])
    expect_stored_or_refused(
        lambda: petitions.register(office, channel="visit",
                                   category=petitions.categories(office)[0], summary=value,
                                   petitioners=[{"name": "张三"}]),
        value, 2000, "summary", lambda r: petitions.get_petition(office, r["id"])["summary"])
    expect_stored_or_refused(
        lambda: training.add_session(office, title=value, starts_at="2026-12-01 09:00",
                                     ends_at="2026-12-01 10:00", credit_hours=1),
        value, 100, "title", lambda r: training.get_session(office, r["id"])["title"])


def test_an_edit_stores_a_hostile_value_or_refuses_it_and_changes_nothing(base):
    for label, value in HOSTILE:
        before = villages.get_village(base, "V01")
        key = refused(value, 2000)
        if key is None:
            assert villages.edit_village(base, "V01", notes=value)["notes"] == value.strip()
            assert villages.get_village(base, "V01")["notes"] == value.strip(), label
            continue
        entries = len(list(journal.entries(base)))
        with pytest.raises(ValidationError) as err:
            villages.edit_village(base, "V01", notes=value)
        assert (err.value.field, err.value.key) == ("notes", key), label
        assert villages.get_village(base, "V01") == before
        assert len(list(journal.entries(base))) == entries


def test_a_hostile_reference_is_not_found_never_a_driver_error(base):
    for _, value in HOSTILE:
        for lookup in (lookups.village_ref, lookups.item_ref, lookups.staff_ref):
            with pytest.raises(ValidationError):
                lookup(value, "village", required=True)
        for get in (villages.get_village, items.get_item, members.get_member,
                    staff.get_staff, tickets.get_ticket, petitions.get_petition,
                    training.get_session, roster.get_post, decisions.get_decision):
            with pytest.raises(LedgerError):
                get(base, value)


# --- search ---------------------------------------------------------------------------------

SEARCHED = ["100%", "王_五", "a\\b", "' OR 1=1 --", '"引号"', "许少伟", "abc"]


@pytest.mark.parametrize("term", ["%", "_", "\\", "'", '"', "' OR 1=1 --", "1=1"])
def test_searches_match_wildcards_and_quotes_literally(base, term):
    office = base
    for i, name in enumerate(SEARCHED):
        members.add_member(office, name=name, village="V01", post="committee_member")
        staff.add_staff(office, name=f"{name}{i}")
        tickets.open_ticket(office, item="R13", applicant_name=name, materials="all")
        training.add_session(office, title=name, starts_at="2026-12-01 09:00",
                             ends_at="2026-12-01 10:00", credit_hours=1)
        items.add_item(office, name=f"事项{name}", category="c", level="district",
                       time_limit_days=1)
    expected = sorted(n for n in SEARCHED if term in n)
    assert expected  # every term is in some name, and not in all of them
    found = {
        "members": [r["name"] for r in members.list_members(
            office, members.MemberFilter(search=term))],
        "staff": [r["name"][:-1] for r in staff.list_staff(office, staff.StaffFilter(
            search=term)) if r["name"] != "王芳"],
        "tickets": [r["applicant_name"] for r in tickets.list_tickets(
            office, tickets.TicketFilter(search=term))],
        "training": [r["title"] for r in training.list_sessions(
            office, training.TrainingFilter(search=term))],
        "items": [r["name"][2:] for r in items.list_items(office, items.ItemFilter(
            search=term))],
    }
    for area, names in found.items():
        assert sorted(names) == expected, area


def test_a_hostile_search_is_a_condition_or_refused_on_the_search_field(base):
    for _, value in HOSTILE:
        search_everywhere(base, value)


def search_everywhere(base: Any, value: str) -> None:
    searches = [(members.list_members, members.MemberFilter),
                (staff.list_staff, staff.StaffFilter), (items.list_items, items.ItemFilter),
                (tickets.list_tickets, tickets.TicketFilter),
                (petitions.list_petitions, petitions.PetitionFilter),
                (decisions.list_decisions, decisions.DecisionFilter),
                (training.list_sessions, training.TrainingFilter)]
    for search, filter_class in searches:
        if "\x00" in value:
            with pytest.raises(ValidationError) as err:
                search(base, filter_class(search=value))
            assert (err.value.field, err.value.key) == ("search", "error.nul")
        else:
            assert search(base, filter_class(search=value)) == []


# --- import and export ----------------------------------------------------------------------

def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["name", "code", "notes"], *rows])
    return path


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    import openpyxl

    from ledger.io.export import xlsx_row

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("villages")
    for row in [["name", "code", "notes"], *rows]:
        sheet.append(xlsx_row(row))
    book.save(path)
    return path


def storable(value: str) -> bool:
    return refused(value, 60) is None


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_hostile_values_import_export_and_import_back_unchanged(office, tmp_path, fmt):
    good = [[value, f"H{i}", value] for i, (_, value) in enumerate(HOSTILE)
            if storable(value) and not value.startswith(("=", "+", "-", "@"))]
    writer = write_csv if fmt == "csv" else write_xlsx
    result = io.run_import(office, "villages", writer(tmp_path / f"in.{fmt}", good))
    assert result.error_lines() == [] and result.added == len(good)
    stored = {v["code"]: v for v in villages.list_villages(office)}
    for name, code, notes in good:
        assert (stored[code]["name"], stored[code]["notes"]) == (name.strip(), notes.strip())
    for out_fmt in ("csv", "xlsx"):
        out = tmp_path / f"out.{out_fmt}"
        assert io.write_export(office, "villages", out_fmt, out) == len(good)
        again = io.run_import(office, "villages", out)
        assert again.error_lines() == [] and again.unchanged == len(good), out_fmt
    text = stdio.StringIO()
    io.write_export(office, "villages", "json", text)
    by_code = {v["code"]: v for v in json.loads(text.getvalue())}
    assert {c: v["name"] for c, v in by_code.items()} == {r[1]: r[0].strip() for r in good}


def test_refused_values_in_a_file_are_refused_naming_the_column_and_nothing_is_written(
        office, tmp_path):
    rows = [["许庄村", "V01", ""], ["a\x00b", "V02", ""], ["东王村", "V03", LONG]]
    path = write_csv(tmp_path / "in.csv", rows)
    result = io.run_import(office, "villages", path)
    assert not result.written and villages.list_villages(office) == []
    assert result.error_lines() == [
        f"{path}:3: name: holds a NUL character (a damaged file, or one in another encoding?)",
        f"{path}:4: notes: is too long (at most 2000 characters)"]
    # A NUL in the key column of a kind whose key is looked up (members: the ID number).
    people = tmp_path / "people.csv"
    people.write_text("name,id_number,village,post\n许少伟,1\x002,V01,committee_member\n",
                      encoding="utf-8")
    result = io.run_import(office, "members", people)
    assert result.error_lines() == [f"{people}:2: id_number: holds a NUL character "
                                    "(a damaged file, or one in another encoding?)"]


@pytest.mark.parametrize("label", [label for label, _ in MALFORMED_UTF8])
def test_a_malformed_file_is_one_file_error(office, tmp_path, label):
    path = tmp_path / "bad.csv"
    path.write_bytes(dict(MALFORMED_UTF8)[label])
    with pytest.raises(FileError) as err:
        io.run_import(office, "villages", path)
    assert "\n" not in err.value.message()
    assert villages.list_villages(office) == []


def test_a_bad_line_past_the_sample_is_named_by_its_own_number(tmp_path):
    """The text reader decodes ahead of the csv reader: the error names the line itself."""
    path = tmp_path / "late.csv"
    path.write_bytes(b"name,code\n" + b"".join(b"v%d,C%d\n" % (i, i) for i in range(9000))
                     + b"\xff\xfe,bad\n")
    with pytest.raises(FileError) as err:
        list(read_table(path))
    assert err.value.message().startswith(f"{path}:9002: ")


def test_workbooks_hold_names_with_control_characters(base, tmp_path):
    """The roster's week grid and the assessment's workbook: openpyxl refuses an ESC in a
    cell; they write OOXML's escape instead, which the import reads back."""
    import openpyxl

    name = "\x1b[31m站\x1b[0m"
    roster.add_post(base, code="P1", name=name, kind="centre", shifts="day=08:30-17:30")
    data, weeks = roster.xlsx_bytes(base, "2026-12-01", "2026-12-06")
    assert weeks == 1
    sheet = openpyxl.load_workbook(stdio.BytesIO(data)).worksheets[0]
    assert "_x001B_[31m站_x001B_[0m" in [c.value for c in sheet["A"]]
    from ledger import assessment
    from ledger.assessment.export import write_xlsx

    villages.add_village(base, name="\x1b]0;pwn\x07村", code="V02")
    assessment.create_scheme(base, 2025)
    path = write_xlsx(assessment.report(base, year=2025), tmp_path / "a.xlsx")
    ranking = openpyxl.load_workbook(path).worksheets[0]
    assert "_x001B_]0;pwn_x0007_村" in [c.value for c in ranking["C"]]


# --- reminders ------------------------------------------------------------------------------

def test_the_digest_holds_each_value_as_stored(base):
    base.settings = base.settings.with_overrides({"remind.supervisor": "王芳"}, "test")
    shown = []
    for index, (_, value) in enumerate(HOSTILE):
        if not storable(value):
            continue
        agent = f"{value[:50]}干事{index}"
        staff.add_staff(base, name=agent)
        tickets.open_ticket(base, item="R13", applicant_name=value, village="V01",
                            materials="all", received_at="2026-10-01", agent=agent)
        shown.append(agent.strip())
    report = remind(base, dry_run=True, stdout=lambda text: None)
    texts = "\n".join(d.get("text", "") for r in report["recipients"]
                      for d in r["deliveries"])
    names = [r["name"] for r in report["recipients"]]
    assert sorted(n for n in names if n != "王芳") == sorted(shown)
    for agent in shown:
        assert one_line(agent) in texts
    # A name holding a line break stays on its line: a heading and one line per item.
    for person in report["recipients"]:
        for delivery in person["deliveries"]:
            assert len(delivery["text"].split("\n")) == 1 + delivery["items"], person["name"]
    json.dumps(report, default=str)  # plain data for --json
