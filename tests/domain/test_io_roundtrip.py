"""Export -> import round trips for every kind (CSV and XLSX): the records come back
identical in a new office, and importing the export into the same office changes nothing.
Petitions in batch; the journal's chain from record_many."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest

from ledger import Office, io, items, journal, members, open_office, petitions, villages
from ledger.config import Settings
from ledger.models import JournalEntry, Petition, Petitioner, PetitionEvent
from ledger.people import id_check_char


def idn(seq: str, birth: str = "19800102") -> str:
    first17 = "139021" + birth + seq
    return first17 + id_check_char(first17)


def fill(office: Office) -> None:
    villages.add_village(office, name="许庄村", code="V01", relocation_status="urban_village")
    villages.add_village(office, name="东村", code="V02", notes="-2 households")
    items.add_item(office, name="老年证办理", category="民政", level="district",
                   time_limit_days=5, materials=["身份证", "照片"], fee="")
    items.add_item(office, name="+出生登记", category="户籍", level="city",
                   time_limit_days=0, materials=[], fee="10元", track="project", code="P01")
    members.add_member(office, name="许少伟", village="V01", post="branch_secretary",
                       id_number=idn("123"), phone="07318888888",
                       election_date=dt.date(2024, 3, 1), education="bachelor")
    members.add_post(office, members.list_members(office)[0]["id"],
                     post="committee_director", election_date=dt.date(2024, 3, 1))
    members.add_member(office, name="王芳", village="V02", post="committee_member",
                       id_number=idn("224", "19751130"), notes="=cmd|' /C calc'!A0")
    petitions.register(office, channel="visit", category=petitions.categories(office)[0],
                       summary="路灯不亮", received_on=dt.date(2026, 11, 2), village="V01",
                       petitioners=[{"name": "张三", "phone": "13912345678",
                                     "id_number": idn("331", "19900505"), "village": "V01"}])
    petitions.register(office, channel="letter", category=petitions.categories(office)[-1],
                       summary="征地补偿", received_on=dt.date(2026, 10, 9), collective=True,
                       group_size=12, demands="@补偿",
                       petitioners=[{"name": "李四", "phone": "0731-8888888"},
                                    {"name": "王五", "address": "东村3组"}])


@pytest.fixture
def other(tmp_path: Path, sqlite_template: Path, clock) -> Office:
    path = tmp_path / "other.db"
    shutil.copy(sqlite_template, path)
    office = open_office(f"sqlite:///{path}", operator="tester", clock=clock,
                         settings=Settings())
    yield office
    office.close()


def _export(office: Office, kind: str, path: Path, fmt: str) -> list[list[str]]:
    io.write_export(office, kind, fmt, path, reveal=True)
    return _rows(path)


def _rows(path: Path) -> list[list[str]]:
    if path.suffix == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True)
        return [[c if c is not None else "" for c in r]
                for r in book.worksheets[0].iter_rows(values_only=True)]
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_round_trip_every_kind(office, other, tmp_path, fmt):
    fill(office)
    for kind in ("villages", "items", "members", "petitions"):
        first = tmp_path / f"{kind}.{fmt}"
        rows = _export(office, kind, first, fmt)
        assert len(rows) > 2 and len(set(rows[0])) == len(rows[0])  # headers unique
        result = io.run_import(other, kind, first)
        assert result.error_lines() == [] and result.added == len(rows) - 1, kind
        again = _export(other, kind, tmp_path / f"{kind}-again.{fmt}", fmt)
        assert again == rows, kind
        same = io.run_import(office, kind, first)
        assert (same.added, same.updated, same.unchanged) == (0, 0, len(rows) - 1), kind
    assert journal.verify(other).ok and journal.verify(office).ok
    # formula-looking cells were neutralised in the file and read back as stored
    text = [c for r in _rows(tmp_path / f"members.{fmt}") for c in r]
    assert "'=cmd|' /C calc'!A0" in text
    assert members.get_member(other, 2)["notes"] == "=cmd|' /C calc'!A0"


def test_export_masks_personal_data_unless_revealed(office, tmp_path):
    fill(office)
    path = tmp_path / "p.csv"
    before = JournalEntry.select().count()
    io.write_export(office, "petitions", "csv", path)
    text = path.read_text(encoding="utf-8-sig")
    assert "13912345678" not in text and "139****5678" in text
    assert idn("331", "19900505") not in text
    assert JournalEntry.select().count() == before  # a masked export is no reveal
    io.write_export(office, "members", "json", tmp_path / "m.json", reveal=True)
    assert idn("123") in (tmp_path / "m.json").read_text(encoding="utf-8")
    entry = JournalEntry.select().order_by(JournalEntry.id.desc()).first()
    assert (entry.entity, entry.action) == ("member", "reveal")


def test_petitions_import_allocates_numbers_in_a_block(office, tmp_path):
    villages.add_village(office, name="许庄村", code="V01")
    category = petitions.categories(office)[0]
    path = tmp_path / "p.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["编号", "渠道", "收到日期", "类别", "涉及村", "内容摘要", "信访人",
                         "信访人电话"])
        writer.writerow(["", "来访", "2026/11/2", category, "V01", "路灯", "张三",
                         "13912345678"])
        writer.writerow(["XF-2026-0040", "letter", "2026年10月9日", category, "", "补偿",
                         "李四", ""])
        writer.writerow(["", "online", "2026-11-20", category, "许庄村", "噪音", "王五", ""])
    result = io.run_import(office, "petitions", path)
    assert result.error_lines() == [] and result.added == 3
    numbers = [p.number for p in Petition.select().order_by(Petition.id)]
    assert numbers == ["XF-2026-0041", "XF-2026-0040", "XF-2026-0042"]
    got = petitions.get_petition(office, Petition.get(Petition.number == "XF-2026-0041").id)
    assert got["channel"] == "visit" and got["state"] == "registered" and got["next_due"]
    assert Petitioner.select().count() == 3 and PetitionEvent.select().count() == 3
    assert Petitioner.get(Petitioner.name == "张三").name_initials == "zs"  # searchable
    assert journal.verify(office).ok
    # the next one registered by hand comes after the imported numbers
    later = petitions.register(office, channel="visit", category=category, summary="x",
                               petitioners=[{"name": "赵六"}])
    assert later["number"] == "XF-2026-0043"
    # a changed registration is refused, naming the number; nothing written
    rows = list(csv.reader(path.open(encoding="utf-8")))
    rows[2][5] = "别的"
    changed = tmp_path / "p2.csv"
    with changed.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    result = io.run_import(office, "petitions", changed)
    assert not result.written and "XF-2026-0040" in result.error_lines()[0]


def test_petition_rows_are_validated_by_clean_petition(office, tmp_path):
    path = tmp_path / "p.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["number", "channel", "received", "category", "summary", "petitioner"])
        writer.writerow(["", "fax", "2026-11-02", "x", "s", "张三"])
        writer.writerow(["", "visit", "2027-01-01", petitions.categories(office)[0], "s", ""])
    result = io.run_import(office, "petitions", path)
    lines = result.error_lines()
    assert lines[0].startswith(f"{path}:2: channel: ")
    assert lines[1].startswith(f"{path}:3: received: ")
    assert Petition.select().count() == 0


def test_petition_import_errors_name_the_column_of_the_field(office, tmp_path):
    """The petition's village and the first petitioner's have columns of their own; the
    other petitioners share one: each error names the column its value came from."""
    villages.add_village(office, name="许庄村", code="V01")
    category = petitions.categories(office)[0]
    path = tmp_path / "p.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["number", "channel", "received", "category", "village", "summary",
                         "petitioner", "petitioner village", "other petitioners"])
        writer.writerow(["", "visit", "2026-11-02", category, "V99", "s", "张三", "", ""])
        writer.writerow(["", "visit", "2026-11-02", category, "V01", "s", "张三", "V98", ""])
        writer.writerow(["", "visit", "2026-11-02", category, "V01", "s", "张三", "",
                         "李四,12345"])
        writer.writerow(["", "visit", "2026-11-02", category, "V01", "", "张三", "", ""])
    lines = io.run_import(office, "petitions", path).error_lines()
    assert lines[0].startswith(f"{path}:2: village: ") and "V99" in lines[0]
    assert lines[1].startswith(f"{path}:3: petitioner village: ") and "V98" in lines[1]
    assert lines[2].startswith(f"{path}:4: other petitioners: petitioner 2: ")
    assert lines[3].startswith(f"{path}:5: summary: ")
    assert Petition.select().count() == 0


def test_record_many_keeps_the_chain_exactly_as_record(office):
    journal.record(office, "x", 1, "create", after={"a": 1})
    with office.transaction():
        journal.record_many(office, [("x", 2, "create", None, {"b": dt.date(2026, 1, 1)}, ""),
                                     ("x", 2, "update", {"b": 1}, {"b": 2}, "n")])
    journal.record(office, "x", 3, "create")
    assert journal.verify(office).ok
    entries = list(journal.entries(office, entity="x"))
    assert [e["entity_id"] for e in entries] == ["1", "2", "2", "3"]
    assert entries[1]["after"] == {"b": "2026-01-01"} and entries[2]["note"] == "n"


def test_an_imported_petitions_handler_is_a_staff_member(office, tmp_path):
    from ledger import staff

    wang = staff.add_staff(office, name="王芳")
    category = petitions.categories(office)[0]
    path = tmp_path / "p.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["number", "channel", "received", "category", "summary",
                         "petitioner", "handler"])
        writer.writerow(["", "visit", "2026-11-02", category, "路灯", "张三", "王芳"])
        writer.writerow(["", "visit", "2026-11-02", category, "噪音", "李四", "赵刚"])
    result = io.run_import(office, "petitions", path)
    (line,) = result.error_lines()
    assert line.startswith(f"{path}:3: handler: ") and "赵刚" in line
    assert Petition.select().count() == 0  # all or nothing
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["number", "channel", "received", "category", "summary",
                         "petitioner", "handler"])
        writer.writerow(["", "visit", "2026-11-02", category, "路灯", "张三", "王芳"])
    assert io.run_import(office, "petitions", path).added == 1
    (row,) = Petition.select()
    assert (row.handler, row.handler_id) == ("王芳", wang["id"])
    (entry,) = journal.entries(office, entity="petition", entity_id=row.id)
    assert entry["after"]["handler_id"] == wang["id"]
    assert journal.verify(office).ok
