"""Roles on the command line: ``init`` makes the operator the first supervisor (``--no-roles``
leaves setup mode), a refusal is one line and exit 1, and staff commands set roles."""

from __future__ import annotations

import json

from ledger import journal, open_office


def _one_line(err: str) -> str:
    lines = [x for x in err.splitlines() if x.strip()]
    assert len(lines) == 1, err
    return lines[0]


def test_init_makes_the_operator_the_first_supervisor(jiedao, new_db_url: str):
    url = new_db_url
    made = jiedao("--db", url, "init")
    assert made.code == 0 and "first supervisor" in made.err
    shown = json.loads(jiedao("--db", url, "staff", "show", "tester", "--json").out)
    assert shown["role"] == "supervisor"
    stranger = jiedao("--db", url, "--as", "mallory", "villages", "list")
    assert stranger.code == 1 and "mallory" in _one_line(stranger.err)
    assert jiedao("--db", url, "staff", "add", "--name", "王芳", "--role", "clerk").code == 0
    assert jiedao("--db", url, "--as", "王芳", "villages", "add", "--name", "东村",
                  "--code", "V01").code == 0
    refused = jiedao("--db", url, "--as", "王芳", "staff", "edit", "王芳", "--role",
                     "supervisor")
    assert refused.code == 1 and "supervisor" in _one_line(refused.err)
    reveal = jiedao("--db", url, "--as", "王芳", "staff", "list", "--reveal")
    assert reveal.code == 1
    last = jiedao("--db", url, "staff", "edit", "tester", "--role", "none")
    assert last.code == 1 and "supervisor" in _one_line(last.err)
    office = open_office(url, operator="tester")
    try:
        refusals = [(e["operator"], e["entity"]) for e in journal.entries(office)
                    if e["action"] == "forbidden"]
    finally:
        office.close()
    assert refusals == [("mallory", "access"), ("王芳", "staff"), ("王芳", "staff")]


def test_init_no_roles_leaves_setup_mode(jiedao, new_db_url: str):
    url = new_db_url
    made = jiedao("--db", url, "init", "--no-roles")
    assert made.code == 0 and "supervisor" not in made.err
    assert jiedao("--db", url, "--as", "anyone", "villages", "add", "--name", "东村",
                  "--code", "V01").code == 0
    assert json.loads(jiedao("--db", url, "staff", "list", "--json").out) == []


def test_a_viewer_sees_masked_lists_and_cannot_write(jiedao, db_url: str):
    url = db_url
    assert jiedao("--db", url, "staff", "add", "--name", "tester", "--role", "supervisor",
                  "--phone", "13912345678").code == 0
    assert jiedao("--db", url, "staff", "add", "--name", "查阅", "--role", "viewer").code == 0
    listed = json.loads(jiedao("--db", url, "--as", "查阅", "staff", "list", "--json").out)
    assert "13912345678" not in json.dumps(listed, ensure_ascii=False)
    added = jiedao("--db", url, "--as", "查阅", "villages", "add", "--name", "东村",
                   "--code", "V01")
    assert added.code == 1 and "viewer" in _one_line(added.err)
    assert json.loads(jiedao("--db", url, "villages", "list", "--json").out) == []
