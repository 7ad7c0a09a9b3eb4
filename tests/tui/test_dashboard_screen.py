"""The dashboard through Pilot: each figure arrives in its panel, and selecting one opens the
list behind it with that list's filters set (the bar shows them and the list holds exactly
what was counted); a village's cell opens its area filtered by the village; a petition opens
its record; the training list takes today and this week."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable, OptionList, Select
from tui_helpers import run, wait_for

from ledger import items, training
from ledger import petitions as P
from ledger import tickets as svc
from tui.app import JiedaoApp
from tui.screens.dashboard import DashboardScreen
from tui.screens.members import MembersScreen
from tui.screens.petitions import PetitionDetailScreen, PetitionsScreen
from tui.screens.tickets import TicketsScreen
from tui.screens.training import TrainingScreen
from tui.widgets.filter_bar import FilterBar

SIZE = (150, 50)
LATE = dt.datetime(2026, 10, 8, 9, 0)


def _office(office):
    items.add_item(office, code="R13", name="城乡低保", category="社会救助", level="district",
                   time_limit_days=15, materials="身份证")
    for name, village in (("许桂兰", "V01"), ("王大", "V02")):
        svc.open_ticket(office, item="R13", applicant_name=name, materials=True,
                        village=village, received_at=LATE)
    svc.open_ticket(office, item="R13", applicant_name="许二", materials=True, village="V01",
                    received_at=dt.datetime(2026, 11, 26, 9, 0))
    P.register(office, channel="visit", category="other", summary="路灯不亮",
               received_on=dt.date(2026, 11, 25), village="V01",
               petitioners=[{"name": "王五"}])
    training.add_session(office, title="今日培训", kind="meeting",
                         starts_at="2026-11-27 14:00", ends_at="2026-11-27 16:00",
                         credit_hours=2)
    return office


def _bar(screen) -> dict:
    return screen.query_one(FilterBar).values


async def _dashboard(app, pilot) -> DashboardScreen:
    await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen)
                   and app.screen.overview is not None, what="dashboard")
    return app.screen


def test_a_figure_opens_its_list_filtered(small_office):
    office = _office(small_office)

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=SIZE) as pilot:
            dash = await _dashboard(app, pilot)
            assert "2  overdue" in dash.panel_text("tickets")
            assert "1  today" in dash.panel_text("trainings")
            assert "路灯不亮" in dash.panel_text("petitions")
            # Tickets overdue: the first option of the tickets panel.
            dash.query_one("#dash-tickets", OptionList).focus()
            await pilot.press("home", "enter")
            await wait_for(pilot, lambda: isinstance(app.screen, TicketsScreen)
                           and app.screen.query(FilterBar)
                           and app.screen.table.pager.total == 2, what="overdue tickets")
            tickets = app.screen
            assert _bar(tickets)["deadline"] == "overdue"
            assert tickets.filters.overdue and tickets.filters.village is None
            # Back on the dashboard, a village's open tickets: the filter bar exists now,
            # and the deadline filter set before goes back to all.
            await pilot.press("f2")
            dash = await _dashboard(app, pilot)
            table = dash.query_one("#dash-villages", DataTable)
            table.focus()
            table.cursor_coordinate = (0, 3)  # V01, open tickets
            await pilot.press("enter")
            await wait_for(pilot, lambda: app.screen is tickets
                           and _bar(tickets)["village"] == "V01"
                           and tickets.table.pager.total == 2, what="V01's open tickets")
            assert _bar(tickets)["deadline"] is None and _bar(tickets)["state"] == "open"
            # A village's members: the members' own filters, their default status kept.
            await pilot.press("f2")
            dash = await _dashboard(app, pilot)
            table = dash.query_one("#dash-villages", DataTable)
            table.focus()
            table.cursor_coordinate = (1, 2)  # V02, members
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, MembersScreen)
                           and app.screen.query(FilterBar)
                           and app.screen.table.pager.total == 1, what="V02's members")
            assert _bar(app.screen)["village"] == "V02"
            assert _bar(app.screen)["status"] == "active"

    run(scenario())


def test_a_petition_opens_its_record_and_training_this_week(small_office):
    office = _office(small_office)

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=SIZE) as pilot:
            dash = await _dashboard(app, pilot)
            panel = dash.query_one("#dash-petitions", OptionList)
            panel.focus()
            # Overdue, due soon, open, the heading, then the nearest deadline.
            panel.highlighted = 4
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, PetitionDetailScreen)
                           and app.screen.record is not None, what="petition")
            assert app.screen.record["summary"] == "路灯不亮"
            await pilot.press("escape")
            dash = await _dashboard(app, pilot)
            dash.query_one("#dash-trainings", OptionList).focus()
            await pilot.press("home", "down", "enter")  # this week
            await wait_for(pilot, lambda: isinstance(app.screen, TrainingScreen)
                           and app.screen.query(FilterBar)
                           and app.screen.table.pager.total == 1, what="this week")
            screen = app.screen
            assert screen.query_one("#filter-period", Select).value == "week"
            assert (screen.filters.date_from, screen.filters.date_to) == (
                dt.date(2026, 11, 23), dt.date(2026, 11, 29))

    run(scenario())


def test_petitions_overdue_from_the_dashboard(small_office):
    office = _office(small_office)
    P.register(office, channel="visit", category="other", summary="旧事",
               received_on=dt.date(2026, 9, 1), petitioners=[{"name": "赵六"}])

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=SIZE) as pilot:
            dash = await _dashboard(app, pilot)
            assert "1  overdue" in dash.panel_text("petitions")
            dash.query_one("#dash-petitions", OptionList).focus()
            await pilot.press("home", "enter")
            await wait_for(pilot, lambda: isinstance(app.screen, PetitionsScreen)
                           and app.screen.query(FilterBar)
                           and app.screen.table.pager.total == 1, what="overdue petitions")
            assert _bar(app.screen)["deadline"] == "overdue"
            assert [r["summary"] for r in app.screen.table.rows] == ["旧事"]

    run(scenario())


