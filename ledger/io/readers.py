"""Reading a file people made: CSV or TSV (delimiter sniffed), XLSX (streamed), in UTF-8,
UTF-8 with BOM or GB18030/GBK (as Excel and WPS save on Chinese Windows).

A reader yields ``(line, cells)`` with every cell as text: nothing is type-guessed, so a phone
``07318888888`` keeps its zero. Excel date cells become ISO dates. Problems with the file
itself are ``FileError``s naming the file and line.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ledger.errors import LedgerError

SAMPLE_BYTES = 64 * 1024
# Chinese legacy encodings all decode as their superset.
_CHINESE = {"gb2312", "gbk", "gb18030", "cp936", "hz", "hz_gb_2312", "euc_cn"}


class FileError(LedgerError):
    """The file cannot be read as a table (encoding, shape, empty): one line naming it."""


def detect_encoding(sample: bytes) -> str:
    """The encoding of a file from its first bytes: a BOM, valid UTF-8, else what
    charset-normalizer finds (GB18030 for the Chinese family)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)  # a character cut at the sample's end is fine
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("gb18030")().decode(sample, final=False)
        # Almost every file that is not UTF-8 in a Chinese office is GB18030 (or its subsets).
        return "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # only when the usual two fail

    best = from_bytes(sample).best()
    if best is None:
        raise FileError("error.io.encoding_unknown")
    name = best.encoding.lower()
    return "gb18030" if name in _CHINESE else name


def parse_date_text(value: str) -> str:
    """A date as typed (2025-03-01, 2025/3/1, 2025.3.1, 2025年3月1日) as ISO text; anything
    else is returned as given, for the validator to refuse with the field's name."""
    text = value.strip()
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                         r"(?:[ T]00:00(?::00)?)?", text)
    if not match:
        return value
    year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return value


def cell_text(value: Any) -> str:
    """A spreadsheet cell as text: numbers without a trailing ``.0``, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def xlsx_cell_text(value: Any) -> str:
    """A spreadsheet cell as text, OOXML's escapes (``_x001B_``: a character XML cannot
    hold, as Excel and our export write it) read back as the characters."""
    text = cell_text(value)
    if "_x" in text:
        text = _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text


def file_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in (".tsv", ".tab"):
        return "tsv"
    return "csv"


def read_table(path: Path, *, encoding: str | None = None, delimiter: str | None = None,
               sheet: str | None = None) -> Iterator[tuple[int, list[str]]]:
    """``(line, cells)`` for every non-blank line of the file, the header first."""
    if not path.is_file():
        raise FileError("error.io.no_file", file=str(path))
    if file_format(path) == "xlsx":
        yield from _read_xlsx(path, sheet)
    else:
        yield from _read_csv(path, encoding, delimiter)


def _read_csv(path: Path, encoding: str | None,
              delimiter: str | None) -> Iterator[tuple[int, list[str]]]:
    with path.open("rb") as raw:
        sample = raw.read(SAMPLE_BYTES)
    if not sample.strip():
        raise FileError("error.io.empty", file=str(path))
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise FileError("error.io.encoding_name", value=encoding) from None
    else:
        encoding = detect_encoding(sample)
    if encoding.replace("-", "").replace("_", "").lower() == "utf8" and sample.startswith(
            codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    if delimiter is None:
        if file_format(path) == "tsv":
            delimiter = "\t"
        else:
            first = sample.decode(encoding, errors="replace").lstrip("\ufeff")
            first = first.splitlines()[0] if first.splitlines() else first
            try:
                delimiter = csv.Sniffer().sniff(first, delimiters=",\t;|").delimiter
            except csv.Error:
                delimiter = ","
    elif delimiter in ("\\t", "tab"):
        delimiter = "\t"
    line = 0
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
        reader = csv.reader(text, delimiter=delimiter, strict=True)
        try:
            for cells in reader:
                line = reader.line_num
                if any(c.strip() for c in cells):
                    yield line, cells
        except UnicodeDecodeError:
            raise FileError("error.io.encoding_bad", file=str(path),
                            line=_undecodable_line(path, encoding) or line + 1,
                            encoding=encoding) from None
        except csv.Error as exc:
            raise FileError("error.io.csv", file=str(path), line=reader.line_num,
                            detail=str(exc)) from None


def _undecodable_line(path: Path, encoding: str) -> int | None:
    """The first line of the file its encoding cannot decode: the text reader decodes ahead
    of the csv reader (a block at a time), so the csv's line is where that block began.
    Lines are split on the newline byte, which no byte of a UTF-8 or GB18030 character
    holds; None when the encoding is another (UTF-16) or every line decodes alone."""
    if codecs.lookup(encoding).name not in ("utf-8", "utf-8-sig", "gb18030"):
        return None
    with path.open("rb") as raw:
        for number, data in enumerate(raw, start=1):
            try:
                data.decode(encoding)
            except UnicodeDecodeError:
                return number
    return None


def _read_xlsx(path: Path, sheet: str | None) -> Iterator[tuple[int, list[str]]]:
    import zipfile

    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise FileError("error.io.xlsx", file=str(path), detail=str(exc)) from None
    try:
        if sheet is None:
            ws = book.worksheets[0]
        elif sheet in book.sheetnames:
            ws = book[sheet]
        else:
            raise FileError("error.io.no_sheet", file=str(path), sheet=sheet,
                            sheets=", ".join(book.sheetnames))
        for line, values in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = [xlsx_cell_text(v) for v in values]
            while cells and cells[-1] == "":
                cells.pop()
            if any(c.strip() for c in cells):
                yield line, cells
    finally:
        book.close()
