"""Snapshots (pytest-textual-snapshot) of the app at 120x36, in Chinese and in English: the
dashboard, and every area's main screen, the detail of its first record and its add form.

The office is a smaller copy of the sample office (every kind of record, fewer of them),
built once per test process and copied for each test; the clock is fixed, so the pictures
do not change with the day. A change to a screen fails here until its new pictures are
looked at and accepted: ``pytest tests/tui/test_snapshots.py --snapshot-update`` rewrites
them (``tests/tui/__snapshots__/``); review the SVGs before committing them.

Textual draws the same screen a little differently from one release to the next, so the
pictures are compared only on the release they were drawn with (``DRAWN_WITH``); the floors
job of CI, on the oldest Textual the project supports, skips them (saying so)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from textual.widgets import DataTable
from tui_helpers import wait_for

from ledger import i18n, sample
from ledger.clock import Clock
from ledger.office import Office, open_office
from ledger.sample import petitions as sample_petitions
from ledger.sample import tickets as sample_tickets
from tui import screens
from tui.app import JiedaoApp
from tui.screens.base import ListScreen, RecordScreen
from tui.widgets.filter_bar import FilterBar
from tui.widgets.form import FormScreen

SIZE = (120, 36)
NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # conftest.NOW
DRAWN_WITH = "8.2.8"

pytestmark = pytest.mark.skipif(
    version("textual") != DRAWN_WITH,
    reason=f"the snapshots were drawn with textual {DRAWN_WITH}, "
           f"this is {version('textual')}")

# The settings screen shows the database's path and size, which are the test machine's.
AREAS = [entry.key for entry in screens.SCREENS if entry.key != "settings"]
LANGUAGES = ("zh", "en")


@pytest.fixture(scope="session")
def snapshot_office_file(tmp_path_factory: pytest.TempPathFactory,
                         sqlite_template: Path) -> Path:
    """A small sample office, built once per test process."""
    path = tmp_path_factory.mktemp("snapshots") / "office.db"
    shutil.copy(sqlite_template, path)
    office = open_office(f"sqlite:///{path}", operator="tester",
                         clock=Clock(tz="Asia/Shanghai", fixed=NOW))
    saved = sample_tickets.TICKETS, sample_petitions.DAYS
    sample_tickets.TICKETS, sample_petitions.DAYS = 30, 120
    try:
        sample.fill(office)
    finally:
        sample_tickets.TICKETS, sample_petitions.DAYS = saved
        office.close()
    return path


@pytest.fixture
def snapshot_office(snapshot_office_file: Path, tmp_path: Path,
                    clock: Clock) -> Iterator[Office]:
    path = tmp_path / "office.db"
    shutil.copy(snapshot_office_file, path)
    office = open_office(f"sqlite:///{path}", operator="tester", clock=clock)
    yield office
    office.close()


def _app(office: Office, language: str, start: str) -> JiedaoApp:
    i18n.set_language(language)  # the autouse fixture restores English afterwards
    return JiedaoApp(office, start=start)


async def _still(pilot: Any) -> None:
    """No blinking cursor: a picture taken while it is off would differ from one taken while
    it is on."""
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
    # A table sizes its columns to its rows when idle: let every table do so (on a busy
    # machine that idle comes late: wait until no table has rows left to measure).
    tables = list(pilot.app.screen.query(DataTable))
    for table in tables:
        table.refresh(layout=True)
    for _ in range(3):
        await pilot.pause(0.1)
    await wait_for(pilot, lambda: not any(table._require_update_dimensions or table._new_rows
                                          for table in tables),
                   timeout=30, what="the tables' column widths")
    await pilot.wait_for_scheduled_animations()


# The screens that are neither a list nor a record: what each sets once its data is shown
# (a picture taken before, on a busy machine, shows a grid half filled).
SHOWS = {"DashboardScreen": "overview", "RosterScreen": "data", "CalendarScreen": "schedule",
         "AssessmentScreen": "report", "ReportsScreen": "shown"}


async def _loaded(pilot: Any) -> None:
    """Wait for the screen on top to show its data (a list its first page, a record its
    fields), then for the layout to settle."""
    app = pilot.app
    screen = app.screen
    if isinstance(screen, ListScreen):
        # The filter bar comes after the first page and takes lines from the table, whose
        # page then shrinks to fit: wait for that page.
        await wait_for(pilot, lambda: screen.query(FilterBar) and screen.table.settled
                       and (screen.table.pager.total == 0 or screen.table.rows),
                       timeout=30, what="the first page")
        await pilot.pause(0.3)
        await wait_for(pilot, lambda: screen.table.settled, timeout=30, what="the page")
    elif isinstance(screen, RecordScreen):
        await wait_for(pilot, lambda: screen.record is not None, timeout=30,
                       what="the record")
    elif type(screen).__name__ in SHOWS:
        # A screen of its own kind: the attribute it fills once its data is on screen.
        shown = SHOWS[type(screen).__name__]
        await wait_for(pilot, lambda: getattr(screen, shown, None) is not None,
                       timeout=30, what=f"the screen's {shown}")
    await pilot.pause(0.3)
    await _still(pilot)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("area", AREAS)
def test_main_screen(snap_compare: Any, snapshot_office: Office, area: str,
                     language: str) -> None:
    assert snap_compare(_app(snapshot_office, language, area), terminal_size=SIZE,
                        run_before=_loaded)


LISTS = [entry.key for entry, cls in screens.available() if issubclass(cls, ListScreen)]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("area", LISTS)
def test_detail_screen(snap_compare: Any, snapshot_office: Office, area: str,
                       language: str) -> None:
    async def open_first(pilot: Any) -> None:
        await _loaded(pilot)
        listing = pilot.app.screen
        listing.table.table.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: pilot.app.screen is not listing, what="the detail")
        await _loaded(pilot)

    assert snap_compare(_app(snapshot_office, language, area), terminal_size=SIZE,
                        run_before=open_first)


FORMS = [entry.key for entry, cls in screens.available()
         if any(b.key == "a" for b in getattr(cls, "BINDINGS", ()))]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("area", FORMS)
def test_add_form(snap_compare: Any, snapshot_office: Office, area: str,
                  language: str) -> None:
    async def open_form(pilot: Any) -> None:
        await _loaded(pilot)
        listing = pilot.app.screen
        if isinstance(listing, ListScreen):
            listing.table.table.focus()
        elif listing.query(DataTable):
            # A grid (the roster's week): "a" acts on the cell under the cursor.
            grid = listing.query(DataTable).first()
            await wait_for(pilot, lambda: grid.row_count > 0, timeout=30, what="the grid")
            grid.focus()
            grid.move_cursor(row=0, column=2)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, FormScreen),
                       timeout=30, what="the add form")
        await pilot.pause(0.3)
        await _still(pilot)

    assert snap_compare(_app(snapshot_office, language, area), terminal_size=SIZE,
                        run_before=open_form)
