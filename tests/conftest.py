"""Fixtures: an office on SQLite and, when the server answers, on PostgreSQL.

Domain tests take ``office`` and command tests ``db_url``: both run on every reachable backend
(``db_url`` is parametrised, ``office`` opens it). The TUI's tests take ``sqlite_office`` (or
``sqlite_url``); so does a test that truly needs SQLite, marked ``sqlite_only`` with its reason.
The clock is always fixed: tests never depend on today's date.

PostgreSQL: ``JIEDAO_TEST_PG`` is a server URL without a database (default
``postgresql://root@127.0.0.1:5432``); ``JIEDAO_TEST_PG=off`` skips it. Each test session
(each xdist worker) creates and migrates its own database once and drops it at the end, so runs
never collide; each test gets it emptied (see ``_empty_pg``), far cheaper than a new one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
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


@pytest.fixture(scope="session", autouse=True)
def _private_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The settings folder of the whole session in a temporary folder: journal keys
    (``ledger.journalkey``) and settings files never touch the real home. No journal key
    from the environment either; a test that wants one sets it."""
    patch = pytest.MonkeyPatch()
    folder = tmp_path_factory.mktemp("config")
    patch.setenv("XDG_CONFIG_HOME", str(folder))
    patch.delenv("JIEDAO_JOURNAL_KEY", raising=False)
    yield folder
    patch.undo()


@pytest.fixture(autouse=True)
def _no_saved_settings(_private_settings: Path) -> Iterator[None]:
    """A settings file a test saved (a theme, a language chosen in the app) is gone after
    it: the folder is the session's, and the next test would start with those choices."""
    yield
    from ledger import paths

    with contextlib.suppress(FileNotFoundError):
        (paths.config_dir() / "config.toml").unlink()


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


@contextmanager
def _new_pg_database() -> Iterator[str]:
    """A new, empty PostgreSQL database of this worker's own; dropped afterwards."""
    import peewee

    from ledger._driver import enable_postgres

    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"jiedao_test_{worker}_{uuid.uuid4().hex[:8]}"
    enable_postgres()
    admin = peewee.PostgresqlDatabase("test", dsn=f"{PG_SERVER}/test")
    admin.execute_sql(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        admin.execute_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
        admin.execute_sql(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """The worker's migrated PostgreSQL database, made once per session."""
    with _new_pg_database() as url:
        database = dbmod.connect(url)
        dbmod.upgrade(database)
        database.close()
        yield url


@pytest.fixture(params=BACKENDS)
def new_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database that does not exist yet (SQLite: a file to be created) or is empty, without
    tables (PostgreSQL, where the server creates databases): for ``init`` and upgrades."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'new.db'}"
        return
    with _new_pg_database() as url:
        yield url


@pytest.fixture
def empty_url(office: Office, tmp_path: Path) -> Iterator[str]:
    """A new, empty database on the backend of ``office`` (which only chooses it): a
    migration test builds an older schema there, beside the office it compares with."""
    if not office.is_postgres:
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    with _new_pg_database() as url:
        yield url


_EMPTYING: dict[str, tuple[str, str]] = {}


def _empty_pg(url: str) -> None:
    """Every table emptied and its ids restarted; the migration history back to what the
    session's upgrade wrote (a test may record a future migration to see it refused).

    DELETE with the foreign keys' triggers off (``session_replication_role``, for the
    server's superuser) takes some 10 ms where TRUNCATE of every table takes 0.5 s: on
    hundreds of tests that is minutes. Without superuser rights TRUNCATE still works."""
    import peewee

    database = dbmod.connect(url)
    try:
        if url not in _EMPTYING:
            tables = [t for t in database.get_tables() if t != dbmod.HISTORY_TABLE]
            sequences = [row[0] for row in database.execute_sql(
                "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) "
                "FROM pg_sequences WHERE schemaname = current_schema() "
                "AND sequencename NOT LIKE %s", (dbmod.HISTORY_TABLE + "%",)).fetchall()]
            known = ", ".join(f"'{name}'" for name in dbmod.migration_names())
            history = f'DELETE FROM "{dbmod.HISTORY_TABLE}" WHERE name NOT IN ({known});'
            fast = "".join(["SET LOCAL session_replication_role = replica;",
                            *(f'DELETE FROM "{t}";' for t in tables),
                            *(f"SELECT setval('{q}', 1, false);" for q in sequences),
                            history])
            slow = ("TRUNCATE " + ", ".join(f'"{t}"' for t in tables)
                    + " RESTART IDENTITY CASCADE;" + history)
            _EMPTYING[url] = (fast, slow)
        fast, slow = _EMPTYING[url]
        try:
            with database.atomic():
                database.execute_sql(fast)
        except peewee.DatabaseError:
            with database.atomic():
                database.execute_sql(slow)
    finally:
        database.close()


def make_office(url: str, clock: Clock, settings: Settings | None = None) -> Office:
    return open_office(url, operator="tester", clock=clock, settings=settings or Settings())


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """A fresh, migrated, empty SQLite database (a copy of the session's template)."""
    path = tmp_path / "office.db"
    shutil.copy(sqlite_template, path)
    path.chmod(0o600)
    return f"sqlite:///{path}"


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest) -> str:
    """A migrated, empty database on each reachable backend."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    url = str(request.getfixturevalue("pg_database"))
    _empty_pg(url)
    return url


@pytest.fixture
def sqlite_office(sqlite_url: str, clock: Clock) -> Iterator[Office]:
    """An empty office on SQLite only: for the TUI's tests and ``sqlite_only`` ones."""
    office = make_office(sqlite_url, clock)
    yield office
    office.close()


@pytest.fixture
def office(db_url: str, clock: Clock) -> Iterator[Office]:
    """An empty office on each reachable backend (the same database as ``db_url``)."""
    office = make_office(db_url, clock)
    yield office
    office.close()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only(reason): the test needs SQLite itself (its file, its paths); "
        "listed in DEVELOPING.md")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Domain and command tests run on every backend: one that asks for SQLite alone without
    a ``sqlite_only`` marker saying why is an error, not a quiet gap. A marked test that
    takes a parametrised database keeps only its SQLite case."""
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None and not marker.args:
            raise pytest.UsageError(f"{item.nodeid}: sqlite_only needs a reason")
        parts = Path(str(item.fspath)).parts
        fixtures = set(getattr(item, "fixturenames", ()))
        if (marker is None and ("domain" in parts or "commands" in parts)
                and fixtures & {"sqlite_office", "sqlite_url"}):
            raise pytest.UsageError(
                f"{item.nodeid} uses SQLite only: take office/db_url, or mark it "
                "@pytest.mark.sqlite_only(reason)")
        callspec = getattr(item, "callspec", None)
        params = callspec.params if callspec is not None else {}
        if marker is not None and "postgresql" in (params.get("db_url"),
                                                   params.get("new_db_url")):
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
