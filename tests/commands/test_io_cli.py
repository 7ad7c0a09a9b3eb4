"""``jiedao import`` / ``jiedao export`` on the command line: exit codes, one-line errors,
the summary, round trips through files, masking and formula neutralisation."""

from __future__ import annotations

import csv
import json

import pytest

from ledger.people import id_check_char


def idn(seq: str) -> str:
    first17 = "13902119800102" + seq
    return first17 + id_check_char(first17)


@pytest.fixture
def office_db(jiedao, db_url):
    assert jiedao("--db", db_url, "villages", "add", "--name", "许庄村", "--code", "V01").code == 0
    return db_url


def _csv(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_import_prints_the_summary_and_exit_0(jiedao, office_db, tmp_path):
    path = _csv(tmp_path / "m.csv", [["姓名", "身份证号", "电话", "村", "职务"],
                                     ["许少伟", idn("123"), "07318888888", "V01",
                                      "branch_secretary"]])
    res = jiedao("--db", office_db, "import", "members", str(path), "--map", "村=village")
    assert res.code == 0, res.err
    assert "added 1, updated 0, unchanged 0, rejected 0" in res.err
    res = jiedao("--db", office_db, "import", "members", str(path), "--map", "村=village",
                 "--json")
    assert json.loads(res.out)["unchanged"] == 1


def test_import_errors_exit_1_with_file_line_column(jiedao, office_db, tmp_path):
    path = _csv(tmp_path / "m.csv", [["name", "ID number", "village"],
                                     ["许少伟", "123", "V01"]])
    res = jiedao("--db", office_db, "import", "members", str(path))
    assert res.code == 1
    assert f"{path}:2: ID number: " in res.err and "nothing written" in res.err
    assert "Traceback" not in res.err


def test_import_file_errors_are_one_line(jiedao, office_db, tmp_path):
    path = tmp_path / "e.csv"
    path.write_bytes(b"")
    res = jiedao("--db", office_db, "import", "members", str(path))
    assert res.code == 1 and "empty" in res.err and len(res.err.strip().splitlines()) == 1
    res = jiedao("--db", office_db, "import", "members", str(tmp_path / "missing.csv"))
    assert res.code == 1 and "no such file" in res.err


def test_export_masks_unless_revealed_and_neutralises(jiedao, office_db, tmp_path):
    res = jiedao("--db", office_db, "members", "add", "--name", "王芳", "--village", "V01",
                 "--post", "committee_member", "--id-number", idn("224"), "--phone",
                 "13912345678", "--notes", "=HYPERLINK(1)")
    assert res.code == 0, res.err
    res = jiedao("--db", office_db, "export", "members")
    assert res.code == 0
    assert idn("224") not in res.out and "139****5678" in res.out
    assert "'=HYPERLINK(1)" in res.out
    out = tmp_path / "m.csv"
    res = jiedao("--db", office_db, "export", "members", "--reveal", "--out", str(out))
    assert res.code == 0 and "1 records exported" in res.err
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and idn("224").encode() in raw
    res = jiedao("--db", office_db, "audit", "log", "--json")
    assert any(e["action"] == "reveal" and e["entity"] == "member"
               for e in json.loads(res.out))
    gb = tmp_path / "gb.csv"
    res = jiedao("--db", office_db, "export", "members", "--encoding", "gb18030",
                 "--out", str(gb))
    assert "王芳" in gb.read_bytes().decode("gb18030")
    # the revealed export imports back: nothing changes
    res = jiedao("--db", office_db, "import", "members", str(out))
    assert res.code == 0 and "unchanged 1" in res.err, res.err


def test_export_xlsx_needs_out(jiedao, office_db):
    res = jiedao("--db", office_db, "export", "villages", "--format", "xlsx")
    assert res.code == 2


def test_the_command_line_knows_every_kind_the_ledger_knows():
    from commands.io import KIND_NAMES
    from ledger import io

    assert sorted(KIND_NAMES) == io.kind_names()


def test_tickets_import_and_filtered_export(jiedao, office_db, tmp_path):
    add = jiedao("--db", office_db, "items", "add", "--code", "R11", "--name", "老年证",
                 "--category", "民政", "--level", "district", "--limit", "5")
    assert add.code == 0, add.err
    path = _csv(tmp_path / "t.csv", [
        ["编号", "代办事项", "申请人", "申请人电话", "所在村", "受理日期"],
        ["", "R11", "许桂兰", "13812345678", "V01", "2026/10/8"],
        ["", "R11", "王芳", "", "", "2026-11-26"]])
    res = jiedao("--db", office_db, "import", "tickets", str(path), "--map", "所在村=village")
    assert res.code == 0, res.err
    assert "added 2, updated 0, unchanged 0, rejected 0" in res.err
    res = jiedao("--db", office_db, "export", "tickets", "--overdue", "--format", "json")
    assert res.code == 0, res.err
    rows = json.loads(res.out)
    assert [r["applicant_name"] for r in rows] == ["许桂兰"]
    assert rows[0]["applicant_phone"] == "138****5678" and rows[0]["state"] == "received"
    res = jiedao("--db", office_db, "export", "tickets", "--village", "V01", "--state", "open",
                 "--from", "2026-10-01", "--to", "2026-10-31", "--format", "json")
    assert [r["number"] for r in json.loads(res.out)] == ["DB-2026-0001"]
    res = jiedao("--db", office_db, "export", "tickets", "--state", "done", "--format", "json")
    assert json.loads(res.out) == []
    out = tmp_path / "all.csv"
    res = jiedao("--db", office_db, "export", "tickets", "--reveal", "--out", str(out))
    assert res.code == 0 and "2 records exported" in res.err
    res = jiedao("--db", office_db, "import", "tickets", str(out), "--dry-run")
    assert res.code == 0 and "leave 2 unchanged" in res.err, res.err


def test_export_filters_belong_to_their_kind(jiedao, office_db):
    res = jiedao("--db", office_db, "export", "villages", "--state", "open")
    assert res.code == 2 and "--state" in res.err
    res = jiedao("--db", office_db, "export", "petitions", "--state", "nonsense")
    assert res.code == 2
    res = jiedao("--db", office_db, "export", "surveys", "--village", "V01", "--year", "2026")
    assert res.code == 0, res.err
    res = jiedao("--db", office_db, "export", "nonsense")
    assert res.code == 2


def test_members_and_items_exports_are_their_lists(jiedao, office_db):
    assert jiedao("--db", office_db, "villages", "add", "--name", "东王村", "--code",
                  "V02").code == 0
    for name, village, seq in (("许少伟", "V01", "123"), ("王芳", "V02", "224")):
        res = jiedao("--db", office_db, "members", "add", "--name", name, "--village", village,
                     "--post", "committee_member", "--id-number", idn(seq))
        assert res.code == 0, res.err
    res = jiedao("--db", office_db, "export", "members", "--village", "V02", "--format", "json")
    assert [m["name"] for m in json.loads(res.out)] == ["王芳"]
    for code in ("R01", "R02"):
        res = jiedao("--db", office_db, "items", "add", "--code", code, "--name", code,
                     "--category", "民政", "--level", "district", "--limit", "1")
        assert res.code == 0, res.err
    assert jiedao("--db", office_db, "items", "retire", "R02").code == 0
    res = jiedao("--db", office_db, "export", "items", "--format", "json")
    assert [i["code"] for i in json.loads(res.out)] == ["R01"]  # as items list shows them
    res = jiedao("--db", office_db, "export", "items", "--all", "--format", "json")
    assert sorted(i["code"] for i in json.loads(res.out)) == ["R01", "R02"]


def test_an_export_read_on_a_terminal_shows_escapes_and_keeps_line_ends():
    """Stored text is data: on a terminal an escape in a name is shown, not obeyed; written
    to a pipe or a file the export is the stored text itself."""
    import io as stdio

    from commands.io import ShownOnTerminal

    screen = stdio.StringIO()
    shown = ShownOnTerminal(screen)
    shown.write('id,name\r\n1,"a\x1b[2Jb\u202e"\r\n')
    assert screen.getvalue() == 'id,name\r\n1,"a\\x1b[2Jb\\u202e"\r\n'
