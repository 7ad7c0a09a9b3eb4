"""Values as text for people: the one formatter both faces use.

    display.text(True)                          -> "是" / "yes"
    display.text(0.125, kind=display.PERCENT)   -> "12.5%"
    display.text(["a", "b"])                    -> "a、b" / "a, b"
    display.text("bachelor", kind="education")  -> "本科" / "bachelor's degree"
    display.text(instant, zone=office.clock)    -> "2026-11-27 18:00" (the office's time)

A list and a detail view, a table on the command line and a cell in the app then show one
value the same way. ``None`` (and an empty string) is ``""``: what an empty cell shows is the
face's choice ("—" in a detail view). Text is returned as it is: making a user's text safe
for a terminal (control characters) or for the app (markup) is each face's job, at the
last step, because only the face knows its medium.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from ledger.clock import Clock
from ledger.i18n import field_label, get_language, t, value_label

# A pseudo value kind: a share between 0 and 1 shown as a percentage (``kind=PERCENT``).
PERCENT = "percent"

Zone = Clock | ZoneInfo | str | None


def yes_no(value: bool) -> str:
    return t("word.yes") if value else t("word.no")


def percent(value: float | None, digits: int = 1) -> str:
    """A share (0.125) as a percentage ("12.5%"); ``None`` (no share: nothing to divide) is
    ``""``."""
    if value is None:
        return ""
    return f"{value:.{digits}%}"


def separator() -> str:
    """Between the items of a list: 、 in Chinese, a comma in English."""
    return "、" if get_language() == "zh" else ", "


def join(items: Iterable[Any], *, kind: str | None = None, zone: Zone = None) -> str:
    """Items as one list (``甲、乙`` / ``a, b``), each formatted by :func:`text`."""
    return separator().join(text(item, kind=kind, zone=zone) for item in items)


def labels(kind: str, codes: Iterable[Any]) -> str:
    """Display names of coded values as one list: ``labels("petition_state", states)``."""
    return join(codes, kind=kind)


def date_text(value: dt.date) -> str:
    return value.isoformat()


def _zone(zone: Zone) -> ZoneInfo | None:
    if isinstance(zone, Clock):
        return zone.zone
    if isinstance(zone, str):
        return ZoneInfo(zone)
    return zone


def datetime_text(instant: dt.datetime, zone: Zone = None) -> str:
    """An instant as minutes in the office's time zone (``zone``: the office's clock, a
    zone or its name). Ledger's instants are aware UTC (naive ones are UTC as stored); with
    no zone an instant is shown as it is."""
    target = _zone(zone)
    if target is not None:
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=dt.UTC)
        instant = instant.astimezone(target)
    return instant.strftime("%Y-%m-%d %H:%M")


def number(value: float) -> str:
    """A float that is not a share (a median of days): at most two decimals, no trailing
    zeros."""
    return f"{round(value, 2):g}"


def byte_size(value: int | None) -> str:
    """A size in bytes as people read it: ``512 B``, ``504 KB``, ``1.2 GB`` (powers of 1024)."""
    if value is None:
        return ""
    size = float(value)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            break
        size /= 1024
    return f"{int(size)} {unit}" if unit == "B" else f"{size:.1f} {unit}"


def text(value: Any, *, kind: str | None = None, zone: Zone = None) -> str:
    """Display text for one value of a record dict.

    ``kind`` names a coded value's kind (``education``: shown through
    ``i18n.value_label``; a list of codes becomes a list of names) or :data:`PERCENT`.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if kind == PERCENT and isinstance(value, int | float):
        return percent(value)
    if isinstance(value, list | tuple | set | frozenset):
        return join(value, kind=kind, zone=zone)
    if kind is not None and kind != PERCENT:
        return value_label(kind, str(value))
    if isinstance(value, dt.datetime):
        return datetime_text(value, zone)
    if isinstance(value, dt.date):
        return date_text(value)
    if isinstance(value, float):
        return number(value)
    if isinstance(value, dict):
        return ", ".join(f"{field_label(k)}={text(v, zone=zone)}" for k, v in value.items())
    return str(value)
