"""Batch import: readers (formats, encodings, headers, dates), members and villages, the
error paths (nothing written), dry run, skip-invalid, idempotence."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from ledger import io, journal, members, villages
from ledger.io.readers import FileError, parse_date_text
from ledger.models import Election, JournalEntry, Person, Term, Village
from ledger.people import id_check_char


def idn(birth: str = "19800102", seq: str = "123") -> str:
    first17 = "139021" + birth + seq
    return first17 + id_check_char(first17)


A, B, C = idn(seq="123"), idn("19751130", "224"), idn("19900505", "331")
EN_HEADER = ["name", "ID number", "phone", "village", "post", "election date", "notes"]
ZH_HEADER = ["姓名", "身份证号", "电话", "所在村", "职务", "选举日期", "备注"]


def rows3() -> list[list[str]]:
    return [["许少伟", A, "07318888888", "V01", "branch_secretary", "2024/3/1", ""],
            ["王芳", B, "13912345678", "许庄村", "committee_member", "2024年3月1日", "=1+1"],
            ["李强", C, "", "v01", "deputy_director|branch_member", "2024-03-01", ""]]


def write_csv(path: Path, header: list[str], rows: list[list[str]], *,
              encoding: str = "utf-8", delimiter: str = ",") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def village(office):
    return villages.add_village(office, name="许庄村", code="V01")


def counts() -> tuple[int, int, int, int]:
    return (Person.select().count(), Term.select().count(), Election.select().count(),
            JournalEntry.select().count())


def test_dates_as_people_type_them():
    assert parse_date_text("2025/3/1") == "2025-03-01"
    assert parse_date_text("2025年3月1日") == "2025-03-01"
    assert parse_date_text("2025.03.01") == "2025-03-01"
    assert parse_date_text(" 2025-3-1 ") == "2025-03-01"
    assert parse_date_text("2025-02-30") == "2025-02-30"  # left for the validator to refuse
    assert parse_date_text("soon") == "soon"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_members_import_in_each_encoding_keeps_text_and_journals(office, village, tmp_path,
                                                                encoding):
    path = write_csv(tmp_path / "m.csv", ZH_HEADER, rows3(), encoding=encoding)
    before = JournalEntry.select().count()
    result = io.run_import(office, "members", path)
    assert result.error_lines() == []
    assert (result.added, result.updated, result.unchanged, result.written) == (3, 0, 0, True)
    person = Person.get(Person.id_number == A)
    assert person.phone == "07318888888"  # the leading zero kept
    assert person.gender == "male" and person.birth_date == dt.date(1980, 1, 2)
    assert person.name_initials == "xsw"
    assert Person.get(Person.id_number == B).notes == "=1+1"
    posts = sorted(t.post for t in Term.select().where(Term.person == Person.get(
        Person.id_number == C).id))
    assert posts == ["branch_member", "deputy_director"]
    term = Term.get(Term.person == person.id)
    assert term.started_on == dt.date(2024, 3, 1) and term.ends_on == dt.date(2029, 3, 1)
    assert Election.select().count() == 1
    # 3 people, 4 terms, 1 election, each journaled; the chain still verifies
    assert JournalEntry.select().count() - before == 8
    assert journal.verify(office).ok
    got = members.get_member(office, person.id)
    assert got["posts"] == ["branch_secretary"]


def test_english_headers_any_case_and_spacing_tsv(office, village, tmp_path):
    header = ["NAME", " id_number ", "Phone", "Village", "POST", "election_date", "Notes"]
    path = write_csv(tmp_path / "m.tsv", header, rows3(), delimiter="\t")
    result = io.run_import(office, "members", path)
    assert result.error_lines() == [] and result.added == 3


def test_sniffed_semicolons_and_map(office, village, tmp_path):
    header = ["Full name", "身份证号", "电话", "村", "职务", "选举日期", "备注"]
    path = write_csv(tmp_path / "m.csv", header, rows3(), delimiter=";")
    result = io.run_import(office, "members", path,
                           mapping={"full name": "name", "村": "village"})
    assert result.error_lines() == [] and result.added == 3


def test_xlsx_with_number_and_date_cells(office, village, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "first"
    other = book.create_sheet("名单")
    other.append(EN_HEADER)
    other.append(["许少伟", A, 13912345678, "V01", "branch_secretary",
                  dt.datetime(2024, 3, 1), None])
    path = tmp_path / "m.xlsx"
    book.save(path)
    result = io.run_import(office, "members", path, sheet="名单")
    assert result.error_lines() == [] and result.added == 1
    assert Person.get(Person.id_number == A).phone == "13912345678"
    assert Term.get().started_on == dt.date(2024, 3, 1)
    with pytest.raises(FileError) as err:
        io.run_import(office, "members", path, sheet="nope")
    assert "名单" in err.value.message()


def test_reimport_changes_nothing_and_a_changed_row_updates(office, village, tmp_path):
    path = write_csv(tmp_path / "m.csv", EN_HEADER, rows3())
    io.run_import(office, "members", path)
    stored = counts()
    again = io.run_import(office, "members", path)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
    assert counts() == stored
    changed = rows3()
    changed[1][2] = "13900000000"
    path2 = write_csv(tmp_path / "m2.csv", EN_HEADER, changed)
    result = io.run_import(office, "members", path2)
    assert (result.added, result.updated, result.unchanged) == (0, 1, 2)
    person = Person.get(Person.id_number == B)
    assert person.phone == "13900000000" and person.version == 2
    entry = JournalEntry.select().order_by(JournalEntry.id.desc()).first()
    assert entry.action == "update" and "13912345678" in entry.before
    assert journal.verify(office).ok
    inserted = io.run_import(office, "members", path2, mode="insert")
    assert inserted.error_count == 3 and not inserted.written


def test_dry_run_reports_and_writes_nothing(office, village, tmp_path):
    path = write_csv(tmp_path / "m.csv", EN_HEADER, rows3())
    stored = counts()
    result = io.run_import(office, "members", path, dry_run=True)
    assert (result.added, result.written) == (3, False)
    assert counts() == stored


def test_invalid_value_in_last_row_writes_nothing(office, village, tmp_path):
    rows = rows3()
    rows[2][1] = C[:-1] + ("0" if C[-1] != "0" else "1")  # a wrong checksum
    rows[1][2] = "12"  # and a bad phone
    path = write_csv(tmp_path / "m.csv", EN_HEADER, rows)
    stored = counts()
    result = io.run_import(office, "members", path)
    assert not result.written and result.error_count == 2
    lines = result.error_lines()
    assert lines[0].startswith(f"{path}:3: phone: ")
    assert lines[1].startswith(f"{path}:4: ID number: ")
    assert counts() == stored


def test_errors_in_chinese_name_the_file_line_and_column(office, village, tmp_path):
    from ledger import i18n

    rows = rows3()
    rows[0][3] = "无此村"
    path = write_csv(tmp_path / "m.csv", ZH_HEADER, rows)
    i18n.set_language("zh")
    result = io.run_import(office, "members", path)
    assert result.error_lines()[0].startswith(f"{path}:2: 所在村: ")
    assert "无此村" in result.error_lines()[0]


def test_duplicate_key_inside_the_file(office, village, tmp_path):
    rows = rows3()
    rows[2][1] = A
    path = write_csv(tmp_path / "m.csv", EN_HEADER, rows)
    result = io.run_import(office, "members", path)
    assert not result.written
    assert result.error_lines() == [f"{path}:4: ID number: the same as line 2"]
    assert Person.select().count() == 0


def test_errors_are_capped_with_a_count(office, village, tmp_path):
    rows = [["某人", A, "1", "V01", "", "", ""] for _ in range(60)]
    rows = [[r[0], idn(seq=f"{i:03d}"), *r[2:]] for i, r in enumerate(rows)]
    path = write_csv(tmp_path / "m.csv", EN_HEADER, rows)
    result = io.run_import(office, "members", path)
    assert result.error_count == 60
    lines = result.error_lines()
    assert len(lines) == io.importer.ERROR_CAP + 1 and "10 more" in lines[-1]


def test_skip_invalid_imports_the_good_rows_and_writes_the_bad(office, village, tmp_path):
    rows = rows3()
    rows[1][4] = "mayor"
    path = write_csv(tmp_path / "m.csv", EN_HEADER, rows)
    bad = tmp_path / "bad.csv"
    result = io.run_import(office, "members", path, skip_invalid=bad)
    assert result.written and (result.added, result.rejected) == (2, 1)
    assert Person.select().count() == 2
    with bad.open(encoding="utf-8-sig", newline="") as handle:
        got = list(csv.reader(handle))
    assert got[0] == [*EN_HEADER, "error"]
    assert got[1][:2] == ["王芳", B] and "mayor" in got[1][-1]
    assert got[1][6] == "'=1+1"  # a formula-looking cell neutralised there too


def test_sole_post_taken_inside_the_file_and_in_the_office(office, village, tmp_path):
    rows = rows3()
    rows[1][4] = "branch_secretary"
    path = write_csv(tmp_path / "m.csv", EN_HEADER, rows)
    result = io.run_import(office, "members", path)
    assert not result.written and result.error_count == 1
    assert result.error_lines()[0].startswith(f"{path}:3: ")
    assert "许少伟" in result.error_lines()[0]
    # and against the office's stored holder
    io.run_import(office, "members", write_csv(tmp_path / "one.csv", EN_HEADER, rows3()[:1]))
    other = [["赵六", B, "", "V01", "branch_secretary", "", ""]]
    result = io.run_import(office, "members", write_csv(tmp_path / "two.csv", EN_HEADER, other))
    assert result.error_count == 1 and "许少伟" in result.error_lines()[0]


@pytest.mark.parametrize("content,key", [
    (b"", "error.io.empty"),
    (b"name,ID number,village\n", "error.io.no_rows"),
])
def test_empty_and_header_only_files(office, tmp_path, content, key):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(FileError) as err:
        io.run_import(office, "members", path)
    assert err.value.key == key


def test_unknown_column_is_refused_naming_it(office, village, tmp_path):
    path = write_csv(tmp_path / "m.csv", [*EN_HEADER, "shoe size"], [[*rows3()[0], "42"]])
    with pytest.raises(FileError) as err:
        io.run_import(office, "members", path)
    assert "shoe size" in err.value.message() and f"{path}:1:" in err.value.message()
    assert Person.select().count() == 0


def test_ragged_row(office, village, tmp_path):
    rows = rows3()
    rows[1] = [*rows[1], "extra"]
    path = write_csv(tmp_path / "m.csv", EN_HEADER, rows)
    result = io.run_import(office, "members", path)
    assert not result.written and result.error_lines() == [
        f"{path}:3: the row has 8 cells, the header 7 columns"]


def test_bad_encoding(office, village, tmp_path):
    path = write_csv(tmp_path / "m.csv", ZH_HEADER, rows3(), encoding="gb18030")
    with pytest.raises(FileError) as err:
        io.run_import(office, "members", path, encoding="utf-8")
    assert err.value.key == "error.io.encoding_bad"
    with pytest.raises(FileError) as err:
        io.run_import(office, "members", path, encoding="klingon")
    assert err.value.key == "error.io.encoding_name"
    assert Person.select().count() == 0


def test_villages_import_upserts_by_name(office, tmp_path):
    path = write_csv(tmp_path / "v.csv", ["村名", "代码", "拆迁状态", "备注"],
                     [["许庄村", "v01", "urban_village", ""], ["东村", "V02", "", "x"]])
    result = io.run_import(office, "villages", path)
    assert (result.added, result.error_lines()) == (2, [])
    assert Village.get(Village.name == "许庄村").code == "V01"
    path = write_csv(tmp_path / "v2.csv", ["name", "code", "relocation status", "notes"],
                     [["许庄村", "V01", "not_affected", ""], ["东村", "V02", "", "x"],
                      ["西村", "V02", "", ""]])
    result = io.run_import(office, "villages", path)
    assert not result.written and len(result.error_lines()) == 1
    assert ":4:" in result.error_lines()[0]
    assert Village.get(Village.name == "许庄村").relocation_status == "urban_village"
