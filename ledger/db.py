"""Open a database from a URL, check its schema version, migrate it.

SQLite (default) gets WAL, foreign keys, a busy timeout and ``BEGIN IMMEDIATE`` for every
transaction, because a deferred one that reads then writes fails at once with "database is
locked" when another clerk wrote in between. PostgreSQL serves offices with several clerks.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import peewee

from ledger import _driver
from ledger.errors import SchemaError, StorageError
from ledger.models import database_proxy

MIGRATIONS_DIR = str(Path(__file__).parent / "migrations")
HISTORY_TABLE = "schema_migration"
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10000,
    "synchronous": "normal",
    "cache_size": -32000,
}


def default_database_url() -> str:
    from ledger.paths import data_dir

    return "sqlite:///" + str(data_dir() / "ledger.db")


@dataclass(frozen=True)
class Target:
    url: str
    kind: str  # "sqlite" | "postgresql"
    path: Path | None  # the SQLite file


def parse_url(url: str) -> Target:
    """Accept ``sqlite:///path``, a bare path, ``:memory:`` and ``postgresql://…``."""
    if url.startswith(("postgres://", "postgresql://", "postgresql+pool://")):
        return Target(url, "postgresql", None)
    if url.startswith("sqlite://"):
        path = url[len("sqlite:///"):] if url.startswith("sqlite:///") else url[len("sqlite://"):]
        if not path:
            raise StorageError("error.db_url", url=url)
        if path == ":memory:":
            return Target(url, "sqlite", None)
        return Target(url, "sqlite", Path(path))
    if "://" in url:
        raise StorageError("error.db_url", url=url)
    if url == ":memory:":
        return Target("sqlite:///:memory:", "sqlite", None)
    return Target("sqlite:///" + url, "sqlite", Path(url))


def _create_sqlite_file(path: Path, *, create_parents: bool) -> None:
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.exists():
        if not create_parents:
            raise StorageError("error.db_no_directory", path=str(path), directory=str(parent))
        parent.mkdir(parents=True, mode=0o700, exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, stat.S_IRUSR | stat.S_IWUSR)
        os.close(fd)
    except FileExistsError:
        pass
    except OSError as exc:
        raise StorageError("error.db_unopenable", path=str(path), detail=exc.strerror) from None


def connect(url: str, *, create: bool = False, create_parents: bool = False) -> peewee.Database:
    """A connected peewee database for ``url``. ``create`` allows a new SQLite file."""
    target = parse_url(url)
    if target.kind == "postgresql":
        from playhouse.db_url import connect as url_connect

        try:
            _driver.enable_postgres()
            db = url_connect(target.url.replace("postgresql+pool", "postgresql"))
            db.connect(reuse_if_open=True)
        except ImportError:
            raise StorageError("error.db_no_driver", url=_safe(url)) from None
        except peewee.OperationalError as exc:
            raise StorageError("error.db_unreachable", url=_safe(url),
                               detail=str(exc).strip().splitlines()[0]) from None
        return db
    if target.path is not None:
        if not target.path.exists():
            if not create:
                raise StorageError("error.db_missing", path=str(target.path))
            _create_sqlite_file(target.path, create_parents=create_parents)
        elif target.path.is_dir() or not os.access(target.path, os.R_OK | os.W_OK):
            raise StorageError("error.db_unopenable", path=str(target.path),
                               detail="not a readable and writable file")
    db = peewee.SqliteDatabase(
        str(target.path) if target.path else ":memory:",
        pragmas=SQLITE_PRAGMAS,
        lock_type="IMMEDIATE",
        check_same_thread=False,
    )
    try:
        db.connect(reuse_if_open=True)
        db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
    except peewee.DatabaseError as exc:
        raise StorageError("error.db_unopenable", path=str(target.path), detail=str(exc)) from None
    return db


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    parsed = urlparse(url)
    if parsed.password:
        return url.replace(":" + parsed.password + "@", ":***@")
    return url


def migration_names() -> list[str]:
    """The migrations this program ships, in order (file names without ``.py``)."""
    names = [f[:-3] for f in os.listdir(MIGRATIONS_DIR) if re.fullmatch(r"\d+_\w+\.py", f)]
    return sorted(names, key=_index)


def _index(name: str) -> int:
    match = re.match(r"\d+", name)
    return int(match.group()) if match else -1


def code_version() -> int:
    return max((_index(n) for n in migration_names()), default=0)


def applied_migrations(db: peewee.Database) -> list[str]:
    # A plain query, not the migration runner: opening a database on every command start
    # should not import playhouse.migrations (argparse, glob, importlib machinery).
    if not db.table_exists(HISTORY_TABLE):
        return []
    rows = db.execute_sql(f"SELECT name FROM {HISTORY_TABLE}").fetchall()
    return sorted((r[0] for r in rows), key=_index)


def _runner(db: peewee.Database) -> Any:
    from playhouse.migrations import Runner

    return Runner(db, MIGRATIONS_DIR, table_name=HISTORY_TABLE)


@dataclass(frozen=True)
class SchemaStatus:
    database_version: int
    code_version: int
    applied: list[str]
    pending: list[str]
    empty: bool  # no tables at all: a new database

    @property
    def current(self) -> bool:
        return self.database_version == self.code_version


def schema_status(db: peewee.Database) -> SchemaStatus:
    applied = applied_migrations(db)
    pending = [n for n in migration_names() if n not in set(applied)]
    db_version = max((_index(n) for n in applied), default=0)
    empty = not applied and not db.get_tables()
    return SchemaStatus(db_version, code_version(), applied, pending, empty=empty)


def upgrade(db: peewee.Database) -> list[str]:
    """Apply pending migrations; refuse a database newer than the code."""
    status = schema_status(db)
    if status.database_version > status.code_version:
        raise SchemaError("error.schema_too_new", db_version=status.database_version,
                          code_version=status.code_version)
    database_proxy.initialize(db)
    return _runner(db).up()


def check_schema(db: peewee.Database) -> SchemaStatus:
    status = schema_status(db)
    if status.database_version > status.code_version:
        raise SchemaError("error.schema_too_new", db_version=status.database_version,
                          code_version=status.code_version)
    if status.database_version < status.code_version:
        raise SchemaError("error.schema_too_old", db_version=status.database_version,
                          code_version=status.code_version)
    return status
