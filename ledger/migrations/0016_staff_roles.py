"""Schema 16: who may do what (issue #13). A staff record's ``role`` (supervisor, clerk,
viewer; empty: none) and ``login`` (the OS or database login that is this person when it
differs from the name). Existing staff get no role: an office where nobody holds one stays in
setup mode (``ledger.access``), so an upgrade locks nobody out.

Plain ``ALTER TABLE … ADD COLUMN … NOT NULL DEFAULT ''`` on both databases.
"""
from peewee import *

COLUMNS = (('role', 20), ('login', 100))


def up(migrator, db):
    for column, length in COLUMNS:
        db.execute_sql(f'ALTER TABLE "staff" ADD COLUMN "{column}" VARCHAR({length}) '
                       "NOT NULL DEFAULT ''")


def down(migrator, db):
    migrator.migrate(*[migrator.drop_column('staff', column) for column, _ in COLUMNS])
