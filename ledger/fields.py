"""Small validators every area's service functions share: a text of bounded length, a
coded value from its list, a date, a bounded number, the fields an edit may change. Each
raises ``ValidationError`` naming the field (and ``label``, when the field's name reads wrong
for the record)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from ledger.errors import ValidationError


def editable(changes: Mapping[str, Any], fields: Iterable[str]) -> None:
    """The first check of an edit use case: a change to a field the edit cannot make is
    refused on that field (``error.unknown_field``) before anything is read or written."""
    allowed = set(fields)
    for key in changes:
        if key not in allowed:
            raise ValidationError(key, "error.unknown_field", field=key)


def choice(field: str, value: Any, codes: tuple[str, ...], *, blank: bool = False,
           label: str | None = None) -> str:
    """A coded value checked against its list; ``blank`` allows the empty string."""
    text = "" if value is None else str(value).strip()
    if not text:
        if blank:
            return ""
        raise ValidationError(field, "error.required", label=label)
    if text not in codes:
        raise ValidationError(field, "error.bad_choice", label=label, value=text,
                              choices=", ".join(codes))
    return text


def text_field(field: str, value: Any, max_length: int, *, required: bool = False,
               label: str | None = None) -> str:
    """A text as typed, stripped. Other control characters are kept (the faces show them
    escaped), but a NUL is refused: PostgreSQL cannot store it, so SQLite must not either,
    and no one types it (it comes from a damaged or misread file)."""
    text = "" if value is None else str(value).strip()
    no_nul(field, text, label=label)
    if required and not text:
        raise ValidationError(field, "error.required", label=label)
    if len(text) > max_length:
        raise ValidationError(field, "error.too_long", label=label, max=max_length)
    return text


def no_nul(field: str, text: str, *, label: str | None = None) -> str:
    """``text`` unless it holds a NUL character, which is refused on ``field``: PostgreSQL
    refuses it in any statement (a driver error, not a domain one), and nothing stored holds
    it. Searches and lookups check their text with it too."""
    if "\x00" in text:
        raise ValidationError(field, "error.nul", label=label)
    return text


def date_field(field: str, value: Any, *, label: str | None = None) -> dt.date | None:
    """A date from a date, a datetime (its day) or ISO text; blank is None."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(field, "error.bad_date", label=label, value=value) from None


def date_range(column: Any, start: dt.date | None, end: dt.date | None,
               end_field: str, *, label: str | None = None) -> list[Any]:
    """The conditions ``start <= column <= end`` (a bound left None is no condition); an end
    before the start is refused on ``end_field``."""
    if start and end and end < start:
        raise ValidationError(end_field, "error.date_order", label=label)
    conditions = []
    if start:
        conditions.append(column >= start)
    if end:
        conditions.append(column <= end)
    return conditions


_TRUE = ("1", "true", "yes", "y", "是")
_FALSE = ("0", "false", "no", "n", "否")


def bool_field(field: str, value: Any, *, default: bool = False,
               label: str | None = None) -> bool:
    """A yes/no from a bool or from what people type (yes/no, 1/0, 是/否); blank is
    ``default``."""
    if isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip().lower()
    if not text:
        return default
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValidationError(field, "error.bad_choice", label=label, value=value,
                          choices="yes, no")


# The range a 64-bit integer column holds; PostgreSQL's INTEGER holds less (2**31 - 1).
INT_MAX = 2**31 - 1


def int_field(field: str, value: Any, minimum: int = 0, maximum: int = INT_MAX, *,
              required: bool = True, range_key: str = "error.out_of_range",
              label: str | None = None) -> int | None:
    """A whole number within ``minimum``..``maximum`` from an int or typed text (blank is
    None unless ``required``); booleans and fractions are refused."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError(field, "error.required", label=label)
        return None
    if isinstance(value, bool) or isinstance(value, float) and not value.is_integer():
        raise ValidationError(field, "error.bad_number", label=label, value=value)
    try:
        number = int(value) if isinstance(value, int | float) else int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(field, "error.bad_number", label=label, value=value) from None
    if not minimum <= number <= maximum:
        raise ValidationError(field, range_key, label=label, min=minimum, max=maximum)
    return number
