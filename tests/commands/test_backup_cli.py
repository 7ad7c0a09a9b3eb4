"""``jiedao backup``, ``restore``, ``db check``, ``audit checkpoint`` and ``audit verify
--checkpoint``: exit codes, one-line refusals, JSON."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest
from rawdb import run_sql


def _one_line(err: str) -> str:
    assert "Traceback" not in err and "internal error" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def _fill(jiedao, db_url: str) -> None:
    for code, name in (("V01", "东村"), ("V02", "西村")):
        assert jiedao("--db", db_url, "villages", "add", "--name", name, "--code", code).code == 0


def test_db_check_passes_then_names_a_hand_edited_record(jiedao, db_url):
    _fill(jiedao, db_url)
    clean = jiedao("--db", db_url, "db", "check")
    assert clean.code == 0, clean.err
    assert "database check passed" in clean.out and "journal chain: ok" in clean.err
    run_sql(db_url, 'UPDATE "village" SET "name" = ? WHERE "code" = ?', ("改名村", "V02"))
    found = jiedao("--db", db_url, "db", "check")
    assert found.code == 1
    assert "village 2: name is 改名村" in found.out and "西村" in found.out
    assert "1 problems found" in found.err
    data = json.loads(jiedao("--db", db_url, "db", "check", "--json").out)
    assert data["ok"] is False and data["checks"]["records"] == "problems"
    assert [(p["entity"], p["id"], p["field"]) for p in data["problems"]] == [
        ("village", "2", "name")]


def test_checkpoint_then_verify_sees_the_tail_deleted(jiedao, db_url, tmp_path):
    _fill(jiedao, db_url)
    head = tmp_path / "head.json"
    written = jiedao("--db", db_url, "audit", "checkpoint", str(head))
    assert written.code == 0 and "2 entries" in written.out
    fine = jiedao("--db", db_url, "audit", "verify", "--checkpoint", str(head))
    assert fine.code == 0 and "matches the checkpoint" in fine.out
    run_sql(db_url, 'DELETE FROM "journal" WHERE "id" = 2')
    tail = jiedao("--db", db_url, "audit", "verify", "--checkpoint", str(head))
    assert tail.code == 1
    assert "journal intact: 1 entries" in tail.out  # the chain alone cannot see it
    assert "fewer than the 2" in _one_line(tail.err)
    plain = jiedao("--db", db_url, "audit", "verify")
    assert plain.code == 0
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    refused = jiedao("--db", db_url, "audit", "verify", "--checkpoint", str(bad))
    assert refused.code == 1 and "not a jiedao journal checkpoint" in _one_line(refused.err)


def test_backup_and_restore_on_postgresql_point_to_pg_dump(jiedao, db_url, tmp_path):
    if not db_url.startswith("postgresql"):
        pytest.skip("the PostgreSQL case")
    done = jiedao("--db", db_url, "backup", str(tmp_path / "x.db"))
    assert done.code == 2 and "pg_dump --format=custom" in _one_line(done.err)
    back = jiedao("--db", db_url, "restore", "--yes", str(tmp_path / "x.db"))
    assert back.code == 2 and "pg_restore" in _one_line(back.err)
    assert not (tmp_path / "x.db").exists()


@pytest.mark.sqlite_only("backups and restores are SQLite files")
def test_backup_then_restore_asks_first(jiedao, sqlite_url, tmp_path, monkeypatch):
    _fill(jiedao, sqlite_url)
    file = tmp_path / "night.db"
    made = jiedao("--db", sqlite_url, "backup", str(file))
    assert made.code == 0 and "backed up to" in made.out and "2 journal entries" in made.out
    again = jiedao("--db", sqlite_url, "backup", str(file))
    assert again.code == 1 and "already exists" in _one_line(again.err)
    assert jiedao("--db", sqlite_url, "villages", "add", "--name", "南村", "--code",
                  "V03").code == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    declined = jiedao("--db", sqlite_url, "restore", str(file))
    assert declined.code == 1 and "aborted" in declined.err
    assert "V03" in jiedao("--db", sqlite_url, "villages", "list").out
    restored = jiedao("--db", sqlite_url, "restore", "--yes", "--json", str(file))
    assert restored.code == 0, restored.err
    data = json.loads(restored.out)
    assert data["entries"] == 2 and Path(data["saved_as"]).exists()
    assert "V03" not in jiedao("--db", sqlite_url, "villages", "list").out
    log = jiedao("--db", sqlite_url, "audit", "log", "--json")
    assert json.loads(log.out)[-1]["action"] == "restore"


@pytest.mark.sqlite_only("backups and restores are SQLite files")
def test_restore_refusals_are_one_line_and_change_nothing(jiedao, sqlite_url, tmp_path):
    _fill(jiedao, sqlite_url)
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    text = tmp_path / "notes.txt"
    text.write_text("hello", encoding="utf-8")
    newer = tmp_path / "newer.db"
    assert jiedao("--db", sqlite_url, "backup", str(newer)).code == 0
    with sqlite3.connect(newer) as raw:
        raw.execute("INSERT INTO schema_migration (name, applied) VALUES ('9999_x', '2030-01-01')")
    before = run_sql(sqlite_url, 'SELECT * FROM "village" ORDER BY 1')
    for file, words in ((text, "is not a SQLite database"),
                        (newer, "comes from a newer program"),
                        (tmp_path / "none.db", "does not exist")):
        refused = jiedao("--db", sqlite_url, "restore", "--yes", str(file))
        assert refused.code == 1 and words in _one_line(refused.err)
    assert run_sql(sqlite_url, 'SELECT * FROM "village" ORDER BY 1') == before
    assert not list(path.parent.glob("*.before-restore-*"))
