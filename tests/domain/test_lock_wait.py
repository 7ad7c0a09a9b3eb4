"""A writer holding SQLite's write lock longer than the busy timeout (a batch import holds it
for its whole run) makes a clerk's save wait, not fail with "database is locked"
(``Office.transaction`` tries BEGIN again, up to ``db.LOCK_WAIT_SECONDS``); found by
bench/soak.py."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from ledger import db as dbmod
from ledger import villages
from ledger.errors import StorageError

REASON = "SQLite's write lock, held by a raw connection; PostgreSQL waits on row locks"


def _hold_write_lock(office) -> sqlite3.Connection:
    """Another program's write transaction on the office's file, open until committed."""
    path = office.url[len("sqlite:///"):]
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO number_sequence (prefix, year, last) VALUES ('ZZ', 2026, 1)")
    return other


@pytest.mark.sqlite_only(REASON)
def test_a_save_waits_for_a_writer_that_outlasts_the_busy_timeout(sqlite_office):
    office = sqlite_office
    office.db.execute_sql("PRAGMA busy_timeout = 20")  # each BEGIN gives up after 20 ms
    other = _hold_write_lock(office)
    release = threading.Timer(0.5, other.commit)  # many busy timeouts later
    release.start()
    try:
        village = villages.add_village(office, name="许庄村", code="V01")
    finally:
        release.join()
        other.close()
    assert villages.get_village(office, village["id"])["name"] == "许庄村"
    rows = office.db.execute_sql("SELECT count(*) FROM number_sequence").fetchone()[0]
    assert rows == 1  # the other writer's row too: both committed


@pytest.mark.sqlite_only(REASON)
def test_a_writer_holding_the_lock_past_the_wait_is_a_clear_error(sqlite_office, monkeypatch):
    office = sqlite_office
    office.db.execute_sql("PRAGMA busy_timeout = 20")
    monkeypatch.setattr(dbmod, "LOCK_WAIT_SECONDS", 0.2)
    other = _hold_write_lock(office)
    try:
        with pytest.raises(StorageError) as caught:
            villages.add_village(office, name="许庄村", code="V01")
    finally:
        other.rollback()
        other.close()
    assert "locked" in caught.value.message()
    assert villages.list_villages(office) == []  # nothing written


@pytest.mark.sqlite_only(REASON)
def test_a_savepoint_inside_a_transaction_is_not_retried(sqlite_office):
    """Only the outermost BEGIN waits: inside a transaction the lock is already ours."""
    office = sqlite_office
    with office.transaction():
        villages.add_village(office, name="许庄村", code="V01")
        villages.add_village(office, name="东王村", code="V02")
    assert len(villages.list_villages(office)) == 2
