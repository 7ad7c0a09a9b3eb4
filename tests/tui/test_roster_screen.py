"""The roster screen driven through Pilot: F8 shows the week grid (gaps highlighted), ``s``
swaps two shifts through the form (reason required), ``a`` assigns a cell and a double
booking is refused with the reason notified; the dashboard shows today's duty."""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text
from textual import events
from textual.coordinate import Coordinate
from textual.widgets import Static
from tui_helpers import fill, run, wait_for

from ledger import roster
from tui.app import JiedaoApp
from tui.screens.dashboard import DashboardScreen
from tui.screens.roster import RosterScreen
from tui.widgets.form import FormScreen

SIZE = (150, 50)


def plain(widget: Static) -> str:
    console = Console(file=io.StringIO(), width=120, color_system=None)
    console.print(widget.content)
    return console.file.getvalue()


def _roster(office):
    roster.add_post(office, code="CENTRE", name="便民服务中心", kind="centre",
                    shifts="day=08:30-17:30")
    roster.add_post(office, code="V01", name="许庄村服务站", village="V01",
                    shifts="morning=08:30-12:00,afternoon=14:00-17:30")
    roster.add_eligible(office, "CENTRE", ["许少伟", "王建国", "李红"])
    roster.add_eligible(office, "V01", ["许少伟"])
    roster.plan(office, "CENTRE", "2026-11-23", "2026-11-29")
    roster.assign(office, "V01", "2026-11-24", "morning", "")  # a gap


def _shift(office, day: str) -> dict:
    return roster.get_shift(office, f"CENTRE/{day}/day")


def test_swap_two_shifts_through_the_grid(small_office):
    office = small_office
    _roster(office)
    monday, tuesday = _shift(office, "2026-11-23"), _shift(office, "2026-11-24")
    assert monday["person"] != tuesday["person"]

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=SIZE) as pilot:
            # The dashboard shows today's duty at the centre.
            await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen)
                           and app.screen.overview is not None, what="dashboard")
            today = _shift(office, "2026-11-27")["person"]
            text = app.screen.panel_text("duty")
            assert today in text and "08:30–17:30" in text and "vacant" not in text
            await pilot.press("f8")
            await wait_for(pilot, lambda: isinstance(app.screen, RosterScreen)
                           and app.screen.data is not None, what="roster grid")
            screen = app.screen
            table = screen.grid_table
            assert table.row_count == 3  # centre day, station morning and afternoon
            # The gap is highlighted; names are literal Text.
            gap_cell = table.get_cell_at((1, 3))
            assert isinstance(gap_cell, Text) and gap_cell.plain == "vacant"
            assert "red" in str(gap_cell.style)
            table.focus()
            table.cursor_coordinate = Coordinate(0, 2)  # the centre, Monday
            assert screen.current()["id"] == monday["id"]
            await pilot.press("s")
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="swap form")
            fill(app.screen.form, {"second": tuesday["id"], "reason": "家中有事"})
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: isinstance(app.screen, RosterScreen)
                           and _shift(office, "2026-11-23")["source"] == "swapped",
                           what="swapped")
            await wait_for(pilot, lambda: str(table.get_cell_at((0, 2))) == tuesday["person"],
                           what="grid updated")
            assert _shift(office, "2026-11-23")["person"] == tuesday["person"]
            assert _shift(office, "2026-11-24")["person"] == monday["person"]
            # Assign 许少伟 to the station on a day he holds the centre: refused, notified.
            held = next(d for d in ("2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26",
                                    "2026-11-27") if _shift(office, d)["person"] == "许少伟")
            column = 2 + int(held[-2:]) - 23
            table.cursor_coordinate = Coordinate(1, column)
            await pilot.press("a")
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen),
                           what="assign form")
            fill(app.screen.form, {"person": "许少伟"})
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: any("double booking" in str(n.message)
                                              for n in app._notifications),
                           what="double booking refused")
            # Nothing written: the station still has only the one gap made above.
            assert roster.count_shifts(office, roster.ShiftFilter(post="V01")) == 1

    run(scenario())


def test_assign_a_staff_member_through_the_grid(small_office):
    from ledger import staff

    office = small_office
    _roster(office)
    staff.add_staff(office, name="王芳", post="代办员")
    roster.add_eligible(office, "CENTRE", ["staff:王芳"])
    roster.assign(office, "CENTRE", "2026-11-27", "day", "staff:王芳")  # today

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=SIZE) as pilot:
            # Today's duty on the dashboard names her, marked as staff.
            await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen)
                           and app.screen.overview is not None, what="dashboard")
            assert "王芳 staff" in app.screen.panel_text("duty")
            await pilot.press("f8")
            await wait_for(pilot, lambda: isinstance(app.screen, RosterScreen)
                           and app.screen.data is not None, what="roster grid")
            screen = app.screen
            table = screen.grid_table
            table.focus()
            table.cursor_coordinate = Coordinate(0, 4)  # the centre, Wednesday 11/25
            await pilot.press("a")
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="assign form")
            fill(app.screen.form, {"person": "王芳"})
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: isinstance(app.screen, RosterScreen)
                           and _shift(office, "2026-11-25")["person"] == "王芳",
                           what="assigned")
            await wait_for(pilot, lambda: table.get_cell_at((0, 4)).plain == "王芳",
                           what="grid shows her")
            cell = table.get_cell_at((0, 4))
            assert "italic" in str(cell.style)  # staff, beside the members
            shift = _shift(office, "2026-11-25")
            assert (shift["holder_kind"], shift["source"]) == ("staff", "manual")

    run(scenario())


def test_the_grid_loads_once_when_first_shown_and_again_on_return(small_office,
                                                                  monkeypatch):
    """Textual announces a screen's first showing twice; the grid is fetched once for it
    (a second fetch redrew the table while its columns were being measured), and once
    more each time the clerk comes back to it."""
    _roster(small_office)
    calls: list[object] = []
    real_grid = roster.grid

    def counted(*args, **kwargs):
        calls.append(args[1])
        return real_grid(*args, **kwargs)

    monkeypatch.setattr("tui.screens.roster.svc.grid", counted)

    async def scenario() -> None:
        app = JiedaoApp(small_office, start="roster")
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, RosterScreen)
                           and app.screen.data is not None, what="the grid")
            # The second announcement, as it comes on a busy machine: after the grid.
            app.screen.post_message(events.ScreenResume())
            await pilot.pause(0.5)
            assert len(calls) == 1
            await pilot.press("f2")
            await pilot.press("f8")
            await wait_for(pilot, lambda: len(calls) == 2, what="the grid again")

    run(scenario())
