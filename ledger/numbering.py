"""Readable numbers by year: ``DB-2026-0042``. Call inside the use case's transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.models import NumberSequence

if TYPE_CHECKING:
    from ledger.office import Office


def next_number(office: Office, prefix: str, year: int) -> str:
    # Insert-or-ignore, then an UPDATE that takes the row lock (PostgreSQL) or the write lock
    # (SQLite, BEGIN IMMEDIATE) before reading: two clerks never get the same number, and two
    # first-of-the-year tickets never collide on creating the counter.
    NumberSequence.insert(prefix=prefix, year=year, last=0).on_conflict_ignore().execute()
    (NumberSequence.update(last=NumberSequence.last + 1)
     .where((NumberSequence.prefix == prefix) & (NumberSequence.year == year)).execute())
    last = (NumberSequence.select(NumberSequence.last)
            .where((NumberSequence.prefix == prefix) & (NumberSequence.year == year))
            .scalar())
    return format_number(prefix, year, last)


def format_number(prefix: str, year: int, serial: int) -> str:
    return f"{prefix}-{year}-{serial:04d}"
