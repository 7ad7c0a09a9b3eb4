"""The foundation's commands as scripts use them: exit codes, one-line errors, JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from rawdb import run_sql, snapshot

from ledger import journal, open_office


def _journal_some(url: str) -> None:
    office = open_office(url, operator="tester")
    with office.transaction():
        for i in range(3):
            journal.record(office, "village", i, "create", after={"i": i})
    office.close()


def test_init_creates_a_database_and_refuses_twice(jiedao, new_db_url: str):
    url = new_db_url
    first = jiedao("--db", url, "init")
    assert first.code == 0 and "created" in first.err
    again = jiedao("--db", url, "init")
    assert again.code == 1
    assert again.err.count("\n") == 1 and "already" in again.err


def test_audit_verify_passes_then_fails_after_a_row_is_edited_by_hand(jiedao, db_url: str):
    _journal_some(db_url)
    ok = jiedao("--db", db_url, "audit", "verify")
    assert ok.code == 0 and "3 entries" in ok.out
    run_sql(db_url, "UPDATE journal SET operator = 'mallory' WHERE id = 2")
    broken = jiedao("--db", db_url, "audit", "verify")
    assert broken.code == 1
    assert "entry 2" in broken.err and "Traceback" not in broken.err


def test_audit_log_filters_and_json(jiedao, db_url: str):
    _journal_some(db_url)
    result = jiedao("--db", db_url, "audit", "log", "--entity", "village", "--id", "1", "--json")
    assert result.code == 0
    rows = json.loads(result.out)
    found = [(r["entity"], r["entity_id"], r["action"]) for r in rows]
    assert found == [("village", "1", "create")]
    bad = jiedao("--db", db_url, "audit", "log", "--since", "2026-02-30")
    assert bad.code == 2 and "2026-02-30" in bad.err


def test_db_status_and_upgrade_from_schema_1(jiedao, new_db_url: str):
    from playhouse.migrations import Runner

    from ledger import db as dbmod

    url = new_db_url
    database = dbmod.connect(url, create=True)
    Runner(database, dbmod.MIGRATIONS_DIR, table_name=dbmod.HISTORY_TABLE).up("0001_foundation")
    # Records made at schema 1 must come through the upgrade untouched.
    database.execute_sql("INSERT INTO village (code, name, relocation_status, notes, created_at) "
                         "VALUES ('V01', '许庄村', 'flattened_returned', '', '2015-01-01')")
    database.close()
    code_version = dbmod.code_version()

    if code_version > 1:
        refused = jiedao("--db", url, "audit", "verify")
        assert refused.code == 1 and "jiedao db upgrade" in refused.err
        pending = jiedao("--db", url, "db", "status", "--json")
        assert pending.code == 1
        assert json.loads(pending.out)["database_version"] == 1
    upgraded = jiedao("--db", url, "db", "upgrade")
    assert upgraded.code == 0
    status = jiedao("--db", url, "db", "status", "--json")
    assert status.code == 0
    data = json.loads(status.out)
    assert data["database_version"] == data["code_version"] == code_version
    assert data["pending"] == []
    assert jiedao("--db", url, "audit", "verify").code == 0
    villages = json.loads(jiedao("--db", url, "villages", "list", "--json").out)
    assert [(v["code"], v["name"]) for v in villages] == [("V01", "许庄村")]
    assert jiedao("--db", url, "tickets", "list", "--json").code == 0  # schema 2's tables
    assert jiedao("--db", url, "petitions", "list", "--json").code == 0  # schema 3's


def test_newer_database_is_refused_in_one_line(jiedao, db_url: str):
    run_sql(db_url, "INSERT INTO schema_migration (name, applied) VALUES ('9999_x', '2030-01-01')")
    result = jiedao("--db", db_url, "audit", "log")
    assert result.code == 1
    assert result.err.strip().count("\n") == 0 and "upgrade jiedao-ledger" in result.err


def test_config_show_says_where_each_value_came_from(jiedao, tmp_path: Path, db_url: str):
    config = tmp_path / "office.toml"
    config.write_text('[office]\nname = "东风街道办事处"\n', encoding="utf-8")
    result = jiedao("--config", str(config), "config", "show", "--json")
    assert result.code == 0
    rows = {r["key"]: r for r in json.loads(result.out)}
    assert rows["office.name"]["value"] == "东风街道办事处"
    assert rows["office.name"]["source"] == str(config)
    assert rows["office.timezone"]["source"] == "default"


def test_malformed_config_is_a_usage_error_naming_file_and_line(jiedao, tmp_path: Path):
    config = tmp_path / "bad.toml"
    config.write_text('[office]\nname = "x"\ncolour = 1\n', encoding="utf-8")
    result = jiedao("--config", str(config), "config", "show")
    assert result.code == 2
    assert "bad.toml line 3" in result.err and "office.colour" in result.err


@pytest.mark.sqlite_only("about SQLite file paths: a missing folder or file, a directory")
def test_unreadable_database_path_is_one_line(jiedao, tmp_path: Path):
    result = jiedao("--db", str(tmp_path / "missing" / "x.db"), "audit", "verify")
    assert result.code == 1 and "Traceback" not in result.err
    folder = jiedao("--db", str(tmp_path), "audit", "verify")
    assert folder.code == 1 and "cannot open" in folder.err


@pytest.mark.sqlite_only("about a missing SQLite file")
def test_chinese_messages(jiedao, tmp_path: Path):
    result = jiedao("--lang", "zh", "--db", str(tmp_path / "none.db"), "audit", "verify")
    assert result.code == 1 and "不存在" in result.err
    bad_lang = jiedao("--lang", "fr", "audit", "verify")
    assert bad_lang.code == 2


def test_audit_log_masks_personal_data_unless_revealed(jiedao, db_url: str):
    office = open_office(db_url, operator="tester")
    with office.transaction():
        journal.record(office, "member", 1, "create",
                       after={"name": "许少伟", "id_number": "11010119900307123X",
                              "phone": "13912345678",
                              "petitioners": [{"phone": "13800001111"}]})
    office.close()
    masked = json.loads(jiedao("--db", db_url, "audit", "log", "--json").out)[0]["after"]
    assert masked["id_number"] == "1101**********123X"
    assert masked["phone"] == "139****5678"
    assert masked["petitioners"][0]["phone"] == "138****1111"
    shown = jiedao("--db", db_url, "audit", "log", "--entity", "member", "--reveal", "--json")
    assert json.loads(shown.out)[0]["after"]["id_number"] == "11010119900307123X"
    actions = [r["action"] for r in json.loads(jiedao("--db", db_url, "audit", "log",
                                                      "--json").out)]
    assert actions == ["create", "reveal"]
    assert jiedao("--db", db_url, "audit", "verify").code == 0


def test_demo_opens_a_sample_office_and_leaves_the_users_database_alone(jiedao, db_url,
                                                                       monkeypatch):
    from commands.main import run
    from ledger import villages

    monkeypatch.setenv("JIEDAO_DB", db_url)
    before = snapshot(db_url)
    seen: dict[str, object] = {}

    def fake_app(office) -> None:
        seen["url"] = office.url
        seen["villages"] = len(villages.list_villages(office))

    class Terminal:  # the app opens only on a terminal
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr(sys, "stdout", Terminal())

    assert run(["--lang", "en", "demo"], launch_tui=fake_app) == 0
    assert seen["villages"] == 9 and seen["url"] != db_url
    assert snapshot(db_url) == before


def test_the_sample_goes_only_into_an_empty_office(jiedao, db_url):
    assert jiedao("--db", db_url, "villages", "add", "--name", "东村", "--code", "V01").code == 0
    refused = jiedao("--db", db_url, "init", "--example")
    assert refused.code == 1 and "already holds records" in refused.err
    villages = json.loads(jiedao("--db", db_url, "villages", "list", "--json").out)
    assert [v["code"] for v in villages] == ["V01"]


def test_the_operator_is_as_then_jiedao_operator_and_the_database_jiedao_db(
        jiedao, db_url, monkeypatch):
    monkeypatch.setenv("JIEDAO_DB", db_url)  # no --db: the environment chooses
    monkeypatch.setenv("JIEDAO_OPERATOR", "env-clerk")
    assert jiedao("villages", "add", "--name", "东村", "--code", "V01").code == 0
    assert jiedao("--as", "王芳", "villages", "edit", "V01", "--notes", "x").code == 0
    log = json.loads(jiedao("audit", "log", "--entity", "village", "--json").out)
    assert [(e["action"], e["operator"]) for e in log] == [("create", "env-clerk"),
                                                          ("update", "王芳")]
