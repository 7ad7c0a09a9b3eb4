"""Printing results: aligned tables for people, JSON for scripts. Nothing here decides anything."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

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
    body = [[cell(row.get(c[0]), c[2] if len(c) > 2 else None) for c in columns]
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
        value = cell(record.get(f[0]), f[2] if len(f) > 2 else None)
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

