"""Backups and restores of a SQLite office (``jiedao backup`` / ``jiedao restore``).

A backup goes through SQLite's online backup API (``sqlite3.Connection.backup``) in one step:
it reads one consistent snapshot of the database (the WAL's committed frames included) while
clerks keep working; writers are not blocked (WAL), and a write committed during the copy is
simply not in it. The copy is made into ``FILE.partial`` (mode 0600), switched to a plain
rollback journal so the backup is one self-contained file, checked with ``PRAGMA
integrity_check``, synced and renamed into place: ``FILE`` is complete or absent. The journal's
head of the copy (not of the live database, which may have moved on) goes into
``FILE.checkpoint.json`` (``ledger.checkpoint``).

A restore refuses, with nothing changed, a file that is not a SQLite database, fails its
integrity check, is not a jiedao database, comes from a newer schema, has a broken journal
chain, or no longer matches the checkpoint written beside it. Otherwise the live database is
first copied aside (``DB.before-restore-YYYYMMDD-HHMMSS``, so a wrong restore is undone by
restoring that file), then the backup is copied *into* the live file with the same backup
API: it takes the database's write lock, so other clerks' connections wait and then read the
restored content — a rename would leave them writing into the unlinked old file. A backup
from an older schema is upgraded on a temporary copy first. The restore is journaled.

PostgreSQL has its own tools (``pg_dump``/``pg_restore``): both commands say so and exit 2.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ledger import access, checkpoint, journal
from ledger import db as dbmod
from ledger.errors import StorageError, Unsupported
from ledger.models import database_proxy

if TYPE_CHECKING:
    import peewee

    from ledger.office import Office

SQLITE_HEADER = b"SQLite format 3\x00"

# The schema that gave staff their roles: a live database before it has none to check.
ROLES_MIGRATION = "0016_staff_roles"


def backups_dir() -> Path:
    """Where backups go when no file is named: ``backups`` in the user's data folder."""
    from ledger.paths import data_dir

    return data_dir() / "backups"


def stamp(office: Office) -> str:
    """The office clock's local time as ``YYYYMMDD-HHMMSS``, for file names."""
    return office.clock.to_local(office.now()).strftime("%Y%m%d-%H%M%S")


def unique(path: Path) -> Path:
    """``path``, or ``name-2.ext``, ``name-3.ext``… when taken (a fixed clock, two backups
    in one second)."""
    candidate, n = path, 1
    while candidate.exists() or checkpoint.beside(candidate).exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def _sqlite_path(office: Office, command: str) -> Path | None:
    """The office's SQLite file (None for ``:memory:``); PostgreSQL is refused with the
    command to use instead."""
    target = dbmod.parse_url(office.url)
    if target.kind == "postgresql":
        raise Unsupported(f"error.{command}_postgres", url=dbmod._safe(office.url))
    return target.path


def default_path(office: Office) -> Path:
    path = _sqlite_path(office, "backup")
    name = path.stem if path is not None else "ledger"
    return unique(backups_dir() / f"{name}-{stamp(office)}.db")


def _create_private(path: Path) -> None:
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, stat.S_IRUSR | stat.S_IWUSR)
    except FileExistsError:
        raise StorageError("error.backup_exists", path=str(path)) from None
    except OSError as exc:
        raise StorageError("error.backup_unwritable", path=str(path),
                           detail=exc.strerror or str(exc)) from None
    os.close(fd)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_live(office: Office, destination: Path) -> checkpoint.Head:
    """The live database copied into the new file ``destination`` (made 0600 here): one
    backup step, a rollback journal, an integrity check. Returns the copy's journal head.
    On any failure the file is removed: no half backup is ever left to be trusted."""
    _create_private(destination)
    done = False
    copy = sqlite3.connect(str(destination))
    try:
        office.db.connection().backup(copy)
        # One self-contained file: no -wal/-shm beside a backup.
        copy.execute("PRAGMA journal_mode=DELETE").fetchall()
        problems = [row[0] for row in copy.execute("PRAGMA integrity_check").fetchall()]
        if problems != ["ok"]:
            raise StorageError("error.backup_corrupt", path=str(destination),
                               detail=problems[0])
        state = checkpoint.head_of_connection(copy)
        copy.close()
        _fsync(destination)
        done = True
        return state
    except sqlite3.Error as exc:
        raise StorageError("error.backup_failed", path=str(destination), detail=str(exc)) from None
    finally:
        copy.close()
        if not done:
            with contextlib.suppress(FileNotFoundError):
                destination.unlink()


def backup(office: Office, file: Path | None = None) -> dict[str, Any]:
    """Back the office's SQLite database up to ``file`` (default: the backups folder, named
    by the office clock) and write its checkpoint beside it. An existing ``file`` is
    refused. Returns ``file``, ``checkpoint``, ``bytes``, ``entries``, ``hash``, ``seconds``."""
    started = time.perf_counter()
    if file is None:
        file = default_path(office)
        checkpoint.ensure_private_dir(file.parent)
    else:
        _sqlite_path(office, "backup")
    parent = file.parent if str(file.parent) else Path(".")
    if not parent.is_dir():
        raise StorageError("error.backup_no_directory", path=str(file), directory=str(parent))
    if file.exists() or file.is_symlink():
        raise StorageError("error.backup_exists", path=str(file))
    partial = file.with_name(file.name + ".partial")
    with contextlib.suppress(FileNotFoundError):
        partial.unlink()  # left by a backup killed mid-way
    state = _copy_live(office, partial)
    try:
        os.replace(partial, file)
        _fsync(parent)
    except OSError as exc:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        raise StorageError("error.backup_unwritable", path=str(file),
                           detail=exc.strerror or str(exc)) from None
    point = checkpoint.beside(file)
    checkpoint.write(point, checkpoint.document(office, state, backup=file))
    return {"file": str(file), "checkpoint": str(point), "bytes": file.stat().st_size,
            "entries": state.entries, "hash": state.hash,
            "seconds": round(time.perf_counter() - started, 3)}


@contextlib.contextmanager
def _bound(database: peewee.Database) -> Iterator[None]:
    """The models read ``database`` on this thread for the block (a file being looked at
    before it is restored), then the office's again."""
    previous = database_proxy.obj
    database_proxy.bind_thread(database)
    try:
        yield
    finally:
        database_proxy.bind_thread(previous)


def _read_only_uri(path: Path) -> str:
    return path.resolve().as_uri() + "?mode=ro"


def _verify_chain(office: Office, path: Path) -> None:
    """The journal chain of the SQLite file at ``path`` verifies, or the restore is refused."""
    database = dbmod.connect("sqlite:///" + str(path), read_only=True)
    try:
        with _bound(database):
            result = journal.verify(office)
    finally:
        database.close()
    if not result.ok:
        raise StorageError("error.restore_chain", path=str(path), id=result.bad_id,
                           reason=result.reason)


def inspect(office: Office, file: Path) -> dict[str, Any]:
    """What restoring ``file`` would bring, after every check that refuses it: the file is a
    SQLite database, passes ``PRAGMA integrity_check``, is a jiedao database of this
    program's schema or an older one, and (for the current schema: an older one is checked
    once upgraded) its journal chain verifies; a checkpoint beside it still matches."""
    target = _sqlite_path(office, "restore")
    if target is None:
        raise StorageError("error.restore_memory")
    if not file.is_file():
        raise StorageError("error.restore_missing", path=str(file))
    if target.exists() and os.path.samefile(file, target):
        raise StorageError("error.restore_same", path=str(file))
    try:
        with file.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StorageError("error.restore_unreadable", path=str(file),
                           detail=exc.strerror or str(exc)) from None
    if header != SQLITE_HEADER:
        raise StorageError("error.restore_not_sqlite", path=str(file))
    try:
        looked = sqlite3.connect(_read_only_uri(file), uri=True)
        try:
            problems = [row[0] for row in looked.execute("PRAGMA integrity_check").fetchall()]
        finally:
            looked.close()
    except sqlite3.DatabaseError as exc:
        raise StorageError("error.restore_corrupt", path=str(file), detail=str(exc)) from None
    if problems != ["ok"]:
        raise StorageError("error.restore_corrupt", path=str(file), detail=problems[0])
    database = dbmod.connect("sqlite:///" + str(file), read_only=True)
    try:
        status = dbmod.schema_status(database)
        if status.foreign:
            raise StorageError("error.restore_foreign", path=str(file),
                               tables=", ".join(status.foreign[:5]))
        if status.empty:
            raise StorageError("error.restore_empty", path=str(file))
        if status.newer:
            raise StorageError("error.restore_newer", path=str(file),
                               db_version=status.database_version,
                               code_version=status.code_version)
        state = checkpoint.head_of_connection(database.connection())
    finally:
        database.close()
    if not status.pending:
        _verify_chain(office, file)
    point = checkpoint.beside(file)
    if point.exists():
        expected = checkpoint.read(point)
        if (expected.entries, expected.hash) != (state.entries, state.hash):
            raise StorageError("error.restore_checkpoint", path=str(file),
                               checkpoint=str(point), entries=expected.entries,
                               found=state.entries)
    return {"file": str(file), "target": str(target), "bytes": file.stat().st_size,
            "schema": status.database_version, "code_version": status.code_version,
            "older": bool(status.pending), "entries": state.entries, "hash": state.hash,
            "checkpoint": str(point) if point.exists() else None}


def _aside_path(office: Office, target: Path) -> Path:
    return unique(target.with_name(f"{target.name}.before-restore-{stamp(office)}"))


def _upgraded_copy(office: Office, file: Path, target: Path) -> Path:
    """A copy of ``file`` beside ``target``, migrated to this program's schema, its chain
    verified: an older backup is restored as ``jiedao db upgrade`` would have left it."""
    temporary = target.with_name(target.name + ".restore-tmp")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    _create_private(temporary)
    try:
        source = sqlite3.connect(_read_only_uri(file), uri=True)
        copy = sqlite3.connect(str(temporary))
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        database = dbmod.connect("sqlite:///" + str(temporary))
        previous = database_proxy.obj
        try:
            dbmod.upgrade(database)  # binds the models to it: given back below
        finally:
            database_proxy.initialize(previous)
            database.close()
        _verify_chain(office, temporary)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
    return temporary


def restore(office: Office, file: Path, *,
            confirm: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
    """Replace the office's SQLite database with the backup ``file``.

    ``inspect`` refuses a bad file before anything is touched; ``confirm(info)`` (the
    command's question) may then stop it by raising. The live database is copied aside
    (``saved_as``, omitted when it held no tables), the backup copied into it, and the restore
    journaled in the restored database. Only a supervisor restores (``ledger.access``),
    once the live database has roles at all (any schema may be restored over)."""
    _sqlite_path(office, "restore")  # PostgreSQL: its own tools, whoever asks
    if ROLES_MIGRATION in dbmod.schema_status(office.db).applied:
        access.require(office, "restore", "database", str(file))
    info = inspect(office, file)
    if confirm is not None:
        confirm(info)
    target = Path(info["target"])
    saved: Path | None = None
    if dbmod.schema_status(office.db).applied or dbmod._tables(office.db):
        saved = _aside_path(office, target)
        _copy_aside(office, saved)
    source = _upgraded_copy(office, file, target) if info["older"] else file
    try:
        reader = sqlite3.connect(_read_only_uri(source), uri=True)
        try:
            # Into the live file, under its write lock: other connections wait, then read
            # the restored pages (SQLite tells them the schema changed).
            reader.backup(office.db.connection())
        finally:
            reader.close()
        office.db.execute_sql("PRAGMA journal_mode=wal")
    except sqlite3.Error as exc:
        raise StorageError("error.restore_failed", path=str(file), target=str(target),
                           detail=str(exc)) from None
    finally:
        if source != file:
            with contextlib.suppress(FileNotFoundError):
                source.unlink()
    after = {"file": str(file), "entries": info["entries"], "hash": info["hash"],
             "schema": info["schema"], "saved_as": str(saved) if saved else None}
    with office.transaction():
        journal.record(office, "database", "*", "restore", after=after)
    return {**info, "saved_as": str(saved) if saved else None}


def _copy_aside(office: Office, destination: Path) -> None:
    """The live database copied to ``destination`` before it is replaced: like a backup,
    but kept whatever its integrity (it is what the office had)."""
    _create_private(destination)
    copy = sqlite3.connect(str(destination))
    try:
        office.db.connection().backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE").fetchall()
        copy.close()
        _fsync(destination)
    except sqlite3.Error as exc:
        copy.close()
        with contextlib.suppress(FileNotFoundError):
            destination.unlink()
        raise StorageError("error.restore_aside", path=str(destination),
                           detail=str(exc)) from None
