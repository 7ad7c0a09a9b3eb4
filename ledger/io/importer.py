"""The batch import: a file's rows validated by the areas' own validators and written in one
transaction, all or nothing (or the good rows only, the bad ones written aside).

The file is streamed in chunks: each chunk's stored records are found with one query by
natural key, its rows cleaned, and its new and changed records written set-based with their
journal entries (``journal.record_many``). Nothing is kept in memory across chunks but the
first errors: the keys seen (a key twice in one file is refused) go to a temporary table of
the run's transaction, so memory stays flat whatever the file's size.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ledger import access, bulk, journal
from ledger.errors import LedgerError, ValidationError
from ledger.fields import no_nul
from ledger.i18n import catalogue, field_label, t
from ledger.io.kinds import Column, Kind, get_kind
from ledger.io.readers import FileError, parse_date_text, read_table
from ledger.models import database_proxy
from ledger.office import Office

MODES = ("insert", "upsert")
ERROR_CAP = 50
IMPORT_CACHE_KB = -8000  # SQLite's page cache during a run (negative: KiB)


@dataclass
class RowProblem:
    line: int
    column: str  # the header as in the file ("" when the row as a whole is refused)
    message: str

    def text(self, file: str) -> str:
        return f"{file}:{self.line}: {self.column}: {self.message}" if self.column else \
            f"{file}:{self.line}: {self.message}"


@dataclass
class ImportResult:
    kind: str
    file: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    seconds: float = 0.0
    written: bool = False
    dry_run: bool = False
    errors: list[RowProblem] = field(default_factory=list)  # the first ERROR_CAP
    error_count: int = 0

    def error_lines(self) -> list[str]:
        lines = [e.text(self.file) for e in self.errors]
        if self.error_count > len(self.errors):
            lines.append(t("io.more_errors", count=self.error_count - len(self.errors)))
        return lines

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "file": self.file, "added": self.added,
                "updated": self.updated, "unchanged": self.unchanged,
                "rejected": self.rejected, "seconds": round(self.seconds, 3),
                "written": self.written, "dry_run": self.dry_run,
                "errors": self.error_lines()}


class _Rollback(Exception):
    pass


def _norm(text: str) -> str:
    return re.sub(r"[\s_\-\u3000]+", "", text).lower()


def header_names(kind: Kind) -> dict[str, str]:
    """Normalised header -> field: the field's code name and its labels in both languages."""
    cat = catalogue()
    names: dict[str, str] = {}
    for col in kind.columns:
        names[_norm(col.field)] = col.field
        for label in (col.field, *col.labels):
            names.setdefault(_norm(label), col.field)
            for text in cat.get(f"field.{label}", ()):
                names.setdefault(_norm(text), col.field)
    return names


def match_header(kind: Kind, header: list[str], mapping: dict[str, str],
                 file: str, line: int) -> dict[int, str]:
    """Column index -> field; unknown or repeated columns are refused, naming them."""
    names = header_names(kind)
    fields = {c.field for c in kind.columns}
    mapped = {_norm(k): v for k, v in mapping.items()}
    for target in mapping.values():
        if target not in fields:
            raise ValidationError("map", "error.io.map_field", field=target,
                                  fields=", ".join(sorted(fields)))
    out: dict[int, str] = {}
    problems = []
    for index, title in enumerate(header):
        key = _norm(title)
        if not key:
            continue  # a blank header: its cells are not read
        found = mapped.get(key) or names.get(key)
        if found is None:
            problems.append(t("error.io.unknown_column", column=title,
                              known=", ".join(c.field for c in kind.columns)))
        elif found in out.values():
            problems.append(t("error.io.column_twice", column=title))
        else:
            out[index] = found
    if problems:
        raise FileError("error.io.header", file=file, line=line, detail="; ".join(problems))
    if kind.key not in out.values():
        raise FileError("error.io.no_key_column", file=file, line=line,
                        column=field_label(kind.column(kind.key).label))  # type: ignore[union-attr]
    return out


def _coded(kind: Kind) -> dict[str, dict[str, str]]:
    """field -> {label in either language: code} for coded columns (男 -> male)."""
    cat = catalogue()
    out: dict[str, dict[str, str]] = {}
    for col in kind.columns:
        prefix = f"value.{col.coded or col.field}."
        labels = {text: key[len(prefix):] for key, pair in cat.items()
                  if key.startswith(prefix) for text in pair}
        if labels:
            out[col.field] = labels
    return out


def parse_mapping(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        column, sep, target = pair.partition("=")
        if not sep or not column.strip() or not target.strip():
            raise ValidationError("map", "error.io.bad_map", value=pair)
        out[column.strip()] = target.strip()
    return out


def run_import(office: Office, kind_name: str, path: str | Path, *, mode: str = "upsert",
               dry_run: bool = False, skip_invalid: str | Path | None = None,
               encoding: str | None = None, delimiter: str | None = None,
               sheet: str | None = None, mapping: dict[str, str] | None = None,
               progress: Callable[[int], None] | None = None) -> ImportResult:
    """Import ``path`` as records of ``kind_name``. All or nothing unless ``skip_invalid``
    names a file for the refused rows (with an error column); ``dry_run`` writes nothing.
    Raises ``FileError`` when the file itself cannot be read; row errors are in the result."""
    database_proxy.bind_thread(office.db)  # this office, whichever opened last
    kind = get_kind(kind_name)
    access.require(office, "read" if dry_run else "write", kind.entity)
    if mode not in MODES:
        raise ValidationError("mode", "error.bad_choice", value=mode, choices=", ".join(MODES))
    path = Path(path)
    shown = str(path)
    result = ImportResult(kind.name, shown, dry_run=dry_run)
    started = time.perf_counter()
    rows = read_table(path, encoding=encoding, delimiter=delimiter, sheet=sheet)
    first = next(rows, None)
    if first is None:
        raise FileError("error.io.empty", file=shown)
    header_line, header = first
    columns = match_header(kind, header, mapping or {}, shown, header_line)
    headers = {f: header[i].strip() or f for i, f in columns.items()}
    handler = kind.handler(office)
    coded = _coded(kind)
    dates = {c.field for c in kind.columns if c.date}
    # (cell index, field, a date column, {label: code} of a coded column) once, not per row.
    plan = [(i, f, f in dates, coded.get(f)) for i, f in columns.items()]
    width = len(header)
    reject_out = _RejectWriter(Path(skip_invalid), header) if skip_invalid else None

    def problem(line: int, err: LedgerError | str, column: str = "") -> None:
        result.error_count += 1
        if isinstance(err, ValidationError):
            name = kind.aliases.get(err.field, err.field)
            column = headers.get(name) or field_label(err.label)
            message = err.detail()
        else:
            message = err if isinstance(err, str) else err.message()
        if len(result.errors) < ERROR_CAP:
            result.errors.append(RowProblem(line, column, message))

    def chunks() -> Iterator[list[tuple[int, list[str]]]]:
        batch: list[tuple[int, list[str]]] = []
        for item in rows:
            batch.append(item)
            if len(batch) >= handler.chunk_size:
                yield batch
                batch = []
        if batch:
            yield batch

    def row_data(cells: list[str]) -> dict[str, Any]:
        data: dict[str, Any] = {}
        count = len(cells)
        for i, name, is_date, labels in plan:
            cell = cells[i] if i < count else ""
            if "\x00" in cell:  # PostgreSQL refuses it in any statement, a key's lookup too
                no_nul(name, cell)
            if cell[:1] == "'":
                cell = _unneutralise(cell)
            if is_date:
                cell = _parse_date(cell)
            elif labels is not None:
                cell = labels.get(cell.strip(), cell)
            data[name] = cell
        return data

    try:
        with office.transaction(), _small_page_cache(office):
            handler.prepare()
            seen = _SeenKeys(office)
            done = lines = 0
            for batch in chunks():
                keyed: list[tuple[int, list[str], str | None, dict[str, Any]]] = []
                for line, cells in batch:
                    if len(cells) > width and any(c.strip() for c in cells[width:]):
                        msg = t("error.io.ragged", cells=len(cells), columns=width)
                        problem(line, msg)
                        _reject(reject_out, cells, msg)
                        continue
                    try:
                        data = row_data(cells)
                        key = handler.key(data)
                    except LedgerError as err:
                        problem(line, err)
                        _reject(reject_out, cells, _message(err))
                        continue
                    keyed.append((line, cells, key, data))
                # A key met before: on an earlier line of this chunk or in an earlier chunk.
                earlier = seen.lookup([_key_text(k) for _, _, k, _ in keyed if k is not None])
                here: dict[Any, int] = {}
                parsed: list[tuple[int, list[str], str | None, dict[str, Any]]] = []
                for line, cells, key, data in keyed:
                    if key is not None:
                        before = earlier.get(_key_text(key)) or here.get(key)
                        if before is not None:
                            msg = t("error.io.duplicate_key", line=before)
                            problem(line, msg, headers[kind.key])
                            _reject(reject_out, cells, msg)
                            continue
                        here[key] = line
                    parsed.append((line, cells, key, data))
                seen.add(here)
                del keyed, here
                keys = [p[2] for p in parsed if p[2] is not None]
                stored = handler.existing(keys) if keys else {}
                added: list[dict[str, Any]] = []
                updated: list[tuple[Any, dict[str, Any]]] = []
                for line, cells, key, data in parsed:
                    current = stored.get(key) if key is not None else None
                    try:
                        if current is not None and mode == "insert":
                            raise ValidationError(kind.key, "error.io.exists", key=key)
                        clean = handler.clean(data, current)
                    except LedgerError as err:
                        problem(line, err)
                        _reject(reject_out, cells, _message(err))
                        continue
                    if current is None:
                        added.append(clean)
                    elif handler.changed(clean, current):
                        updated.append((current, clean))
                    else:
                        result.unchanged += 1
                del parsed, stored
                result.added += len(added)
                result.updated += len(updated)
                if added or updated:
                    journal.record_many(office, handler.write(added, updated))
                del added, updated
                done += len(batch)
                lines += len(batch)
                if progress is not None:
                    progress(done)
            if lines == 0:
                raise FileError("error.io.no_rows", file=shown)
            seen.close()
            result.rejected = result.error_count
            if dry_run or (result.error_count and not skip_invalid):
                raise _Rollback
            result.written = True
    except _Rollback:
        pass
    finally:
        if reject_out is not None:
            reject_out.close()
    result.errors.sort(key=lambda e: e.line)  # a chunk finds key errors before value errors
    if not result.written:
        # Nothing was written: what would have been added or updated is reported as such
        # only for a dry run.
        if not dry_run:
            result.added = result.updated = 0
    result.seconds = time.perf_counter() - started
    return result


# Dates as typed repeat (a file holds a few hundred distinct days): parsed once each.
_parse_date = functools.lru_cache(maxsize=4096)(parse_date_text)


@contextlib.contextmanager
def _small_page_cache(office: Office) -> Iterator[None]:
    """A run keeps SQLite's page cache of the connection at 8 MB (the office's setting is 32):
    an import's pages are written once and not read again, and a bigger cache only grows the
    process (measured: no slower at 200,000 rows, 25 MB less)."""
    if office.is_postgres:
        yield
        return
    before = office.db.execute_sql("PRAGMA cache_size").fetchone()[0]
    office.db.execute_sql(f"PRAGMA cache_size = {IMPORT_CACHE_KB}")
    try:
        yield
    finally:
        office.db.execute_sql(f"PRAGMA cache_size = {int(before)}")


class _SeenKeys:
    """The natural keys met so far in the file, with the line of each: a key twice in one
    file is refused, naming the first line. Kept in a temporary table of the run's
    transaction rather than in memory, so memory stays flat whatever the file's size
    (200,000 ID numbers are 30 MB as a dict of Python strings); it vanishes with a rollback
    and is dropped before a commit."""

    TABLE = "jiedao_import_keys"

    def __init__(self, office: Office) -> None:
        self.office = office
        self.db = office.db
        self.mark = office.db.param
        self.db.execute_sql(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {self.TABLE} "
            "(import_key TEXT PRIMARY KEY, line INTEGER NOT NULL)"
            + (" ON COMMIT DROP" if office.is_postgres else ""))
        self.db.execute_sql(f"DELETE FROM {self.TABLE}")
        self.empty = True

    def lookup(self, keys: list[str]) -> dict[str, int]:
        """key -> its first line, for those of ``keys`` met in an earlier chunk."""
        if self.empty or not keys:
            return {}
        found: dict[str, int] = {}
        for start in range(0, len(keys), 500):  # SQLite's bound parameters are limited
            part = keys[start:start + 500]
            marks = ", ".join([self.mark] * len(part))
            found.update(self.db.execute_sql(
                f"SELECT import_key, line FROM {self.TABLE} WHERE import_key IN ({marks})",
                part).fetchall())
        return found

    def add(self, keys: dict[Any, int]) -> None:
        if keys:
            bulk.insert(self.office, self.TABLE, ("import_key", "line"),
                        [(_key_text(k), line) for k, line in keys.items()])
            self.empty = False

    def close(self) -> None:
        self.db.execute_sql(f"DROP TABLE IF EXISTS {self.TABLE}")


def _key_text(key: Any) -> str:
    """A natural key as the keys' table holds it: text as it is, a composite key (a tuple,
    say post and start) as its repr, distinct for distinct texts, numbers and dates."""
    return key if isinstance(key, str) else repr(key)


def _unneutralise(cell: str) -> str:
    """A cell the export guarded against formulas (``'=…``) reads as it was stored."""
    if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        return cell[1:]
    return cell


def _message(err: LedgerError) -> str:
    return err.message()


class _RejectWriter:
    """The refused rows of a ``--skip-invalid`` run, as given plus an error column (UTF-8
    with BOM, so Excel opens it)."""

    def __init__(self, path: Path, header: list[str]) -> None:
        self.path = path
        self.handle = path.open("w", encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.handle)
        self.writer.writerow([*header, t("io.error_column")])

    def add(self, cells: list[str], message: str) -> None:
        from ledger.io.export import neutralise

        self.writer.writerow([neutralise(c) for c in (*cells, message)])

    def close(self) -> None:
        self.handle.close()


def _reject(writer: _RejectWriter | None, cells: list[str], message: str) -> None:
    if writer is not None:
        writer.add(cells, message)


def columns_of(kind_name: str) -> list[Column]:
    return list(get_kind(kind_name).columns)
