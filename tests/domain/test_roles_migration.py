"""Migration 0016 (staff roles): staff from before it get no role and no login, so the
upgraded office is in setup mode and nobody is locked out; down takes both columns away. On
SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from playhouse.migrations import Runner
from rawdb import insert_row

from ledger import access, open_office, staff, villages
from ledger import db as dbmod

BEFORE = "0014_staff_refs"
NOW = dt.datetime(2026, 11, 27, 2, 0)
STAFF = {"post": "", "phone": "", "email": "", "language": "zh", "channels": "",
         "webhook_url": "", "webhook_kind": "generic", "notes": "", "version": 1,
         "created_at": NOW, "updated_at": NOW}


def _columns(database, table: str) -> set[str]:
    return {c.name for c in database.get_columns(table)}


def test_migration_16_roles_up_and_down(office, empty_url, clock):
    database = dbmod.connect(empty_url, create=True)
    runner = Runner(database, dbmod.MIGRATIONS_DIR, table_name=dbmod.HISTORY_TABLE)
    runner.up(BEFORE)
    insert_row(database, "staff", name="王芳", active=True, **STAFF)
    assert "0016_staff_roles" in dbmod.upgrade(database)
    assert {"role", "login"} <= _columns(database, "staff")
    database.close()
    upgraded = open_office(empty_url, operator="anyone", clock=clock)
    try:
        (row,) = staff.list_staff(upgraded)
        assert (row["role"], row["login"]) == ("", "")
        assert access.role_of(upgraded) is None  # setup mode: nobody locked out
        villages.add_village(upgraded, name="许庄村", code="V01")
    finally:
        upgraded.close()
    database = dbmod.connect(empty_url)
    try:
        runner = Runner(database, dbmod.MIGRATIONS_DIR, table_name=dbmod.HISTORY_TABLE)
        assert runner.down("0016_staff_roles")[-1] == "0016_staff_roles"
        assert not {"role", "login"} & _columns(database, "staff")
    finally:
        database.close()
