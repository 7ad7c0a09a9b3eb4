"""One search box for every area: what the typed text is, and the condition it puts on an
area's columns.

The text decides what it looks for, the same way in members, tickets and petitions:

- digits only (4 or more): the end of a phone number (phones are stored unmasked; masking is
  on read), the end of an ID number (the last 4–6 characters on an ID card, or all 18), or
  part of a readable number (``0042`` of ``DB-2026-0042``); fewer digits: a number only;
- digits ending in ``X`` (``123X``): the end of an ID number;
- a readable number (``DB-2026-0042``, ``xf-2026``): part of a number;
- latin letters, spaces and apostrophes: pinyin, the initials (``xsw``) or the start of the
  full pinyin, syllables with or without spaces (``hong``, ``xushaowei``, ``xu shao``,
  ``xi'an``); also part of the name as written (a latin name);
- anything else (Chinese): part of the name, or of the area's other text columns.

``%``, ``_``, ``\\`` and quotes are matched literally: peewee's ``contains``/``startswith``/
``endswith`` escape LIKE wildcards, and values are always bound parameters. A NUL is refused
on the field ``search`` (``ledger.fields.no_nul``): PostgreSQL refuses it in a statement.
"""

from __future__ import annotations

import functools
import operator
import re
from dataclasses import dataclass
from typing import Any

from peewee import SQL

from ledger.fields import no_nul

_DIGITS = re.compile(r"^\d+$")
_ID_TAIL = re.compile(r"^\d{3,17}X$")
_NUMBER = re.compile(r"^[A-Z]{0,10}-?\d[\d-]*$|^[A-Z]{1,10}-$")
_LATIN = re.compile(r"^[a-z][a-z' ]*$")

PHONE_TAIL_MIN = 4  # fewer digits would match a good share of any phone book
ID_TAIL_MIN = 4

NUMBER = "number"
PHONE = "phone"  # digits: phone tail, ID tail or number
ID_TAIL = "id_tail"
LATIN = "latin"
TEXT = "text"


@dataclass(frozen=True)
class Term:
    """The typed text, classified. ``text`` is the normalised text for the kind."""

    kind: str
    text: str


@dataclass(frozen=True)
class Columns:
    """The columns of one table an area searches (None: the table has no such column)."""

    name: Any = None  # a person's name as written: contains
    initials: Any = None  # pinyin initials, lower case: starts with
    pinyin: Any = None  # full pinyin without spaces, lower case: starts with
    phone: Any = None  # digits: ends with
    id_number: Any = None  # 18 characters, upper case: ends with
    number: Any = None  # the readable number, upper case: contains
    texts: tuple[Any, ...] = ()  # other text (summary, enterprise): contains


def parse(text: str | None) -> Term | None:
    """What the search box's text looks for; None for blank text (no condition)."""
    raw = " ".join(no_nul("search", text or "").split())  # full-width spaces: split knows them
    if not raw:
        return None
    upper = raw.upper()
    if _DIGITS.match(raw):
        return Term(PHONE, raw)
    if _ID_TAIL.match(upper):
        return Term(ID_TAIL, upper)
    if _NUMBER.match(upper):
        return Term(NUMBER, upper)
    lower = raw.lower()
    if _LATIN.match(lower):
        return Term(LATIN, lower)
    return Term(TEXT, raw)


def _any(conditions: list[Any]) -> Any:
    if not conditions:
        return SQL("1 = 0")  # nothing in this table can match what was typed
    return functools.reduce(operator.or_, conditions)


def condition(term: Term, cols: Columns) -> Any:
    """The condition ``term`` puts on a table with these columns (false when none fits)."""
    found: list[Any] = []
    text = term.text
    if term.kind == PHONE:
        if len(text) >= PHONE_TAIL_MIN and cols.phone is not None:
            found.append(cols.phone.endswith(text))
        if len(text) >= ID_TAIL_MIN and cols.id_number is not None:
            found.append(cols.id_number.endswith(text))
        if cols.number is not None:
            found.append(cols.number.contains(text))
    elif term.kind == ID_TAIL:
        if cols.id_number is not None:
            found.append(cols.id_number.endswith(text))
    elif term.kind == NUMBER:
        if cols.number is not None:
            found.append(cols.number.contains(text))
    elif term.kind == LATIN:
        compact = text.replace(" ", "").replace("'", "")
        if compact and cols.initials is not None:
            found.append(cols.initials.startswith(compact))
        if compact and cols.pinyin is not None:
            found.append(cols.pinyin.startswith(compact))
        found += [c.contains(text) for c in (cols.name, *cols.texts) if c is not None]
    else:
        found += [c.contains(text) for c in (cols.name, *cols.texts) if c is not None]
    return _any(found)
