"""The reports: each area's report for a year as its tables and its charts, exported to a
file the clerk names.

``ledger.reports`` builds a report (from the area's own ``report``) on the database thread;
this screen only lays out what it returns: the charts first (a glance), then the tables.
Choosing another report or year rebuilds it; ``x`` writes it as XLSX, CSV or JSON (the
file name's extension says which), in the data folder unless the name says where. The
palette and the dashboard's ``b`` (报表) open it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import DataTable, Select, Static

from ledger import display, reports
from ledger.errors import LedgerError
from ledger.i18n import t
from tui.bindings import bind
from tui.screens.base import LedgerScreen
from tui.widgets.charts import chart_widget
from tui.widgets.form import FieldSpec, FormScreen

if TYPE_CHECKING:
    from ledger.office import Office


class ReportsScreen(LedgerScreen):
    """One report at a time: a report and a year chosen above, its charts and tables below."""

    TITLE_KEY = "tui.screen.reports"

    DEFAULT_CSS = """
    ReportsScreen #reports-bar { height: auto; padding: 0 1; }
    ReportsScreen #reports-bar Select { width: 44; margin: 0 1 0 0; }
    ReportsScreen #reports-bar #reports-year { width: 14; }
    ReportsScreen #reports-notes { padding: 0 1; height: auto; color: $text-muted; }
    ReportsScreen .report-title { text-style: bold; padding: 1 1 0 1; height: auto; }
    ReportsScreen .report-table { height: auto; max-height: 24; margin: 0 1; }
    """

    BINDINGS = [
        bind("x", "export", "tui.key.export"),
        bind("n", "next_report", "tui.key.next_report"),
        # [ and ] move by period on every screen that has one (roster, assessment, calendar).
        bind("left_square_bracket", "year(1)", "tui.key.year_back", key_display="["),
        bind("right_square_bracket", "year(-1)", "tui.key.year_forward", key_display="]"),
        bind("ctrl+r", "reload", "tui.key.reload", show=False),
    ]

    def __init__(self, office: Office, *, name: str | None = None) -> None:
        super().__init__(office, name=name)
        self.report_name = reports.NAMES[0]
        self.year = office.today().year
        self.years: list[int] = [self.year]
        self.report: reports.Report | None = None
        self.shown: reports.Report | None = None  # the report whose widgets are mounted

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="reports-bar"):
            yield Select([(Text(t(reports.title(n))), n) for n in reports.NAMES],
                         value=self.report_name, allow_blank=False, id="reports-name",
                         prompt=t("tui.reports.report"))
            yield Select([(Text(str(self.year)), self.year)], value=self.year,
                         allow_blank=False, id="reports-year", prompt=t("tui.reports.year"))
        yield Static(Text(t("tui.loading")), id="reports-notes")
        yield VerticalScroll(id="reports-body")

    def on_mount(self) -> None:
        self.run_db(lambda: reports.years(self.office), self._years_loaded, group="years")
        self.action_reload()

    def on_screen_resume(self) -> None:
        # Back from another screen: what it changed shows here at once.
        if self.returning():
            self.action_reload()

    def _years_loaded(self, years: list[int]) -> None:
        self.years = years or [self.year]
        select: Select[int] = self.query_one("#reports-year", Select)
        with self.prevent(Select.Changed):
            select.set_options([(Text(str(y)), y) for y in self.years])
            select.value = self.year if self.year in self.years else self.years[0]

    # --- choosing -------------------------------------------------------------------------

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.value is Select.BLANK:
            return
        if event.select.id == "reports-name" and event.value != self.report_name:
            self.report_name = str(event.value)
            self.action_reload()
        elif event.select.id == "reports-year" and event.value != self.year:
            self.year = int(event.value)  # type: ignore[call-overload]
            self.action_reload()

    def show_report(self, name: str, year: int | None = None) -> None:
        """Switch to report ``name`` (and ``year``), as choosing them above does."""
        self.report_name = name
        if year is not None:
            self.year = year
        with self.prevent(Select.Changed):
            self.query_one("#reports-name", Select).value = name
            if year is not None and year in self.years:
                self.query_one("#reports-year", Select).value = year
        self.action_reload()

    def action_next_report(self) -> None:
        names = reports.NAMES
        self.show_report(names[(names.index(self.report_name) + 1) % len(names)])

    def action_year(self, step: int) -> None:
        """``step`` 1: the year before (the list is latest first), -1: the year after."""
        index = self.years.index(self.year) + step if self.year in self.years else 0
        if 0 <= index < len(self.years):
            self.show_report(self.report_name, self.years[index])

    def action_reload(self) -> None:
        name, year = self.report_name, self.year
        self.run_db(lambda: reports.build(self.office, name, year=year), self._show,
                    group="report", exclusive=True)

    # --- showing --------------------------------------------------------------------------

    def _show(self, report: reports.Report) -> None:
        if (report.name, report.year) != (self.report_name, self.year):
            return  # a slower answer to an earlier choice
        self.report = report
        notes = Text(t("tui.reports.period", date_from=display.date_text(report.date_from),
                       date_to=display.date_text(report.date_to)))
        for note in report.notes:
            notes.append("\n" + note)
        self.query_one("#reports-notes", Static).update(notes)
        widgets: list[Widget] = []
        for chart in report.charts:
            widgets.append(Static(Text(t(chart.title)), classes="report-title"))
            widgets.append(chart_widget(chart, id=f"chart-{chart.name}", classes="report-chart"))
        for table in report.tables:
            widgets.append(Static(Text(t(table.title)), classes="report-title"))
            widgets.append(self._table(table))
        # After the old report's widgets are gone (their ids are the new ones'); the
        # screen's messages run in order, so two quick choices replace in turn.
        self.call_later(self._replace, widgets)

    async def _replace(self, widgets: list[Widget]) -> None:
        body = self.query_one("#reports-body", VerticalScroll)
        await body.remove_children()
        await body.mount_all(widgets)
        self.shown = self.report

    def _table(self, table: reports.Table) -> DataTable[Text]:
        grid: DataTable[Text] = DataTable(id=f"table-{table.name}", classes="report-table",
                                          zebra_stripes=True, cursor_type="row")
        grid.add_columns(*(Text(c.title()) for c in table.columns))
        for cells in table.cells():
            # Every cell a Text: village and item names are what clerks typed.
            grid.add_row(*(Text(v, justify="right" if _numeric(v) else "left")
                           for v in cells))
        if not table.rows:
            grid.add_row(*([Text(t("tui.reports.empty"), style="dim")]
                           + [Text("")] * (len(table.columns) - 1)))
        return grid

    # --- export ---------------------------------------------------------------------------

    def action_export(self) -> None:
        report = self.report
        if report is None:
            return
        office = self.office

        def save(values: dict[str, Any]) -> dict[str, Any]:
            return reports.export(office, report, str(values.get("file") or ""))

        def ask(values: dict[str, Any]) -> str | None:
            try:
                path = reports.export_path(str(values.get("file") or ""))
            except LedgerError:
                return None  # the export itself says what is wrong, beside the field
            return t("tui.reports.overwrite", path=str(path)) if path.exists() else None

        self.app.push_screen(
            FormScreen(t("tui.reports.export_title"),
                       [FieldSpec("file", required=True, placeholder_key="tui.reports.file_hint")],
                       submit=save, initial={"file": reports.default_file(report)},
                       confirm=ask),
            callback=self._exported)

    def _exported(self, result: dict[str, Any] | None) -> None:
        if result:
            self.notify(t("tui.reports.exported", rows=result["rows"], path=result["path"]))


_NUMBER = re.compile(r"-?\d+(\.\d+)?%?")


def _numeric(value: str) -> bool:
    return _NUMBER.fullmatch(value) is not None
