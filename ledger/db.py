"""Open a database from a URL, check its schema version, migrate it.

SQLite (default) gets WAL, foreign keys, a busy timeout and ``BEGIN IMMEDIATE`` for every
transaction, because a deferred one that reads then writes fails at once with "database is
locked" when another clerk wrote in between. PostgreSQL serves offices with several clerks.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import peewee

from ledger import _driver
from ledger.errors import ConfigError, SchemaError, StorageError
from ledger.models import database_proxy

MIGRATIONS_DIR = str(Path(__file__).parent / "migrations")
HISTORY_TABLE = "schema_migration"
# Per-connection settings. WAL is set apart (in ``connect`` and ``upgrade``): it is written
# into the file, and a file that is not ours, or one only being looked at, must not be.
SQLITE_PRAGMAS = {
    "foreign_keys": 1,
    "busy_timeout": 10000,
    "synchronous": "normal",
    "cache_size": -32000,
}

# How long the outermost transaction on SQLite waits for another writer's lock in all (each
# BEGIN IMMEDIATE waits ``busy_timeout``, then ``Office.transaction`` tries again): a batch
# import holds the lock for its whole run, 50,000 rows a minute on a busy machine.
LOCK_WAIT_SECONDS = 300.0


# The largest id or count a database column holds on both backends: PostgreSQL's ``integer``
# (the ids of every table) is 32-bit; SQLite's is 64-bit. A bigger number is no record's.
MAX_ID = 2**31 - 1


# What a clerk's app keeps of SQLite's own page cache, per connection. The app reads a
# screenful at a time, so a bigger cache only saves reads the OS's file cache answers anyway;
# at the commands' 32 MB it would grow the app with the database (a count over a million
# rows fills it), where the app's memory must stay that of a small office.
BROWSING_CACHE_KIB = 4000


def limit_cache(db: peewee.Database, kib: int = BROWSING_CACHE_KIB) -> None:
    """Shrink the page cache of this thread's connection to ``db`` (SQLite; PostgreSQL's
    cache is the server's)."""
    if isinstance(db, peewee.SqliteDatabase):
        db.execute_sql(f"PRAGMA cache_size = -{int(kib)}")


def parse_id(value: Any) -> int | None:
    """An internal id from what a user typed (``42``, ``" 42 "``, 42), or None when it cannot
    be one (not digits, zero, beyond ``MAX_ID``): a lookup answers "not found" for it instead
    of sending the database a number it refuses (SQLite: OverflowError; PostgreSQL: out of
    range for type integer)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = "" if value is None else str(value).strip()
        if not (text.isascii() and text.isdigit()):
            return None
        number = int(text)
    return number if 1 <= number <= MAX_ID else None


def default_database_url() -> str:
    from ledger.paths import data_dir

    return "sqlite:///" + str(data_dir() / "ledger.db")


@dataclass(frozen=True)
class Target:
    url: str
    kind: str  # "sqlite" | "postgresql"
    path: Path | None  # the SQLite file


def parse_url(url: str) -> Target:
    """Accept ``sqlite:///path``, a bare path, ``:memory:`` and ``postgresql://…``.

    An empty URL is a usage error: read as a bare path it would be the current folder, and
    falling back to the default database would put a script's records in the clerk's."""
    if not url.strip():
        raise ConfigError("error.db_url_empty")
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


def connect(url: str, *, create: bool = False, create_parents: bool = False,
            read_only: bool = False) -> peewee.Database:
    """A connected peewee database for ``url``. ``create`` allows a new SQLite file;
    ``read_only`` opens it only to look (``db status``): nothing is created or written."""
    target = parse_url(url)
    if read_only:
        create = False
    made = False  # a file this call created is ours from the start
    if target.kind == "postgresql":
        from playhouse.db_url import connect as url_connect

        try:
            _driver.enable_postgres()
            db = url_connect(target.url.replace("postgresql+pool", "postgresql"))
            db.connect(reuse_if_open=True)
            if read_only:
                db.execute_sql("SET default_transaction_read_only = on")
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
            made = True
        elif target.path.is_dir() or not os.access(
                target.path, os.R_OK if read_only else os.R_OK | os.W_OK):
            raise StorageError("error.db_unopenable", path=str(target.path),
                               detail="not a readable and writable file")
    if read_only and target.path is not None:
        # mode=ro: SQLite itself refuses to write, whatever a bug above it would try.
        name, options = target.path.resolve().as_uri() + "?mode=ro", {"uri": True}
        pragmas = {**SQLITE_PRAGMAS, "query_only": 1}
    else:
        name = str(target.path) if target.path else ":memory:"
        options, pragmas = {}, SQLITE_PRAGMAS
    db = peewee.SqliteDatabase(name, pragmas=pragmas, lock_type="IMMEDIATE",
                               check_same_thread=False, **options)
    try:
        db.connect(reuse_if_open=True)
        db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
        if not read_only and (made or HISTORY_TABLE in _tables(db)):
            db.execute_sql("PRAGMA journal_mode=wal")
    except peewee.DatabaseError as exc:
        raise StorageError("error.db_unopenable", path=str(target.path), detail=str(exc)) from None
    return db


def _tables(db: peewee.Database) -> list[str]:
    """The tables of the database, without SQLite's own (``sqlite_sequence``, …)."""
    return [t for t in db.get_tables() if not t.startswith("sqlite_")]


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
    unknown: list[str] = field(default_factory=list)  # applied, but not shipped by this program
    foreign: list[str] = field(default_factory=list)  # tables, none of them our history: not ours

    @property
    def newer(self) -> bool:
        """The database went through migrations this program does not know."""
        return bool(self.unknown) or self.database_version > self.code_version

    @property
    def current(self) -> bool:
        return not self.newer and not self.foreign and not self.pending

    @property
    def state(self) -> str:
        """One word for scripts: current, older, newer, empty or foreign."""
        if self.foreign:
            return "foreign"
        if self.newer:
            return "newer"
        if self.empty:
            return "empty"
        return "older" if self.pending else "current"


def schema_status(db: peewee.Database) -> SchemaStatus:
    applied = applied_migrations(db)
    known = migration_names()
    pending = [n for n in known if n not in set(applied)]
    unknown = [n for n in applied if n not in set(known)]
    db_version = max((_index(n) for n in applied), default=0)
    tables = [] if applied else _tables(db)
    foreign = tables if tables and HISTORY_TABLE not in tables else []
    return SchemaStatus(db_version, code_version(), applied, pending, empty=not applied and
                        not tables, unknown=unknown, foreign=foreign)


def _where(db: peewee.Database) -> str:
    return str(db.database)


def _refuse_unusable(db: peewee.Database, status: SchemaStatus) -> None:
    if status.foreign:
        raise SchemaError("error.schema_foreign", where=_where(db),
                          tables=", ".join(status.foreign[:5]))
    if status.newer:
        raise SchemaError("error.schema_too_new", db_version=status.database_version,
                          code_version=status.code_version,
                          unknown=", ".join(status.unknown) or "-")


def upgrade(db: peewee.Database) -> list[str]:
    """Apply pending migrations. A database newer than the code, or one holding someone
    else's tables (a wrong ``--db``), is refused before anything is written."""
    status = schema_status(db)
    _refuse_unusable(db, status)
    if not status.pending:
        return []
    if isinstance(db, peewee.SqliteDatabase):
        db.execute_sql("PRAGMA journal_mode=wal")  # a new file: ours from now on
    database_proxy.initialize(db)
    return _runner(db).up()


def check_schema(db: peewee.Database) -> SchemaStatus:
    status = schema_status(db)
    _refuse_unusable(db, status)
    if status.pending:
        raise SchemaError("error.schema_too_old", db_version=status.database_version,
                          code_version=status.code_version)
    return status
