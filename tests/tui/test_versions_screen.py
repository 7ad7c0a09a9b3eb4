"""Two clerks, one member (Pilot): the app's save of a stale edit shows a dialog with both
values per changed field, reloads on request keeping what was typed, and never overwrites."""

from __future__ import annotations

from test_members_screen import SIZE, names, open_members
from textual.widgets import Static
from tui_helpers import run, wait_for

from ledger import members
from tui.app import JiedaoApp
from tui.widgets.conflict import ConflictDialog
from tui.widgets.form import FormScreen


def _text(dialog: ConflictDialog, field: str) -> str:
    return str(dialog.query_one(f"#conflict-{field}", Static).render())


def test_a_stale_edit_shows_both_values_then_reloads_keeping_the_typing(small_office):
    async def scenario() -> None:
        app = JiedaoApp(small_office)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_members(app, pilot)
            await pilot.press("slash", *"lh", "enter")
            await wait_for(pilot, lambda: names(screen) == ["李红"], what="李红")
            member_id = screen.table.current_row["id"]
            await pilot.press("e")
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="edit form")
            form_screen = app.screen
            assert form_screen.version == 1
            # Meanwhile another clerk renames her and notes something.
            members.edit_member(small_office, member_id, version=1, name="李虹",
                                notes="[b]他人[/b]的备注")
            form_screen.form.widget_for("name").value = "李鸿"
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: isinstance(app.screen, ConflictDialog),
                           what="conflict dialog")
            dialog = app.screen
            name = _text(dialog, "name")
            assert "李虹" in name and "李鸿" in name  # theirs and yours
            notes = _text(dialog, "notes")
            assert "[b]他人[/b]的备注" in notes  # shown literally, a field they changed
            stored = members.get_member(small_office, member_id)
            assert stored["name"] == "李虹" and stored["version"] == 2  # nothing overwritten
            await pilot.press("escape")  # back to the form, typing intact
            await wait_for(pilot, lambda: app.screen is form_screen, what="form again")
            assert form_screen.form.widget_for("name").value == "李鸿"
            assert form_screen.version == 1
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: isinstance(app.screen, ConflictDialog),
                           what="conflict dialog again")
            await pilot.press("r")  # reload: their notes come in, my name stays typed
            await wait_for(pilot, lambda: app.screen is form_screen
                           and form_screen.version == 2, what="reloaded form")
            assert form_screen.form.widget_for("name").value == "李鸿"
            assert form_screen.form.widget_for("notes").text == "[b]他人[/b]的备注"
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: app.screen is screen, what="saved")
            saved = members.get_member(small_office, member_id)
            assert (saved["name"], saved["notes"], saved["version"]) == (
                "李鸿", "[b]他人[/b]的备注", 3)

    run(scenario())


def test_a_step_on_a_record_changed_meanwhile_shows_the_conflict_then_goes(sqlite_office):
    """A step's form carries the version the clerk saw: another clerk's step in between
    refuses it (the dialog, nothing written); reloading takes the new version and the
    clerk's typing stays; saving then takes the step."""
    from ledger import items, staff, tickets, villages
    from tui.screens.tickets import TicketScreen, TicketsScreen

    office = sqlite_office
    villages.add_village(office, name="许庄村", code="V01")
    # Agents are staff records; the assign step chooses among them by id.
    wang = str([staff.add_staff(office, name=name) for name in ("别人", "王五")][1]["id"])
    items.add_item(office, code="R13", name="城乡低保", category="社会救助", level="district",
                   time_limit_days=15)
    number = tickets.open_ticket(office, item="R13", applicant_name="李四")["number"]

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=(150, 50)) as pilot:
            await pilot.press("f4")
            await wait_for(pilot, lambda: isinstance(app.screen, TicketsScreen)
                           and app.screen.table.rows, what="tickets")
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, TicketScreen)
                           and app.screen.record is not None, what="ticket")
            detail = app.screen
            await pilot.press("g")  # assign
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="form")
            form_screen = app.screen
            assert form_screen.version == 1
            tickets.assign(office, number, "别人")  # another clerk, meanwhile
            form_screen.form.widget_for("agent").value = wang
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: isinstance(app.screen, ConflictDialog),
                           what="conflict dialog")
            stored = tickets.get_ticket(office, number)
            assert stored["agent"] == "别人" and stored["version"] == 2
            await pilot.press("r")
            await wait_for(pilot, lambda: app.screen is form_screen
                           and form_screen.version == 2, what="reloaded form")
            assert form_screen.form.widget_for("agent").value == wang
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: app.screen is detail and detail.record["version"] == 3,
                           what="step taken")
            assert detail.record["agent"] == "王五"

    run(scenario())
