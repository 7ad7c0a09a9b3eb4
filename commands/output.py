"""Printing results: aligned tables for people, JSON for scripts. Nothing here decides anything."""

from __future__ import annotations

import datetime as dt
import json
import sys
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TextIO

import click

from ledger.i18n import field_label, t, value_label

# A column: (key in the row dict, label field name, optional value kind for value_label)
Column = tuple[str, str] | tuple[str, str, str]

# Rows a list prints as a table when no --limit is given (a person reads a page and the
# count of all; --json gives every row to scripts).
TABLE_PAGE = 50


def json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=json_default))


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, size: int) -> str:
    return text + " " * max(0, size - width(text))


def cell(value: Any, kind: str | None = None) -> str:
    if value is None:
        return ""
    if kind:
        if isinstance(value, list | tuple):
            return "、".join(value_label(kind, v) for v in value)
        return value_label(kind, str(value))
    if isinstance(value, bool):
        return t("word.yes") if value else t("word.no")
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float):
        return f"{value:.1%}" if 0 <= value <= 1 else f"{value:.2f}"
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return str(value)


def print_table(rows: Iterable[Mapping[str, Any]], columns: Sequence[Column],
                *, footer: str | None = None) -> None:
    headers = [field_label(c[1]) for c in columns]
    body = [[cell(row.get(c[0]), c[2] if len(c) > 2 else None) for c in columns]  # type: ignore[misc]
            for row in rows]
    sizes = [max([width(h)] + [width(r[i]) for r in body]) for i, h in enumerate(headers)]
    click.echo("  ".join(_pad(h, s) for h, s in zip(headers, sizes, strict=True)).rstrip())
    click.echo("  ".join("-" * s for s in sizes))
    for r in body:
        click.echo("  ".join(_pad(v, s) for v, s in zip(r, sizes, strict=True)).rstrip())
    if footer:
        click.echo(footer)


def print_record(record: Mapping[str, Any], fields: Sequence[Column]) -> None:
    labels = [field_label(f[1]) for f in fields]
    size = max(width(label) for label in labels) if labels else 0
    for f, label in zip(fields, labels, strict=True):
        value = cell(record.get(f[0]), f[2] if len(f) > 2 else None)  # type: ignore[misc]
        click.echo(f"{_pad(label, size)}  {value}")


def emit(rows: Sequence[Mapping[str, Any]], columns: Sequence[Column], as_json: bool,
         *, footer: str | None = None) -> None:
    if as_json:
        print_json(list(rows))
    else:
        print_table(rows, columns, footer=footer)


def info(message: str) -> None:
    """A line for people, on stderr, so stdout stays clean for pipes."""
    click.echo(message, err=True)



# --- lists: one way to print what a list command found ------------------------------------

# Rows encoded before each write of a streamed JSON array: few enough that memory stays flat,
# enough that a big export is not one system call per row.
JSON_CHUNK = 500

Fetch = Callable[[int, int | None], Iterable[Mapping[str, Any]]]


def stream_json(rows: Iterable[Mapping[str, Any]], out: TextIO | None = None) -> None:
    """A JSON array written as the rows arrive, one row a line: memory stays flat for any
    number of rows (``rows`` is read lazily, ``JSON_CHUNK`` rows at a time)."""
    out = out if out is not None else sys.stdout
    dumps = json.JSONEncoder(ensure_ascii=False, default=json_default).encode
    out.write("[")
    first = True
    chunk: list[str] = []
    for row in rows:
        chunk.append(("\n" if first else ",\n") + dumps(row))
        first = False
        if len(chunk) >= JSON_CHUNK:
            out.write("".join(chunk))
            chunk.clear()
    out.write("".join(chunk))
    out.write("]\n" if first else "\n]\n")
    out.flush()


def list_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--limit``, ``--offset`` and ``--json`` of every list command (see ``print_list``)."""
    for option in reversed([
        click.option("--limit", type=click.IntRange(min=0), default=None),
        click.option("--offset", type=click.IntRange(min=0), default=0),
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
