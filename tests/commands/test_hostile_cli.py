"""Hostile values (``tests/hostile.py``) on the command line: add, edit, show, list, search,
import, export and the reminders' digest. Each value is stored as typed and printed with its
control characters made visible (``commands.output``), JSON output is valid JSON holding the
value exactly, and a refusal is one line naming the field, exit 1 — never an internal error
or a traceback."""

from __future__ import annotations

import csv
import json

import pytest
from hostile import HOSTILE, MALFORMED_UTF8, refused

from commands.output import visible

# Characters a terminal acts on: none may reach it raw.
RAW = ("\x1b", "\x07", "\r", "\x08", "\x7f", "\x9b", "\u202e", "\x00")


def raw_free(text: str) -> bool:
    return not any(c in text for c in RAW)


def one_clean_line(text: str) -> bool:
    lines = text.strip("\n").splitlines()
    return len(lines) == 1 and raw_free(text) and "internal error" not in text


@pytest.fixture
def url(jiedao, db_url: str) -> str:
    assert jiedao("--db", db_url, "villages", "add", "--name", "许庄村", "--code", "V01").code == 0
    assert jiedao("--db", db_url, "items", "add", "--code", "R13", "--name", "城乡低保",
                  "--category", "社会救助", "--level", "district", "--limit", "15",
                  "--materials", "身份证").code == 0
    assert jiedao("--db", db_url, "staff", "add", "--name", "王芳").code == 0
    return db_url


def test_hostile_names_are_added_shown_edited_and_searched_literally(jiedao, url):
    for index, (label, value) in enumerate(HOSTILE):
        added = jiedao("--db", url, "villages", "add", "--name", value, "--code", f"H{index}",
                       "--json")
        if refused(value, 60):
            assert added.code == 1 and one_clean_line(added.err), label
            assert added.err.startswith("jiedao: name: "), label
            continue
        assert added.code == 0, (label, added.err)
        stored = json.loads(added.out)
        assert stored["name"] == value.strip() and raw_free(added.out)
        shown = jiedao("--db", url, "villages", "show", f"H{index}")
        assert shown.code == 0 and raw_free(shown.out), label
        assert visible(value.strip()) in shown.out, label
        edited = jiedao("--db", url, "villages", "edit", f"H{index}", "--notes", value)
        assert edited.code == 0 and raw_free(edited.err), label
        found = jiedao("--db", url, "members", "list", "--search", value, "--json")
        assert found.code == 0 and json.loads(found.out) == [], label
    listed = jiedao("--db", url, "villages", "list")
    assert listed.code == 0 and raw_free(listed.out)
    as_json = jiedao("--db", url, "villages", "list", "--json")
    names = {v["name"] for v in json.loads(as_json.out)}
    assert raw_free(as_json.out)
    assert {v.strip() for _, v in HOSTILE if not refused(v, 60)} <= names


def test_a_nul_or_an_overlong_value_is_one_line_naming_the_field(jiedao, url):
    for args, field in (
            (("villages", "add", "--name", "a\x00b", "--code", "N1"), "name"),
            (("villages", "edit", "V01", "--notes", "x" * 2001), "notes"),
            (("members", "add", "--name", "许\x00", "--village", "V01",
              "--post", "committee_member"), "name"),
            (("members", "list", "--search", "a\x00"), "search"),
            (("tickets", "list", "--search", "\x00"), "search")):
        result = jiedao("--db", url, *args)
        assert result.code == 1 and one_clean_line(result.err), args
        assert result.err.startswith(f"jiedao: {field}: "), result.err


def test_a_search_for_a_wildcard_finds_only_names_holding_it(jiedao, url):
    for name in ("100%", "王_五", "a\\b", "许少伟", "' OR 1=1 --"):
        assert jiedao("--db", url, "members", "add", "--name", name, "--village", "V01",
                      "--post", "committee_member").code == 0
    for term, expected in (("%", ["100%"]), ("_", ["王_五"]), ("\\", ["a\\b"]),
                           ("'", ["' OR 1=1 --"]), ("1=1", ["' OR 1=1 --"])):
        found = jiedao("--db", url, "members", "list", "--search", term, "--json")
        assert found.code == 0, found.err
        assert [m["name"] for m in json.loads(found.out)] == expected, term


def test_hostile_values_import_and_export_back_literally(jiedao, url, tmp_path):
    rows = [[value, f"H{i}", value] for i, (_, value) in enumerate(HOSTILE)
            if not refused(value, 60)]
    path = tmp_path / "in.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["name", "code", "notes"], *rows])
    imported = jiedao("--db", url, "import", "villages", str(path))
    assert imported.code == 0, imported.err
    for fmt in ("csv", "xlsx", "json"):
        out = tmp_path / f"out.{fmt}"
        exported = jiedao("--db", url, "export", "villages", "--format", fmt, "--out", str(out))
        assert exported.code == 0 and raw_free(exported.err), exported.err
        if fmt != "json":
            again = jiedao("--db", url, "import", "villages", str(out), "--json")
            assert again.code == 0, again.err
            assert json.loads(again.out)["unchanged"] == len(rows) + 1, fmt
    printed = jiedao("--db", url, "export", "villages", "--format", "json")
    assert {v["name"] for v in json.loads(printed.out)} >= {r[0].strip() for r in rows}


def test_a_refused_import_names_line_and_column_on_one_line_each(jiedao, url, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("name,code\n\x1b[2J清屏村,V07\n空\x00字村,V08\n", encoding="utf-8")
    result = jiedao("--db", url, "import", "villages", str(path))
    assert result.code == 1 and raw_free(result.err) and raw_free(result.out)
    assert f"{path}:3: name: holds a NUL character" in result.err
    assert "internal error" not in result.err
    listed = jiedao("--db", url, "villages", "list", "--json")
    assert [v["code"] for v in json.loads(listed.out)] == ["V01"]  # nothing written


@pytest.mark.parametrize("label", [label for label, _ in MALFORMED_UTF8])
def test_a_malformed_file_is_one_line(jiedao, url, tmp_path, label):
    path = tmp_path / "bad.csv"
    path.write_bytes(dict(MALFORMED_UTF8)[label])
    result = jiedao("--db", url, "import", "villages", str(path))
    assert result.code == 1 and one_clean_line(result.err), result.err


def test_the_digest_prints_stored_names_literally(jiedao, url, tmp_path):
    (tmp_path / "config.toml").write_text('[remind]\nsupervisor = "王芳"\n', encoding="utf-8")
    names = [value for _, value in HOSTILE if not refused(value, 50)]
    for index, value in enumerate(names):
        agent = f"{value}干事{index}"
        assert jiedao("--db", url, "staff", "add", "--name", agent).code == 0
        opened = jiedao("--db", url, "tickets", "open", "--item", "R13", "--name", value,
                        "--village", "V01", "--materials", "all", "--agent", agent,
                        "--received", "2026-10-01")
        assert opened.code == 0, opened.err
    for args in (("remind", "--dry-run"), ("remind",)):
        result = jiedao("--db", url, *args)
        assert raw_free(result.out) and raw_free(result.err), args
        assert "internal error" not in result.err
        for index, value in enumerate(names):
            assert visible(f"{value}干事{index}") in result.out, (args, value)
    as_json = jiedao("--db", url, "remind", "--dry-run", "--json", "--force")
    assert raw_free(as_json.out)
    people = {p["name"] for p in json.loads(as_json.out)["recipients"]}
    assert {f"{v}干事{i}" for i, v in enumerate(names)} <= people
