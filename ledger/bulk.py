"""Set-based writes for a batch (the import, the journal's ``record_many``): many rows of one
table in one statement, on the raw connection, inside the caller's transaction.

peewee's ``insert_many(...).execute()`` builds its SQL in Python row by row; here the
statement is prepared once and the rows go to the driver as tuples: SQLite's
``executemany``, and on PostgreSQL ``psycopg2.extras.execute_values`` (many rows per
``INSERT … VALUES``), since psycopg2's own ``executemany`` sends one statement per row.

``Table`` turns records given as dicts by a model's field names into the tuples, with the
model's defaults filled in and, on SQLite, dates and instants as the text peewee stores.
"""

from __future__ import annotations

import datetime as dt
import functools
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from peewee import DateField, DateTimeField

if TYPE_CHECKING:
    from ledger.office import Office

PAGE = 500  # rows per statement on PostgreSQL


def insert(office: Office, table: str, columns: list[str] | tuple[str, ...],
           rows: list[tuple[Any, ...]] | list[list[Any]]) -> None:
    """``INSERT INTO table (columns) VALUES …`` for every row (values in column order)."""
    if not rows:
        return
    names = ", ".join(f'"{c}"' for c in columns)
    cursor = office.db.cursor()
    if office.is_postgres:
        from psycopg2.extras import execute_values

        execute_values(cursor, f'INSERT INTO "{table}" ({names}) VALUES %s', rows,
                       page_size=PAGE)
    else:
        marks = ", ".join(["?"] * len(columns))
        cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)


def update(office: Office, table: str, columns: list[str] | tuple[str, ...],
           rows: list[tuple[Any, ...]] | list[list[Any]]) -> None:
    """``UPDATE table SET columns… WHERE id = …`` for every row: the new values in column
    order, then the row's id."""
    if not rows:
        return
    mark = office.db.param
    sql = (f'UPDATE "{table}" SET ' + ", ".join(f'"{c}" = {mark}' for c in columns)
           + f" WHERE id = {mark}")
    cursor = office.db.cursor()
    if office.is_postgres:
        from psycopg2.extras import execute_batch

        execute_batch(cursor, sql, rows, page_size=PAGE)
    else:
        cursor.executemany(sql, rows)


def as_stored(value: Any) -> Any:
    """A value as SQLite gets it from peewee: dates and instants as their text."""
    if isinstance(value, dt.datetime | dt.date):
        return str(value)
    return value


class Table:
    """A model's columns for raw inserts of records given as dicts by field name."""

    def __init__(self, model: Any, *, with_id: bool = True, as_text: bool = True) -> None:
        fields = [f for f in model._meta.sorted_fields if with_id or f.name != "id"]
        self.name: str = model._meta.table_name
        self.columns = [f.column_name for f in fields]
        self.defaults = {f.name: (f.default() if callable(f.default) else f.default)
                         for f in fields}
        self._get = itemgetter(*(f.name for f in fields))
        # SQLite stores dates as text: the positions to convert (peewee does the same).
        self._dated = [i for i, f in enumerate(fields)
                       if as_text and isinstance(f, DateField | DateTimeField)]

    def row(self, record: dict[str, Any]) -> tuple[Any, ...]:
        """The value tuple of one record; a field it lacks takes the model's default."""
        try:
            values = self._get(record)
        except KeyError:
            values = self._get({**self.defaults, **record})
        if not self._dated:
            return values
        out = list(values)
        for i in self._dated:
            value = out[i]
            if value is not None:
                out[i] = str(value)
        return tuple(out)

    def insert(self, office: Office, records: list[dict[str, Any]]) -> None:
        insert(office, self.name, self.columns, [self.row(r) for r in records])


def table(office: Office, model: Any, *, with_id: bool = True) -> Table:
    """The ``Table`` of a model for this office's database (SQLite wants dates as text)."""
    return _table(model, with_id, not office.is_postgres)


@functools.lru_cache(maxsize=64)
def _table(model: Any, with_id: bool, as_text: bool) -> Table:
    return Table(model, with_id=with_id, as_text=as_text)
