"""The training screen driven through Pilot: F6 lists the sessions, Enter opens one, and the
check-in box checks people in by pinyin initials and ID tail, the sheet updating each time;
an ambiguous term is refused with the candidates named; a session is cancelled and
reinstated by its step keys (a step ledger refuses says why; a stale one shows the
conflict); the palette reaches the screen."""

from __future__ import annotations

from textual.widgets import Input, Static
from tui_helpers import fill, run, wait_for

from ledger import journal, members, training
from tui.app import JiedaoApp
from tui.screens.training import TrainingScreen, TrainingSessionScreen
from tui.widgets.confirm import ConfirmDialog
from tui.widgets.conflict import ConflictDialog
from tui.widgets.detail import RowsTable
from tui.widgets.form import FormScreen
from tui.widgets.palette import ActionsProvider

SIZE = (150, 50)


def _session(office):
    members.add_member(office, name="许少芳", village="V01", post="deputy_secretary",
                       election_date="2015-01-10")
    return training.add_session(office, title="信访条例讲座", starts_at="2026-11-27 09:00",
                                ends_at="2026-11-27 11:00", credit_hours="2",
                                place="[b]会议室[/b]")


def _states(screen: TrainingSessionScreen) -> dict[str, str | None]:
    return {r["name"]: r["state"] for r in screen.record["attendance"]}


def test_check_people_in_through_the_box(small_office):
    office = small_office
    session = _session(office)
    li_tail = next(m for m in members.list_members(office) if m["name"] == "李红")[
        "id_number"][-4:]

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f6")
            await wait_for(pilot, lambda: isinstance(app.screen, TrainingScreen)
                           and app.screen.table.pager.total == 1, what="training list")
            # The list shows the office's time (09:00 in Shanghai), not UTC's 01:00.
            cells = [str(c) for c in app.screen.table.table.get_row_at(0)]
            assert cells[0] == "2026-11-27 09:00"
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, TrainingSessionScreen)
                           and app.screen.record is not None, what="session detail")
            detail = app.screen
            assert detail.record["id"] == session["id"]
            assert set(_states(detail).values()) == {None}
            await pilot.press("i", *"xsw", "enter")
            await wait_for(pilot, lambda: _states(detail)["许少伟"] == "present",
                           what="许少伟 checked in")
            box = detail.query_one("#training-checkin", Input)
            assert box.value == "" and box.has_focus
            await pilot.press(*li_tail, "enter")
            await wait_for(pilot, lambda: _states(detail)["李红"] == "present",
                           what="李红 by ID tail")
            sheet = detail.query_one("#training-sheet", RowsTable)
            assert sheet.row_count == 4  # the three members in office that day, and one more
            # Ctrl+L while typing: the next one comes in late.
            await pilot.press("ctrl+l", *"wjg", "enter")
            await wait_for(pilot, lambda: _states(detail)["王建国"] == "late",
                           what="王建国 late")
            # "xs" means two people: refused, nobody checked in, the candidates named.
            await pilot.press(*"xs", "enter")
            await wait_for(pilot, lambda: any("许少芳" in str(n.message)
                                              for n in app._notifications), what="refusal")
            assert _states(detail)["许少芳"] is None
            assert detail.record["state"] == "held"
            # Any state through the sheet's form: excused needs its reason.
            sheet.focus()
            await pilot.press("s")
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="state form")
            fang = next(r["person_id"] for r in detail.record["attendance"]
                        if r["name"] == "许少芳")
            fill(app.screen.form, {"person": fang, "state": "excused"})
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: "reason" in app.screen.form.error_text("reason"),
                           what="reason required")
            fill(app.screen.form, {"reason": "病假"})
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: _states(detail)["许少芳"] == "excused",
                           what="许少芳 excused")
            assert training.get_session(office, session["id"])["counts"] == {
                "present": 2, "late": 1, "absent": 0, "excused": 1}

    run(scenario())


async def _open_session(app, pilot) -> TrainingSessionScreen:
    await pilot.press("f6")
    await wait_for(pilot, lambda: isinstance(app.screen, TrainingScreen)
                   and app.screen.table.pager.total == 1, what="training list")
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, TrainingSessionScreen)
                   and app.screen.record is not None, what="session detail")
    return app.screen


def _actions(screen: TrainingSessionScreen) -> str:
    return str(screen.query_one("#training-actions", Static).render())


async def _cancel(app, pilot, reason: str) -> None:
    await pilot.press("c")
    await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="cancel form")
    fill(app.screen.form, {"cancel_reason": reason})
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="confirmation")
    await pilot.press("y")


def test_cancel_then_reinstate_a_session_by_its_step_keys(small_office):
    office = small_office
    session = training.add_session(office, title="[b]防汛[/b]演练", starts_at="2026-12-01 09:00",
                                   ends_at="2026-12-01 11:00", credit_hours="2")

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=SIZE) as pilot:
            detail = await _open_session(app, pilot)
            assert _actions(detail) == "Actions: [h] mark held  [c] cancel"
            # Not allowed now: ledger's own reason, and no form.
            await pilot.press("u")
            await wait_for(pilot, lambda: any("cannot reinstate" in str(n.message)
                                              for n in app._notifications),
                           what="reinstate refused")
            assert app.screen is detail
            await _cancel(app, pilot, "台风")
            await wait_for(pilot, lambda: app.screen is detail
                           and detail.record["state"] == "cancelled", what="cancelled")
            assert detail.record["cancel_reason"] == "台风"
            assert _actions(detail) == "Actions: [u] reinstate"
            await pilot.press("u")
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen),
                           what="reinstate form")
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: app.screen is detail
                           and detail.record["state"] == "planned", what="reinstated")
            stored = training.get_session(office, session["id"])
            assert (stored["state"], stored["cancel_reason"], stored["version"]) == (
                "planned", "", 3)
            assert any("planned" in str(n.message) for n in app._notifications)
            assert [e["action"] for e in journal.history(office, "training_session",
                                                         session["id"])] == [
                "create", "cancel", "reinstate"]

    run(scenario())


def test_a_step_on_a_stale_session_shows_the_conflict(small_office):
    office = small_office
    session = training.add_session(office, title="防汛演练", starts_at="2026-12-01 09:00",
                                   ends_at="2026-12-01 11:00", credit_hours="2")

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=SIZE) as pilot:
            detail = await _open_session(app, pilot)
            # Another clerk cancels it while this one still sees it planned.
            training.cancel_session(office, session["id"], reason="停电", version=1)
            await _cancel(app, pilot, "台风")
            await wait_for(pilot, lambda: isinstance(app.screen, ConflictDialog),
                           what="conflict dialog")
            stored = training.get_session(office, session["id"])
            assert (stored["cancel_reason"], stored["version"]) == ("停电", 2)  # kept
            await pilot.press("r")  # the new version into the form, the reason typed stays
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen)
                           and app.screen.version == 2, what="reloaded form")
            assert app.screen.form.values()["cancel_reason"] == "台风"
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog),
                           what="confirmation")
            await pilot.press("y")  # now ledger's own refusal: it is cancelled already
            await wait_for(pilot, lambda: any("is cancelled" in str(n.message)
                                              for n in app._notifications), what="refusal")
            assert training.get_session(office, session["id"])["version"] == 2
            await pilot.press("escape")
            # Back on the session, shown as it is now.
            await wait_for(pilot, lambda: app.screen is detail
                           and detail.record["state"] == "cancelled", what="reloaded")
            assert _actions(detail) == "Actions: [u] reinstate"

    run(scenario())


def test_the_palette_and_the_dashboard_reach_training(small_office):
    _session(small_office)

    async def scenario() -> None:
        app = JiedaoApp(small_office)
        async with app.run_test(size=SIZE) as pilot:
            provider = ActionsProvider(app.screen)
            hits = {str(hit.display): hit async for hit in provider.discover()}
            assert "Training" in hits
            app.call_later(hits["Training"].command)
            await wait_for(pilot, lambda: isinstance(app.screen, TrainingScreen)
                           and app.screen.table.pager.total == 1, what="training list")
            # What a clerk typed is shown literally, never as markup.
            await pilot.pause()
            # (the table paints after its rows arrive: wait for the paint, not a fixed pause)
            await wait_for(pilot, lambda: "[b]会议室[/b]" in app.export_screenshot(),
                           what="the place shown literally")

    run(scenario())
