"""Every list screen gives its table the screen below the filter bar (a filter container
that grew to half the screen once pushed the tickets and petitions tables to the bottom)."""

from __future__ import annotations

import datetime as dt
import shutil
from zoneinfo import ZoneInfo

import pytest
from textual.widgets import Label
from tui_helpers import run, wait_for

from ledger import Clock, Office, open_office, sample
from tui.app import JiedaoApp
from tui.screens import SCREENS
from tui.screens.base import ListScreen, RecordScreen
from tui.widgets import paged_table
from tui.widgets.filter_bar import FilterBar
from tui.widgets.form import FormScreen
from tui.widgets.help import HelpScreen
from tui.widgets.paged_table import PagedTable

SIZE = (140, 40)


@pytest.mark.parametrize("key", ["f3", "f4", "f5"])
def test_a_lists_first_page_is_fetched_once(small_office, key, monkeypatch):
    """The filter bar arrives after the first page (its choices load after it): its room is
    kept from the start, so the table does not shrink under it and fetch that page again."""
    loads: list[object] = []
    real_run_db = paged_table.run_db

    def counting(node, work, *args, **kwargs):
        loads.append(node)
        return real_run_db(node, work, *args, **kwargs)

    monkeypatch.setattr(paged_table, "run_db", counting)

    async def scenario() -> None:
        app = JiedaoApp(small_office)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press(key)
            await wait_for(pilot, lambda: app.screen.query(PagedTable)
                           and loads and app.screen.query_one(PagedTable).settled,
                           what="first page")  # (some lists are empty: no rows to wait for)
            table = app.screen.query_one(PagedTable)
            height = table.region.height
            await wait_for(pilot, lambda: app.screen.query(FilterBar), what="filter bar")
            await pilot.pause(0.5)  # past the resize's settling time: a refetch was asked
            assert table.settled and table.region.height == height
            assert [node for node in loads if node is table] == [table]

    run(scenario())


@pytest.mark.parametrize("key", ["f3", "f4", "f5"])
def test_the_table_starts_under_the_filter_bar_and_fills_the_screen(small_office, key):
    async def scenario() -> None:
        app = JiedaoApp(small_office)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press(key)
            await wait_for(pilot, lambda: app.screen.query(FilterBar)
                           and app.screen.query(PagedTable), what="list and filters")
            await pilot.pause(0.2)
            bar = app.screen.query_one(FilterBar)
            table = app.screen.query_one(PagedTable)
            assert table.region.y <= bar.region.bottom + 1
            # Header (1) + filter bar + footer (1): the table has all the rest.
            assert table.region.height >= SIZE[1] - 2 - bar.region.height - 1

    run(scenario())


# -- every screen at 100×30 (and 80×24): the footer's keys and the form labels whole -------

NARROW = [(100, 30), (80, 24)]


def screen_lines(app: JiedaoApp) -> list[str]:
    """The screen as the terminal shows it, one string per row."""
    update = app.screen._compositor.render_update(full=True)
    return ["".join(segment.text for segment in strip) for strip in update.strips]


def footer_entries(app: JiedaoApp) -> list[str]:
    """``key description`` of each binding the footer shows (the palette key on the right)."""
    entries = []
    for active in app.screen.active_bindings.values():
        binding = active.binding
        if binding.show and binding.action != "command_palette":
            entries.append(f"{app.get_key_display(binding)} {binding.description}")
    return entries


async def assert_footer_whole(app: JiedaoApp, pilot, what: str) -> None:
    def whole() -> bool:
        footer = screen_lines(app)[-1]
        entries = footer_entries(app)
        return bool(entries) and all(entry in footer for entry in entries)

    try:
        await wait_for(pilot, whole, timeout=5, what=what)
    except AssertionError:
        footer, entries = screen_lines(app)[-1], footer_entries(app)
        raise AssertionError(f"{what}: {entries} not all in {footer!r}") from None


def label_text(app: JiedaoApp, label: Label) -> str:
    """What the screen shows in the label's region, spaces removed (a wrapped label's
    lines join up again)."""
    lines = screen_lines(app)
    region = label.region
    rows = lines[region.y:region.bottom]
    return "".join(row[region.x:region.right] for row in rows).replace(" ", "")


# The clock of tests/conftest.py (a module fixture cannot take its function-scoped one).
NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def open_at(path) -> Office:
    return open_office(f"sqlite:///{path}", operator="tester",
                       clock=Clock(tz="Asia/Shanghai", fixed=NOW))


@pytest.fixture(scope="module")
def sample_template(tmp_path_factory, sqlite_template):
    """The sample office, built once for this module (it takes seconds)."""
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    shutil.copy(sqlite_template, path)
    office = open_at(path)
    sample.fill(office)
    office.close()
    return path


@pytest.fixture
def sample_office(sample_template, tmp_path):
    path = tmp_path / "office.db"
    shutil.copy(sample_template, path)
    office = open_at(path)
    yield office
    office.close()


@pytest.mark.parametrize("size", NARROW)
def test_every_screen_shows_its_footer_keys_whole(sample_office, size):
    async def scenario() -> None:
        app = JiedaoApp(sample_office)
        async with app.run_test(size=size) as pilot:
            for entry in SCREENS:
                app.action_show(entry.key)
                await wait_for(pilot, lambda key=entry.key: app.screen.is_mounted
                               and app.current_mode == key, what=entry.key)
                await assert_footer_whole(app, pilot, entry.key)
                if isinstance(app.screen, ListScreen):
                    screen = app.screen
                    await wait_for(pilot, lambda s=screen: s.table.rows, what=f"{entry.key} rows")
                    await pilot.press("enter")
                    await wait_for(pilot, lambda: isinstance(app.screen, RecordScreen)
                                   and app.screen.record is not None,
                                   what=f"{entry.key} record")
                    await assert_footer_whole(app, pilot, f"{entry.key} record")
                    await pilot.press("escape")
                    await wait_for(pilot, lambda s=screen: app.screen is s, what="back")

    run(scenario())


@pytest.mark.parametrize("size", NARROW)
def test_the_help_lists_the_screen_keys_and_the_app_keys(sample_office, size):
    async def scenario() -> None:
        app = JiedaoApp(sample_office)
        async with app.run_test(size=size) as pilot:
            app.action_show("members")
            await wait_for(pilot, lambda: app.current_mode == "members", what="members")
            await pilot.press("question_mark")
            await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
            text = "\n".join(screen_lines(app))
            for words in ("Keys on this screen", "Add", "End term", "Filter", "Search",
                          "Back to the list"):
                assert words in text, words
            app.screen.query_one("#help-box").scroll_end(animate=False)
            await wait_for(pilot, lambda: "Surveys" in "\n".join(screen_lines(app)),
                           what="the app's keys at the end of the help")
            assert "Quit" in "\n".join(screen_lines(app))
            await pilot.press("escape")
            await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen), what="closed")

    run(scenario())


FORMS = [("members", "a"), ("tickets", "a"), ("petitions", "a"), ("training", "a"),
         ("staff", "a"), ("decisions", "a"), ("surveys", "a")]


@pytest.mark.parametrize("size", NARROW)
def test_form_labels_are_never_cut(sample_office, size):
    async def scenario() -> None:
        app = JiedaoApp(sample_office)
        async with app.run_test(size=size) as pilot:
            for area, key in FORMS:
                app.action_show(area)
                await wait_for(pilot, lambda area=area: app.current_mode == area
                               and (not isinstance(app.screen, ListScreen)
                                    or app.screen.query(FilterBar)), what=area)
                await pilot.pause(0.3)
                await pilot.press(key)
                await wait_for(pilot, lambda: isinstance(app.screen, FormScreen),
                               what=f"{area} form")
                form = app.screen.form
                for label in form.query(".form-label").results(Label):
                    form.scroll_to_widget(label, animate=False)
                    await pilot.pause(0.05)
                    want = str(label.render()).replace(" ", "")
                    assert label_text(app, label) == want, f"{area}: {want!r} cut"
                await pilot.press("escape")
                await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen),
                               what="form closed")

    run(scenario())
