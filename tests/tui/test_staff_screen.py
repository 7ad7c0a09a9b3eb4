"""The staff screen: F7 lists active staff (their typed text literal), Enter opens one; add,
edit (a stale version shows the conflict dialog) and retire (asked first)."""

from __future__ import annotations

from textual.widgets import Static
from tui_helpers import run, wait_for

from ledger import staff
from tui.app import JiedaoApp
from tui.screens.staff import StaffRecordScreen, StaffScreen
from tui.widgets.confirm import ConfirmDialog
from tui.widgets.conflict import ConflictDialog
from tui.widgets.form import FormScreen

SIZE = (150, 50)


def test_list_and_open_a_staff_record(small_office):
    staff.add_staff(small_office, name="王芳", post="[b]代办员[/b]", email="wf@example.cn",
                    channels="email")
    staff.add_staff(small_office, name="陈静")
    staff.retire_staff(small_office, "陈静")

    async def scenario() -> None:
        app = JiedaoApp(small_office)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f7")
            await wait_for(pilot, lambda: isinstance(app.screen, StaffScreen)
                           and app.screen.table.pager.total == 1, what="staff list")
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, StaffRecordScreen)
                           and app.screen.record is not None, what="staff record")
            assert app.screen.record["post"] == "[b]代办员[/b]"

    run(scenario())


async def _open_staff(app: JiedaoApp, pilot, total: int) -> StaffScreen:
    await pilot.press("f7")
    await wait_for(pilot, lambda: isinstance(app.screen, StaffScreen)
                   and app.screen.table.pager.total == total, what="staff list")
    screen = app.screen
    assert isinstance(screen, StaffScreen)
    return screen


def _names(screen: StaffScreen) -> list[str]:
    return [row["name"] for row in screen.table.rows]


def test_add_shows_the_error_beside_the_field_then_saves(small_office):
    async def scenario() -> None:
        app = JiedaoApp(small_office)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _open_staff(app, pilot, 0)
            await pilot.press("a")
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="add form")
            await pilot.pause()  # the form's widgets mounted
            form = app.screen.form
            form.widget_for("name").value = "王芳"
            form.widget_for("post").value = "代办员"
            form.widget_for("channels").value = "email"  # with no address to reach her
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: form.error_text("email"), what="the email error")
            assert form.error_text("email") == "the email channel needs its address"
            assert isinstance(app.screen, FormScreen)  # still open, nothing stored
            assert staff.count_staff(small_office) == 0
            form.widget_for("email").value = "wf@example.cn"
            form.widget_for("language").value = "en"
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: app.screen is screen, what="form closed")
            await wait_for(pilot, lambda: _names(screen) == ["王芳"], what="listed")

        (row,) = staff.list_staff(small_office)
        assert (row["post"], row["email"], row["channels"], row["language"]) == (
            "代办员", "wf@example.cn", ["email"], "en")

    run(scenario())


def test_a_stale_edit_shows_the_conflict_then_saves_after_reloading(small_office):
    staff.add_staff(small_office, name="王芳", post="代办员", phone="13812345678")

    async def scenario() -> None:
        app = JiedaoApp(small_office)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _open_staff(app, pilot, 1)
            await pilot.press("e")
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="edit form")
            form_screen = app.screen
            assert form_screen.version == 1
            assert form_screen.form.widget_for("phone").value == ""  # masked: blank keeps
            # Meanwhile another clerk changes her post.
            staff.edit_staff(small_office, "王芳", version=1, post="副主任")
            form_screen.form.widget_for("post").value = "信访专干"
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: isinstance(app.screen, ConflictDialog),
                           what="conflict dialog")
            shown = str(app.screen.query_one("#conflict-post", Static).render())
            assert "副主任" in shown and "信访专干" in shown  # theirs and yours
            assert staff.get_staff(small_office, "王芳")["post"] == "副主任"  # not overwritten
            await pilot.press("r")  # reload: the new version, my typing kept
            await wait_for(pilot, lambda: app.screen is form_screen
                           and form_screen.version == 2, what="reloaded form")
            assert form_screen.form.widget_for("post").value == "信访专干"
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: app.screen is screen, what="saved")

        saved = staff.get_staff(small_office, "王芳", reveal=True)
        assert (saved["post"], saved["phone"], saved["version"]) == (
            "信访专干", "13812345678", 3)  # the phone left blank was kept

    run(scenario())


def test_retire_asks_first_and_then_leaves_the_list(small_office):
    staff.add_staff(small_office, name="王芳")

    async def scenario() -> None:
        app = JiedaoApp(small_office)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _open_staff(app, pilot, 1)
            await pilot.press("x")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="ask")
            await pilot.press("n")  # cancelled: nothing happens
            await wait_for(pilot, lambda: app.screen is screen, what="back")
            assert staff.get_staff(small_office, "王芳")["active"] is True
            await pilot.press("x")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="ask")
            await pilot.press("y")
            await wait_for(pilot, lambda: screen.table.pager.total == 0, what="retired")

        row = staff.get_staff(small_office, "王芳")
        assert (row["active"], row["version"]) == (False, 2)

    run(scenario())


def test_retiring_a_record_changed_meanwhile_is_refused(small_office):
    staff.add_staff(small_office, name="王芳")

    async def scenario() -> None:
        app = JiedaoApp(small_office)
        async with app.run_test(size=SIZE) as pilot:
            await _open_staff(app, pilot, 1)
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, StaffRecordScreen)
                           and app.screen.record is not None, what="staff record")
            record_screen = app.screen
            staff.edit_staff(small_office, "王芳", version=1, post="副主任")
            await pilot.press("x")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="ask")
            await pilot.press("y")
            await wait_for(pilot, lambda: app.screen is record_screen
                           and any("changed" in n.message for n in app._notifications),
                           what="the refusal")

        row = staff.get_staff(small_office, "王芳")
        assert (row["active"], row["post"]) == (True, "副主任")

    run(scenario())


def test_a_refused_retire_is_a_notification_and_changes_nothing(small_office):
    """Roles in force, the operator (tester) a clerk: retiring someone is a supervisor's,
    so ledger refuses it and the app says so; the record stays as it was."""
    from ledger import open_office

    staff.add_staff(small_office, name="孙主管", role="supervisor")
    boss = open_office(small_office.url, operator="孙主管", clock=small_office.clock)
    try:
        staff.add_staff(boss, name="王芳", role="clerk")
        staff.add_staff(boss, name="tester", role="clerk")
    finally:
        boss.close()
    before = staff.get_staff(small_office, "王芳")

    async def scenario() -> None:
        app = JiedaoApp(small_office)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _open_staff(app, pilot, 3)
            await pilot.press("down")  # 孙主管, tester, 王芳 by name: to 王芳
            await pilot.press("down")
            await wait_for(pilot, lambda: (screen.table.current_row or {}).get("name")
                           == "王芳", what="王芳 selected")
            await pilot.press("x")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="ask")
            await pilot.press("y")
            await wait_for(pilot, lambda: any("may not" in n.message
                                              for n in app._notifications), what="refusal")
            assert app.screen is screen

    run(scenario())
    assert staff.get_staff(small_office, "王芳") == before
