"""The villages, items and calendar screens through Pilot: reached from the palette and the
dashboard's letters (no F-key of their own), each list with its record, the add and edit
forms (errors beside their field), retiring an item, and setting and removing a day of the
working-day calendar."""

from __future__ import annotations

import datetime as dt

from textual.command import CommandPalette
from tui_helpers import fill, run, wait_for

from ledger import items, journal, villages, workcal
from tui.app import JiedaoApp
from tui.screens.calendar import CalendarScreen
from tui.screens.dashboard import DashboardScreen
from tui.screens.items import ItemRecordScreen, ItemsScreen
from tui.screens.villages import VillageRecordScreen, VillagesScreen
from tui.widgets.confirm import ConfirmDialog
from tui.widgets.detail import DetailView
from tui.widgets.filter_bar import FilterBar
from tui.widgets.form import FormScreen

SIZE = (150, 50)


async def _from_dashboard(app, pilot, letter: str, screen_class) -> None:
    await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen)
                   and app.screen.overview is not None, what="dashboard")
    await pilot.press(letter)
    await wait_for(pilot, lambda: isinstance(app.screen, screen_class), what=letter)


def test_villages_list_add_edit_and_record(small_office):
    office = small_office

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=SIZE) as pilot:
            await _from_dashboard(app, pilot, "v", VillagesScreen)
            screen = app.screen
            await wait_for(pilot, lambda: screen.table.pager.total == 2, what="villages")
            await pilot.press("a")
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="add form")
            form = app.screen.form
            fill(form, {"name": "李庄村", "code": "103"})  # a code that reads like an id
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: form.error_text("code"), what="refusal")
            assert isinstance(app.screen, FormScreen)
            fill(form, {"code": "V03", "relocation_status": "urban_village"})
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: app.screen is screen
                           and screen.table.pager.total == 3, what="added")
            added = villages.get_village(office, "V03")
            assert (added["name"], added["relocation_status"]) == ("李庄村", "urban_village")
            # Edit from the list: only the change is saved.
            screen.table.reload(select=added["id"])
            await wait_for(pilot, lambda: (screen.table.current_row or {}).get("code") == "V03",
                           what="V03 selected")
            await pilot.press("e")
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="edit")
            fill(app.screen.form, {"notes": "新村"})
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: app.screen is screen, what="edited")
            assert villages.get_village(office, "V03")["notes"] == "新村"
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, VillageRecordScreen)
                           and app.screen.record is not None, what="record")
            assert app.screen.query_one(DetailView).value_text("notes") == "新村"
            assert [e["action"] for e in journal.entries(
                office, entity="village", entity_id=added["id"])] == ["create", "update"]

    run(scenario())


def test_items_add_with_its_time_limit_and_retire(small_office):
    office = small_office
    items.add_item(office, code="R13", name="城乡低保", category="社会救助", level="district",
                   time_limit_days=15, materials="身份证")

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=SIZE) as pilot:
            await _from_dashboard(app, pilot, "i", ItemsScreen)
            screen = app.screen
            await wait_for(pilot, lambda: screen.table.pager.total == 1
                           and screen.query(FilterBar), what="items")
            await pilot.press("a")
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="add form")
            form_screen = app.screen
            fill(form_screen.form, {"name": "老年证", "category": "民政",
                                    "level": "subdistrict", "time_limit_days": "999",
                                    "materials": "身份证|照片"})
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: form_screen.form.error_text("time_limit_days"),
                           what="limit refused")
            fill(form_screen.form, {"time_limit_days": "5"})
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: app.screen is screen
                           and screen.table.pager.total == 2, what="added")
            added = next(r for r in items.list_items(office) if r["name"] == "老年证")
            assert (added["time_limit_days"], added["materials"]) == (5, ["身份证", "照片"])
            # Retire R13 from its record, after saying yes.
            screen.table.reload(select=items.get_item(office, "R13")["id"])
            await wait_for(pilot, lambda: (screen.table.current_row or {}).get("code") == "R13",
                           what="R13 selected")
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, ItemRecordScreen)
                           and app.screen.record is not None, what="record")
            record = app.screen
            await pilot.press("x")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="ask")
            await pilot.press("y")
            await wait_for(pilot, lambda: app.screen is record
                           and record.record and not record.record["active"], what="retired")
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is screen
                           and screen.table.pager.total == 1, what="only offered ones")

    run(scenario())


def test_calendar_set_and_remove_a_day_from_the_palette(small_office):
    office = small_office

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen),
                           what="dashboard")
            # No F-key: the palette names the screen.
            await pilot.press("ctrl+p")
            await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette),
                           what="palette")
            await pilot.press(*"Working-day")
            await pilot.pause(0.5)
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, CalendarScreen)
                           and app.screen.schedule is not None, what="calendar")
            screen = app.screen
            assert screen.schedule["year"] == 2026 and screen.schedule["source"] == "library"
            holidays = len(screen.schedule["holidays"])
            await pilot.press("a")
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="day form")
            form_screen = app.screen
            fill(form_screen.form, {"date": "2026-12-30", "kind": "workday"})
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: form_screen.form.error_text("kind"),
                           what="a weekday refused as a workday")
            fill(form_screen.form, {"kind": "holiday", "name": "年末"})
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: app.screen is screen
                           and len(screen.schedule["holidays"]) == holidays + 1, what="set")
            assert screen.schedule["source"] == "loaded"
            assert not workcal.day_info(office, dt.date(2026, 12, 30))["working"]
            # The new day is the last of the year: select it and remove it.
            day = next(i for i, d in enumerate(screen.days) if d["date"] == dt.date(2026, 12, 30))
            screen.query_one("#calendar-days").move_cursor(row=day)
            await pilot.press("x")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="ask")
            await pilot.press("y")
            await wait_for(pilot, lambda: app.screen is screen
                           and len(screen.schedule["holidays"]) == holidays, what="removed")
            assert workcal.day_info(office, dt.date(2026, 12, 30))["working"]
            await pilot.press("right_square_bracket")
            await wait_for(pilot, lambda: screen.schedule["year"] == 2027, what="next year")

    run(scenario())


def test_an_action_on_no_row_asks_the_clerk_to_choose_one(sqlite_office):
    """Edit (and retire) act on the row under the cursor; on an empty list each list screen
    says which record to choose first, in its own words, and opens nothing."""
    async def scenario() -> None:
        app = JiedaoApp(sqlite_office, start="villages")
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, VillagesScreen)
                           and app.screen.table.settled, what="the villages list")
            listing = app.screen
            await pilot.press("e")
            await pilot.pause(0.2)
            assert app.screen is listing
            assert [n.message for n in app._notifications] == ["Select a village first"]

    run(scenario())
