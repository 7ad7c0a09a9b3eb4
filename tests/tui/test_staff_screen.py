"""The staff screen: F7 lists active staff (their typed text literal), Enter opens one."""

from __future__ import annotations

from tui_helpers import run, wait_for

from ledger import staff
from tui.app import JiedaoApp
from tui.screens.staff import StaffRecordScreen, StaffScreen

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
