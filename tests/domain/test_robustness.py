"""Bad input at the edges of the domain: ids beyond the database's integers, dates outside the
calendar, settings checked when they are loaded, operator names the journal cannot hold, and
the unit of work (nested transactions, the sample office in one transaction)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ledger import Clock, items, members, open_office, petitions, tickets, villages
from ledger import db as dbmod
from ledger.config import load_settings
from ledger.errors import ConfigError, Conflict, NotFound, ValidationError
from ledger.models import JournalEntry, Village
from ledger.office import OPERATOR_MAX_LENGTH, check_operator

# --- ids beyond what a column holds ------------------------------------------------------

BEYOND = [2**31, 2**63, 10**20]  # PostgreSQL's integer, SQLite's integer, neither


@pytest.mark.parametrize("ref", BEYOND + [str(n) for n in BEYOND])
def test_an_id_beyond_the_databases_integers_is_simply_not_found(office, ref):
    villages.add_village(office, name="许庄村", code="V01")
    lookups = [
        lambda: members.get_member(office, ref),
        lambda: villages.get_village(office, ref),
        lambda: items.get_item(office, ref),
        lambda: tickets.get_ticket(office, ref),
        lambda: petitions.get_petition(office, ref),
    ]
    for lookup in lookups:
        with pytest.raises(NotFound):
            lookup()


@pytest.mark.parametrize(("value", "expected"), [
    (42, 42), ("42", 42), (" 7 ", 7), (dbmod.MAX_ID, dbmod.MAX_ID),
    (0, None), (-1, None), ("-1", None), (True, None), ("4.2", None), ("٣", None),
    ("", None), (None, None), (dbmod.MAX_ID + 1, None),
])
def test_parse_id(value, expected):
    assert dbmod.parse_id(value) == expected


# --- dates ---------------------------------------------------------------------------------

@pytest.mark.parametrize("when", ["9999-12-31", "2101-01-01", "1899-12-31",
                                  "9999-12-31T23:00:00-01:00"])
def test_an_as_of_date_outside_the_calendar_is_refused(when):
    with pytest.raises(ValidationError) as err:
        Clock.at(when)
    assert err.value.field == "as_of" and "2100-12-31" in err.value.message()


def test_the_edges_of_the_calendar_are_usable():
    assert Clock.at("2100-12-31").today() == dt.date(2100, 12, 31)
    assert Clock.at("1900-01-01").today() == dt.date(1900, 1, 1)


# --- settings --------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "line", "words"), [
    ('[office]\nname = "x"\ntimezone = "Mars/Olympus"\n', 3, "time zone"),
    ('[office]\ntimezone = "../../etc/passwd"\n', 2, "time zone"),
    ('[office]\nname = ""\n', 2, "office.name"),
    ('[office]\nname = "a\\u001b]0;owned\\u0007"\n', 2, "control characters"),
    ('[petitions]\ncategories = "other"\n', 2, "petitions.categories"),
    ('[petitions]\ncategories = [1, 2]\n', 2, "list of distinct texts"),
    ('[petitions]\ncategories = []\n', 2, "list of distinct texts"),
    ('[petitions]\ncategories = ["a", "a"]\n', 2, "list of distinct texts"),
    ('[petitions]\ndue_soon_days = 99999999999\n', 2, "from 0 to 60"),
    ('[petitions]\nrepeat_window_days = 0\n', 2, "from 1 to 3650"),
    ('[tickets]\nnumber_prefix = "db"\n', 2, "capital letters"),
    ('[tickets]\nnumber_prefix = "D-B"\n', 2, "capital letters"),
    ('[tickets]\nnumber_prefix = "ABCDEFGHIJK"\n', 2, "capital letters"),
    ('[petitions]\nnumber_prefix = "信访"\n', 2, "capital letters"),
    ('[terms]\nyears_since_2018 = -5\n', 2, "from 1 to 10"),
    ('[terms]\nyears_before_2018 = 0\n', 2, "from 1 to 10"),
    ('[training]\nrequired_hours = 100000\n', 2, "from 0 to 1000"),
    ("tickets.due_soon_working_days = 365\n", 1, "from 0 to 60"),
])
def test_settings_are_checked_when_loaded_naming_file_and_line(tmp_path: Path, text, line,
                                                                words):
    path = tmp_path / "office.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(path, explicit=True)
    message = err.value.message()
    assert f"office.toml line {line}:" in message and words in message
    assert "\x1b" not in message and "\n" not in message
    assert err.value.exit_code == 2


def test_sensible_settings_load(tmp_path: Path):
    path = tmp_path / "office.toml"
    path.write_text('[office]\ntimezone = "Europe/Berlin"\n[tickets]\nnumber_prefix = '
                    '"ABCDEFGHIJ"\n[petitions]\nnumber_prefix = "X"\ncategories = ["甲", "乙"]\n'
                    '[terms]\nyears_since_2018 = 5\n', encoding="utf-8")
    settings = load_settings(path, explicit=True)
    assert settings["tickets.number_prefix"] == "ABCDEFGHIJ"
    assert settings["petitions.categories"] == ["甲", "乙"]


def test_a_key_declared_without_a_check_gets_its_types_backstop(tmp_path: Path, monkeypatch):
    from ledger import config

    monkeypatch.setitem(config.SETTINGS, "later.host", ("", str, None))
    monkeypatch.setitem(config.SETTINGS, "later.count", (5, int, None))
    path = tmp_path / "office.toml"
    path.write_text('[later]\nhost = ""\ncount = 100\n', encoding="utf-8")
    assert load_settings(path, explicit=True)["later.count"] == 100
    for text, words in [('[later]\nhost = "a\\u0007"\n', "control characters"),
                        ("[later]\ncount = 99999999999999999999\n", "from 0 to 100000"),
                        ("[later]\ncount = -1\n", "from 0 to 100000")]:
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError) as err:
            load_settings(path, explicit=True)
        assert "line 2" in err.value.message() and words in err.value.message()


@pytest.mark.parametrize("prefix", ["A", "ABCDEFGHIJ"])
def test_every_prefix_the_settings_accept_gives_numbers_that_are_found(office, prefix):
    """The settings' prefix rule and the number pattern lookups use must agree."""
    office.settings = office.settings.with_overrides({"tickets.number_prefix": prefix}, "test")
    items.add_item(office, code="R11", name="重度残疾人护理补贴", category="残疾人服务",
                   level="district", time_limit_days=20, materials="身份证")
    opened = tickets.open_ticket(office, item="R11", applicant_name="许桂兰",
                                 applicant_phone="13812345678", materials=True,
                                 received_at=dt.datetime(2026, 11, 2, 9, 0))
    assert opened["number"].startswith(prefix + "-")
    assert tickets.get_ticket(office, opened["number"])["id"] == opened["id"]
    assert tickets.get_ticket(office, opened["number"].lower())["id"] == opened["id"]


# --- the operator ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["", "   ", "x" * (OPERATOR_MAX_LENGTH + 1), "王\x1b[2J",
                                  "a\nb", "\udcff"])
def test_an_operator_the_journal_cannot_hold_is_refused_at_once(db_url, name):
    with pytest.raises(ConfigError) as err:
        check_operator(name, "--as")
    assert "--as" in err.value.message() and err.value.exit_code == 2
    with pytest.raises(ConfigError):
        open_office(db_url, operator=name)


def test_the_longest_operator_allowed_is_journaled_whole(office):
    name = "许" * OPERATOR_MAX_LENGTH
    clerk = open_office(office.url, operator=name, clock=office.clock, settings=office.settings)
    try:
        villages.add_village(clerk, name="许庄村", code="V01")
        assert [e.operator for e in JournalEntry.select()] == [name]
    finally:
        clerk.close()


def test_jiedao_operator_is_checked_and_named(monkeypatch, db_url):
    monkeypatch.setenv("JIEDAO_OPERATOR", "x" * 500)
    with pytest.raises(ConfigError) as err:
        open_office(db_url)
    assert "JIEDAO_OPERATOR" in err.value.message()


def test_an_empty_url_is_not_the_default_database(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    with pytest.raises(ConfigError):
        open_office("", operator="tester")
    assert not any(tmp_path.iterdir())


# --- the unit of work ------------------------------------------------------------------------

def _codes() -> list[str]:
    return [v.code for v in Village.select().order_by(Village.code)]


def test_a_use_case_inside_a_transaction_is_a_savepoint(office):
    with office.transaction():
        villages.add_village(office, name="许庄村", code="V01")
        with pytest.raises(RuntimeError), office.transaction():
            villages.add_village(office, name="东王村", code="V02")
            raise RuntimeError("the inner part fails")
        # A refused write inside: on PostgreSQL the transaction stays usable.
        with pytest.raises(Conflict), office.transaction():
            Village.create(code="V01", name="重复", relocation_status="not_affected",
                           notes="", created_at=office.now())
        villages.add_village(office, name="西村", code="V03")
    assert _codes() == ["V01", "V03"]
    assert len(list(JournalEntry.select())) == 2


def test_a_failed_outer_transaction_takes_its_use_cases_with_it(office):
    with pytest.raises(RuntimeError), office.transaction():
        villages.add_village(office, name="许庄村", code="V01")
        villages.add_village(office, name="东王村", code="V02")
        raise RuntimeError("interrupted")
    assert _codes() == []
    assert list(JournalEntry.select()) == []
    villages.add_village(office, name="许庄村", code="V01")  # and the office carries on
    assert _codes() == ["V01"]


def test_an_interrupted_sample_leaves_nothing_and_a_rerun_succeeds(office, monkeypatch):
    import ledger.sample
    import ledger.sample.tickets
    from ledger.models import NumberSequence, Person, ServiceItem
    from ledger.setup import initialise

    def killed(office, rng) -> None:
        raise RuntimeError("killed part-way")

    # Members are filled first, then tickets: the failure comes after real sample rows.
    monkeypatch.setattr(ledger.sample.tickets, "fill", killed)
    with pytest.raises(RuntimeError):
        initialise(office, example=True)
    for model in (Village, Person, ServiceItem, NumberSequence, JournalEntry):
        assert model.select().count() == 0, model.__name__
    # The rerun is not refused as "already holds records" (members only, to stay quick).
    monkeypatch.setattr(ledger.sample, "AREAS", ("members",))
    initialise(office, example=True)
    assert Village.select().count() == 9


def test_the_example_settings_file_passes_its_own_checks():
    path = Path(__file__).resolve().parents[2] / "examples" / "config.toml"
    settings = load_settings(path, explicit=True)
    assert settings.source("petitions.categories") == str(path)
    assert settings["tickets.number_prefix"] == "DB"


def test_a_read_only_connection_sees_the_schema_and_cannot_write(office):
    import peewee

    looking = dbmod.connect(office.url, read_only=True)
    try:
        assert dbmod.schema_status(looking).state == "current"
        with pytest.raises(peewee.DatabaseError):
            looking.execute_sql("CREATE TABLE intruder (a integer)")
    finally:
        looking.close()
    assert "intruder" not in office.db.get_tables()
