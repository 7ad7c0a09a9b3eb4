"""The keyed journal chain (``ledger.journalkey``): a chain recomputed without the key, a
downgrade to unkeyed hashing, a missing or wrong key, old unkeyed entries, the environment's
key. Every test has a settings folder of its own (the key files)."""

from __future__ import annotations

import hmac
import json
import os
import stat
from collections.abc import Callable
from hashlib import sha256
from pathlib import Path

import pytest
from rawdb import run_sql

from ledger import check, checkpoint, journal, journalkey, villages
from ledger.models import JournalEntry, Village

Hasher = Callable[[bytes], str]


@pytest.fixture(autouse=True)
def settings_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.delenv(journalkey.ENV, raising=False)
    return tmp_path / "cfg" / "jiedao-ledger"


def _fill(office) -> None:
    villages.add_village(office, name="东村", code="V01")
    villages.add_village(office, name="西村", code="V02")


def _state() -> journalkey.State:
    state = journalkey.state()
    assert state is not None
    return state


def _key() -> journalkey.Key:
    state = _state()
    return journalkey.required(state.office, state.key_id)


def _plain(data: bytes) -> str:
    return sha256(data).hexdigest()


def _keyed(secret: bytes) -> Hasher:
    return lambda data: hmac.new(secret, data, sha256).hexdigest()


def _payload(prev: str, row: JournalEntry) -> bytes:
    return json.dumps([prev, row.at.isoformat(), row.operator, row.entity, row.entity_id,
                       row.action, row.before, row.after, row.note],
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _rechain(office, hasher: Callable[[JournalEntry], Hasher]) -> None:
    """What someone who can write the database does after editing an entry: every hash
    recomputed in order (``hasher(row)`` chooses the hash of each), behind the ledger."""
    prev = journal.GENESIS
    with office.transaction():
        for row in list(JournalEntry.select().order_by(JournalEntry.id)):
            digest = hasher(row)(_payload(prev, row))
            JournalEntry.update(prev_hash=prev, hash=digest).where(
                JournalEntry.id == row.id).execute()
            prev = digest


def _edit_village_and_its_entry(office, db_url: str) -> None:
    """A village renamed behind the ledger's back, its journal entry made to agree."""
    run_sql(db_url, 'UPDATE "village" SET "name" = ? WHERE "code" = ?', ("改名村", "V02"))
    row = JournalEntry.get((JournalEntry.entity == "village") & (JournalEntry.entity_id == "2"))
    after = json.loads(row.after)
    after["name"] = "改名村"
    run_sql(db_url, 'UPDATE "journal" SET "after" = ? WHERE "id" = ?',
            (journal.canonical(after), row.id))


def test_a_new_office_gets_its_own_private_key(office, settings_dir):
    assert journalkey.state() is None  # nothing written yet: not keyed
    _fill(office)
    state = _state()
    assert state.keyed_after == 0 and state.chained_on == journal.GENESIS
    path = journalkey.key_file(state.office)
    assert path.parent == settings_dir / "journal-keys"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert len(path.read_bytes()) == journalkey.KEY_BYTES
    assert state.key_id == journalkey.key_id(path.read_bytes())
    result = journal.verify(office)
    assert result.ok and result.checked == 2
    assert (result.keyed_after, result.key_id, result.key_source) == (0, state.key_id,
                                                                       str(path))


def test_record_and_record_many_chain_alike(office):
    _fill(office)
    with office.transaction():
        journal.record_many(office, [("x", 1, "create", None, {"n": "张三"}, ""),
                                     ("x", 1, "update", {"n": 1}, {"n": '"2"'}, "备注")])
    with office.transaction():
        journal.record(office, "x", 2, "create", after={"n": "李四"})
    key = _key()
    prev = journal.GENESIS
    rows = list(JournalEntry.select().order_by(JournalEntry.id))
    assert len(rows) == 5
    for row in rows:
        assert row.prev_hash == prev
        assert row.hash == _keyed(key.secret)(_payload(prev, row))
        assert row.hash == journal._digest(prev, row.at, row.operator, row.entity,
                                           row.entity_id, row.action, row.before, row.after,
                                           row.note, mac=key.mac())
        prev = row.hash
    assert journal.verify(office).ok


@pytest.mark.parametrize("how", ["plain", "wrong key"])
def test_a_chain_recomputed_without_the_key_is_caught(office, db_url, how):
    _fill(office)
    _edit_village_and_its_entry(office, db_url)
    other = _keyed(os.urandom(32))
    _rechain(office, lambda row: _plain if how == "plain" else other)
    result = journal.verify(office)
    assert not result.ok and result.reason == "hash" and result.bad_id == 1
    report = check.run(office, only=("journal",))
    assert report.checks["journal"] == "problems"
    assert [p.id for p in report.problems] == ["1"]


def test_an_entry_appended_without_the_key_is_caught(office, db_url):
    _fill(office)
    last = JournalEntry.select().order_by(JournalEntry.id.desc()).get()
    forged = JournalEntry(at=last.at, operator="mallory", entity="village", entity_id="2",
                          action="update", before=None, after='{"name":"改名村"}', note="")
    run_sql(db_url, 'UPDATE "village" SET "name" = ? WHERE "code" = ?', ("改名村", "V02"))
    run_sql(db_url, 'INSERT INTO "journal" ("at", "operator", "entity", "entity_id", "action", '
            '"before", "after", "note", "prev_hash", "hash") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
            (last.at, "mallory", "village", "2", "update", None, forged.after, "",
             last.hash, _plain(_payload(last.hash, forged))))
    result = journal.verify(office)
    assert not result.ok and result.reason == "hash" and result.bad_id == last.id + 1
    assert check.run(office).checks["records"] == "ok"  # the record agrees with the forgery


def test_a_missing_key_is_one_clear_error_never_a_fallback(office):
    _fill(office)
    state = _state()
    journalkey.key_file(state.office).unlink()
    with pytest.raises(journalkey.JournalKeyError) as caught:
        journal.verify(office)
    message = caught.value.message()
    assert caught.value.key == "error.journal_key_missing" and caught.value.exit_code == 2
    assert "\n" not in message and str(journalkey.key_file(state.office)) in message
    assert journalkey.ENV in message
    with pytest.raises(journalkey.JournalKeyError), office.transaction():
        villages.add_village(office, name="南村", code="V03")  # writes refused too
    assert Village.select().count() == 2
    assert not journalkey.key_file(state.office).exists()  # no new key made behind its back
    report = check.run(office, only=("journal",))
    assert report.checks["journal"] == "problems"
    assert [p.key for p in report.problems] == ["error.journal_key_missing"]
    assert str(journalkey.key_file(state.office)) in report.problems[0].message()


def test_each_office_has_its_own_key(office, db_url, empty_url):
    from ledger import db as dbmod
    from ledger import open_office

    _fill(office)
    database = dbmod.connect(empty_url, create=True)
    dbmod.upgrade(database)
    database.close()
    other = open_office(empty_url, operator="tester", clock=office.clock)
    try:
        villages.add_village(other, name="北村", code="V09")
        theirs = _state()
    finally:
        other.close()
        from ledger.models import database_proxy

        database_proxy.initialize(office.db)
    ours = _state()
    assert ours.office != theirs.office and ours.key_id != theirs.key_id
    assert journalkey.key_file(ours.office).exists() and journalkey.key_file(
        theirs.office).exists()
    assert journal.verify(office).ok


def test_old_unkeyed_entries_still_verify_and_the_chain_is_keyed_from_there(office, db_url):
    _fill(office)
    # A journal written before the keyed chain: plain SHA-256, no key record.
    run_sql(db_url, 'DELETE FROM "journal_key"')
    _rechain(office, lambda row: _plain)
    old = journal.verify(office)
    assert old.ok and old.checked == 2 and old.keyed_after is None
    last = JournalEntry.select().order_by(JournalEntry.id.desc()).get()
    villages.add_village(office, name="南村", code="V03")  # the first entry since the upgrade
    state = _state()
    assert (state.keyed_after, state.chained_on) == (last.id, last.hash)
    key = _key()
    prev = journal.GENESIS
    for row in JournalEntry.select().order_by(JournalEntry.id):
        hasher = _keyed(key.secret) if row.id > last.id else _plain
        assert row.hash == hasher(_payload(prev, row))
        prev = row.hash
    result = journal.verify(office)
    assert result.ok and result.checked == 3 and result.keyed_after == last.id
    assert check.run(office).ok


def test_a_downgrade_to_unkeyed_hashing_is_caught(office, db_url, tmp_path):
    _fill(office)
    villages.add_village(office, name="南村", code="V03")
    head = tmp_path / "head.json"
    checkpoint.write_for(office, head)
    expected = checkpoint.read(head)
    assert expected.keyed_after == 0 and expected.seal is not None
    state = _state()
    # 1. Entries after the switch point rewritten as unkeyed: refused by verify.
    _edit_village_and_its_entry(office, db_url)
    _rechain(office, lambda row: _plain)
    assert journal.verify(office).reason == "hash"
    # 2. The switch point moved past them, so they would read as old unkeyed entries.
    run_sql(db_url, 'UPDATE "journal_key" SET "keyed_after" = ?, "chained_on" = ?',
            (99, JournalEntry.select().order_by(JournalEntry.id.desc()).get().hash))
    assert journal.verify(office).reason == "seal"
    report = check.run(office, only=("journal",))
    assert [p.key for p in report.problems] == ["check.journal_keying"]
    # 3. The key record removed: the journal reads as never keyed, the checkpoint sees it.
    run_sql(db_url, 'DELETE FROM "journal_key"')
    assert journal.verify(office).ok
    found = checkpoint.compare(office, expected)
    assert not found.ok and found.reason == "keying"
    # ... and so does it when the office's key record is written afresh by a new entry.
    villages.add_village(office, name="北村", code="V04")
    assert _state().office != state.office
    assert checkpoint.compare(office, expected).reason == "keying"


def test_the_old_part_rewritten_under_a_keyed_chain_is_caught(office, db_url):
    _fill(office)
    run_sql(db_url, 'DELETE FROM "journal_key"')
    _rechain(office, lambda row: _plain)
    villages.add_village(office, name="南村", code="V03")  # keyed after entry 2
    key = _key()
    run_sql(db_url, 'UPDATE "journal" SET "note" = ? WHERE "id" = 1', ("edited",))
    # The whole chain recomputed: the unkeyed part plainly, the keyed part without its key.
    _rechain(office, lambda row: _plain if row.id <= 2 else _keyed(os.urandom(32)))
    assert journal.verify(office).reason == "switch"
    # Even with the key the old part cannot be rewritten: it is sealed at the switch point.
    _rechain(office, lambda row: _plain if row.id <= 2 else _keyed(key.secret))
    result = journal.verify(office)
    assert not result.ok and result.reason == "switch" and result.bad_id == 3


def test_the_key_from_the_environment(office, monkeypatch, settings_dir, tmp_path):
    secret = os.urandom(32)
    monkeypatch.setenv(journalkey.ENV, secret.hex())
    _fill(office)
    state = _state()
    assert state.key_id == journalkey.key_id(secret)
    assert not (settings_dir / "journal-keys").exists()  # no file made when a key is given
    result = journal.verify(office)
    assert result.ok and result.key_source == journalkey.ENV
    # A key file named by the variable (as jiedao writes them: 32 bytes; or hex text).
    path = tmp_path / "office.key"
    path.write_bytes(secret)
    monkeypatch.setenv(journalkey.ENV, str(path))
    assert journal.verify(office).ok
    path.write_text(secret.hex() + "\n", encoding="ascii")
    assert journal.verify(office).ok
    # Without it the keyed journal cannot be checked or written.
    monkeypatch.delenv(journalkey.ENV)
    with pytest.raises(journalkey.JournalKeyError) as missing:
        journal.verify(office)
    assert missing.value.key == "error.journal_key_missing"
    # Another key, a file that is not a key, a file that is not there: one line each.
    for value, key in ((os.urandom(32).hex(), "error.journal_key_wrong"),
                       (str(tmp_path / "none.key"), "error.journal_key_unreadable"),
                       (str(tmp_path), "error.journal_key_unreadable")):
        monkeypatch.setenv(journalkey.ENV, value)
        with pytest.raises(journalkey.JournalKeyError) as caught:
            journal.verify(office)
        assert caught.value.key == key and "\n" not in caught.value.message()
    path.write_text("not a key", encoding="ascii")
    monkeypatch.setenv(journalkey.ENV, str(path))
    with pytest.raises(journalkey.JournalKeyError) as bad:
        journal.verify(office)
    assert bad.value.key == "error.journal_key_bad"


def test_a_checkpoint_records_the_keying_under_its_seal(office, tmp_path):
    _fill(office)
    head = tmp_path / "head.json"
    written = checkpoint.write_for(office, head)
    state = _state()
    assert (written["office"], written["keyed_after"], written["key_id"]) == (
        state.office, 0, state.key_id)
    assert checkpoint.compare(office, checkpoint.read(head)).ok
    doc = json.loads(head.read_text(encoding="utf-8"))
    doc["entries"] = 1  # a checkpoint edited to agree with a shortened journal
    head.write_text(json.dumps(doc), encoding="utf-8")
    assert checkpoint.compare(office, checkpoint.read(head)).reason == "seal"
    # A format 1 checkpoint (no keying) is still read and compared.
    old = {k: doc[k] for k in ("kind", "entries", "last_id", "hash")}
    head.write_text(json.dumps({**old, "format": 1, "entries": 2}), encoding="utf-8")
    assert checkpoint.compare(office, checkpoint.read(head)).ok


def test_a_key_record_naming_another_path_is_refused(office, db_url, settings_dir):
    _fill(office)
    run_sql(db_url, 'UPDATE "journal_key" SET "office" = ?', ("../../../elsewhere",))
    with pytest.raises(journalkey.JournalKeyError) as caught:
        journal.verify(office)
    assert caught.value.key == "error.journal_key_office"
    with pytest.raises(journalkey.JournalKeyError), office.transaction():
        villages.add_village(office, name="南村", code="V03")
    assert [p.name for p in settings_dir.iterdir()] == ["journal-keys"]
