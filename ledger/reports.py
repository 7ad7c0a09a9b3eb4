"""The areas' reports as tables and charts, for a screen to show and a file to export.

Each area keeps its own report (``members.report``, ``tickets.report`` and ``monthly``,
``petitions.report``, ``training.report``, ``roster.coverage``); this module only reads
them for one calendar year and lays their figures out as :class:`Table` s (columns named
by catalogue keys, rows of the report's own values) and :class:`Chart` s (what to draw,
not how). The TUI draws both; :func:`export` writes the tables as CSV, XLSX or JSON, the
formats of ``jiedao export``.

    rep = reports.build(office, "tickets", year=2026)
    rep.tables[0].rows, rep.charts[0].values
    reports.export(office, rep, "tickets-2026.xlsx")   # in the data folder
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ledger import display, paths
from ledger.errors import ValidationError
from ledger.i18n import t, value_label
from ledger.io.export import FORMATS, neutralise
from ledger.office import Office

NAMES = ("members", "tickets", "petitions", "training", "roster")

# Chart kinds: categories side by side, one figure per month of the year, one row of
# months per label (a village's trend).
BARS = "bars"
MONTHS = "months"
TRENDS = "trends"


@dataclass(frozen=True)
class Column:
    """``field``: the row's key; ``label``: a catalogue key, or ``heading`` as it is (a
    month); ``kind``: how ``ledger.display`` shows the value (a value kind, ``PERCENT``)."""

    field: str
    label: str = ""
    kind: str | None = None
    heading: str | None = None

    def title(self) -> str:
        return self.heading if self.heading is not None else t(self.label)


@dataclass(frozen=True)
class Table:
    name: str
    title: str  # catalogue key
    columns: tuple[Column, ...]
    rows: list[dict[str, Any]]

    def cells(self) -> list[list[str]]:
        """The rows as display text (``ledger.display``), as a screen and a file show it."""
        return [[display.text(row.get(c.field), kind=c.kind) for c in self.columns]
                for row in self.rows]

    def file_cells(self) -> list[list[str]]:
        """:meth:`cells` for a spreadsheet: text (a name a clerk typed) that would run as a
        formula is neutralised; our own figures (``-50.0%``) are not text and stay."""
        return [[neutralise(text) if isinstance(row.get(c.field), str) else text
                 for c, text in zip(self.columns, cells, strict=True)]
                for row, cells in zip(self.rows, self.cells(), strict=True)]


@dataclass(frozen=True)
class Chart:
    """What to draw. ``labels``: the categories (BARS) or the months (MONTHS, TRENDS);
    ``values``: one per label (BARS, MONTHS; None: nothing to show); ``series``: one
    (label, values per month) per row (TRENDS). ``percent``: values are shares (0–1)."""

    name: str
    title: str  # catalogue key
    kind: str
    labels: tuple[str, ...]
    values: tuple[float | None, ...] = ()
    series: tuple[tuple[str, tuple[float, ...]], ...] = ()
    percent: bool = False


@dataclass(frozen=True)
class Report:
    name: str
    year: int
    date_from: dt.date
    date_to: dt.date
    tables: tuple[Table, ...]
    charts: tuple[Chart, ...]
    notes: tuple[str, ...] = field(default=())  # a line or two of totals, as text


def title(name: str) -> str:
    """The catalogue key of a report's name."""
    return f"report.name.{name}"


def years(office: Office) -> list[int]:
    """The years a report can be asked for, latest first: from the earliest year any
    report's records start (five ``MIN`` reads on indexed columns) to this year."""
    from peewee import fn

    from ledger.models import Petition, Shift, Term, TrainingSession
    from ledger.models.tickets import Ticket

    this_year = office.today().year
    first = this_year
    for column in (Ticket.received_on, Petition.received_on, TrainingSession.starts_at,
                   Shift.day, Term.started_on):
        value = column.model.select(fn.MIN(column)).scalar()
        if value:
            first = min(first, int(str(value)[:4]))
    return list(range(this_year, max(first, this_year - 50) - 1, -1))


def _period(office: Office, year: int) -> tuple[dt.date, dt.date]:
    """The year's days, up to today while it runs (a report judges no day ahead)."""
    if not 2000 <= year <= 2100:
        raise ValidationError("year", "error.report_year", value=year)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    today = office.today()
    return first, (min(last, today) if today >= first else last)


def build(office: Office, name: str, *, year: int | None = None) -> Report:
    """The report ``name`` (one of :data:`NAMES`) for ``year`` (default: this year)."""
    if name not in BUILDERS:
        raise ValidationError("report", "error.bad_choice", value=name,
                              choices=", ".join(NAMES))
    year = office.today().year if year is None else int(year)
    first, last = _period(office, year)
    return BUILDERS[name](office, year, first, last)


def _pct(key: str, label: str = "") -> Column:
    return Column(key, label or f"field.{key}", display.PERCENT)


# --- members ------------------------------------------------------------------------------

def _members(office: Office, year: int, first: dt.date, last: dt.date) -> Report:
    from ledger import members
    from ledger.members.report import EDUCATION_GROUPS

    data = members.report(office, as_of=last)
    whole = data["office"]
    groups = [g for g, _ in members.shown_education(whole["education"])]
    education = [Column(g, f"value.education_group.{g}") for g in groups]

    def row(figures: dict[str, Any], code: str, name: str) -> dict[str, Any]:
        return {**figures, **{g: figures["education"].get(g, 0) for g in EDUCATION_GROUPS},
                "code": code, "name": name}

    villages = Table("villages", "report.table.members_villages", (
        Column("code", "field.code"), Column("name", "report.col.village"),
        Column("total", "field.total"), *education,
        Column("bachelor_or_higher_officials", "field.bachelor_or_higher_officials"),
        Column("party_members", "field.party_members"),
        Column("average_age", "field.average_age"),
        Column("one_person_both_posts", "field.one_person_both_posts"),
    ), [*(row(v, v["code"], v["name"]) for v in data["villages"]),
        row(whole, "", t("word.total"))])
    posts = Table("posts", "report.table.members_posts", (
        Column("post", "field.post", "post"), Column("count", "field.count")),
        [{"post": p, "count": n} for p, n in whole["posts"].items()])
    return Report("members", year, first, last, (villages, posts), (
        Chart("education", "report.chart.education", BARS,
              tuple(value_label("education_group", g) for g in groups),
              tuple(float(whole["education"].get(g, 0)) for g in groups)),
        Chart("posts", "report.chart.posts", BARS,
              tuple(value_label("post", p) for p in whole["posts"]),
              tuple(float(n) for n in whole["posts"].values())),
    ), (t("report.note.members", as_of=display.date_text(last), total=whole["total"],
          party=whole["party_members"]),))


# --- tickets ------------------------------------------------------------------------------

_SATISFACTION = ("satisfied_share", "basically_satisfied_share", "dissatisfied_share")


def _tickets(office: Office, year: int, first: dt.date, last: dt.date) -> Report:
    from ledger import tickets

    data = tickets.report(office, year=year)
    months = tickets.monthly(office, year=year)
    totals = data["totals"]
    figures = (Column("count", "report.col.tickets"), Column("done", "field.done"),
               Column("on_time", "report.col.on_time"),
               _pct("on_time_rate", "report.col.on_time_rate"),
               Column("rated", "field.rated"), *(_pct(s) for s in _SATISFACTION))
    items = Table("items", "report.table.tickets_items", (
        Column("code", "field.code"), Column("name", "field.item"), *figures[:4],
        Column("median_working_days", "field.median_working_days"), *figures[4:],
        Column("overdue", "field.overdue_now")),
        [*data["by_item"], {**totals, "code": "", "name": t("word.total")}])
    by_month = Table("months", "report.table.tickets_months",
                     (Column("month", "field.month"), *figures), months)
    return Report("tickets", year, first, last, (items, by_month), (
        Chart("on_time", "report.chart.on_time", MONTHS, _month_labels(months),
              tuple(m["on_time_rate"] for m in months), percent=True),
        Chart("satisfaction", "report.chart.satisfaction", BARS,
              tuple(value_label("satisfaction", s.removesuffix("_share"))
                    for s in _SATISFACTION),
              tuple(totals[s] for s in _SATISFACTION), percent=True),
    ), (t("report.note.tickets", count=totals["count"], done=totals["done"],
          rate=display.percent(totals["on_time_rate"]) or "—", rated=totals["rated"]),))


def _month_labels(rows: list[dict[str, Any]]) -> tuple[str, ...]:
    return tuple(str(r["month"])[5:7] for r in rows)


# --- petitions ----------------------------------------------------------------------------

def _petitions(office: Office, year: int, first: dt.date, last: dt.date) -> Report:
    from ledger import petitions

    data = petitions.report(office, date_from=first, date_to=last)
    months = data["months"]
    trend_rows = sorted(data["trend"], key=lambda r: r["village"])
    trend = Table("trend", "report.table.petitions_trend", (
        Column("village", "report.col.village"),
        *(Column(f"m{m}", heading=m[5:7]) for m in months),
        Column("total", "report.col.petitions"),
        Column("first_half", "field.petition_first_half"),
        Column("second_half", "field.petition_second_half"),
        _pct("change_pct", "field.petition_change_pct"),
    ), [{**r, **{f"m{m}": n for m, n in zip(months, r["months"], strict=True)},
         "total": sum(r["months"])} for r in trend_rows])
    on_time = Table("on_time", "report.table.petitions_on_time", (
        Column("kind", "field.petition_next_due_kind", "petition_deadline"),
        Column("met", "field.petition_met"), Column("late", "field.petition_late"),
        Column("overdue", "field.petition_overdue"),
        Column("pending", "field.petition_pending"), _pct("rate", "field.petition_rate"),
    ), data["on_time"])
    labels = tuple(m[5:7] for m in months)
    return Report("petitions", year, first, last, (trend, on_time), (
        Chart("monthly", "report.chart.petitions_monthly", MONTHS, labels,
              tuple(float(m["total"]) for m in data["monthly"])),
        Chart("trend", "report.chart.petitions_trend", TRENDS, labels, series=tuple(
            (r["village"], tuple(float(n) for n in r["months"])) for r in trend_rows)),
    ), (t("report.note.petitions", total=data["total"], repeats=data["repeats"],
          share=display.percent(data["repeat_share"]) or "—"),))


# --- training -----------------------------------------------------------------------------

def _training(office: Office, year: int, first: dt.date, last: dt.date) -> Report:
    from ledger import training

    data = training.report(office, year=year)
    totals = data["totals"]
    no_village = t("report.no_village")
    villages = Table("villages", "report.table.training_villages", (
        Column("village", "report.col.village"), Column("expected", "field.required"),
        Column("attended", "field.attended"), _pct("rate"),
    ), [{**r, "village": r["village"] or no_village} for r in data["by_village"]])
    people = Table("people", "report.table.training_people", (
        Column("name", "field.person_name"), Column("village", "report.col.village"),
        Column("sessions", "field.sessions"), Column("hours", "field.hours"),
        Column("required_hours", "field.required_hours"),
        Column("shortfall", "field.shortfall"),
    ), [r for r in data["people"] if r["in_office"]])
    hours = [0.0] * 12
    for s in data["by_session"]:
        hours[office.clock.to_local(s["starts_at"]).month - 1] += float(s["credit_hours"])
    return Report("training", year, first, last, (villages, people), (
        Chart("hours", "report.chart.training_hours", MONTHS,
              tuple(f"{m:02d}" for m in range(1, 13)), tuple(hours)),
        Chart("attendance", "report.chart.training_attendance", BARS,
              tuple(r["village"] for r in villages.rows),
              tuple(r["rate"] for r in villages.rows), percent=True),
    ), (t("report.note.training", held=totals["held"],
          hours=display.number(totals["hours_offered"]),
          rate=display.percent(totals["rate"]) or "—", short=totals["short"],
          assessed=totals["assessed"], required=display.number(data["required_hours"])),))


# --- roster -------------------------------------------------------------------------------

def _roster(office: Office, year: int, first: dt.date, last: dt.date) -> Report:
    from ledger import roster

    data = roster.coverage(office, first, dt.date(year, 12, 31))
    posts = Table("posts", "report.table.roster_posts", (
        Column("post", "field.code"), Column("post_name", "field.post_name"),
        Column("village", "report.col.village"), Column("slots", "field.slots"),
        Column("covered", "field.covered"), Column("gaps", "field.gaps"),
        Column("unplanned", "field.unplanned"), _pct("coverage", "report.col.coverage"),
    ), data["posts"])
    slots = sum(p["slots"] for p in data["posts"])
    covered = sum(p["covered"] for p in data["posts"])
    return Report("roster", year, first, last, (posts,), (
        Chart("coverage", "report.chart.coverage", BARS,
              tuple(p["post_name"] or p["post"] for p in data["posts"]),
              tuple(p["coverage"] for p in data["posts"]), percent=True),
    ), (t("report.note.roster", slots=slots, covered=covered,
          rate=display.percent(round(covered / slots, 4) if slots else None) or "—"),))


BUILDERS: dict[str, Callable[[Office, int, dt.date, dt.date], Report]] = {
    "members": _members, "tickets": _tickets, "petitions": _petitions,
    "training": _training, "roster": _roster,
}
assert tuple(BUILDERS) == NAMES


# --- export -------------------------------------------------------------------------------

def default_file(report: Report, fmt: str = "xlsx") -> str:
    """The file name offered for an export: ``tickets-2026.xlsx``."""
    return f"{report.name}-{report.year}.{fmt}"


def export_path(name: str) -> Path:
    """Where a file the clerk named goes: a bare or relative name in the data folder, an
    absolute one (or ``~/…``) where it says. Its folder must exist, except the data folder,
    made on first use."""
    text = name.strip()
    if not text:
        raise ValidationError("file", "error.required")
    path = Path(text).expanduser()
    if not path.is_absolute():
        folder = paths.data_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / path
    if not path.parent.is_dir():
        raise ValidationError("file", "error.report_no_folder", folder=str(path.parent))
    return path


def file_format(path: Path) -> str:
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValidationError("file", "error.report_format", value=path.name,
                              choices=", ".join(FORMATS))
    return fmt


def export(office: Office, report: Report, name: str) -> dict[str, Any]:
    """Write ``report``'s tables to the file ``name`` (see :func:`export_path`), in the
    format its extension names: CSV (each table under its title, a blank line between),
    XLSX (a sheet per table) or JSON (the values themselves, by table name). Cells of CSV
    and XLSX are the text the screen shows; a clerk's text never runs as a formula. Returns ``path``
    and ``rows`` (all tables' rows)."""
    path = export_path(name)
    fmt = file_format(path)
    rows = sum(len(table.rows) for table in report.tables)
    try:
        if fmt == "xlsx":
            _write_xlsx(report, path)
        elif fmt == "json":
            _write_json(report, path)
        else:
            _write_csv(report, path)
    except OSError as err:
        raise ValidationError("file", "error.report_write", file=str(path),
                              reason=err.strerror or str(err)) from None
    return {"path": str(path), "rows": rows, "format": fmt}


def _heading(report: Report, table: Table) -> str:
    return f"{t(title(report.name))} {report.year} {t(table.title)}"


def _write_csv(report: Report, path: Path) -> None:
    # UTF-8 with a BOM: Excel on Chinese Windows reads it as UTF-8 (as ``jiedao export``).
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        for i, table in enumerate(report.tables):
            if i:
                writer.writerow([])
            writer.writerow([_heading(report, table)])
            writer.writerow([neutralise(c.title()) for c in table.columns])
            writer.writerows(table.file_cells())


def _write_xlsx(report: Report, path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    for table in report.tables:
        # A sheet's name: at most 31 characters, none of []:*?/\ (ours are catalogue texts).
        sheet = book.create_sheet(t(table.title)[:31])
        sheet.append([neutralise(c.title()) for c in table.columns])
        for row in table.file_cells():
            sheet.append(row)
    book.save(path)


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _write_json(report: Report, path: Path) -> None:
    document = {
        "report": report.name, "year": report.year,
        "date_from": report.date_from.isoformat(), "date_to": report.date_to.isoformat(),
        "tables": {table.name: [{c.field: _json_value(row.get(c.field)) for c in table.columns}
                                for row in table.rows] for table in report.tables},
    }
    with path.open("w", encoding="utf-8") as stream:
        json.dump(document, stream, ensure_ascii=False, indent=1)
        stream.write("\n")
