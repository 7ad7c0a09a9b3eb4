"""The export: a kind's records as CSV, XLSX or JSON with the columns the import accepts,
so an exported file imports back to the same records.

Personal data is masked unless revealed (and a reveal is journaled). A cell a spreadsheet
would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return)
gets a leading apostrophe in CSV and XLSX.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ledger import access, journal
from ledger.errors import ValidationError
from ledger.i18n import field_label
from ledger.io.kinds import get_kind
from ledger.models import database_proxy
from ledger.office import Office
from ledger.people import mask_id_number, mask_phone

FORMATS = ("csv", "xlsx", "json")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """A cell that cannot run as a formula when a spreadsheet opens it."""
    return "'" + value if value.startswith(_FORMULA_START) else value


# Characters an XLSX cell cannot hold (XML 1.0 refuses them, openpyxl raises; a CR would
# be read back as a newline), and the
# text that would read as OOXML's escape of one: both written as ``_xHHHH_``, as Excel
# does, and read back by ``ledger.io.readers`` (a name holding ESC exports and imports back).
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_XLSX_ESCAPE_LIKE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")


def xlsx_text(value: str) -> str:
    """``value`` as an XLSX cell holds it: OOXML's ``_xHHHH_`` for control characters."""
    if "_x" in value:
        value = _XLSX_ESCAPE_LIKE.sub("_x005F_", value)
    return _XLSX_ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", value)


def xlsx_row(values: list[Any]) -> list[Any]:
    """A row for ``sheet.append``: its texts through ``xlsx_text`` (every workbook we write:
    the export, the roster's week grid, the assessment)."""
    return [xlsx_text(v) if isinstance(v, str) else v for v in values]


def xlsx_texts(data: Any) -> Any:
    """``data`` (dicts, lists, values) with every text through ``xlsx_text``: a report
    made ready for a workbook in one go."""
    if isinstance(data, str):
        return xlsx_text(data)
    if isinstance(data, dict):
        return {k: xlsx_texts(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [xlsx_texts(v) for v in data]
    return data


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def export_rows(office: Office, kind_name: str, *, reveal: bool = False,
                filters: Any = None) -> tuple[list[str], Iterator[list[str]]]:
    """(headers, rows of text) of the kind's records, masked unless ``reveal``: every record,
    or those the area's list shows with ``filters`` (the kind's ``Kind.filter``)."""
    kind = get_kind(kind_name)
    if filters is not None and (kind.filter is None or not isinstance(filters, kind.filter)):
        raise ValidationError("filters", "error.io.no_filters", kind=kind.name)
    handler = kind.handler(office)
    headers = [field_label(c.label) for c in kind.columns]
    masks = {c.field: (mask_id_number if c.personal == "id_number" else mask_phone)
             for c in kind.columns if c.personal}
    if reveal and masks:
        shown: dict[str, Any] = {"export": kind.name}
        if filters is not None:
            shown["filters"] = dataclasses.asdict(filters)
        access.require(office, "reveal", kind.entity)
        journal.record_reveal(office, kind.entity, filters=shown)

    def rows() -> Iterator[list[str]]:
        for record in handler.export(reveal, filters):
            out = []
            for col in kind.columns:
                value = _text(record.get(col.field))
                if not reveal and col.field in masks:
                    value = masks[col.field](value)
                out.append(value)
            yield out

    return headers, rows()


def write_export(office: Office, kind_name: str, fmt: str, out: IO[str] | Path, *,
                 reveal: bool = False, encoding: str = "utf-8-sig",
                 filters: Any = None) -> int:
    """Write the export to ``out`` (a path, or a text stream such as standard output, which
    keeps its own encoding); returns the row count. XLSX needs a path. ``filters``: the
    kind's list filter (``Kind.filter``), so the export holds what that list shows."""
    if fmt not in FORMATS:
        raise ValidationError("format", "error.bad_choice", value=fmt,
                              choices=", ".join(FORMATS))
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ValidationError("encoding", "error.io.encoding_name", value=encoding) from None
    database_proxy.bind_thread(office.db)  # this office, whichever opened last
    headers, rows = export_rows(office, kind_name, reveal=reveal, filters=filters)
    kind = get_kind(kind_name)
    count = 0
    if fmt == "xlsx":
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet(kind.name)
        sheet.append(headers)
        for row in rows:
            # Text cells: an ID number or phone never becomes a number.
            sheet.append([xlsx_text(neutralise(v)) for v in row])
            count += 1
        book.save(out)
        return count
    if isinstance(out, Path):
        stream: IO[str] = out.open("w", encoding="utf-8" if fmt == "json" else encoding,
                                   newline="", errors="strict")
    else:
        stream = out
    try:
        if fmt == "json":
            stream.write("[")
            fields = [c.field for c in kind.columns]
            for row in rows:
                stream.write(("," if count else "") + "\n" + json.dumps(
                    dict(zip(fields, row, strict=True)), ensure_ascii=False))
                count += 1
            stream.write("\n]\n")
            return count
        writer = csv.writer(stream)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([neutralise(v) for v in row])
            count += 1
        return count
    finally:
        if isinstance(out, Path):
            stream.close()
