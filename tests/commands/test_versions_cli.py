"""``--version N`` on the edit commands: a stale edit exits 1 with one line naming what
changed, and nothing is written."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def url(jiedao, db_url: str) -> str:
    assert jiedao("--db", db_url, "villages", "add", "--name", "许庄村", "--code", "V01").code == 0
    added = jiedao("--db", db_url, "members", "add", "--name", "许少伟", "--village", "V01",
                   "--post", "branch_secretary", "--json")
    assert added.code == 0, added.err
    assert jiedao("--db", db_url, "items", "add", "--name", "低保申请", "--category", "救助",
                  "--level", "district", "--limit", "5", "--code", "R01").code == 0
    for name in ("王五", "李"):  # an agent, a handler
        assert jiedao("--db", db_url, "staff", "add", "--name", name).code == 0
    return db_url


def _version(jiedao, url: str, *args: str) -> int:
    shown = jiedao("--db", url, *args, "--json")
    assert shown.code == 0, shown.err
    return json.loads(shown.out)["version"]


def test_show_json_prints_the_version_and_an_edit_with_it_passes(jiedao, url):
    assert _version(jiedao, url, "members", "show", "1") == 1
    ok = jiedao("--db", url, "members", "edit", "1", "--notes", "a", "--version", "1", "--json")
    assert ok.code == 0, ok.err
    assert json.loads(ok.out)["version"] == 2
    assert _version(jiedao, url, "villages", "show", "V01") == 1
    assert jiedao("--db", url, "villages", "edit", "V01", "--notes", "b",
                  "--version", "1").code == 0
    assert _version(jiedao, url, "villages", "show", "V01") == 2


def test_a_stale_member_edit_exits_1_naming_the_field(jiedao, url):
    assert jiedao("--db", url, "members", "edit", "1", "--name", "许少华").code == 0
    stale = jiedao("--db", url, "members", "edit", "1", "--name", "许绍伟", "--version", "1")
    assert stale.code == 1
    assert stale.out == ""
    lines = stale.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stale.err
    assert "version 1" in lines[0] and "version 2" in lines[0]
    assert "name is now “许少华” (yours: “许绍伟”)" in lines[0]
    shown = json.loads(jiedao("--db", url, "members", "show", "1", "--json").out)
    assert shown["name"] == "许少华" and shown["version"] == 2


def test_stale_village_and_item_edits_and_retire_exit_1(jiedao, url):
    assert jiedao("--db", url, "villages", "edit", "V01", "--notes", "x").code == 0
    stale = jiedao("--db", url, "villages", "edit", "V01", "--notes", "y", "--version", "1")
    assert stale.code == 1 and "notes is now “x” (yours: “y”)" in stale.err
    assert jiedao("--db", url, "items", "edit", "R01", "--fee", "10").code == 0
    stale = jiedao("--db", url, "items", "edit", "R01", "--fee", "20", "--version", "1")
    assert stale.code == 1 and "“10” (yours: “20”)" in stale.err
    retire = jiedao("--db", url, "items", "retire", "R01", "--version", "1")
    assert retire.code == 1 and "version 2" in retire.err
    assert json.loads(jiedao("--db", url, "items", "show", "R01", "--json").out)["active"]


def test_a_bad_version_is_one_line_naming_the_option(jiedao, url):
    zero = jiedao("--db", url, "members", "edit", "1", "--notes", "a", "--version", "0")
    assert zero.code == 1 and "version" in zero.err and len(zero.err.strip().splitlines()) == 1
    word = jiedao("--db", url, "members", "edit", "1", "--notes", "a", "--version", "x")
    assert word.code == 2


def test_a_stale_step_exits_1_and_a_current_one_passes(jiedao, url):
    """Every step command takes --version: a ticket or petition changed since the clerk
    looked is refused in one line, nothing written; with the current version it goes."""
    opened = jiedao("--db", url, "tickets", "open", "--item", "R01", "--name", "李四", "--json")
    assert opened.code == 0, opened.err
    number = json.loads(opened.out)["number"]
    assert jiedao("--db", url, "tickets", "assign", number, "王五", "--version", "1").code == 0
    for args in (("advance", number), ("materials", number, "1"), ("withdraw", number)):
        stale = jiedao("--db", url, "tickets", *args, "--version", "1")
        assert stale.code == 1, args
        assert stale.out == "" and len(stale.err.strip().splitlines()) == 1
        assert "version 1" in stale.err and "version 2" in stale.err
    shown = json.loads(jiedao("--db", url, "tickets", "show", number, "--json").out)
    assert shown["state"] == "received" and shown["version"] == 2
    assert jiedao("--db", url, "tickets", "advance", number, "--version", "2").code == 0

    registered = jiedao("--db", url, "petitions", "register", "--channel", "visit",
                        "--category", "land_demolition", "--summary", "占地",
                        "--petitioner", "赵六", "--json")
    assert registered.code == 0, registered.err
    ref = json.loads(registered.out)["number"]
    assert jiedao("--db", url, "petitions", "accept", ref, "--version", "1").code == 0
    stale = jiedao("--db", url, "petitions", "assign", ref, "--handler", "李", "--version", "1")
    assert stale.code == 1 and "version 1" in stale.err and "version 2" in stale.err
    assert _version(jiedao, url, "petitions", "show", ref) == 2
    assert jiedao("--db", url, "petitions", "assign", ref, "--handler", "李",
                  "--version", "2").code == 0
    bad = jiedao("--db", url, "petitions", "close", ref, "--version", "0")
    assert bad.code == 1 and "version" in bad.err and len(bad.err.strip().splitlines()) == 1
