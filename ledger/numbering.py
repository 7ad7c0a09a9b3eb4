"""Readable numbers by year: ``DB-2026-0042``. Call inside the use case's transaction."""

from __future__ import annotations

from typing import Any

from ledger.models import NumberSequence


def next_number(office: Any, prefix: str, year: int) -> str:
    seq, _ = NumberSequence.get_or_create(prefix=prefix, year=year, defaults={"last": 0})
    # The UPDATE takes the row lock (PostgreSQL) or the write lock (SQLite IMMEDIATE) first,
    # so two clerks never receive the same number.
    (NumberSequence.update(last=NumberSequence.last + 1)
     .where(NumberSequence.id == seq.id).execute())
    last = NumberSequence.get_by_id(seq.id).last
    return format_number(prefix, year, last)


def format_number(prefix: str, year: int, serial: int) -> str:
    return f"{prefix}-{year}-{serial:04d}"
