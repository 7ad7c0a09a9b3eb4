"""The reports screen through Pilot: reached from the dashboard's ``b``, each report shows
its tables and its charts, choosing another report or year rebuilds it, a village name
typed with markup shows literally, and the export writes a file that reads back."""

from __future__ import annotations

import csv
import datetime as dt

from rich.text import Text
from textual.widgets import DataTable, Select
from textual_plotext import PlotextPlot
from tui_helpers import fill, run, wait_for

from ledger import petitions, reports, villages
from tui.app import JiedaoApp
from tui.screens.dashboard import DashboardScreen
from tui.screens.reports import ReportsScreen
from tui.widgets.charts import BarChart, TrendChart
from tui.widgets.form import FormScreen

SIZE = (140, 50)
HOSTILE = "[b]红旗[/]村"


def _petitions(office) -> None:
    villages.add_village(office, name=HOSTILE, code="V03")
    for village, day in (("V01", dt.date(2026, 2, 3)), ("V03", dt.date(2026, 5, 6)),
                         ("V03", dt.date(2026, 5, 7)), ("V01", dt.date(2025, 4, 1))):
        petitions.register(office, channel="visit", category="land_demolition",
                           summary="拆迁补偿未到位", village=village, received_on=day,
                           petitioners=[{"name": "王五"}])


async def _open(app: JiedaoApp, pilot) -> ReportsScreen:
    await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen), what="dashboard")
    await pilot.press("b")  # the dashboard's letter for reports
    await wait_for(pilot, lambda: isinstance(app.screen, ReportsScreen)
                   and app.screen.shown is not None, what="reports")
    screen = app.screen
    assert isinstance(screen, ReportsScreen)
    return screen


def _rendered(widget) -> str:
    out = widget.render()
    return out.plain if isinstance(out, Text) else str(out)


def test_each_report_shows_its_tables_and_charts(small_office):
    office = small_office
    _petitions(office)

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _open(app, pilot)
            assert screen.shown.name == "members"
            for i, name in enumerate(reports.NAMES):
                if i:
                    await pilot.press("n")
                await wait_for(pilot, lambda n=name: screen.shown is not None
                               and screen.shown.name == n, what=name)
                report = screen.shown
                assert screen.query_one("#reports-name", Select).value == name
                grids = list(screen.query(DataTable))
                assert [g.id for g in grids] == [f"table-{t.name}" for t in report.tables]
                for grid, table in zip(grids, report.tables, strict=True):
                    assert grid.row_count == max(1, len(table.rows))  # an empty one says so
                    assert len(grid.columns) == len(table.columns)
                charts = list(screen.query(".report-chart"))
                assert [c.id for c in charts] == [f"chart-{c.name}" for c in report.charts]
                for widget in charts:
                    assert _rendered(widget).strip()  # something drawn
            # The members' figures of the small office: three in office, by education.
            await pilot.press("n")
            await wait_for(pilot, lambda: screen.shown.name == "members", what="wraps round")
            education = screen.query_one("#chart-education", BarChart)
            text = _rendered(education)
            assert "bachelor or higher" in text and "associate" in text
            grid = screen.query_one("#table-villages", DataTable)
            last = [str(grid.get_cell_at((grid.row_count - 1, c))) for c in range(3)]
            assert last == ["", "total", "3"]

    run(scenario())


def test_switching_report_and_year(small_office):
    office = small_office
    _petitions(office)

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _open(app, pilot)
            await wait_for(pilot, lambda: 2025 in screen.years, what="years")
            screen.query_one("#reports-name", Select).value = "petitions"
            await wait_for(pilot, lambda: screen.shown.name == "petitions", what="petitions")
            assert screen.shown.year == 2026
            monthly = screen.query_one("#chart-monthly", PlotextPlot)
            assert monthly.chart.values[4] == 2.0  # two in May
            trend = screen.query_one("#chart-trend", TrendChart)
            assert HOSTILE in _rendered(trend)  # a typed name, literally
            grid = screen.query_one("#table-trend", DataTable)
            names = [str(grid.get_cell_at((r, 0))) for r in range(grid.row_count)]
            assert HOSTILE in names
            # The year before: one petition, in April.
            await pilot.press("left_square_bracket")
            await wait_for(pilot, lambda: screen.shown.year == 2025, what="2025")
            assert screen.shown.name == "petitions"
            assert screen.query_one("#reports-year", Select).value == 2025
            assert screen.query_one("#chart-monthly", PlotextPlot).chart.values[3] == 1.0
            assert screen.shown.date_to == dt.date(2025, 12, 31)
            # Choosing the year in its list does the same.
            screen.query_one("#reports-year", Select).value = 2026
            await wait_for(pilot, lambda: screen.shown.year == 2026, what="2026")

    run(scenario())


def test_export_writes_a_file_that_reads_back(small_office, tmp_path):
    office = small_office
    _petitions(office)
    target = tmp_path / "petitions.csv"

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _open(app, pilot)
            screen.show_report("petitions")
            await wait_for(pilot, lambda: screen.shown.name == "petitions", what="petitions")
            await pilot.press("x")
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="form")
            form = app.screen.form
            assert form.values()["file"] == "petitions-2026.xlsx"  # in the data folder
            fill(form, {"file": str(target)})
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: app.screen is screen and target.exists(),
                           what="export")
            with target.open(encoding="utf-8-sig", newline="") as stream:
                rows = list(csv.reader(stream))
            trend = screen.shown.tables[0]
            assert rows[1] == [c.title() for c in trend.columns]
            assert rows[2:2 + len(trend.rows)] == trend.file_cells()
            assert any(str(target) in str(n.message) for n in app._notifications)
            # A file that exists is replaced only when the clerk says so.
            await pilot.press("x")
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="again")
            fill(app.screen.form, {"file": str(target)})
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen)
                           and app.screen is not screen, what="confirm")

    run(scenario())


def test_charts_draw_typed_names_literally_in_one_line():
    from ledger.reports import BARS, TRENDS, Chart

    long_name = "很长的村名" * 10
    bars = Chart("x", "report.chart.coverage", BARS,
                 ("[b]红旗村[/]", "esc\x1b[31m", long_name, "V04"), (1.0, 0.5, None, 0.0),
                 percent=True)
    text = BarChart(bars).render()
    assert isinstance(text, Text)
    lines = text.plain.split("\n")
    assert len(lines) == 4  # one line each: an escape or a newline cannot add lines
    assert lines[0].startswith("[b]红旗村[/]") and lines[0].endswith("100.0%")
    assert "\x1b" not in text.plain and "esc\\u001b[31m" in lines[1]
    assert "…" in lines[2] and lines[2].rstrip().endswith("—")  # cut; no share: a dash
    assert not text.spans or all(s.style == "bold cyan" for s in text.spans)
    trend = Chart("t", "report.chart.petitions_trend", TRENDS, ("01", "02", "03"),
                  series=(("[i]东[/i]", (0.0, 4.0, 1.0)), ("西", (0.0, 0.0, 0.0))))
    drawn = TrendChart(trend).render()
    assert isinstance(drawn, Text)
    first, east, west = drawn.plain.split("\n")
    assert first.endswith("01 02 03")
    assert east.startswith("[i]东[/i]") and "██" in east and east.endswith(" 5")
    assert west.endswith(" 0") and "▁" not in west  # no petitions: no bar at all
