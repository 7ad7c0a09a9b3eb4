"""Checkpoints of the journal's head, kept outside the database.

The hash chain shows an entry edited, inserted or deleted in the middle, but not the last
entries deleted, nor the whole journal emptied, nor the journal rewritten as unkeyed with
its key record removed (``ledger.journalkey``): each of those leaves a chain that verifies.
A checkpoint is the chain's head (how many entries, the last one's hash) and its keying (the
office, the switch point, the key id) written to a small JSON file beside each backup
(``ledger.backup``) and by ``jiedao audit checkpoint``; ``compare`` then says whether the
journal still holds that many entries, the same hash at that position, and the same keying.
When the key is at hand the checkpoint carries its ``seal`` (the key's HMAC of its fields):
a checkpoint file edited afterwards no longer matches it.

The file is created readable by its owner only (it names the database) and replaced
atomically, so a checkpoint is never half written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hmac
import json
import os
import sqlite3
import stat
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ledger import journalkey
from ledger.errors import StorageError
from ledger.journal import GENESIS
from ledger.models import JournalEntry

if TYPE_CHECKING:
    from ledger.office import Office

KIND = "jiedao-ledger journal checkpoint"
FORMAT = 2  # 2 added the keying and the seal; format 1 files are still read
SUFFIX = ".checkpoint.json"


@dataclass(frozen=True)
class Head:
    """The journal's head: how many entries it holds, the last one's id and hash; and its
    keying (``journalkey.State``: the office, the switch point, the key id; None when not
    keyed). ``seal`` is the checkpoint file's own, when it has one."""

    entries: int
    last_id: int | None
    hash: str
    office: str | None = None
    keyed_after: int | None = None
    chained_on: str | None = None
    key_id: str | None = None
    seal: str | None = None

    def keying(self) -> tuple[str | None, int | None, str | None, str | None]:
        return (self.office, self.keyed_after, self.chained_on, self.key_id)


def head(office: Office) -> Head:
    """The head of the office's journal, read in one statement pair; call it inside a
    transaction when writers may be at work, so count and hash belong together."""
    count = JournalEntry.select().count()
    last = (JournalEntry.select(JournalEntry.id, JournalEntry.hash)
            .order_by(JournalEntry.id.desc()).first())
    state = journalkey.state()
    keying = ((state.office, state.keyed_after, state.chained_on, state.key_id)
              if state is not None else (None, None, None, None))
    return Head(count, last.id if last else None, last.hash if last else GENESIS, *keying)


def head_of_connection(connection: Any) -> Head:
    """The head of the journal of an open ``sqlite3`` connection (a backup being made)."""
    count = connection.execute('SELECT count(*) FROM "journal"').fetchone()[0]
    last = connection.execute('SELECT "id", "hash" FROM "journal" ORDER BY "id" DESC LIMIT 1'
                              ).fetchone()
    try:
        keyed = connection.execute(
            'SELECT "office", "keyed_after", "chained_on", "key_id" FROM "journal_key" '
            'ORDER BY "id" LIMIT 1').fetchone()
    except sqlite3.OperationalError:  # a backup of a schema older than the keyed chain
        keyed = None
    return Head(int(count), int(last[0]) if last else None, str(last[1]) if last else GENESIS,
                *(keyed or (None, None, None, None)))


def _sealed_text(doc: dict[str, Any]) -> bytes:
    fields = {name: doc.get(name) for name in ("kind", "entries", "last_id", "hash", "office",
                                               "keyed_after", "chained_on", "key_id")}
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _seal(secret: bytes, doc: dict[str, Any]) -> str:
    return hmac.new(secret, _sealed_text(doc), sha256).hexdigest()


def default_path(office: Office) -> Path:
    """``checkpoint-YYYYMMDD-HHMMSS.json`` in the backups folder, named by the office clock."""
    from ledger.backup import backups_dir, stamp, unique

    return unique(backups_dir() / f"checkpoint-{stamp(office)}.json")


def beside(backup_file: Path) -> Path:
    """The checkpoint written with a backup: ``FILE.checkpoint.json``."""
    return backup_file.with_name(backup_file.name + SUFFIX)


def document(office: Office, state: Head, *, backup: Path | None = None) -> dict[str, Any]:
    from ledger.db import _safe

    doc: dict[str, Any] = {
        "kind": KIND, "format": FORMAT, "entries": state.entries, "last_id": state.last_id,
        "hash": state.hash, "office": state.office, "keyed_after": state.keyed_after,
        "chained_on": state.chained_on, "key_id": state.key_id,
        "written_at": office.now().replace(tzinfo=dt.UTC).isoformat(),
        "database": _safe(office.url),
        "backup": backup.name if backup is not None else None}
    # Sealed when this machine holds the key; a backup where it does not still gets its
    # checkpoint, which records the keying all the same.
    key = (journalkey.find(state.office)
           if state.office is not None and state.keyed_after is not None else None)
    doc["seal"] = _seal(key.secret, doc) if key is not None and key.id == state.key_id else None
    return doc


def write(path: Path, doc: dict[str, Any]) -> None:
    """Write ``doc`` to ``path`` (mode 0600) through a temporary file and a rename: a reader
    sees the old checkpoint or the new one, never half of one."""
    write_private(path, (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
                  replace=True)


def write_private(path: Path, data: bytes, *, replace: bool) -> None:
    """``data`` into ``path``, created 0600 through ``path.tmp`` and an atomic rename.
    Without ``replace`` an existing ``path`` is refused."""
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise StorageError("error.backup_no_directory", path=str(path), directory=str(parent))
    if path.exists() and (not replace or path.is_dir()):
        raise StorageError("error.backup_exists", path=str(path))
    temporary = path.with_name(path.name + ".tmp")
    try:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        fd = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY,
                     stat.S_IRUSR | stat.S_IWUSR)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise StorageError("error.backup_unwritable", path=str(path),
                           detail=exc.strerror or str(exc)) from None


def write_for(office: Office, path: Path | None = None) -> dict[str, Any]:
    """``jiedao audit checkpoint``: the journal's head now, written to ``path`` (default: the
    backups folder). Returns what was written, with ``file``."""
    if path is None:
        path = default_path(office)
        ensure_private_dir(path.parent)
    with office.transaction():  # count and last hash from one snapshot
        state = head(office)
    doc = document(office, state)
    write(path, doc)
    return {**doc, "file": str(path)}


def ensure_private_dir(folder: Path) -> None:
    """The default backups folder, made 0700 when missing."""
    try:
        folder.mkdir(parents=True, mode=0o700, exist_ok=True)
    except OSError as exc:
        raise StorageError("error.backup_unwritable", path=str(folder),
                           detail=exc.strerror or str(exc)) from None


def read(path: Path) -> Head:
    """The head a checkpoint file records; a missing, unreadable or malformed file is a
    one-line error naming it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise StorageError("error.checkpoint_missing", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise StorageError("error.checkpoint_bad", path=str(path), detail=detail) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StorageError("error.checkpoint_bad", path=str(path),
                           detail=f"line {exc.lineno}: {exc.msg}") from None
    if not isinstance(doc, dict) or doc.get("kind") != KIND:
        raise StorageError("error.checkpoint_bad", path=str(path), detail=f"kind != {KIND!r}")
    if doc.get("format") not in (1, FORMAT):
        raise StorageError("error.checkpoint_bad", path=str(path),
                           detail=f"format {doc.get('format')!r}")
    entries, last_id, digest = doc.get("entries"), doc.get("last_id"), doc.get("hash")
    if not (isinstance(entries, int) and not isinstance(entries, bool) and entries >= 0
            and (last_id is None or isinstance(last_id, int))
            and isinstance(digest, str) and len(digest) == 64):
        raise StorageError("error.checkpoint_bad", path=str(path),
                           detail="entries, last_id, hash")
    office, keyed_after, chained_on = doc.get("office"), doc.get("keyed_after"), doc.get(
        "chained_on")
    kid, seal = doc.get("key_id"), doc.get("seal")
    if not (all(v is None or isinstance(v, str) for v in (office, chained_on, kid, seal))
            and (keyed_after is None or (isinstance(keyed_after, int)
                                         and not isinstance(keyed_after, bool)))):
        raise StorageError("error.checkpoint_bad", path=str(path),
                           detail="office, keyed_after, chained_on, key_id, seal")
    return Head(entries, last_id, digest, office, keyed_after, chained_on, kid, seal)


@dataclass(frozen=True)
class Comparison:
    ok: bool
    expected: Head
    entries: int  # entries the journal holds now
    reason: str = ""  # "seal" | "keying" | "fewer" | "hash"
    found_hash: str = ""  # the hash at the checkpoint's position now


def compare(office: Office, expected: Head) -> Comparison:
    """Does the journal still hold the checkpoint's head? A sealed checkpoint that no longer
    matches its seal (the file edited), another keying than the checkpoint's (the journal
    unkeyed again, its switch point moved, another key), fewer entries (the tail deleted,
    the journal emptied) or another hash at that position (entries rewritten and the chain
    recomputed) is reported. More entries are fine: the journal grew since; so is a journal
    keyed since an unkeyed checkpoint. A sealed checkpoint needs its key
    (``journalkey.JournalKeyError``)."""
    if expected.seal is not None and expected.office is not None:
        key = journalkey.required(expected.office, expected.key_id)
        doc = {"kind": KIND, **{name: getattr(expected, name) for name in (
            "entries", "last_id", "hash", "office", "keyed_after", "chained_on", "key_id")}}
        if not hmac.compare_digest(_seal(key.secret, doc), expected.seal):
            return Comparison(False, expected, 0, "seal")
    with office.transaction():
        if expected.keyed_after is not None:
            now = head(office)
            if now.keying() != expected.keying():
                return Comparison(False, expected, now.entries, "keying")
        entries = JournalEntry.select().count()
        if entries < expected.entries:
            return Comparison(False, expected, entries, "fewer")
        if expected.entries == 0:
            return Comparison(True, expected, entries)
        row = (JournalEntry.select(JournalEntry.hash).order_by(JournalEntry.id)
               .offset(expected.entries - 1).limit(1).first())
    found = row.hash if row else ""
    if found != expected.hash:
        return Comparison(False, expected, entries, "hash", found)
    return Comparison(True, expected, entries)
