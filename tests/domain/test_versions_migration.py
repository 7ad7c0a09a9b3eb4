"""Migration 0004 (versions): a database written before it upgrades with every editable
record at version 1, on SQLite and PostgreSQL, and its records then edit with versions."""

from __future__ import annotations

import datetime as dt

import peewee
import pytest
from playhouse.migrations import Runner

from ledger import db as dbmod
from ledger import members, open_office, villages
from ledger.errors import StaleVersion

NOW = dt.datetime(2026, 11, 27, 2, 0)



def test_records_written_before_versions_start_at_one_and_edit_with_them(office, empty_url):
    database = dbmod.connect(empty_url, create=True)
    Runner(database, dbmod.MIGRATIONS_DIR, table_name=dbmod.HISTORY_TABLE).up("0003_petitions")
    peewee.Table("village").bind(database).insert(
        code="V01", name="东村", relocation_status="not_affected", notes="",
        created_at=NOW).execute()
    peewee.Table("person").bind(database).insert(
        name="张三", name_initials="zs", name_pinyin="zhangsan", gender="", phone="",
        education="", political_status="", college_graduate_official=False, notes="",
        village_id=1, created_at=NOW).execute()
    assert "0004_versions" in dbmod.upgrade(database)
    database.close()

    upgraded = open_office(empty_url, operator="t", clock=office.clock, settings=office.settings)
    try:
        assert villages.get_village(upgraded, "V01")["version"] == 1
        person = members.get_member(upgraded, 1)
        assert person["version"] == 1
        assert members.edit_member(upgraded, 1, version=1, notes="a")["version"] == 2
        with pytest.raises(StaleVersion):
            members.edit_member(upgraded, 1, version=1, notes="b")
        for table in ("village", "person", "term", "service_item", "ticket", "petition"):
            columns = {c.name: c for c in upgraded.db.get_columns(table)}
            assert not columns["version"].null, table
    finally:
        upgraded.close()
