"""``jiedao audit verify`` and ``db check`` with the keyed journal chain: what they say with
the key, without it, and after a downgrade; ``JIEDAO_JOURNAL_KEY``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from rawdb import run_sql


@pytest.fixture(autouse=True)
def settings_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.delenv("JIEDAO_JOURNAL_KEY", raising=False)
    return tmp_path / "cfg" / "jiedao-ledger" / "journal-keys"


def _one_line(err: str) -> str:
    assert "Traceback" not in err and "internal error" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def _fill(jiedao, db_url: str) -> None:
    for code, name in (("V01", "东村"), ("V02", "西村")):
        assert jiedao("--db", db_url, "villages", "add", "--name", name, "--code", code).code == 0


def test_verify_says_the_chain_is_keyed_and_without_the_key_that_it_cannot_check(
        jiedao, db_url, settings_dir):
    fresh = jiedao("--db", db_url, "audit", "verify")
    assert fresh.code == 0 and "not keyed yet" in fresh.out
    _fill(jiedao, db_url)
    [key_file] = settings_dir.iterdir()
    ok = jiedao("--db", db_url, "audit", "verify")
    assert ok.code == 0 and "2 entries verified" in ok.out
    assert "entries after 0 verified with the key" in ok.out and str(key_file) in ok.out
    moved = key_file.with_name("elsewhere")
    key_file.rename(moved)
    without = jiedao("--db", db_url, "audit", "verify")
    assert without.code == 2 and without.out == ""
    assert "is keyed but its key is not here" in _one_line(without.err)
    assert str(key_file) in without.err and "JIEDAO_JOURNAL_KEY" in without.err
    checked = jiedao("--db", db_url, "db", "check")
    assert checked.code == 1 and "is keyed but its key is not here" in checked.out
    refused = jiedao("--db", db_url, "villages", "add", "--name", "南村", "--code", "V03")
    assert refused.code == 2 and "is keyed but its key is not here" in _one_line(refused.err)
    # The key given by the environment (a path here) is used in its stead.
    os.environ["JIEDAO_JOURNAL_KEY"] = str(moved)
    try:
        assert jiedao("--db", db_url, "audit", "verify").code == 0
        assert jiedao("--db", db_url, "db", "check").code == 0
    finally:
        del os.environ["JIEDAO_JOURNAL_KEY"]


def test_a_chain_recomputed_without_the_key_fails_verify_and_check(jiedao, db_url, tmp_path):
    from hashlib import sha256

    _fill(jiedao, db_url)
    head = tmp_path / "head.json"
    assert jiedao("--db", db_url, "audit", "checkpoint", str(head)).code == 0
    # The second village renamed, its entry made to agree, the chain recomputed plainly.
    run_sql(db_url, 'UPDATE "village" SET "name" = ? WHERE "code" = ?', ("改名村", "V02"))
    rows = run_sql(db_url, 'SELECT "id", "after" FROM "journal" ORDER BY "id"')
    run_sql(db_url, 'UPDATE "journal" SET "after" = ? WHERE "id" = ?',
            (str(rows[1][1]).replace("西村", "改名村"), rows[1][0]))
    run_sql(db_url, 'UPDATE "journal" SET "hash" = ? WHERE "id" = ?',
            (sha256(b"recomputed").hexdigest(), rows[1][0]))
    run_sql(db_url, 'DELETE FROM "journal_key"')  # and the key record, to look unkeyed
    verify = jiedao("--db", db_url, "audit", "verify", "--checkpoint", str(head))
    assert verify.code == 1 and "Traceback" not in verify.err
    # Read as unkeyed, the first (keyed) entry no longer matches its plain hash.
    assert "journal entry 1 does not match" in verify.err
    assert "keying differs from the checkpoint" in verify.err
    checked = jiedao("--db", db_url, "db", "check")
    assert checked.code == 1


def test_the_environment_key_as_hex(jiedao, db_url, settings_dir, monkeypatch):
    secret = os.urandom(32).hex()
    monkeypatch.setenv("JIEDAO_JOURNAL_KEY", secret)
    _fill(jiedao, db_url)
    assert not settings_dir.exists()
    ok = jiedao("--db", db_url, "audit", "verify")
    assert ok.code == 0 and "(JIEDAO_JOURNAL_KEY)" in ok.out
    monkeypatch.setenv("JIEDAO_JOURNAL_KEY", os.urandom(32).hex())
    wrong = jiedao("--db", db_url, "audit", "verify")
    assert wrong.code == 2 and "is not this office's key" in _one_line(wrong.err)
    monkeypatch.setenv("JIEDAO_JOURNAL_KEY", "nonsense")
    bad = jiedao("--db", db_url, "audit", "verify")
    assert bad.code == 2 and "cannot read the journal key" in _one_line(bad.err)


def test_audit_key_says_where_the_key_is(jiedao, db_url, settings_dir):
    before = jiedao("--db", db_url, "audit", "key")
    assert before.code == 0 and "not keyed yet" in before.out and str(settings_dir) in before.out
    _fill(jiedao, db_url)
    [key_file] = settings_dir.iterdir()
    shown = jiedao("--db", db_url, "audit", "key")
    assert shown.code == 0 and str(key_file) in shown.out and "back it up apart" in shown.out
    data = json.loads(jiedao("--db", db_url, "audit", "key", "--json").out)
    assert data["key_file"] == data["key_source"] == str(key_file)
    assert data["keyed_after"] == 0 and key_file.name == f"{data['office']}.key"
    key_file.unlink()
    missing = jiedao("--db", db_url, "audit", "key")
    assert missing.code == 2 and "its key is not here" in _one_line(missing.err)
