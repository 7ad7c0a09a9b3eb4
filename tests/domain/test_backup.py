"""Backups, restores, journal checkpoints and ``db check`` (ledger.backup, ledger.checkpoint,
ledger.check).

Checkpoints and ``db check`` run on both databases; backups and restores are SQLite's (the
online backup API, files and their modes): those tests are ``sqlite_only``.
"""

from __future__ import annotations

import json
import sqlite3
import stat
import threading
from pathlib import Path

import pytest
from rawdb import run_sql

from ledger import backup, check, checkpoint, journal, members, open_office, villages
from ledger.errors import StorageError, Unsupported
from ledger.models import database_proxy

SQLITE_FILES = "backups and restores are SQLite files (the online backup API, file modes)"


def _fill(office) -> dict:
    villages.add_village(office, name="东村", code="V01")
    villages.add_village(office, name="西村", code="V02")
    member = members.add_member(office, name="王建国", village="V01", post="committee_director",
                                phone="13812345678")
    villages.edit_village(office, "V02", name="西岭村")
    return member


def _path(office) -> Path:
    return Path(office.url.removeprefix("sqlite:///"))


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- checkpoints (both databases) --------------------------------------------------------

def test_a_checkpoint_matches_until_the_tail_is_deleted(office, db_url, tmp_path):
    _fill(office)
    written = checkpoint.write_for(office, tmp_path / "head.json")
    assert _mode(tmp_path / "head.json") == 0o600
    doc = json.loads((tmp_path / "head.json").read_text(encoding="utf-8"))
    state = checkpoint.head(office)
    assert doc["entries"] == written["entries"] == state.entries > 0
    assert doc["hash"] == state.hash
    expected = checkpoint.read(tmp_path / "head.json")
    villages.add_village(office, name="南村", code="V03")  # the journal grows: still fine
    assert checkpoint.compare(office, expected).ok
    # The last two entries deleted: the chain still verifies, the checkpoint does not.
    run_sql(db_url, 'DELETE FROM "journal" WHERE "id" >= ?', (state.entries,))
    assert journal.verify(office).ok
    found = checkpoint.compare(office, expected)
    assert not found.ok and found.reason == "fewer" and found.entries == state.entries - 1


def test_an_emptied_journal_or_a_rewritten_entry_is_seen(office, db_url, tmp_path):
    _fill(office)
    checkpoint.write_for(office, tmp_path / "head.json")
    expected = checkpoint.read(tmp_path / "head.json")
    # The entry at the checkpoint's position rewritten (its chain recomputed: a new hash).
    run_sql(db_url, 'UPDATE "journal" SET "hash" = ? WHERE "id" = ?',
            ("f" * 64, expected.last_id))
    found = checkpoint.compare(office, expected)
    assert not found.ok and found.reason == "hash" and found.found_hash == "f" * 64
    run_sql(db_url, 'DELETE FROM "journal"')
    # A keyed journal emptied lost the entries its sealed switch point promises.
    assert journal.verify(office).reason == "switch"
    assert checkpoint.compare(office, expected).reason == "fewer"
    # Its key record deleted as well, it reads as a journal never written: only the
    # checkpoint still sees it.
    run_sql(db_url, 'DELETE FROM "journal_key"')
    assert journal.verify(office).ok
    assert checkpoint.compare(office, expected).reason == "keying"


@pytest.mark.parametrize("content", ["", "{", "[]", '{"kind": "other"}',
                                     '{"kind": "jiedao-ledger journal checkpoint", "format": 1,'
                                     ' "entries": -1, "last_id": null, "hash": "x"}'])
def test_a_file_that_is_not_a_checkpoint_is_one_clear_error(tmp_path, content):
    path = tmp_path / "head.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(StorageError) as caught:
        checkpoint.read(path)
    assert caught.value.key == "error.checkpoint_bad" and str(path) in caught.value.message()
    with pytest.raises(StorageError) as missing:
        checkpoint.read(tmp_path / "none.json")
    assert missing.value.key == "error.checkpoint_missing"


# --- db check (both databases) ------------------------------------------------------------

def test_a_clean_office_passes_every_check(office):
    _fill(office)
    report = check.run(office)
    assert report.ok, [p.message() for p in report.problems]
    assert report.checks["journal"] == report.checks["records"] == "ok"
    assert report.checks["integrity"] == ("skipped" if office.is_postgres else "ok")
    assert report.records == 4  # two villages, the member and their term
    assert report.journal_entries == checkpoint.head(office).entries


def test_a_record_changed_behind_the_ledgers_back_is_named(office, db_url):
    member = _fill(office)
    run_sql(db_url, 'UPDATE "person" SET "name" = ?, "phone" = ? WHERE "id" = ?',
            ("李四", "13900000000", member["id"]))
    run_sql(db_url, 'UPDATE "village" SET "code" = ? WHERE "code" = ?', ("V09", "V02"))
    report = check.run(office)
    changed = {(p.entity, p.id, p.field) for p in report.problems if p.key == "check.changed"}
    village_id = villages.get_village(office, "V09")["id"]
    assert changed == {("member", str(member["id"]), "name"),
                       ("member", str(member["id"]), "phone"),
                       ("village", str(village_id), "code")}
    assert report.checks["records"] == "problems" and report.checks["journal"] == "ok"
    text = [p.message() for p in report.problems]
    assert any("name is 李四" in m and "王建国" in m for m in text)
    # Phones stay masked in the report, both the stored one and the journaled one.
    assert not any("13900000000" in m or "13812345678" in m for m in text)


def test_records_inserted_or_deleted_behind_its_back_are_named(office, db_url):
    _fill(office)
    west = villages.get_village(office, "V02")["id"]
    run_sql(db_url, 'INSERT INTO "village" ("name", "code", "relocation_status", "notes", '
            '"created_at", "version") VALUES (?, ?, ?, ?, ?, 1)',
            ("北村", "V07", "not_affected", "", "2026-11-27 02:00:00"))
    run_sql(db_url, 'DELETE FROM "village" WHERE "id" = ?', (west,))
    report = check.run(office)
    found = {(p.key, p.entity) for p in report.problems}
    assert ("check.unjournaled", "village") in found
    assert ("check.missing", "village") in found
    missing = next(p for p in report.problems if p.key == "check.missing")
    assert missing.id == str(west)


def test_a_row_pointing_to_a_missing_parent_is_reported(office, db_url):
    member = _fill(office)
    if office.is_postgres:  # constraints off for this session, as a superuser's restore can
        run_sql(db_url, 'SET LOCAL session_replication_role = replica; '
                'UPDATE "term" SET "person_id" = 999 WHERE "person_id" = ?', (member["id"],))
    else:
        with sqlite3.connect(_path(office)) as raw:  # foreign keys are off unless asked
            raw.execute('UPDATE "term" SET "person_id" = 999 WHERE "person_id" = ?',
                        (member["id"],))
    report = check.run(office)
    orphans = [p for p in report.problems if p.check == "foreign_keys"]
    assert [(p.params["table"], p.params["parent"]) for p in orphans] == [("term", "person")]
    assert "points to a missing row of person" in orphans[0].message()


def test_a_broken_chain_is_reported_beside_the_other_checks(office, db_url):
    _fill(office)
    run_sql(db_url, 'UPDATE "journal" SET "note" = ? WHERE "id" = 2', ("edited",))
    report = check.run(office)
    assert report.checks["journal"] == "problems"
    assert [p.id for p in report.problems if p.check == "journal"] == ["2"]
    assert report.checks["records"] == "ok"


def test_journal_snapshots_compare_with_stored_values():
    import datetime as dt
    from decimal import Decimal

    assert check.same(dt.date(2026, 1, 2), "2026-01-02")
    assert check.same(dt.datetime(2026, 1, 2, 2, 0), "2026-01-02T10:00:00+08:00")
    assert not check.same(dt.datetime(2026, 1, 2, 2, 0), "2026-01-02T10:00:00+00:00")
    assert check.same(Decimal("1.50"), 1.5) and check.same(Decimal("2"), "2")
    assert check.same(True, True) and check.same(1, True) and not check.same(0, True)
    assert check.same('["a", "b"]', ["a", "b"]) and check.same("a\nb", ["a", "b"])
    assert check.same("", []) and not check.same("x", None)
    assert check.same("email,webhook", ["email", "webhook"])  # a staff member's channels
    assert not check.same("email", ["email", "webhook"])


def test_the_whole_sample_office_passes_every_check(office):
    """Every area's records against their journal: the sample touches them all, so a new
    area whose stored form and journal snapshot disagree shows here."""
    from ledger.setup import initialise

    initialise(office, example=True)
    report = check.run(office)
    assert report.ok, [p.message() for p in report.problems][:5]


def test_backup_on_postgresql_says_what_to_use(office):
    if not office.is_postgres:
        pytest.skip("the PostgreSQL case")
    for call in (lambda: backup.backup(office), lambda: backup.restore(office, Path("x.db"))):
        with pytest.raises(Unsupported) as caught:
            call()
        assert caught.value.exit_code == 2
    assert "pg_dump" in str(Unsupported("error.backup_postgres", url=office.url))


# --- backups and restores (SQLite) --------------------------------------------------------

@pytest.mark.sqlite_only(SQLITE_FILES)
def test_backup_is_private_checked_and_carries_its_checkpoint(sqlite_office, tmp_path):
    _fill(sqlite_office)
    file = tmp_path / "night.db"
    done = backup.backup(sqlite_office, file)
    point = tmp_path / "night.db.checkpoint.json"
    assert done["file"] == str(file) and done["checkpoint"] == str(point)
    assert _mode(file) == _mode(point) == 0o600
    assert not (tmp_path / "night.db.partial").exists()
    with sqlite3.connect(file) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one file
    doc = json.loads(point.read_text(encoding="utf-8"))
    assert (doc["entries"], doc["hash"]) == (done["entries"], done["hash"])
    assert doc["backup"] == "night.db"
    head = checkpoint.head(sqlite_office)
    assert (head.entries, head.hash) == (done["entries"], done["hash"])
    with pytest.raises(StorageError) as caught:
        backup.backup(sqlite_office, file)
    assert caught.value.key == "error.backup_exists"
    with pytest.raises(StorageError) as nowhere:
        backup.backup(sqlite_office, tmp_path / "no" / "such.db")
    assert nowhere.value.key == "error.backup_no_directory"


@pytest.mark.sqlite_only(SQLITE_FILES)
def test_default_backup_goes_to_the_data_folder_named_by_the_office_clock(
        sqlite_office, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    first = Path(backup.backup(sqlite_office)["file"])
    second = Path(backup.backup(sqlite_office)["file"])  # same fixed clock: another name
    assert first.parent == tmp_path / "data" / "jiedao-ledger" / "backups"
    assert _mode(first.parent) == 0o700
    assert first.name == "office-20261127-100000.db"
    assert second.name == "office-20261127-100000-2.db"


@pytest.mark.sqlite_only("a second connection writes into the SQLite file during the backup")
def test_a_backup_taken_while_a_clerk_writes_is_consistent(sqlite_office, tmp_path):
    _fill(sqlite_office)
    stop = threading.Event()
    errors: list[BaseException] = []

    def clerk() -> None:
        try:
            mine = open_office(sqlite_office.url, operator="clerk", clock=sqlite_office.clock,
                               settings=sqlite_office.settings)
            n = 0
            while not stop.is_set() and n < 400:
                n += 1
                villages.add_village(mine, name=f"村{n}", code=f"W{n:03d}")
            mine.close()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    writer = threading.Thread(target=clerk)
    writer.start()
    files = []
    try:
        for i in range(5):
            files.append(Path(backup.backup(sqlite_office, tmp_path / f"b{i}.db")["file"]))
    finally:
        stop.set()
        writer.join(60)
    assert errors == []
    for file in files:
        copy = open_office(f"sqlite:///{file}", operator="checker", clock=sqlite_office.clock)
        try:
            report = check.run(copy)
            assert report.ok, [p.message() for p in report.problems]
            saved = checkpoint.read(checkpoint.beside(file))
            assert checkpoint.compare(copy, saved).ok
            assert saved.entries == report.journal_entries
        finally:
            copy.close()


@pytest.mark.sqlite_only(SQLITE_FILES)
def test_restore_brings_a_backup_back_and_keeps_the_replaced_database(sqlite_office, tmp_path):
    _fill(sqlite_office)
    file = tmp_path / "before.db"
    saved_head = backup.backup(sqlite_office, file)
    villages.add_village(sqlite_office, name="南村", code="V03")
    asked = []
    result = backup.restore(sqlite_office, file, confirm=asked.append)
    assert asked and asked[0]["entries"] == saved_head["entries"]
    assert [v["code"] for v in villages.list_villages(sqlite_office, limit=10)] == ["V01", "V02"]
    last = list(journal.entries(sqlite_office, newest_first=True, limit=1))[0]
    assert (last["entity"], last["action"]) == ("database", "restore")
    assert last["after"]["file"] == str(file)
    assert checkpoint.head(sqlite_office).entries == saved_head["entries"] + 1
    assert check.run(sqlite_office).ok
    aside = Path(result["saved_as"])
    assert aside.name.startswith("office.db.before-restore-20261127-100000")
    assert _mode(aside) == 0o600
    # The replaced database is a whole one: restoring it undoes the restore.
    backup.restore(sqlite_office, aside)
    assert [v["code"] for v in villages.list_villages(sqlite_office, limit=10)] == [
        "V01", "V02", "V03"]
    with sqlite3.connect(_path(sqlite_office)) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def _refused(office, file: Path, key: str) -> None:
    path = _path(office)
    before = run_sql(office.url, 'SELECT count(*) FROM "journal"')
    with pytest.raises(StorageError) as caught:
        backup.restore(office, file, confirm=lambda info: pytest.fail("asked"))
    assert caught.value.key == key, caught.value.message()
    assert str(file) in caught.value.message()
    assert run_sql(office.url, 'SELECT count(*) FROM "journal"') == before
    assert not list(path.parent.glob("*.before-restore-*"))


@pytest.mark.sqlite_only(SQLITE_FILES)
def test_restore_refuses_what_is_not_a_good_backup(sqlite_office, tmp_path):
    _fill(sqlite_office)
    text = tmp_path / "notes.db"
    text.write_text("not a database", encoding="utf-8")
    _refused(sqlite_office, text, "error.restore_not_sqlite")
    _refused(sqlite_office, tmp_path / "missing.db", "error.restore_missing")
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as raw:
        raw.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
    _refused(sqlite_office, foreign, "error.restore_foreign")
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    empty.write_bytes(b"SQLite format 3\x00" + bytes(4096 - 16))
    with pytest.raises(StorageError):
        backup.restore(sqlite_office, empty)
    newer = tmp_path / "newer.db"
    backup.backup(sqlite_office, newer)
    with sqlite3.connect(newer) as raw:
        raw.execute("INSERT INTO schema_migration (name, applied) VALUES ('9999_future', "
                    "'2030-01-01')")
    _refused(sqlite_office, newer, "error.restore_newer")
    chain = tmp_path / "chain.db"
    backup.backup(sqlite_office, chain)
    checkpoint.beside(chain).unlink()
    with sqlite3.connect(chain) as raw:
        raw.execute("UPDATE journal SET note = 'edited' WHERE id = 2")
    _refused(sqlite_office, chain, "error.restore_chain")
    altered = tmp_path / "altered.db"
    backup.backup(sqlite_office, altered)
    with sqlite3.connect(altered) as raw:  # the last entry gone: the chain still verifies
        raw.execute("DELETE FROM journal WHERE id = (SELECT max(id) FROM journal)")
    _refused(sqlite_office, altered, "error.restore_checkpoint")
    _refused(sqlite_office, _path(sqlite_office), "error.restore_same")


@pytest.mark.sqlite_only(SQLITE_FILES)
def test_restore_refuses_a_file_failing_its_integrity_check(sqlite_office, tmp_path):
    _fill(sqlite_office)
    file = tmp_path / "damaged.db"
    backup.backup(sqlite_office, file)
    data = bytearray(file.read_bytes())
    page = 4096
    middle = (len(data) // page // 2) * page
    data[middle: middle + page] = bytes([0xA5]) * page  # an invalid page type and all
    file.write_bytes(bytes(data))
    _refused(sqlite_office, file, "error.restore_corrupt")


@pytest.mark.sqlite_only(SQLITE_FILES)
def test_a_backup_from_an_older_schema_is_restored_upgraded(sqlite_office, tmp_path):
    from ledger import db as dbmod

    _fill(sqlite_office)
    old = tmp_path / "old.db"
    database = dbmod.connect(f"sqlite:///{old}", create=True)
    try:
        dbmod._runner(database).up(target="0009_decisions")
        assert dbmod.schema_status(database).pending  # older than this program
    finally:
        database.close()
        dbmod.database_proxy.initialize(sqlite_office.db)
    result = backup.restore(sqlite_office, old)
    assert result["older"] and result["schema"] == 9
    assert dbmod.schema_status(sqlite_office.db).current
    assert villages.list_villages(sqlite_office, limit=10) == []
    assert check.run(sqlite_office).ok
    with sqlite3.connect(old) as raw:  # the backup itself is left as it was
        assert raw.execute("SELECT count(*) FROM schema_migration").fetchone()[0] == 9


@pytest.mark.sqlite_only(SQLITE_FILES)
def test_a_clerk_with_the_office_open_sees_the_restored_records(sqlite_office, tmp_path):
    _fill(sqlite_office)
    file = tmp_path / "b.db"
    backup.backup(sqlite_office, file)
    clerk = open_office(sqlite_office.url, operator="clerk", clock=sqlite_office.clock,
                        settings=sqlite_office.settings)
    try:
        villages.add_village(clerk, name="南村", code="V03")  # then the restore takes it away
        assert len(villages.list_villages(clerk, limit=10)) == 3
        backup.restore(sqlite_office, file)
        database_proxy.bind_thread(clerk.db)  # the clerk's own connection, opened before
        assert [v["code"] for v in villages.list_villages(clerk, limit=10)] == ["V01", "V02"]
        villages.add_village(clerk, name="北村", code="V04")  # and writes on after it
    finally:
        clerk.close()
    report = check.run(sqlite_office)
    assert report.ok, [p.message() for p in report.problems]
    assert [v["code"] for v in villages.list_villages(sqlite_office, limit=10)] == [
        "V01", "V02", "V04"]
