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


def next_numbers(office: Office, prefix: str, year: int, count: int) -> list[str]:
    """``count`` consecutive numbers taken in one step (a batch import), under the same lock
    as ``next_number``."""
    if count <= 0:
        return []
    NumberSequence.insert(prefix=prefix, year=year, last=0).on_conflict_ignore().execute()
    (NumberSequence.update(last=NumberSequence.last + count)
     .where((NumberSequence.prefix == prefix) & (NumberSequence.year == year)).execute())
    last = (NumberSequence.select(NumberSequence.last)
            .where((NumberSequence.prefix == prefix) & (NumberSequence.year == year))
            .scalar())
    return [format_number(prefix, year, serial) for serial in range(last - count + 1, last + 1)]


def note_used(office: Office, prefix: str, year: int, serial: int) -> None:
    """A number given from outside (an imported ``XF-2025-0042``): the counter moves past it,
    so the numbers handed out later never collide with it."""
    NumberSequence.insert(prefix=prefix, year=year, last=0).on_conflict_ignore().execute()
    (NumberSequence.update(last=serial)
     .where((NumberSequence.prefix == prefix) & (NumberSequence.year == year)
            & (NumberSequence.last < serial)).execute())
