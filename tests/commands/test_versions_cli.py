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
