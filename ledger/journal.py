"""The audit trail: append-only, hash-chained, written in the same transaction as the change.

Each entry's hash covers its own fields and the previous entry's hash, so editing, inserting
or deleting a row behind the program's back breaks the chain at that row. Entries written
since the office was keyed are hashed with the office's key (HMAC-SHA256 over the same
payload, ``ledger.journalkey``), so the chain cannot be recomputed, nor an entry appended,
without it; entries written before keep their plain SHA-256 and still verify.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from hashlib import sha256
from json.encoder import encode_basestring as _quote  # json's own (C) string quoting
from typing import TYPE_CHECKING, Any

from ledger import bulk, journalkey
from ledger.models import JournalEntry

if TYPE_CHECKING:
    from ledger.office import Office

GENESIS = "0" * 64
JOURNAL_COLUMNS = ("at", "operator", "entity", "entity_id", "action", "before", "after", "note",
                   "prev_hash", "hash")


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


# One encoder for every entry (``json.dumps`` with options builds a new one per call, a
# batch import's hundreds of thousands of entries paid for it): the same text as
# ``json.dumps(value, ensure_ascii=False, sort_keys=True, default=…, separators=(",", ":"))``.
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=_json_default,
                              separators=(",", ":"))


def canonical(value: Any) -> str | None:
    if value is None:
        return None
    return _CANONICAL.encode(value)


def _quoted(text: str | None) -> str:
    return "null" if text is None else _quote(text)


def _digest(prev_hash: str, at: dt.datetime, operator: str, entity: str, entity_id: str,
            action: str, before: str | None, after: str | None, note: str, *,
            mac: journalkey.Mac | None = None) -> str:
    """The hash of the entry as the JSON array ``[prev_hash, at, operator, entity, entity_id,
    action, before, after, note]`` (compact, not ASCII-escaped): SHA-256 of it, or with
    ``mac`` (a prepared ``journalkey.Key.mac()``) its HMAC-SHA256. The array is joined by
    hand from the encoder's own string quoting: the same text ``json.dumps`` writes for it,
    without its per-call set-up (an import hashes one entry per row)."""
    payload = "[" + ",".join((
        _quote(prev_hash), _quote(at.isoformat()), _quote(operator), _quote(entity),
        _quote(entity_id), _quote(action), _quoted(before), _quoted(after), _quote(note),
    )) + "]"
    return _hash(payload.encode("utf-8"), mac)


def _hash(data: bytes, mac: journalkey.Mac | None) -> str:
    return sha256(data).hexdigest() if mac is None else mac.hexdigest(data)


def _head() -> tuple[int, str]:
    """The last entry's id and hash (0 and ``GENESIS`` for an empty journal)."""
    last = (JournalEntry.select(JournalEntry.id, JournalEntry.hash)
            .order_by(JournalEntry.id.desc()).first())
    return (last.id, last.hash) if last else (0, GENESIS)


def record(office: Office, entity: str, entity_id: Any, action: str, *,
           before: Any = None, after: Any = None, note: str = "") -> None:
    """Append one entry. Call inside the use case's transaction."""
    if office.is_postgres:
        # Two clerks' transactions must not both chain onto the same last entry.
        office.db.execute_sql("SELECT pg_advisory_xact_lock(4242)")
    last_id, prev = _head()
    mac = journalkey.for_writing(last_id, prev)
    at = office.now()
    b, a = canonical(before), canonical(after)
    eid = str(entity_id)
    JournalEntry.create(
        at=at, operator=office.operator, entity=entity, entity_id=eid, action=action,
        before=b, after=a, note=note or "", prev_hash=prev,
        hash=_digest(prev, at, office.operator, entity, eid, action, b, a, note or "",
                     mac=mac),
    )


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    bad_id: int | None = None
    # "hash" | "link"; for the keyed chain "seal" (its switch point moved: no entry named)
    # and "switch" (the keyed part does not chain on the sealed point, or is gone).
    reason: str = ""
    keyed_after: int | None = None  # entries after this id are keyed; None: not keyed
    key_id: str | None = None
    key_source: str | None = None


def verify(office: Office) -> VerifyResult:
    """Recompute the chain. A keyed journal needs its key (``journalkey.JournalKeyError``
    when it is missing or another one: the keyed part is never taken on trust)."""
    state = journalkey.state()
    mac: journalkey.Mac | None = None
    keyed_after: int | None = None
    chained_on: str | None = None
    info: dict[str, Any] = {}
    if state is not None and state.keyed:
        key = journalkey.required(state.office, state.key_id)
        mac, keyed_after, chained_on = key.mac(), state.keyed_after, state.chained_on
        info = {"keyed_after": keyed_after, "key_id": key.id, "key_source": key.source}
        if not journalkey.sealed(state, key):
            return VerifyResult(False, 0, None, "seal", **info)
    prev = GENESIS
    checked = 0
    in_keyed = False
    query = JournalEntry.select().order_by(JournalEntry.id)
    for row in query.iterator():
        if row.prev_hash != prev:
            return VerifyResult(False, checked, row.id, "link", **info)
        keyed_row = keyed_after is not None and row.id > keyed_after
        if keyed_row and not in_keyed:
            # The first keyed entry: the unkeyed part before it is exactly what was sealed.
            if prev != chained_on:
                return VerifyResult(False, checked, row.id, "switch", **info)
            in_keyed = True
        expected = _digest(prev, row.at, row.operator, row.entity, row.entity_id, row.action,
                           row.before, row.after, row.note, mac=mac if keyed_row else None)
        if expected != row.hash:
            return VerifyResult(False, checked, row.id, "hash", **info)
        prev = row.hash
        checked += 1
    if keyed_after is not None and not in_keyed:
        # Keying is written with its first entry: a keyed journal without keyed entries
        # lost them (its tail deleted, or the whole journal emptied).
        return VerifyResult(False, checked, None, "switch", **info)
    return VerifyResult(True, checked, **info)


def mask_personal(value: Any) -> Any:
    """A copy with ID numbers and phones masked, at any depth (petitioners, applicants…)."""
    from ledger.people import mask_id_number, mask_phone

    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if isinstance(item, str) and key.endswith("id_number"):
                out[key] = mask_id_number(item)
            elif isinstance(item, str) and key.endswith("phone"):
                out[key] = mask_phone(item)
            else:
                out[key] = mask_personal(item)
        return out
    if isinstance(value, list):
        return [mask_personal(item) for item in value]
    return value


def _entry_dict(row: JournalEntry, reveal: bool = False) -> dict[str, Any]:
    before = json.loads(row.before) if row.before else None
    after = json.loads(row.after) if row.after else None
    if not reveal:
        before, after = mask_personal(before), mask_personal(after)
    return {
        "id": row.id,
        "at": row.at.replace(tzinfo=dt.UTC),
        "operator": row.operator,
        "entity": row.entity,
        "entity_id": row.entity_id,
        "action": row.action,
        "before": before,
        "after": after,
        "note": row.note,
    }


def entries(office: Office, *, entity: str | None = None, entity_id: Any = None,
            since: dt.datetime | dt.date | None = None, limit: int | None = None,
            newest_first: bool = False, reveal: bool = False) -> Iterator[dict[str, Any]]:
    """Journal entries as dicts (``at`` is an aware UTC datetime).

    Personal data in before/after is masked unless ``reveal``; the caller that reveals
    journals it (``reveal_journal``).
    """
    query = JournalEntry.select()
    if entity:
        query = query.where(JournalEntry.entity == entity)
    if entity_id is not None:
        query = query.where(JournalEntry.entity_id == str(entity_id))
    if since is not None:
        if not isinstance(since, dt.datetime):
            since = dt.datetime.combine(since, dt.time()).replace(tzinfo=office.clock.zone)
        if since.tzinfo is not None:
            since = since.astimezone(dt.UTC).replace(tzinfo=None)
        query = query.where(JournalEntry.at >= since)
    query = query.order_by(JournalEntry.id.desc() if newest_first else JournalEntry.id)
    if limit:
        query = query.limit(limit)
    for row in query.iterator():
        yield _entry_dict(row, reveal)


def history(office: Office, entity: str, entity_id: Any, *,
            reveal: bool = False) -> list[dict[str, Any]]:
    """A record's journal, oldest first: the timeline of a detail view (masked by default)."""
    return list(entries(office, entity=entity, entity_id=entity_id, reveal=reveal))


def record_reveal(office: Office, entity: str, entity_id: Any = "*", *, filters: Any = None,
                  ids: list[Any] | None = None, count: int | None = None) -> None:
    """Record that the operator saw personal data unmasked, in a transaction of its own: one
    record (``entity_id``), or a list (``"*"`` with the list's filters and the ids shown; a
    streamed list, whose ids are not known before it is shown, gives their ``count``)."""
    after: dict[str, Any] | None = None
    if entity_id == "*":
        shown = filters
        if shown is not None and hasattr(shown, "__dataclass_fields__"):
            import dataclasses

            shown = dataclasses.asdict(shown)
        after = ({"filters": shown, "count": count} if ids is None and count is not None
                 else {"filters": shown, "ids": list(ids or [])})
    with office.transaction():
        record(office, entity, entity_id, "reveal", after=after)


def reveal_journal(office: Office, *, entity: str | None = None, entity_id: Any = None) -> None:
    """Record that the operator read the journal unmasked."""
    with office.transaction():
        record(office, "journal", entity_id if entity_id is not None else "log", "reveal",
               note=f"entity={entity or '*'}")


def record_many(office: Any, entries: list[tuple[str, Any, str, Any, Any, str]]) -> None:
    """Append many entries at once (a batch import): ``(entity, entity_id, action, before,
    after, note)`` each. The chain is computed here exactly as ``record`` would, one entry
    after the other, and the rows go in set-based (``ledger.bulk``). Call inside the
    transaction.
    """
    if not entries:
        return
    if office.is_postgres:
        office.db.execute_sql("SELECT pg_advisory_xact_lock(4242)")
    last_id, prev = _head()
    keyed = journalkey.for_writing(last_id, prev).hexdigest
    at = office.now()
    # SQLite stores instants as text; give it the text peewee would write.
    stored_at: Any = at if office.is_postgres else str(at)
    operator = office.operator
    # What every entry of the batch shares, quoted once (the payload ``_digest`` hashes).
    shared = "," + _quote(at.isoformat()) + "," + _quote(operator) + ","
    encode = _CANONICAL.encode
    rows = []
    for entity, entity_id, action, before, after, note in entries:
        b = None if before is None else encode(before)
        a = None if after is None else encode(after)
        eid = str(entity_id)
        note = note or ""
        payload = "[" + _quote(prev) + shared + ",".join((
            _quote(entity), _quote(eid), _quote(action), _quoted(b), _quoted(a),
            _quote(note))) + "]"
        digest = keyed(payload.encode("utf-8"))
        rows.append((stored_at, operator, entity, eid, action, b, a, note, prev, digest))
        prev = digest
    bulk.insert(office, "journal", JOURNAL_COLUMNS, rows)
