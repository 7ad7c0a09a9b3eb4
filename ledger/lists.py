"""What every area's lists share: the page a caller asks for, and how a list that shows
personal data in full is journaled.

An area's ``iter_x(office, filters, *, offset=0, limit=None, reveal=False)`` streams its
matching rows (a query read lazily); ``list_x`` is one page of the same rows. A big table's
list reads its query through ``raw`` (the driver's tuples, no per-column conversion) and
turns its date columns with a ``Dates`` (each distinct day parsed once). A reveal is
journaled once per list (``journal.record_reveal``): a stream before its first row is read,
with the filters and how many rows it shows; a page with the ids it showed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from typing import Any

from ledger import access, journal
from ledger.db import MAX_ID
from ledger.errors import ValidationError
from ledger.office import Office

# The biggest row count or offset a list takes (the faces' LIMIT/OFFSET bound too).
PAGE_MAX = MAX_ID


def check_page(offset: int, limit: int | None) -> tuple[int, int | None]:
    """``offset`` and ``limit`` as a query takes them; refused when negative or too big."""
    if not 0 <= int(offset) <= PAGE_MAX:
        raise ValidationError("offset", "error.bad_page", max=PAGE_MAX)
    if limit is not None and not 0 <= int(limit) <= PAGE_MAX:
        raise ValidationError("limit", "error.bad_page", max=PAGE_MAX)
    return int(offset), None if limit is None else int(limit)


def page(query: Any, offset: int, limit: int | None) -> Any:
    """``query`` limited to the rows from ``offset``, at most ``limit`` of them."""
    offset, limit = check_page(offset, limit)
    if limit is not None:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)  # peewee adds SQLite's "LIMIT -1" when needed
    return query


def shown(total: int, offset: int, limit: int | None) -> int:
    """How many of ``total`` matching rows a page from ``offset`` holds."""
    rest = max(0, total - offset)
    return rest if limit is None else min(rest, limit)


def journal_reveal(office: Office, entity: str, filters: Any, *, count: int | None = None,
                   ids: list[Any] | None = None) -> None:
    """The one journal entry of a list shown with personal data in full: a page gives the
    ids it showed, a stream (journaled before its first row) how many rows it shows. Only
    a supervisor sees them (``ledger.access``), an empty list too."""
    access.require(office, "reveal", entity)
    if (ids is not None and not ids) or (ids is None and not count):
        return
    journal.record_reveal(office, entity, filters=filters, ids=ids, count=count)


def raw(office: Office, query: Any) -> Iterator[tuple[Any, ...]]:
    """``query``'s rows as the driver gives them, fetched in batches: peewee's conversion of
    every column of every row was most of the cost of a long list. Dates come as ISO text
    from SQLite and as dates from PostgreSQL (``Dates`` takes both); instants likewise."""
    cursor = office.db.execute(query)
    try:
        while batch := cursor.fetchmany(500):
            yield from batch
    finally:
        # A reader that stopped early (a closed pipe) may close it after the connection.
        with contextlib.suppress(Exception):
            cursor.close()


class Dates(dict[Any, Any]):
    """A date column's value as a ``date``: SQLite gives ISO text, PostgreSQL a date; a list
    repeats few distinct days, so each is parsed once."""

    def __call__(self, value: Any) -> dt.date | None:
        """The day ``value`` stands for, remembered: a caller in a hot loop may look it up
        first (``day[v] if v in day else day(v)``), saving the call."""
        try:
            return self[value]
        except KeyError:
            parsed = self[value] = (value if value is None or isinstance(value, dt.date)
                                    else dt.date.fromisoformat(value[:10]))
            return parsed


def instant(value: Any) -> dt.datetime:
    """An instant column's value as a naive ``datetime`` (SQLite: ISO text)."""
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else value
