"""Every user-caused error: the right exit code, one line on stderr naming the problem, no
traceback, and nothing stored changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from rawdb import run_sql, snapshot

from ledger.people import id_check_char

TABLES = ("village", "person", "election", "term", "journal")


def _id(birth: str = "19800102", seq: str = "123") -> str:
    first17 = "139021" + birth + seq
    return first17 + id_check_char(first17)


def _wrong_checksum(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


WRONG_ID = _wrong_checksum(_id())


def _snapshot(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the members' tables and the journal, to prove nothing changed."""
    return snapshot(url, TABLES)


@pytest.fixture
def url(jiedao, db_url: str) -> str:
    assert jiedao("--db", db_url, "villages", "add", "--name", "许庄村", "--code", "V01").code == 0
    assert jiedao("--db", db_url, "members", "add", "--name", "许少伟", "--village", "V01",
                  "--post", "branch_secretary", "--id-number", _id()).code == 0
    return db_url


def _one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


ADD = ("members", "add", "--village", "V01", "--post", "committee_member")


@pytest.mark.parametrize(("args", "code", "words"), [
    pytest.param((*ADD, "--name", "张三", "--id-number", WRONG_ID), 1,
                 ("ID number", "check digit"), id="wrong-id-checksum"),
    pytest.param(("members", "add", "--village", "V99", "--post", "committee_member",
                  "--name", "张三"), 1, ("village", "V99"), id="unknown-village"),
    pytest.param((*ADD, "--name", "许少伟", "--id-number", _id()), 1,
                 ("already recorded", "许少伟"), id="duplicate-member"),
    pytest.param((*ADD, "--name", "张三", "--election-date", "2015-02-30"), 2,
                 ("--election-date", "2015-02-30"), id="malformed-date"),
    pytest.param(ADD, 2, ("--name",), id="missing-required-field"),
    pytest.param((*ADD, "--name", "张三", "--phone", "12345"), 1, ("phone", "12345"),
                 id="bad-phone"),
    pytest.param((*ADD, "--name", "张三", "--education", "phd"), 2, ("--education", "phd"),
                 id="unknown-education-code"),
    pytest.param(("members", "end-term", "99"), 1, ("member", "99"), id="unknown-member"),
    pytest.param(("members", "list", "--village", "V99"), 1, ("village", "V99"),
                 id="list-unknown-village"),
    pytest.param(("villages", "add", "--name", "许庄村", "--code", "V02"), 1,
                 ("许庄村", "exists"), id="duplicate-village"),
])
def test_refused_and_bad_usage(jiedao, url: str, args, code, words):
    before = _snapshot(url)
    result = jiedao("--db", url, *args)
    assert result.code == code, result.err
    line = _one_line(result.err)
    for word in words:
        assert word in line, line
    assert result.out == ""
    assert _snapshot(url) == before


def test_errors_speak_chinese_too(jiedao, url: str):
    result = jiedao("--db", url, "--lang", "zh", *ADD, "--name", "张三", "--id-number", WRONG_ID)
    assert result.code == 1
    assert "身份证号" in _one_line(result.err)


@pytest.mark.sqlite_only("about SQLite file paths: a missing folder or file, a directory")
def test_an_unreadable_database_path(jiedao, tmp_path: Path):
    missing = jiedao("--db", f"sqlite:///{tmp_path / 'nowhere' / 'x.db'}", "members", "list")
    assert missing.code == 1
    assert "x.db" in _one_line(missing.err)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database, just some bytes" * 100)
    before = garbage.read_bytes()
    broken = jiedao("--db", f"sqlite:///{garbage}", "members", "list")
    assert broken.code == 1
    assert "garbage.db" in _one_line(broken.err)
    assert garbage.read_bytes() == before


def test_a_database_from_a_newer_version(jiedao, url: str):
    run_sql(url, "INSERT INTO schema_migration (name, applied) "
                 "VALUES ('9999_future', '2030-01-01 00:00:00')")
    before = _snapshot(url)
    for args in (("members", "list"),
                 (*ADD, "--name", "张三"),
                 ("members", "report", "--json")):
        result = jiedao("--db", url, *args)
        assert result.code == 1
        line = _one_line(result.err)
        assert "9999" in line and "newer" in line
        assert result.out == ""
    assert _snapshot(url) == before


@pytest.mark.parametrize("area", ["villages", "members", "items", "calendar", "tickets",
                                  "petitions", "audit", "db", "config"])
def test_every_area_answers_a_usage_error_in_one_line(jiedao, db_url: str, area: str):
    result = jiedao("--db", db_url, area, "frobnicate")
    assert result.code == 2
    assert "frobnicate" in _one_line(result.err)
    assert "Usage:" not in result.err
