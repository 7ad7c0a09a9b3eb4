"""Open a database from a URL, check its schema version, migrate it.

SQLite (default) gets WAL, foreign keys, a busy timeout and ``BEGIN IMMEDIATE`` for every
transaction, because a deferred one that reads then writes fails at once with "database is
locked" when another clerk wrote in between. PostgreSQL serves offices with several clerks.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import peewee
from playhouse.migrations import Runner

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
    from platformdirs import user_data_dir

    return "sqlite:///" + str(Path(user_data_dir("jiedao-ledger")) / "ledger.db")


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


def code_version() -> int:
    return max((m.idx for m in Runner(peewee.SqliteDatabase(":memory:"),
                                      MIGRATIONS_DIR).migrations()), default=0)


def _runner(db: peewee.Database) -> Runner:
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
    runner = _runner(db)
    rows = runner.status()
    applied = [m.name for m in rows if m.applied]
    pending = [m.name for m in rows if not m.applied and m.path]
    db_version = max((m.idx for m in rows if m.applied), default=0)
    return SchemaStatus(db_version, code_version(), applied, pending, empty=not db.get_tables())


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
