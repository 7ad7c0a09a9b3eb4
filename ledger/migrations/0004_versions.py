"""Schema 4: a ``version`` on every editable record (ledger.versions, optimistic concurrency):
villages, people, terms, service items, tickets and petitions. Existing rows start at 1.

Plain ``ALTER TABLE … ADD COLUMN … NOT NULL DEFAULT 1``: both databases add it in place
(peewee's add_column of a NOT NULL column rebuilds every SQLite table, a million tickets too).
"""
from peewee import *

TABLES = ('village', 'person', 'term', 'service_item', 'ticket', 'petition')


def up(migrator, db):
    for table in TABLES:
        db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1')


def down(migrator, db):
    migrator.migrate(*[migrator.drop_column(table, 'version') for table in TABLES])
