"""Printing results: aligned tables for people, JSON for scripts. Nothing here decides anything.

Values are formatted by ``ledger.display`` (the app shows them alike). Everything printed for
people goes through :func:`visible`: a stored name is data, and its control characters (an
escape sequence that retitles the window, a CR or newline that splits a table row) are shown
as escapes, never sent to the terminal. JSON escapes them itself.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TextIO

import click

from commands.context import AppContext
from commands.params import LIMIT, OFFSET
from ledger import Clock, display
from ledger.i18n import field_label, t

# A column: (key in the row dict, label field name, optional value kind for value_label)
Column = tuple[str, str] | tuple[str, str, str]

# Rows a list prints as a table when no --limit is given (a person reads a page and the
# count of all; --json gives every row to scripts).
TABLE_PAGE = 50


def json_default(value: Any) -> Any:
    # Called for every date of every row of a long list: a plain class test first (a
    # datetime is a date too), not a union built anew on each call.
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


# Characters a terminal acts on rather than shows: C0 and C1 controls and DEL, the line and
# paragraph separators, and the bidirectional overrides and isolates (which reorder what
# follows them on the line).
_SHOWN = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\x1b"}
_BIDI = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


def _acted_on(char: str) -> bool:
    code = ord(char)
    return (code < 0x20 or 0x7F <= code <= 0x9F or char in _BIDI
            or char in ("\u2028", "\u2029"))


def _escape(char: str) -> str:
    if char in _SHOWN:
        return _SHOWN[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


# The characters ``_acted_on`` names, as one class: a regex search is a C loop, where a
# generator over a 10 MB JSON document costs a second (``jiedao remind --json``).
_ACTED_ON = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_RAW_JSON = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """``text`` with every character a terminal would act on shown as an escape (``\\n``,
    ``\\x1b``, ``\\u202e``); ordinary text, CJK and emoji are left as they are."""
    if not _ACTED_ON.search(text):
        return text
    return "".join(_escape(c) if _acted_on(c) else c for c in text)


def line(text: str = "", *, err: bool = False) -> None:
    """One line for people (on stderr with ``err``), its control characters made visible."""
    click.echo(visible(text), err=err)


def _raw_in_json(char: str) -> bool:
    return char >= "\x7f" and _acted_on(char)


def json_safe(text: str) -> str:
    """JSON text (``json.dumps(..., ensure_ascii=False)``) with DEL, C1 controls and the
    bidi and line separators escaped as well: json escapes C0 controls inside strings but
    passes those through raw. Still the same JSON, none of it acted on by a terminal."""
    if not _RAW_JSON.search(text):
        return text
    return "".join(f"\\u{ord(c):04x}" if _raw_in_json(c) else c for c in text)


def print_json(data: Any) -> None:
    click.echo(json_safe(json.dumps(data, ensure_ascii=False, indent=2,
                                     default=json_default)))


def print_json_document(data: Any, *, depth: int, out: TextIO | None = None) -> None:
    """``data`` as JSON for a long document (``jiedao remind --json``): its containers
    indented down to ``depth`` levels, each value below that on one line of its own, as the
    lists' streams write rows. The same JSON as ``print_json``; ``indent=2`` all the way down
    runs json's pure-Python encoder, which cost twice the rest of a reminder run."""
    out = out if out is not None else sys.stdout
    parts: list[str] = []
    encode = _one_line_encoder()
    _document(data, depth, "\n", encode, parts)
    out.write(json_safe("".join(parts)) + "\n")
    out.flush()


def _one_line_encoder() -> Callable[[Any], str]:
    """A value as one line of JSON (``ensure_ascii=False``, dates as ISO text).

    One C encoder for every call: ``JSONEncoder.encode`` builds a new one each time, which
    costs more than encoding a small dict."""
    from json import encoder as std

    make = getattr(std, "c_make_encoder", None)
    if make is None:  # no C accelerator: the pure-Python one, as json would
        return json.JSONEncoder(ensure_ascii=False, default=json_default).encode
    try:
        c_encode = make(None, json_default, std.encode_basestring, None, ": ", ", ", False,
                        False, True)
    except TypeError:  # another Python's signature
        return json.JSONEncoder(ensure_ascii=False, default=json_default).encode
    join = "".join

    def encode(value: Any) -> str:
        return join(c_encode(value, 0))

    return encode


def _document(value: Any, depth: int, pad: str, encode: Callable[[Any], str],
              parts: list[str]) -> None:
    inner = pad + "  "
    if depth > 0 and isinstance(value, dict) and value:
        parts.append("{")
        for i, (key, item) in enumerate(value.items()):
            parts.append(("" if i == 0 else ",") + inner + encode(str(key)) + ": ")
            _document(item, depth - 1, inner, encode, parts)
        parts.append(pad + "}")
    elif depth > 0 and isinstance(value, list | tuple) and value:
        parts.append("[")
        for i, item in enumerate(value):
            parts.append(("" if i == 0 else ",") + inner)
            _document(item, depth - 1, inner, encode, parts)
        parts.append(pad + "]")
    else:
        parts.append(encode(value))


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, size: int) -> str:
    return text + " " * max(0, size - width(text))


def office_clock() -> Clock | None:
    """Where instants are shown: the office's clock (its time zone) when a command runs."""
    ctx = click.get_current_context(silent=True)
    app = ctx.find_object(AppContext) if ctx is not None else None
    return app.clock() if app is not None else None


def cell(value: Any, kind: str | None = None, zone: Clock | None = None) -> str:
    """A value as one line of a table or record: formatted (instants in ``zone``, the
    office's clock), control characters visible."""
    return visible(display.text(value, kind=kind, zone=zone))


def print_table(rows: Iterable[Mapping[str, Any]], columns: Sequence[Column],
                *, footer: str | None = None) -> None:
    headers = [field_label(c[1]) for c in columns]
    zone = office_clock()
    body = [[cell(row.get(c[0]), c[2] if len(c) > 2 else None, zone)
             for c in columns] for row in rows]
    sizes = [max([width(h)] + [width(r[i]) for r in body]) for i, h in enumerate(headers)]
    click.echo("  ".join(_pad(h, s) for h, s in zip(headers, sizes, strict=True)).rstrip())
    click.echo("  ".join("-" * s for s in sizes))
    for r in body:
        click.echo("  ".join(_pad(v, s) for v, s in zip(r, sizes, strict=True)).rstrip())
    if footer:
        line(footer)


def print_record(record: Mapping[str, Any], fields: Sequence[Column]) -> None:
    labels = [field_label(f[1]) for f in fields]
    size = max(width(label) for label in labels) if labels else 0
    zone = office_clock()
    for f, label in zip(fields, labels, strict=True):
        value = cell(record.get(f[0]), f[2] if len(f) > 2 else None, zone)
        click.echo(f"{_pad(label, size)}  {value}")


def emit(rows: Sequence[Mapping[str, Any]], columns: Sequence[Column], as_json: bool,
         *, footer: str | None = None) -> None:
    if as_json:
        print_json(list(rows))
    else:
        print_table(rows, columns, footer=footer)


def info(message: str) -> None:
    """A line for people, on stderr, so stdout stays clean for pipes."""
    line(message, err=True)


class StatusLine:
    """One line on stderr rewritten in place while a long step runs (rows imported, the
    sample's area being built); see :func:`status_line`."""

    def __init__(self) -> None:
        self.shown = False

    def show(self, text: str) -> None:
        # The line cleared first: a shorter text leaves no tail of the last one.
        sys.stderr.write(f"\r\x1b[K{visible(text)}")
        sys.stderr.flush()
        self.shown = True

    def end(self) -> None:
        if self.shown:
            sys.stderr.write("\n")
            sys.stderr.flush()
            self.shown = False


@contextlib.contextmanager
def status_line(wanted: bool = True) -> Iterator[StatusLine | None]:
    """A :class:`StatusLine` on a terminal, closed (its line ended) however the step ends;
    None in a pipe or under cron, which hear nothing of it, or when not ``wanted``."""
    status = StatusLine() if wanted and sys.stderr.isatty() else None
    try:
        yield status
    finally:
        if status is not None:
            status.end()



# --- lists: one way to print what a list command found ------------------------------------

# Rows encoded before each write of a streamed JSON array: few enough that memory stays flat,
# enough that a big export is not one system call per row.
JSON_CHUNK = 500

Fetch = Callable[[int, int | None], Iterable[Mapping[str, Any]]]


def stream_json(rows: Iterable[Mapping[str, Any]], out: TextIO | None = None) -> None:
    """A JSON array written as the rows arrive, one row a line: memory stays flat for any
    number of rows (``rows`` is read lazily, ``JSON_CHUNK`` rows at a time)."""
    out = out if out is not None else sys.stdout
    encode = _one_line_encoder()
    out.write("[")
    first = True
    chunk: list[str] = []
    for row in rows:
        chunk.append(("\n" if first else ",\n") + encode(row))
        first = False
        if len(chunk) >= JSON_CHUNK:
            out.write(json_safe("".join(chunk)))  # one scan a chunk, not one a row
            chunk.clear()
    out.write(json_safe("".join(chunk)))
    out.write("]\n" if first else "\n]\n")
    out.flush()


def list_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--limit``, ``--offset`` and ``--json`` of every list command (see ``print_list``)."""
    for option in reversed([
        click.option("--limit", type=LIMIT, default=None),
        click.option("--offset", type=OFFSET, default=0),
        click.option("--json", "as_json", is_flag=True),
    ]):
        f = option(f)
    return f


def print_list(fetch: Fetch, count: Callable[[], int], columns: Sequence[Column], *,
               as_json: bool, offset: int = 0, limit: int | None = None,
               for_people: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None,
               revealed: bool = False) -> None:
    """What a list command found. ``fetch(offset, limit)`` is the area's ``iter_x``;
    ``count()`` its ``count_x``.

    ``--json``: every matching row (or ``--limit`` of them) streamed as one JSON array, as
    ledger gives them. A table: one page (``TABLE_PAGE`` rows unless ``--limit``), shaped by
    ``for_people``, and "rows a–b of N" on stderr so stdout holds only the rows.
    """
    if as_json:
        stream_json(fetch(offset, limit))
    else:
        rows = [for_people(r) if for_people else r
                for r in fetch(offset, TABLE_PAGE if limit is None else limit)]
        print_table(rows, columns)
        total = count()
        info(t("list.page", first=offset + 1, last=offset + len(rows), count=total) if rows
             else t("list.none", count=total))
    if revealed:
        info(t("list.revealed"))
