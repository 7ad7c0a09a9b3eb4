"""Schema 15: the journal's keyed chain (issue #13, "The journal's tail").

``journal_key`` holds one row, written by the first journal entry after this upgrade: the
office's identity (which key file is this database's), the position from which entries are
hashed with the office's key (HMAC-SHA256) rather than plain SHA-256, and the key's seal over
that position (``ledger.journalkey``). Existing entries are not touched: they keep their
plain hashes and still verify; the first keyed entry chains on the last of them.

A new table only: no row of another table changes.
"""
from peewee import *


def up(migrator, db):
    class JournalKey(Model):
        office = CharField(max_length=32)
        keyed_after = IntegerField(null=True)
        chained_on = CharField(max_length=64, null=True)
        key_id = CharField(max_length=16, null=True)
        seal = CharField(max_length=64, null=True)

        class Meta:
            database = db
            table_name = 'journal_key'
    db.create_tables([JournalKey])


def down(migrator, db):
    db.execute_sql('DROP TABLE "journal_key"')
