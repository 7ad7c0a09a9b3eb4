"""Text users typed is shown literally in the app: a name with ``[/]`` in it does not crash
it, ``[bold red]`` does not style it, the ``[x]`` of a ticked material and the key letters
of "Actions:" stay; a save whose error quotes such input shows the error; an error in a
database-thread callback is shown to the clerk, never swallowed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Static
from tui_helpers import run, wait_for

from ledger import items, members, tickets, villages
from ledger import petitions as petitions_svc
from tui.app import JiedaoApp
from tui.dbwork import run_db
from tui.screens.members import MemberDetailScreen, MembersScreen
from tui.screens.petitions import PetitionDetailScreen
from tui.screens.tickets import TicketScreen, TicketsScreen
from tui.widgets.confirm import ConfirmDialog
from tui.widgets.detail import DetailView
from tui.widgets.filter_bar import FilterBar
from tui.widgets.form import FormScreen
from tui.widgets.timeline import Timeline

SIZE = (150, 50)
# Markup-looking text: shown exactly as typed.
MARKUP = ["[/]", "[bold red]x[/]", "[link=http://x]a[/]", "[x] [a]"]
# Terminal controls, long and rare text: shown without crashing (Rich drops the controls).
OTHER = ["\x1b]0;pwn\a", "a\rb\nc", "很长的名字" * 12, "😀家", "𠀀𠀁"]


def notifications(app: App[Any]) -> list[str]:
    return [n.message for n in app._notifications]


def plain(widget: Static) -> str:
    return str(widget.render())


def test_member_names_in_the_list_detail_timeline_and_dialog(sqlite_office):
    office = sqlite_office
    villages.add_village(office, name="[b]村[/b]", code="V01")
    for name in MARKUP + OTHER:
        members.add_member(office, name=name, village="V01", post="committee_member")
    target = members.list_members(office, members.MemberFilter(search="[bold red]x[/]"))[0]

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f3")
            await wait_for(pilot, lambda: isinstance(app.screen, MembersScreen)
                           and app.screen.table.pager.total
                           and app.screen.query(FilterBar), what="members list")
            screen = app.screen
            table = screen.table.table
            shown = {table.get_row_at(i)[0].plain for i in range(table.row_count)}
            assert set(MARKUP) <= shown
            assert any(table.get_row_at(i)[1].plain == "[b]村[/b]"
                       for i in range(table.row_count))
            await pilot.pause()  # drawn: a markup error would have crashed the app

            app.push_screen(MemberDetailScreen(office, target["id"]))
            await wait_for(pilot, lambda: isinstance(app.screen, MemberDetailScreen)
                           and app.screen.record is not None, what="detail")
            detail = app.screen
            assert detail.query_one(DetailView).value_text("name") == "[bold red]x[/]"
            await wait_for(pilot, lambda: "[bold red]x[/]" in plain(detail.query_one(Timeline)),
                           what="the name in the timeline")
            # The end-of-term dialog quotes the name.
            await pilot.press("x")
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="end form")
            assert "[bold red]x[/]" in plain(app.screen.query_one("#form-title", Static))
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="dialog")
            assert "[bold red]x[/]" in plain(app.screen.query_one("#confirm-question", Static))
            await pilot.press("y")
            await wait_for(pilot, lambda: any("[bold red]x[/]" in m
                                              for m in notifications(app)), what="notice")
            await pilot.pause()

    run(scenario())


def test_a_save_whose_error_quotes_the_input_shows_it(small_office):
    async def scenario() -> None:
        app = JiedaoApp(small_office)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f3")
            await wait_for(pilot, lambda: isinstance(app.screen, MembersScreen)
                           and app.screen.query(FilterBar), what="members list")
            await pilot.press("a")
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="form")
            form = app.screen.form
            form.widget_for("name").value = "赵明"
            form.widget_for("village").value = "V02"
            form.widget_for("post").value = "deputy_director"
            form.widget_for("birth_date").value = "[/]"
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: "[/]" in form.error_text("birth_date"),
                           what="the date error quoting the input")
            assert isinstance(app.screen, FormScreen)
            await pilot.pause()

    run(scenario())


def test_ticket_applicant_materials_and_action_keys(sqlite_office):
    office = sqlite_office
    villages.add_village(office, name="许庄村", code="V01")
    items.add_item(office, code="R11", name="护理补贴", category="残疾人服务", level="district",
                   time_limit_days=20, materials="身份证|[red]户口簿[/]")
    ticket = tickets.open_ticket(office, item="R11", applicant_name="[/]\x1b]0;pwn\a",
                                 village="V01", materials="身份证",
                                 received_at=dt.datetime(2026, 11, 2, 9, 0))

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f4")
            await wait_for(pilot, lambda: isinstance(app.screen, TicketsScreen)
                           and app.screen.table.rows, what="tickets list")
            table = app.screen.table.table
            assert table.get_row_at(0)[2].plain.startswith("[/]")
            await pilot.pause()
            app.push_screen(TicketScreen(office, ticket["number"]))
            await wait_for(pilot, lambda: isinstance(app.screen, TicketScreen)
                           and app.screen.record is not None, what="ticket")
            detail = app.screen
            materials = plain(detail.query_one("#ticket-materials", Static))
            assert "[x] 身份证" in materials and "[ ] [red]户口簿[/]" in materials
            actions = plain(detail.query_one("#ticket-actions", Static))
            for action in detail.record["allowed_actions"]:
                assert f"[{detail.STEPS[action][0]}]" in actions
            await pilot.pause()

    run(scenario())


def test_petition_summary_and_petitioner(sqlite_office):
    office = sqlite_office
    petition = petitions_svc.register(
        office, channel="visit", category="other", summary="[link=http://x]a[/] a\rb\nc 𠀀😀",
        received_on=dt.date(2026, 11, 20), petitioners=[{"name": "[bold red]王五[/]"}])

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=SIZE) as pilot:
            app.push_screen(PetitionDetailScreen(office, petition["id"]))
            await wait_for(pilot, lambda: isinstance(app.screen, PetitionDetailScreen)
                           and app.screen.record is not None, what="petition")
            detail = app.screen
            assert detail.query_one(DetailView).value_text("summary").startswith(
                "[link=http://x]a[/]")
            people = detail.query_one("#petition-people")
            assert people.get_row_at(0)[0].plain == "[bold red]王五[/]"
            actions = plain(detail.query_one("#petition-actions", Static))
            assert "[a]" in actions  # accept's key letter
            await pilot.pause()

    run(scenario())


class _Probe(Static):
    pass


class _ProbeApp(App[None]):
    def compose(self) -> ComposeResult:
        yield _Probe("probe")


def test_an_error_in_a_database_callback_is_shown_not_swallowed():
    def broken(_result: int) -> None:
        raise RuntimeError("showing failed [/]")

    async def scenario() -> None:
        app = _ProbeApp()
        async with app.run_test() as pilot:
            probe = app.query_one(_Probe)
            run_db(probe, lambda: 1, broken)
            await wait_for(pilot, lambda: notifications(app), what="a notification")
            assert any("showing failed [/]" in m for m in notifications(app))
            await pilot.pause()  # the toast is drawn: plain text, no markup error

    run(scenario())
