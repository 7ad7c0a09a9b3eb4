"""Migration 0015 (the journal key): a journal written before it, hashed with plain SHA-256,
still verifies after the upgrade; the first entry written since keys the chain from there,
and a downgrade of the keyed part is caught, on SQLite and PostgreSQL. The migration adds a
table and reads nothing, so a database at 0014 with a journal stands for any older one."""

from __future__ import annotations

import datetime as dt

from playhouse.migrations import Runner
from rawdb import insert_row, run_sql

from ledger import db as dbmod
from ledger import journal, journalkey, open_office, villages
from ledger.clock import Clock
from ledger.models import database_proxy

BEFORE = "0014_staff_refs"
NOW = dt.datetime(2026, 11, 27, 2, 0)


def _old_journal(url: str) -> str:
    """Schema 14 with three journal entries chained as earlier releases did; the last hash."""
    database = dbmod.connect(url, create=True)
    Runner(database, dbmod.MIGRATIONS_DIR, table_name=dbmod.HISTORY_TABLE).up(BEFORE)
    prev = journal.GENESIS
    for n in range(1, 4):
        fields = {"at": NOW, "operator": "clerk", "entity": "note", "entity_id": str(n),
                  "action": "create", "before": None, "after": f'{{"n":{n}}}', "note": ""}
        digest = journal._digest(prev, NOW, "clerk", "note", str(n), "create", None,
                                 fields["after"], "")
        insert_row(database, "journal", prev_hash=prev, hash=digest, **fields)
        prev = digest
    database.close()
    return prev


def test_an_old_journal_verifies_and_is_keyed_from_its_end(office, empty_url):
    last_hash = _old_journal(empty_url)
    upgraded = open_office(empty_url, operator="clerk", clock=Clock.at(NOW), check=False)
    try:
        assert "0015_journal_key" in dbmod.upgrade(upgraded.db)
        with upgraded.transaction():
            old = journal.verify(upgraded)
            assert old.ok and old.checked == 3 and old.keyed_after is None
        villages.add_village(upgraded, name="东村", code="V01")
        with upgraded.transaction():
            state = journalkey.state()
            assert state is not None
            assert (state.keyed_after, state.chained_on) == (3, last_hash)
            assert journalkey.key_file(state.office).exists()
            now = journal.verify(upgraded)
            assert now.ok and now.checked == 4 and now.keyed_after == 3
        # The keyed entry rewritten with a plain hash, as an old one would be: refused.
        row = run_sql(empty_url, 'SELECT "at", "operator", "entity", "entity_id", "action", '
                      '"before", "after", "note" FROM "journal" WHERE "id" = 4')[0]
        at = row[0] if isinstance(row[0], dt.datetime) else dt.datetime.fromisoformat(
            str(row[0]))
        plain = journal._digest(last_hash, at, *(str(v) if v is not None else None
                                                 for v in row[1:]))
        run_sql(empty_url, 'UPDATE "journal" SET "hash" = ? WHERE "id" = 4', (plain,))
        with upgraded.transaction():
            broken = journal.verify(upgraded)
            assert not broken.ok and broken.reason == "hash" and broken.bad_id == 4
    finally:
        upgraded.close()
        database_proxy.initialize(office.db)
