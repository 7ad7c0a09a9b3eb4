"""The journal's key: entries after a switch point are hashed with HMAC-SHA256, not SHA-256.

A plain hash chain shows an entry edited in the middle, but whoever can write the database
can recompute the chain after an edit, or append an entry of their own with a correct hash.
With a key kept outside the database they cannot: the hash of an entry is
``HMAC-SHA256(key, payload)`` over the same payload text as before (``journal._payload``).

Where the key is (``find``):

* ``JIEDAO_JOURNAL_KEY``, when set: 64 hex digits (the key itself), or else the path of a key
  file. For PostgreSQL offices with clerks on several machines, and for cron: every machine
  that writes or verifies the journal is given the same key.
* Otherwise the file ``journal-keys/<office>.key`` in the settings folder
  (``ledger.paths.config_dir``): 32 random bytes, mode 0600 in a 0700 folder, made by the
  office's first journal entry after this upgrade. ``<office>`` is the identity the database
  holds (the ``journal_key`` row), so two offices on one machine never share or confuse keys.

The ``journal_key`` row, written in the same transaction as the first keyed entry, records
the office's identity, the switch point (``keyed_after``: the last entry hashed without the
key, 0 when there was none; ``chained_on``: its hash), the key's id (an HMAC of a fixed
label, which names the key without revealing it) and ``seal``, the key's HMAC of all that:
the switch point cannot be moved, nor the chain's old part rewritten, without the key.

A keyed journal whose key is missing, or given a key with another id, is a one-line
``JournalKeyError`` (a settings error): never a silent fall-back to unkeyed hashing. What the
key does not protect (a deleted ``journal_key`` row, someone holding the key file) is in
DEVELOPING.md, "What the checks see"; checkpoints (``ledger.checkpoint``) record the switch
point too.
"""

from __future__ import annotations

import contextlib
import hmac
import os
import re
import stat
import uuid
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path

from ledger.errors import ConfigError
from ledger.models import JournalKey

ENV = "JIEDAO_JOURNAL_KEY"
KEY_BYTES = 32
FOLDER = "journal-keys"
_ID_LABEL = b"jiedao-ledger journal key id"
_SEAL_LABEL = "jiedao-ledger journal switch"
_HEX_KEY = re.compile(r"[0-9a-fA-F]{64}")
_OFFICE = re.compile(r"[0-9a-f]{32}")  # uuid4().hex


class JournalKeyError(ConfigError):
    """The journal's key is missing, unreadable or not this office's: a settings error
    (exit 2), one line naming where the key was looked for."""


@dataclass(frozen=True)
class Key:
    secret: bytes
    source: str  # the key file, or the environment variable that gave it

    @property
    def id(self) -> str:
        return key_id(self.secret)

    def mac(self) -> Mac:
        return Mac(self.secret)


class Mac:
    """HMAC-SHA256 (RFC 2104) with the key's two pads hashed once: each entry costs two
    copies of a prepared SHA-256 and its updates. Equal to ``hmac.new(secret, data,
    sha256).hexdigest()``; ``hmac.HMAC.copy()`` costs some 3 µs more per entry in Python,
    a second on a batch import of 200,000 rows (``bench/bench_journal_key.py``)."""

    __slots__ = ("_inner", "_outer")

    def __init__(self, secret: bytes) -> None:
        if len(secret) > 64:  # longer keys are hashed first; a jiedao key never is
            raise ValueError("journal keys are at most 64 bytes")
        block = secret.ljust(64, b"\0")
        self._inner = sha256(bytes(b ^ 0x36 for b in block))
        self._outer = sha256(bytes(b ^ 0x5C for b in block))

    def hexdigest(self, data: bytes) -> str:
        inner = self._inner.copy()
        inner.update(data)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()


@dataclass(frozen=True)
class State:
    """The ``journal_key`` row."""

    office: str
    keyed_after: int | None
    chained_on: str | None
    key_id: str | None
    seal: str | None

    @property
    def keyed(self) -> bool:
        return self.keyed_after is not None


def key_id(secret: bytes) -> str:
    return hmac.new(secret, _ID_LABEL, sha256).hexdigest()[:16]


def seal(secret: bytes, office: str, keyed_after: int, chained_on: str, kid: str) -> str:
    text = "\n".join((_SEAL_LABEL, office, str(keyed_after), chained_on, kid))
    return hmac.new(secret, text.encode("utf-8"), sha256).hexdigest()


def keys_dir() -> Path:
    from ledger.paths import config_dir

    return config_dir() / FOLDER


def key_file(office: str) -> Path:
    return keys_dir() / f"{office}.key"


def state() -> State | None:
    """The office's keying, read from the database the models are bound to (None before
    the first entry written since the upgrade)."""
    row = (JournalKey.select(JournalKey.office, JournalKey.keyed_after, JournalKey.chained_on,
                             JournalKey.key_id, JournalKey.seal)
           .order_by(JournalKey.id).tuples().first())
    if not row:
        return None
    if not _OFFICE.fullmatch(str(row[0])):
        # It names a file: whoever can write the database must not steer us elsewhere.
        raise JournalKeyError("error.journal_key_office", office=str(row[0])[:40])
    return State(*row)


def from_environment() -> Key | None:
    value = os.environ.get(ENV, "").strip()
    if not value:
        return None
    if _HEX_KEY.fullmatch(value):
        return Key(bytes.fromhex(value), ENV)
    return _read(Path(value).expanduser(), f"{ENV} ({value})")


def _read(path: Path, source: str) -> Key:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise JournalKeyError("error.journal_key_unreadable", source=source,
                              detail=exc.strerror or str(exc)) from None
    if len(data) == KEY_BYTES:
        return Key(data, str(path))
    text = data.strip()
    if _HEX_KEY.fullmatch(text.decode("ascii", "replace")):
        return Key(bytes.fromhex(text.decode("ascii")), str(path))
    raise JournalKeyError("error.journal_key_bad", source=source, size=len(data))


def find(office: str) -> Key | None:
    """The key for ``office``: the environment's, else its key file; None when neither."""
    given = from_environment()
    if given is not None:
        return given
    path = key_file(office)
    if not path.exists():
        return None
    return _read(path, str(path))


def required(office: str, expected_id: str | None) -> Key:
    """The key of a keyed journal: missing, or another key than the one that keyed it, is
    an error, never a fall-back."""
    key = find(office)
    if key is None:
        raise JournalKeyError("error.journal_key_missing", office=office,
                              path=str(key_file(office)), env=ENV)
    if key.id != expected_id:
        raise JournalKeyError("error.journal_key_wrong", source=key.source, key_id=key.id,
                              expected=expected_id or "-")
    return key


def _create(office: str) -> Key:
    """A new random key in ``office``'s key file (0600, folder 0700). A file another
    process made first wins: both then use the same key."""
    path = key_file(office)
    folder = path.parent
    temporary = folder / f".{office}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        folder.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
        folder.mkdir(mode=0o700, exist_ok=True)
        fd = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY,
                     stat.S_IRUSR | stat.S_IWUSR)
        with os.fdopen(fd, "wb") as handle:
            handle.write(os.urandom(KEY_BYTES))
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)  # never replaces a key already there
        except FileExistsError:
            pass
    except OSError as exc:
        raise JournalKeyError("error.journal_key_unwritable", path=str(path),
                              detail=exc.strerror or str(exc)) from None
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()
    return _read(path, str(path))


def for_writing(last_id: int, last_hash: str) -> Mac:
    """The prepared HMAC-SHA256 for the entries about to be appended after entry ``last_id``
    (hash ``last_hash``). Call under the journal's write lock, inside the transaction.

    A journal not keyed yet is keyed from here: the key comes from the environment or
    the office's key file (made now if missing), and the switch point is recorded and
    sealed in the same transaction as the entries."""
    current = state()
    if current is not None and current.keyed:
        return required(current.office, current.key_id).mac()
    office = current.office if current is not None else uuid.uuid4().hex
    key = from_environment() or find(office) or _create(office)
    kid = key.id
    fields = {"keyed_after": last_id, "chained_on": last_hash, "key_id": kid,
              "seal": seal(key.secret, office, last_id, last_hash, kid)}
    if current is None:
        JournalKey.create(office=office, **fields)
    else:
        JournalKey.update(**fields).execute()
    return key.mac()


def sealed(current: State, key: Key) -> bool:
    """Does the row's seal match its switch point under ``key``?"""
    if current.keyed_after is None or current.chained_on is None or current.key_id is None:
        return False
    expected = seal(key.secret, current.office, current.keyed_after, current.chained_on,
                    current.key_id)
    return hmac.compare_digest(expected, current.seal or "")


def describe() -> dict[str, object]:
    """What ``jiedao audit key`` shows: the office's identity, whether and from where its
    journal is keyed, the key file it uses or would use, and whether the key is at hand."""
    current = state()
    given = os.environ.get(ENV, "").strip()
    out: dict[str, object] = {
        "office": current.office if current else None,
        "keyed_after": current.keyed_after if current else None,
        "key_id": current.key_id if current else None,
        "key_file": str(key_file(current.office)) if current else None,
        "keys_folder": str(keys_dir()), "environment": bool(given), "key_source": None}
    if current is not None and current.keyed:
        out["key_source"] = required(current.office, current.key_id).source
    return out
