"""The kinds of record the import and export know, one registry.

A kind names its columns (the field, and the catalogue labels its header may use), its
natural key, and a handler: how a row's key is read, how a row is cleaned (by the area's own
``clean_<record>``), how stored records are found by key, how new and changed rows are
written (set-based where the table is big) and how records are read back for the export
(through the area's own list query, so an export takes the list's filters). Adding a kind is
a ``Kind(...)`` and a handler; a small table whose rows go through the area's own use cases
one by one takes a ``ledger.io.records.RecordHandler`` of a few lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ledger.errors import LedgerError, ValidationError
from ledger.office import Office

JournalRows = list[tuple[str, Any, str, Any, Any, str]]


@dataclass(frozen=True)
class Column:
    field: str
    labels: tuple[str, ...] = ()  # catalogue field labels a header may use (field.<label>)
    date: bool = False
    personal: str = ""  # "id_number" | "phone": masked on export unless revealed
    coded: str = ""  # the value kind when not the field's name (value.<coded>.<code>)

    @property
    def label(self) -> str:
        return self.labels[0] if self.labels else self.field


@dataclass
class Handler:
    """What a kind does; subclasses fill the methods. One instance per run (its caches)."""

    office: Office
    chunk_size: int = 2000

    def prepare(self) -> None:
        """Load the lookups the run needs once (villages by ref, …)."""

    def key(self, data: dict[str, str]) -> str | None:
        """The row's natural key; None: a new record whatever is stored (a number to be
        handed out)."""
        raise NotImplementedError

    def existing(self, keys: list[str]) -> dict[str, Any]:
        """key -> the stored record (whatever ``clean`` and ``write`` need)."""
        raise NotImplementedError

    def clean(self, data: dict[str, str], current: Any) -> dict[str, Any]:
        raise NotImplementedError

    def changed(self, clean: dict[str, Any], current: Any) -> bool:
        raise NotImplementedError

    def write(self, added: list[dict[str, Any]],
              updated: list[tuple[Any, dict[str, Any]]]) -> JournalRows:
        """Write a chunk; returns its journal entries (written by the caller, in order)."""
        raise NotImplementedError

    def export(self, reveal: bool, filters: Any = None) -> Iterator[dict[str, Any]]:
        """The records as rows by column field; ``filters``: the kind's ``Kind.filter``
        (None: every record)."""
        raise NotImplementedError


@dataclass(frozen=True)
class Kind:
    name: str
    entity: str
    key: str
    columns: tuple[Column, ...]
    handler: Callable[[Office], Handler]
    aliases: dict[str, str] = field(default_factory=dict)  # error field -> column field
    # The area's list filter (a frozen dataclass) the export takes: the list's own query.
    filter: type[Any] | None = None

    def column(self, name: str) -> Column | None:
        for col in self.columns:
            if col.field == name:
                return col
        return None


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.name] = kind
    return kind


def _load() -> None:
    from ledger.io import handlers, petitions, records, tickets  # noqa: F401  (the registry)


def get_kind(name: str) -> Kind:
    _load()
    if name not in KINDS:
        raise ValidationError("kind", "error.bad_choice", value=name,
                              choices=", ".join(sorted(KINDS)))
    return KINDS[name]


def kind_names() -> list[str]:
    _load()
    return sorted(KINDS)


def sql_value(office: Office, value: Any) -> Any:
    """A value for a raw ``executemany``: SQLite gets dates and instants as the text peewee
    stores."""
    if office.is_postgres:
        return value
    if isinstance(value, dt.datetime | dt.date):
        return str(value)
    return value


def allocate_ids(office: Office, table: str, count: int) -> list[int]:
    """``count`` new ids for ``table``, taken in one go: PostgreSQL's sequence (safe beside
    other writers), or SQLite's max under the write lock the transaction holds."""
    if count == 0:
        return []
    if office.is_postgres:
        cursor = office.db.execute_sql(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            (table, count))
        return [row[0] for row in cursor.fetchall()]
    top = office.db.execute_sql(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"').fetchone()[0]
    return list(range(top + 1, top + 1 + count))


def insert_rows(office: Office, table: str, columns: list[str], rows: list[tuple]) -> None:
    """Many new rows of ``table`` in one statement (``ledger.bulk``)."""
    from ledger import bulk

    if not office.is_postgres:
        rows = [tuple(map(bulk.as_stored, row)) for row in rows]
    bulk.insert(office, table, columns, rows)


def update_rows(office: Office, table: str, columns: list[str], rows: list[tuple]) -> None:
    """``rows``: the new values of ``columns`` followed by the row's id."""
    from ledger import bulk

    if not office.is_postgres:
        rows = [tuple(map(bulk.as_stored, row)) for row in rows]
    bulk.update(office, table, columns, rows)


def listed(rows: Iterator[dict[str, Any]], model: Any,
           size: int = 1000) -> Iterator[list[Any]]:
    """The records a list shows (its rows' ``id``), in the list's order, read whole in
    batches: an export filtered like a list is the list's own query."""
    ids: list[int] = []
    for row in rows:
        ids.append(row["id"])
        if len(ids) >= size:
            yield _by_id(model, ids)
            ids = []
    if ids:
        yield _by_id(model, ids)


def _by_id(model: Any, ids: list[int]) -> list[Any]:
    found = {r.id: r for r in model.select().where(model.id.in_(ids))}
    return [found[i] for i in ids if i in found]


class RowError(LedgerError):
    """A row the import refuses for a reason of the file (a duplicate key inside it)."""
