"""Schema 12: the office's staff stand duty too (issue #8). Numbered 12 by the lead.

- ``duty_eligible.staff_id`` and ``duty_shift.staff_id`` (reserved since schema 7, always
  NULL so far) become foreign keys to ``staff``; ``duty_unavailability`` gets the column.
- ``person_id`` becomes nullable on eligibility and unavailability: a row names a committee
  member or a staff member. CHECK constraints hold the rule: exactly one of the two on
  eligibility and unavailability, at most one on a shift (neither: a gap).
- Indexes for the staff side, like the member side's: (post, staff) unique on eligibility,
  (staff, starts_at) on shifts (double booking), (staff, date_from) on unavailability.

PostgreSQL alters the tables in place. SQLite cannot add a foreign key or a CHECK to an
existing table, so each of the three is rebuilt the way SQLite documents (new table, copy,
drop, rename; foreign-key enforcement is off while migrations run), with its indexes made
again under their old names. No other table refers to these three, so nothing else moves.
"""
from peewee import *

ONE = '(person_id IS NULL) <> (staff_id IS NULL)'
AT_MOST_ONE = 'person_id IS NULL OR staff_id IS NULL'

SQLITE_TABLES = {
    'duty_eligible': (
        'CREATE TABLE "duty_eligible__new" ("id" INTEGER NOT NULL PRIMARY KEY, '
        '"post_id" INTEGER NOT NULL, "person_id" INTEGER, "staff_id" INTEGER, '
        '"created_at" DATETIME NOT NULL, '
        'FOREIGN KEY ("post_id") REFERENCES "duty_post" ("id") ON DELETE CASCADE, '
        'FOREIGN KEY ("person_id") REFERENCES "person" ("id") ON DELETE RESTRICT, '
        'FOREIGN KEY ("staff_id") REFERENCES "staff" ("id") ON DELETE RESTRICT, '
        'CONSTRAINT "duty_eligible_one_holder" CHECK (' + ONE + '))',
        ['CREATE INDEX "dutyeligible_staff_id" ON "duty_eligible" ("staff_id")',
         'CREATE UNIQUE INDEX "dutyeligible_post_id_staff_id" ON "duty_eligible" '
         '("post_id", "staff_id")']),
    'duty_unavailability': (
        'CREATE TABLE "duty_unavailability__new" ("id" INTEGER NOT NULL PRIMARY KEY, '
        '"person_id" INTEGER, "staff_id" INTEGER, "date_from" DATE NOT NULL, '
        '"date_to" DATE NOT NULL, "reason" VARCHAR(20) NOT NULL, "note" TEXT NOT NULL, '
        '"version" INTEGER NOT NULL, "created_at" DATETIME NOT NULL, '
        'FOREIGN KEY ("person_id") REFERENCES "person" ("id") ON DELETE RESTRICT, '
        'FOREIGN KEY ("staff_id") REFERENCES "staff" ("id") ON DELETE RESTRICT, '
        'CONSTRAINT "duty_unavailability_one_holder" CHECK (' + ONE + '))',
        ['CREATE INDEX "unavailability_staff_id_date_from" ON "duty_unavailability" '
         '("staff_id", "date_from")']),
    'duty_shift': (
        'CREATE TABLE "duty_shift__new" ("id" INTEGER NOT NULL PRIMARY KEY, '
        '"post_id" INTEGER NOT NULL, "day" DATE NOT NULL, "name" VARCHAR(20) NOT NULL, '
        '"starts_at" DATETIME NOT NULL, "ends_at" DATETIME NOT NULL, "person_id" INTEGER, '
        '"staff_id" INTEGER, "source" VARCHAR(10) NOT NULL, "version" INTEGER NOT NULL, '
        '"created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, '
        'FOREIGN KEY ("post_id") REFERENCES "duty_post" ("id") ON DELETE RESTRICT, '
        'FOREIGN KEY ("person_id") REFERENCES "person" ("id") ON DELETE RESTRICT, '
        'FOREIGN KEY ("staff_id") REFERENCES "staff" ("id") ON DELETE RESTRICT, '
        'CONSTRAINT "duty_shift_one_holder" CHECK (' + AT_MOST_ONE + '))',
        ['CREATE INDEX "shift_staff_id_starts_at" ON "duty_shift" ("staff_id", "starts_at")']),
}


def up(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        _postgres(db)
    else:
        for table, (create, indexes) in SQLITE_TABLES.items():
            _rebuild(db, table, create, indexes)


def _postgres(db):
    for sql in (
        'ALTER TABLE duty_eligible ALTER COLUMN person_id DROP NOT NULL',
        'ALTER TABLE duty_eligible ADD CONSTRAINT duty_eligible_staff_id_fkey '
        'FOREIGN KEY (staff_id) REFERENCES staff (id) ON DELETE RESTRICT',
        'ALTER TABLE duty_eligible ADD CONSTRAINT duty_eligible_one_holder CHECK (' + ONE + ')',
        'CREATE INDEX dutyeligible_staff_id ON duty_eligible (staff_id)',
        'CREATE UNIQUE INDEX dutyeligible_post_id_staff_id ON duty_eligible (post_id, staff_id)',
        'ALTER TABLE duty_unavailability ALTER COLUMN person_id DROP NOT NULL',
        'ALTER TABLE duty_unavailability ADD COLUMN staff_id INTEGER '
        'REFERENCES staff (id) ON DELETE RESTRICT',
        'ALTER TABLE duty_unavailability ADD CONSTRAINT duty_unavailability_one_holder '
        'CHECK (' + ONE + ')',
        'CREATE INDEX unavailability_staff_id_date_from ON duty_unavailability '
        '(staff_id, date_from)',
        'ALTER TABLE duty_shift ADD CONSTRAINT duty_shift_staff_id_fkey '
        'FOREIGN KEY (staff_id) REFERENCES staff (id) ON DELETE RESTRICT',
        'ALTER TABLE duty_shift ADD CONSTRAINT duty_shift_one_holder CHECK (' + AT_MOST_ONE + ')',
        'CREATE INDEX shift_staff_id_starts_at ON duty_shift (staff_id, starts_at)',
    ):
        db.execute_sql(sql)


def _rebuild(db, table, create, new_indexes, columns=None):
    """SQLite's twelve-step table change, shortened: nothing refers to ``table``. The
    ``columns`` (default: all of the old table's) are copied under their own names."""
    old_indexes = [sql for (sql,) in db.execute_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL", (table,)).fetchall()]
    names = columns if columns is not None else [c.name for c in db.get_columns(table)]
    columns = ', '.join(f'"{name}"' for name in names)
    db.execute_sql(create)
    db.execute_sql(f'INSERT INTO "{table}__new" ({columns}) SELECT {columns} FROM "{table}"')
    db.execute_sql(f'DROP TABLE "{table}"')
    db.execute_sql(f'ALTER TABLE "{table}__new" RENAME TO "{table}"')
    for sql in old_indexes + new_indexes:
        db.execute_sql(sql)
    broken = db.execute_sql(f'PRAGMA foreign_key_check("{table}")').fetchall()
    if broken:
        raise IntegrityError(f'{table}: rows refer to missing records: {broken[:3]}')


OLD_SQLITE_TABLES = {  # schema 7's tables, as its migration made them
    'duty_eligible': (
        'CREATE TABLE "duty_eligible__new" ("id" INTEGER NOT NULL PRIMARY KEY, '
        '"post_id" INTEGER NOT NULL, "person_id" INTEGER NOT NULL, "staff_id" INTEGER, '
        '"created_at" DATETIME NOT NULL, '
        'FOREIGN KEY ("post_id") REFERENCES "duty_post" ("id") ON DELETE CASCADE, '
        'FOREIGN KEY ("person_id") REFERENCES "person" ("id") ON DELETE RESTRICT)'),
    'duty_unavailability': (
        'CREATE TABLE "duty_unavailability__new" ("id" INTEGER NOT NULL PRIMARY KEY, '
        '"person_id" INTEGER NOT NULL, "date_from" DATE NOT NULL, "date_to" DATE NOT NULL, '
        '"reason" VARCHAR(20) NOT NULL, "note" TEXT NOT NULL, "version" INTEGER NOT NULL, '
        '"created_at" DATETIME NOT NULL, '
        'FOREIGN KEY ("person_id") REFERENCES "person" ("id") ON DELETE RESTRICT)'),
    'duty_shift': (
        'CREATE TABLE "duty_shift__new" ("id" INTEGER NOT NULL PRIMARY KEY, '
        '"post_id" INTEGER NOT NULL, "day" DATE NOT NULL, "name" VARCHAR(20) NOT NULL, '
        '"starts_at" DATETIME NOT NULL, "ends_at" DATETIME NOT NULL, "person_id" INTEGER, '
        '"staff_id" INTEGER, "source" VARCHAR(10) NOT NULL, "version" INTEGER NOT NULL, '
        '"created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, '
        'FOREIGN KEY ("post_id") REFERENCES "duty_post" ("id") ON DELETE RESTRICT, '
        'FOREIGN KEY ("person_id") REFERENCES "person" ("id") ON DELETE RESTRICT)'),
}
NEW_INDEXES = ('dutyeligible_staff_id', 'dutyeligible_post_id_staff_id',
               'unavailability_staff_id_date_from', 'shift_staff_id_starts_at')


def down(migrator, db):
    """Back to schema 11: refused while any row names a staff member (it would be lost, or
    left pointing nowhere); otherwise the constraints and the staff side go."""
    for table in ('duty_eligible', 'duty_unavailability', 'duty_shift'):
        (count,) = db.execute_sql(
            f'SELECT COUNT(*) FROM "{table}" WHERE staff_id IS NOT NULL').fetchone()
        if count:
            raise IntegrityError(f'{table}: {count} rows name staff; schema 11 cannot hold them')
    if isinstance(db, PostgresqlDatabase):
        for index in NEW_INDEXES:
            db.execute_sql(f'DROP INDEX IF EXISTS {index}')
        for sql in (
            'ALTER TABLE duty_eligible DROP CONSTRAINT duty_eligible_one_holder',
            'ALTER TABLE duty_eligible DROP CONSTRAINT duty_eligible_staff_id_fkey',
            'ALTER TABLE duty_eligible ALTER COLUMN person_id SET NOT NULL',
            'ALTER TABLE duty_unavailability DROP CONSTRAINT duty_unavailability_one_holder',
            'ALTER TABLE duty_unavailability DROP COLUMN staff_id',
            'ALTER TABLE duty_unavailability ALTER COLUMN person_id SET NOT NULL',
            'ALTER TABLE duty_shift DROP CONSTRAINT duty_shift_one_holder',
            'ALTER TABLE duty_shift DROP CONSTRAINT duty_shift_staff_id_fkey',
        ):
            db.execute_sql(sql)
        return
    for index in NEW_INDEXES:
        db.execute_sql(f'DROP INDEX IF EXISTS "{index}"')
    for table, create in OLD_SQLITE_TABLES.items():
        if table == 'duty_unavailability':  # schema 11 has no staff_id column here
            _rebuild(db, table, create, [], columns=[
                c.name for c in db.get_columns(table) if c.name != 'staff_id'])
        else:
            _rebuild(db, table, create, [])
