"""The reusable widgets on their own: paging arithmetic, one-page fetches, the timeline's
diff, the registry, the key catalogue."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input, Select
from tui_helpers import run, wait_for

from ledger import i18n
from tui import screens
from tui.widgets.columns import Column
from tui.widgets.filter_bar import Choice, FilterBar, FilterSpec
from tui.widgets.paged_table import PagedTable, Pager
from tui.widgets.timeline import entry_text

ROOT = Path(__file__).resolve().parents[2]
MILLION = 1_000_000


def test_pager_keeps_offsets_on_page_boundaries_inside_the_rows():
    pager = Pager(page_size=50, total=MILLION)
    assert pager.last_offset == MILLION - 50
    assert pager.clamp(123) == 100
    assert pager.clamp(-5) == 0
    assert pager.clamp(MILLION * 2) == MILLION - 50
    assert Pager(page_size=50, total=101).last_offset == 100
    assert Pager(page_size=50, total=0).last_offset == 0
    pager.offset = 100
    assert (pager.page, pager.pages, pager.has_previous, pager.has_next) == (3, 20000, True, True)
    assert pager.status(50) == "rows 101–150 of 1000000 (page 3 of 20000)"
    assert Pager(total=0).status(0) == "no matching records"


class _Source:
    """A fake ledger list over a million rows that records what it was asked for."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.fetches: list[tuple[int, int]] = []
        self.counts = 0

    def fetch(self, offset: int, limit: int) -> list[dict[str, int]]:
        self.fetches.append((offset, limit))
        return [{"id": i, "n": i * 2} for i in range(offset, min(offset + limit, self.total))]

    def count(self) -> int:
        self.counts += 1
        return self.total


class _TableApp(App[None]):
    def __init__(self, source: _Source) -> None:
        super().__init__()
        self.source = source
        self.selected: list[dict[str, int]] = []

    def compose(self) -> ComposeResult:
        yield PagedTable([Column("id"), Column("n", label_key="word.yes")],
                         self.source.fetch, self.source.count, id="t")

    def on_mount(self) -> None:
        self.query_one(PagedTable).focus_table()

    def on_paged_table_selected(self, event: PagedTable.Selected) -> None:
        self.selected.append(event.row)


def test_a_million_rows_are_fetched_one_page_at_a_time():
    source = _Source(MILLION)

    async def scenario() -> None:
        app = _TableApp(source)
        async with app.run_test(size=(80, 24)) as pilot:
            table = app.query_one(PagedTable)
            await wait_for(pilot, lambda: table.pager.total == MILLION, what="first page")
            assert source.fetches == [(0, 50)]
            assert table.table.row_count == 50
            await pilot.press("pagedown")
            await wait_for(pilot, lambda: table.pager.offset == 50, what="second page")
            await pilot.press("end")
            await wait_for(pilot, lambda: table.pager.offset == MILLION - 50, what="last page")
            assert table.rows[-1]["id"] == MILLION - 1
            assert table.current_row == table.rows[-1]  # End puts the cursor on the last row
            await pilot.press("down")  # already the very last row: stays put
            await pilot.press("pageup")
            await wait_for(pilot, lambda: table.pager.offset == MILLION - 100, what="page up")
            await pilot.press("home")
            await wait_for(pilot, lambda: table.pager.offset == 0, what="first page again")
            await pilot.press("up")  # the first row of the first page: nothing to fetch
            await pilot.press("enter")
            await wait_for(pilot, lambda: app.selected, what="selection")
            assert app.selected[0]["id"] == 0
        # Every fetch asked for one page, never more, and only the pages visited.
        assert source.fetches == [(0, 50), (50, 50), (MILLION - 50, 50),
                                  (MILLION - 100, 50), (0, 50)]
        # Counted once: a page turn keeps the total (a million rows cost more to count
        # than to page).
        assert source.counts == 1

    run(scenario())


def test_moving_past_the_last_row_of_a_page_fetches_the_next_page():
    source = _Source(120)

    async def scenario() -> None:
        app = _TableApp(source)
        async with app.run_test(size=(80, 24)) as pilot:
            table = app.query_one(PagedTable)
            await wait_for(pilot, lambda: table.pager.total == 120, what="first page")
            table.table.move_cursor(row=49)
            await pilot.press("down")
            await wait_for(pilot, lambda: table.pager.offset == 50, what="next page")
            assert table.current_row == {"id": 50, "n": 100}
            await pilot.press("up")
            await wait_for(pilot, lambda: table.pager.offset == 0, what="previous page")
            assert table.current_row == {"id": 49, "n": 98}

    run(scenario())


class _BarApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[dict[str, object]] = []

    def compose(self) -> ComposeResult:
        yield FilterBar([FilterSpec("education", "field.education", kind="education",
                                    codes=("bachelor", "associate")),
                         FilterSpec("state", "field.active", default="on",
                                    choices=[Choice("on", "On"), Choice("off", "Off")])])

    def on_filter_bar_changed(self, event: FilterBar.Changed) -> None:
        self.seen.append(event.values)


def test_filter_bar_reports_search_and_choices_after_the_clerk_pauses():
    async def scenario() -> None:
        app = _BarApp()
        async with app.run_test() as pilot:
            app.query_one(Input).focus()
            await pilot.press(*"xsw")
            await wait_for(pilot, lambda: app.seen, what="debounced change")
            # One change for three keystrokes: the list is fetched once.
            assert app.seen == [{"search": "xsw", "education": None, "state": "on"}]
            app.query_one("#filter-education", Select).value = "bachelor"
            await wait_for(pilot, lambda: len(app.seen) == 2, what="choice change")
            assert app.seen[-1]["education"] == "bachelor"

    run(scenario())


def test_timeline_draws_ledgers_entries_literally():
    entry = {"when": "2026-11-27 10:00", "operator": "tester", "entity": "member",
             "entity_label": "member", "action": "update", "heading": "updated",
             "note": "[bold]n[/]", "created": False,
             "changes": [{"field": "name", "label": "name", "before": "[/]",
                          "after": "[bold red]x[/]"}]}
    text = entry_text(entry)
    assert text.plain.splitlines() == ["2026-11-27 10:00  tester  updated  ([bold]n[/])",
                                       "    name: [/] → [bold red]x[/]"]
    assert entry_text(entry, show_entity=True).plain.startswith(
        "2026-11-27 10:00  tester  member updated")


def test_registry_lists_every_screen_and_a_missing_module_fails_loudly():
    keys = [entry.key for entry, _cls in screens.available()]
    assert keys[:2] == ["dashboard", "members"]
    assert set(keys) >= {"tickets", "petitions", "training"}
    missing = screens.ScreenEntry("nowhere", "tui.screens.nowhere", "X", "word.yes", "f9")
    with pytest.raises(ModuleNotFoundError):
        screens.load(missing)


def test_every_tui_key_used_in_the_tui_is_in_the_catalogue():
    used = set()
    for path in (ROOT / "tui").rglob("*.py"):
        used |= set(re.findall(r"""["'](tui\.[a-z0-9_.]+[a-z0-9_])["']""",
                               path.read_text(encoding="utf-8")))
    catalogue = i18n.catalogue()
    assert used, "the pattern found no keys"
    modules = {k for k in used if k.startswith(("tui.screens.", "tui.widgets."))}
    assert sorted(k for k in used - modules if k not in catalogue) == []


def test_every_key_a_screen_declares_is_in_the_catalogue():
    """Titles, search hints, timeline headings and key descriptions that screens declare as
    class attributes (or build, as a step's key) rather than pass to ``t()`` literally."""
    import importlib
    import inspect

    from textual.binding import Binding

    from tui.screens.base import LedgerScreen

    classes = {cls for entry in screens.SCREENS
               for _, cls in inspect.getmembers(importlib.import_module(entry.module),
                                                inspect.isclass)
               if issubclass(cls, LedgerScreen)}
    assert {"MembersScreen", "TicketScreen", "PetitionDetailScreen"} <= {
        c.__name__ for c in classes}
    catalogue = i18n.catalogue()
    missing = []
    for cls in classes:
        declared = [getattr(cls, a, "") for a in ("TITLE_KEY", "SEARCH_HINT", "TIMELINE_KEY")]
        declared += [b.description for b in cls.BINDINGS  # Textual's own are plain text
                     if isinstance(b, Binding) and b.description.startswith("tui.")]
        missing += [(cls.__name__, key) for key in declared if key and key not in catalogue]
    assert missing == []


class _Failing(_Source):
    def __init__(self, error: Exception) -> None:
        super().__init__(10)
        self.error = error

    def fetch(self, offset: int, limit: int) -> list[dict[str, int]]:
        raise self.error


def test_errors_in_a_worker_become_notifications_and_the_app_keeps_running():
    from ledger.errors import ValidationError

    async def scenario(error: Exception, expected: str) -> None:
        app = _TableApp(_Failing(error))
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: app._notifications, what="a notification")
            (note,) = list(app._notifications)
            assert note.severity == "error" and expected in note.message
            assert app.is_running  # nothing crashed

    run(scenario(ValidationError("village", "error.unknown_village", ref="V9"),
                 "no such village: V9"))
    run(scenario(RuntimeError("disk on fire"), "internal error: RuntimeError: disk on fire"))


def test_the_database_thread_runs_every_call_on_one_thread_and_closes_its_connection():
    import threading

    from tui.dbwork import DatabaseThread

    class _Database:
        def __init__(self) -> None:
            self.closed_on: int | None = None

        def is_closed(self) -> bool:
            return False

        def close(self) -> None:
            self.closed_on = threading.get_ident()

    db_thread = DatabaseThread()
    idents = {db_thread.call(threading.get_ident) for _ in range(5)}
    assert len(idents) == 1 and threading.get_ident() not in idents
    database = _Database()
    db_thread.close(database)
    assert database.closed_on in idents  # the connection of that thread, closed there
    db_thread.close(database)  # a second close is harmless


class _AutoApp(_TableApp):
    def compose(self) -> ComposeResult:
        yield PagedTable([Column("id")], self.source.fetch, self.source.count, page_size=None)


def test_an_automatic_page_is_what_the_table_shows_and_follows_resizes():
    source = _Source(MILLION)

    async def scenario() -> None:
        app = _AutoApp(source)
        async with app.run_test(size=(60, 20)) as pilot:
            table = app.query_one(PagedTable)
            await wait_for(pilot, lambda: table.pager.total == MILLION, what="first page")
            assert source.fetches == [(0, 17)]  # 20 lines less status, header, scrollbar
            await pilot.press("pagedown")
            await wait_for(pilot, lambda: table.pager.offset == 17, what="one screenful on")
            await pilot.resize_terminal(60, 30)
            await wait_for(pilot, lambda: table.pager.page_size == 27, what="bigger pages")
            await wait_for(pilot, lambda: len(table.rows) == 27, what="refetched")
            assert source.fetches[-1] == (0, 27)  # the page holding the old first row, 17

    run(scenario())


def test_a_fitted_column_is_as_wide_as_its_widest_line_in_cells():
    from rich.text import Text

    from tui.widgets.columns import fitted_width

    assert fitted_width(Text("date"), []) == 4
    assert fitted_width(Text("post"), [Text("街道便民服务中心"), Text("day")]) == 16  # CJK: 2 cells
    assert fitted_width(Text("kind"), [Text("holiday\nNew Year's Day")]) == 14
