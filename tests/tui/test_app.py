"""The shell: the dashboard's figures, screen switching, the command palette, both languages,
editing from a member's detail, and the ledger.dashboard figures themselves."""

from __future__ import annotations

import importlib.util
import io

from rich.console import Console
from textual.widgets import DataTable, Static
from tui_helpers import run, wait_for

from ledger import dashboard, i18n
from tui.app import JiedaoApp
from tui.screens.dashboard import DashboardScreen
from tui.screens.members import MemberDetailScreen, MembersScreen
from tui.widgets.filter_bar import FilterBar
from tui.widgets.form import FormScreen
from tui.widgets.palette import ActionsProvider
from tui.widgets.timeline import Timeline

SIZE = (140, 45)


def plain(widget: Static) -> str:
    console = Console(file=io.StringIO(), width=120, color_system=None)
    console.print(widget.content)
    return console.file.getvalue()


def test_dashboard_counts_every_area_that_exists(small_office):
    figures = dashboard.counts(small_office)
    assert (figures["villages"], figures["members"]) == (2, 3)  # 张旧 left office
    for module, figure in (("ledger.tickets", "open_tickets"),
                           ("ledger.petitions", "open_petitions")):
        if importlib.util.find_spec(module) is not None:
            # The area exists: its figures are there (a filter mismatch would hide them).
            assert figures[figure] == 0
            assert figures[figure.replace("open", "overdue")] == 0
    overview = dashboard.overview(small_office)
    assert [v["members"] for v in overview["villages"]] == [2, 1]


def test_the_app_opens_on_the_dashboard_and_switches_screens(small_office):
    async def scenario() -> None:
        app = JiedaoApp(small_office)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen)
                           and app.screen.overview is not None, what="dashboard")
            assert "0  overdue" in app.screen.panel_text("tickets")
            villages = app.screen.query_one("#dash-villages", DataTable)
            assert villages.row_count == 2
            dash = app.screen
            await pilot.press("m")  # the dashboard's quick key
            await wait_for(pilot, lambda: isinstance(app.screen, MembersScreen), what="members")
            await pilot.press("f2")
            await wait_for(pilot, lambda: app.screen is dash, what="dashboard again")

    run(scenario())


def test_the_command_palette_lists_the_screens_actions_and_runs_them(small_office):
    async def scenario() -> None:
        app = JiedaoApp(small_office)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f3")
            await wait_for(pilot, lambda: isinstance(app.screen, MembersScreen)
                           and app.screen.table.pager.total, what="members")
            provider = ActionsProvider(app.screen)
            hits = {str(hit.display): hit async for hit in provider.discover()}
            assert {"Add", "Edit", "End term", "Search", "Overview", "Quit"} <= set(hits)
            assert not {"Focus Next", "Copy selected text", "Cursor down"} & set(hits)
            searched = [str(hit.text) async for hit in provider.search("end")]
            assert "End term" in searched
            app.call_later(hits["Add"].command)  # what the palette does with a chosen hit
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="add form")

    run(scenario())


def test_chinese_labels_throughout(small_office):
    i18n.set_language("zh")  # the autouse fixture restores English afterwards

    async def scenario() -> None:
        app = JiedaoApp(small_office)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen)
                           and app.screen.overview is not None, what="dashboard")
            assert app.screen.title == "概览"
            assert "超期" in app.screen.panel_text("petitions")
            await pilot.press("f3")
            await wait_for(pilot, lambda: isinstance(app.screen, MembersScreen)
                           and app.screen.table.pager.total, what="members")
            descriptions = {b.description for _k, b in app.screen._bindings}
            assert {"新增", "办理离任"} <= descriptions
            assert "学历" in [str(c.label) for c in app.screen.table.table.columns.values()]

    run(scenario())


def test_edit_from_the_detail_saves_only_what_changed(small_office):
    async def scenario() -> None:
        app = JiedaoApp(small_office)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f3")
            await wait_for(pilot, lambda: isinstance(app.screen, MembersScreen)
                           and app.screen.table.pager.total
                           and app.screen.query(FilterBar), what="members and the search")
            await pilot.press("slash", *"wjg", "enter")
            await wait_for(pilot, lambda: [r["name"] for r in app.screen.table.rows]
                           == ["王建国"], what="王建国")
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, MemberDetailScreen)
                           and app.screen.member is not None, what="detail")
            detail = app.screen
            await pilot.press("e")
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="edit form")
            form = app.screen.form
            assert form.widget_for("education").value == "associate"
            assert form.widget_for("phone").value == ""  # masked values are never pre-filled
            form.widget_for("education").value = "bachelor"
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: app.screen is detail, what="back on the detail")
            await wait_for(pilot, lambda: detail.member["education"] == "bachelor",
                           what="reloaded")
            timeline = str(detail.query_one(Timeline).render())
            assert "member updated" in timeline
            assert "education: associate → bachelor" in timeline

    run(scenario())


def test_every_screen_has_its_own_dashboard_letter():
    """A letter two screens shared would open only one of them from the dashboard."""
    from tui.screens import SCREENS

    letters = [entry.quick_key for entry in SCREENS if entry.key != "dashboard"]
    assert len(letters) == len(set(letters)), letters
