"""One navigation on every screen: the list has the focus, Escape leaves the search box,
arrow keys move in the list, the same keys do the same things, and a help screen lists them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.app import App
from textual.command import CommandList, CommandPalette
from tui_helpers import id_number, run, wait_for

import tui
from ledger import members, petitions
from ledger.people import mask_id_number
from tui.app import JiedaoApp
from tui.screens.base import ListScreen
from tui.screens.members import MemberDetailScreen
from tui.screens.petitions import PetitionDetailScreen
from tui.widgets.areas import AreaBar
from tui.widgets.detail import DetailView
from tui.widgets.filter_bar import FilterBar
from tui.widgets.help import HelpScreen
from tui.widgets.paged_table import PagedTable
from tui.widgets.tickbox import TickBox

SIZE = (120, 36)
LISTS = ["members", "tickets", "petitions", "training", "staff", "decisions", "surveys"]


async def open_list(app: JiedaoApp, pilot, key: str) -> ListScreen:
    app.action_show(key)
    await wait_for(pilot, lambda: isinstance(app.screen, ListScreen)
                   and app.screen.query(FilterBar), what=f"{key} list and its filters")
    await pilot.pause(0.1)
    screen = app.screen
    assert isinstance(screen, ListScreen)
    return screen


@pytest.mark.parametrize("key", LISTS)
def test_a_list_opens_with_the_focus_on_its_table_and_escape_leaves_the_search(
        small_office, key):
    async def scenario() -> None:
        app = JiedaoApp(small_office)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_list(app, pilot, key)
            table = screen.query_one(PagedTable).table
            assert table.has_focus, app.focused
            bar = screen.query_one(FilterBar)
            before = bar.values
            await pilot.press("down", "up", "right", "left", "down")
            await pilot.pause(0.4)
            assert bar.values == before  # the arrows moved in the list, not in a filter
            assert table.has_focus
            if bar._with_search:
                await pilot.press("slash", "z")
                assert not table.has_focus
                await pilot.press("escape")
                assert table.has_focus
            # A filter focused on purpose, then Escape: back to the list too.
            await pilot.press("f")
            assert not table.has_focus
            await pilot.press("escape")
            assert table.has_focus

    run(scenario())


async def palette_pick(app: JiedaoApp, pilot, typed: str, wanted: str) -> None:
    """Open the palette, type ``typed`` and choose the hit whose text holds ``wanted``."""
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), what="palette")
    await pilot.press(*typed)

    def hit_index() -> int | None:
        options = app.screen.query_one(CommandList)
        for index in range(options.option_count):
            if wanted in str(options.get_option_at_index(index).prompt):
                return index
        return None

    await wait_for(pilot, lambda: hit_index() is not None, what=f"a hit for {typed}")
    app.screen.query_one(CommandList).highlighted = hit_index()
    await pilot.press("enter")


def test_the_palette_opens_a_member_by_name_pinyin_or_id(small_office):
    member = members.list_members(small_office, members.MemberFilter(search="李红"))[0]
    gone = members.list_members(small_office, members.MemberFilter(active=False))[0]

    async def scenario() -> None:
        app = JiedaoApp(small_office)
        async with app.run_test(size=SIZE) as pilot:
            for typed, record in (("李红", member), ("lh", member), (str(gone["id"]), gone),
                                  ("张旧", gone)):
                await palette_pick(app, pilot, typed, record["name"])
                await wait_for(pilot, lambda: isinstance(app.screen, MemberDetailScreen)
                               and app.screen.record is not None, what="member detail")
                assert app.screen.record["id"] == record["id"]
                await pilot.press("escape")
                await wait_for(pilot, lambda: not isinstance(app.screen, MemberDetailScreen),
                               what="back")

    run(scenario())


def test_the_palette_opens_a_petition_by_its_number(small_office):
    petition = petitions.register(small_office, channel="visit", category="other",
                                  summary="邻里纠纷", received_on=dt.date(2026, 11, 20),
                                  petitioners=[{"name": "李四"}])

    async def scenario() -> None:
        app = JiedaoApp(small_office)
        async with app.run_test(size=SIZE) as pilot:
            await palette_pick(app, pilot, petition["number"], petition["number"])
            await wait_for(pilot, lambda: isinstance(app.screen, PetitionDetailScreen)
                           and app.screen.record is not None, what="petition detail")
            assert app.screen.record["number"] == petition["number"]

    run(scenario())


def test_a_reveal_is_masked_again_once_the_clerk_leaves_the_record(small_office):
    full = id_number("19700304", "111")

    async def scenario() -> None:
        app = JiedaoApp(small_office)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_list(app, pilot, "members")
            await pilot.press("slash", *"xsw", "enter")
            await wait_for(pilot, lambda: [r["name"] for r in screen.table.rows] == ["许少伟"],
                           what="search")
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, MemberDetailScreen)
                           and app.screen.record is not None, what="detail")
            detail = app.screen
            fields = detail.query_one(DetailView)
            await pilot.press("r")
            await wait_for(pilot, lambda: fields.value_text("id_number") == full,
                           what="revealed")
            # The help on top is not leaving: still revealed.
            await pilot.press("question_mark")
            await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is detail, what="detail again")
            assert detail.revealed
            # Another area, then back: masked.
            await pilot.press("f2")
            await wait_for(pilot, lambda: app.current_mode == "dashboard", what="dashboard")
            await pilot.press("f3")
            await wait_for(pilot, lambda: app.screen is detail, what="the detail again")
            await wait_for(pilot, lambda: fields.value_text("id_number") == mask_id_number(full),
                           what="masked again")
            assert not detail.revealed

    run(scenario())


def test_the_areas_sidebar_toggles_on_every_screen(small_office):
    async def scenario() -> None:
        app = JiedaoApp(small_office)
        async with app.run_test(size=(100, 30)) as pilot:
            await open_list(app, pilot, "members")
            bar = app.screen.query_one(AreaBar)
            assert not bar.display
            await pilot.press("ctrl+b")
            await pilot.pause(0.1)
            assert bar.display and bar.region.width <= 24
            assert "F4" in str(bar.render()) and "Petitions" in str(bar.render())
            await pilot.press("f4")
            await wait_for(pilot, lambda: app.current_mode == "tickets", what="tickets")
            await pilot.pause(0.1)
            assert app.screen.query_one(AreaBar).display  # the same on the next screen
            await pilot.press("ctrl+b")
            await pilot.pause(0.1)
            assert not app.screen.query_one(AreaBar).display

    run(scenario())


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
def test_ticked_and_empty_boxes_differ(theme):
    class Boxes(App[None]):
        CSS_PATH = str(Path(tui.__file__).parent / "app.tcss")

        def compose(self):
            yield TickBox("", value=True, id="on")
            yield TickBox("", value=False, id="off")

    async def scenario() -> None:
        app = Boxes()
        app.theme = theme
        async with app.run_test(size=(40, 6)) as pilot:
            await pilot.pause()
            on, off = app.query_one("#on", TickBox), app.query_one("#off", TickBox)
            assert "X" in str(on.render()) and "X" not in str(off.render())
            on_style = on.get_visual_style("toggle--button")
            off_style = off.get_visual_style("toggle--button")
            assert on_style.foreground != off_style.foreground
            assert on_style.background != off_style.background
            off.toggle()
            await pilot.pause()
            assert "X" in str(off.render())

    run(scenario())


def test_a_theme_change_reaches_screens_built_before_it_and_after(small_office):
    """Screens are styled as they are built (the app skips Textual's catch-up restyle of a
    new screen): one built before a theme change takes the new theme when shown again, and
    one built after it has the new theme at once."""
    async def scenario() -> None:
        app = JiedaoApp(small_office)
        async with app.run_test(size=SIZE) as pilot:
            async def background(key: str) -> object:
                await pilot.press(key)
                await wait_for(pilot, lambda: app.screen.query(PagedTable), what=key)
                await pilot.pause()
                return app.screen.styles.background

            dark = await background("f4")
            await pilot.press("f2")
            app.theme = "textual-light"
            await pilot.pause()
            light_tickets = await background("f4")
            light_petitions = await background("f5")  # built after the change
            assert light_tickets != dark
            assert light_petitions == light_tickets

    run(scenario())
