"""The base every area stands on: schema versions, the journal's chain, numbering, settings."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from ledger import db as dbmod
from ledger import journal, numbering
from ledger.config import load_settings
from ledger.errors import ConfigError, SchemaError, StorageError
from ledger.models import JournalEntry


def test_journal_chain_verifies_and_names_an_altered_row(office):
    with office.transaction():
        journal.record(office, "village", 1, "create", after={"name": "东村"})
        journal.record(office, "village", 1, "update", before={"name": "东村"},
                       after={"name": "东一村"})
        journal.record(office, "village", 2, "create", after={"name": "西村"})
    assert journal.verify(office).ok
    second = JournalEntry.select().order_by(JournalEntry.id).offset(1).first()
    JournalEntry.update(after='{"name":"改过"}').where(JournalEntry.id == second.id).execute()
    result = journal.verify(office)
    assert not result.ok
    assert result.bad_id == second.id
    assert result.reason == "hash"


def test_journal_detects_a_deleted_row(office):
    with office.transaction():
        for i in range(3):
            journal.record(office, "village", i, "create", after={"i": i})
    first = JournalEntry.select().order_by(JournalEntry.id).first()
    JournalEntry.delete().where(JournalEntry.id == first.id).execute()
    result = journal.verify(office)
    assert (result.ok, result.reason) == (False, "link")


def test_journal_entry_is_rolled_back_with_its_change(office):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), office.transaction():
        journal.record(office, "village", 1, "create", after={})
        raise Boom
    assert JournalEntry.select().count() == 0


def test_numbers_count_per_prefix_and_year(office):
    with office.transaction():
        first = numbering.next_number(office, "DB", 2026)
        second = numbering.next_number(office, "DB", 2026)
        other = numbering.next_number(office, "XF", 2026)
        next_year = numbering.next_number(office, "DB", 2027)
    assert (first, second, other, next_year) == (
        "DB-2026-0001", "DB-2026-0002", "XF-2026-0001", "DB-2027-0001")


@pytest.mark.sqlite_only("inspects the SQLite file: its mode bits and pragmas")
def test_new_sqlite_file_is_private_and_in_wal(tmp_path: Path):
    path = tmp_path / "new.db"
    database = dbmod.connect(f"sqlite:///{path}", create=True)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    database.close()


@pytest.mark.sqlite_only("about SQLite file paths: a missing folder or file, a directory")
def test_missing_database_and_missing_directory_are_clear_errors(tmp_path: Path):
    with pytest.raises(StorageError) as missing:
        dbmod.connect(f"sqlite:///{tmp_path / 'none.db'}")
    assert "jiedao" in missing.value.message() and "init" in missing.value.message()
    with pytest.raises(StorageError) as no_dir:
        dbmod.connect(f"sqlite:///{tmp_path / 'no' / 'where.db'}", create=True)
    assert "does not exist" in no_dir.value.message()


def test_newer_and_older_schemas_are_refused(new_db_url: str):
    database = dbmod.connect(new_db_url, create=True)
    dbmod.upgrade(database)
    database.execute_sql("INSERT INTO schema_migration (name, applied) "
                         "VALUES ('9999_future', '2030-01-01')")
    with pytest.raises(SchemaError) as too_new:
        dbmod.check_schema(database)
    assert "upgrade jiedao-ledger" in too_new.value.message()
    database.execute_sql("DELETE FROM schema_migration")
    with pytest.raises(SchemaError) as too_old:
        dbmod.check_schema(database)
    assert "jiedao db upgrade" in too_old.value.message()


def test_settings_file_errors_name_file_and_line(tmp_path: Path):
    good = tmp_path / "good.toml"
    good.write_text('[office]\nname = "东风街道"\n[terms]\nyears_since_2018 = 5\n',
                    encoding="utf-8")
    settings = load_settings(good, explicit=True)
    assert settings["office.name"] == "东风街道"
    assert settings.source("office.name") == str(good)
    assert settings.source("office.timezone") == "default"

    unknown = tmp_path / "unknown.toml"
    unknown.write_text('[office]\nname = "x"\ncolour = "red"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(unknown, explicit=True)
    assert "line 3" in err.value.message() and "office.colour" in err.value.message()
    assert err.value.exit_code == 2

    broken = tmp_path / "broken.toml"
    broken.write_text('[office]\nname = "unterminated\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(broken, explicit=True)
    assert "line 2" in err.value.message()

    bad_value = tmp_path / "bad.toml"
    bad_value.write_text('[petitions]\nday_counting = "lunar"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(bad_value, explicit=True)
    assert "petitions.day_counting" in err.value.message()
