"""Fixtures: an office on SQLite and, when the server answers, on PostgreSQL.

Domain tests take ``office`` and run on every reachable backend (the fixture is parametrised).
Face tests take ``sqlite_office`` or ``db_url``. The clock is always fixed: tests never depend
on today's date.

PostgreSQL: ``JIEDAO_TEST_PG`` is a server URL without a database (default
``postgresql://root@127.0.0.1:5432``); ``JIEDAO_TEST_PG=off`` skips it. Each test session
(each xdist worker) creates its own database and drops it at the end, so runs never collide.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from ledger import Clock, Office, i18n, open_office
from ledger import db as dbmod
from ledger.config import Settings

TODAY = dt.date(2026, 11, 27)  # a Friday, late in the year
NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

PG_SERVER = os.environ.get("JIEDAO_TEST_PG", "postgresql://root@127.0.0.1:5432")


def _pg_reachable() -> bool:
    if PG_SERVER.lower() in ("off", "0", "no", ""):
        return False
    from urllib.parse import urlparse

    parsed = urlparse(PG_SERVER)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 5432), 1):
            pass
    except OSError:
        return False
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        return False
    return True


PG_OK = _pg_reachable()
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not PG_OK, reason="PostgreSQL not reachable"))]


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages in English unless a test switches; restored after each test."""
    before = i18n.get_language()
    i18n.set_language("en")
    yield
    i18n.set_language(before)


@pytest.fixture
def clock() -> Clock:
    return Clock(tz="Asia/Shanghai", fixed=NOW)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    database = dbmod.connect(f"sqlite:///{path}", create=True)
    dbmod.upgrade(database)
    database.close()
    return path


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    import peewee

    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"jiedao_test_{worker}_{uuid.uuid4().hex[:8]}"
    from ledger._driver import enable_postgres

    enable_postgres()
    admin = peewee.PostgresqlDatabase("test", dsn=f"{PG_SERVER}/test")
    admin.execute_sql(f'CREATE DATABASE "{name}"')
    url = f"{PG_SERVER}/{name}"
    database = dbmod.connect(url)
    dbmod.upgrade(database)
    database.close()
    yield url
    admin.execute_sql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
    admin.execute_sql(f'DROP DATABASE IF EXISTS "{name}"')
    admin.close()


def _truncate_pg(office: Office) -> None:
    tables = ", ".join(f'"{name}"' for name in office.db.get_tables()
                       if name != dbmod.HISTORY_TABLE)
    office.db.execute_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


def make_office(url: str, clock: Clock, settings: Settings | None = None) -> Office:
    return open_office(url, operator="tester", clock=clock, settings=settings or Settings())


@pytest.fixture
def db_url(tmp_path: Path, sqlite_template: Path) -> str:
    """A fresh, migrated, empty SQLite database for face tests."""
    path = tmp_path / "office.db"
    shutil.copy(sqlite_template, path)
    path.chmod(0o600)
    return f"sqlite:///{path}"


@pytest.fixture
def sqlite_office(db_url: str, clock: Clock) -> Iterator[Office]:
    office = make_office(db_url, clock)
    yield office
    office.close()


@pytest.fixture(params=BACKENDS)
def office(request: pytest.FixtureRequest, clock: Clock) -> Iterator[Office]:
    """An empty office on each reachable backend."""
    if request.param == "sqlite":
        url = request.getfixturevalue("db_url")
        office = make_office(url, clock)
    else:
        url = request.getfixturevalue("pg_database")
        office = make_office(url, clock)
        _truncate_pg(office)
    yield office
    office.close()
