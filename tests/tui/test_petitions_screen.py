"""The petitions screen driven through Pilot: register a petition (a bad phone shown beside its
field first), accept it, extend it, reply and close it, each step through its key and form;
the list's countdown, the timeline and a journaled reveal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.widgets import Select
from tui_helpers import fill, run, take_step, wait_for

from ledger import journal, staff, villages
from ledger import petitions as svc
from tui.app import JiedaoApp
from tui.screens.petitions import PetitionDetailScreen, PetitionsScreen, countdown
from tui.widgets.detail import DetailView
from tui.widgets.filter_bar import FilterBar
from tui.widgets.form import FormScreen
from tui.widgets.timeline import Timeline

SIZE = (150, 50)


async def step(app: JiedaoApp, pilot: Any, key: str, values: dict[str, Any],
               state: str) -> None:
    await take_step(app, pilot, key, values, lambda petition: petition["state"] == state,
                    what=f"state {state}")


def test_register_accept_extend_reply_close(sqlite_office):
    office = sqlite_office
    # The handler assigned below, chosen among the active staff (a retired one is not
    # offered).
    handler = staff.add_staff(office, name="李干事", post="信访专干")
    staff.retire_staff(office, staff.add_staff(office, name="老干事")["id"])
    villages.add_village(office, name="许庄村", code="V01")

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f5")
            await wait_for(pilot, lambda: isinstance(app.screen, PetitionsScreen)
                           and app.screen.query(FilterBar), what="petitions screen")
            screen = app.screen
            await pilot.press("a")
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="form")
            form = app.screen.form
            # Fields are named as register's keywords, so ledger's errors land beside them.
            fill(form, {"channel": "visit", "category": "land_demolition",
                        "village": "V01", "received_on": "2026-11-01",
                        "summary": "拆迁补偿款未到位", "name": "王五", "phone": "12345"})
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: form.error_text("phone"),
                           what="phone error beside the field")
            assert svc.count_petitions(office) == 0  # nothing stored
            # The second petitioner's phone: the error is beside the box that lists them.
            fill(form, {"phone": "13812345678", "petitioners": "李四,12345"})
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: "petitioner 2" in form.error_text("petitioners"),
                           what="second petitioner's error beside the petitioners box")
            assert not form.error_text("phone")
            assert svc.count_petitions(office) == 0
            fill(form, {"petitioners": "李四,13900001111\nname=赵六"})
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: app.screen is screen and screen.table.rows,
                           what="registered petition in the list")
            row = screen.table.rows[0]
            assert row["number"] == "XF-2026-0001"
            people = svc.get_petition(office, row["number"])["petitioners"]
            assert [p["name"] for p in people] == ["王五", "李四", "赵六"]
            assert row["petitioner_phone"] == "138****5678"
            # received 11-01: the acceptance notice was due 11-16, eleven days ago
            shown = countdown(row)
            assert "11" in str(shown) and "red" in str(shown.style)
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, PetitionDetailScreen)
                           and app.screen.petition is not None, what="detail")
            detail = app.screen
            await step(app, pilot, "a", {"on": "2026-11-02"}, "accepted")
            await step(app, pilot, "x", {"days": "30", "reason": "需多部门会商",
                                         "approved_by": "主任"}, "accepted")
            assert detail.petition["extension_days"] == 30
            # reply needs a handler first: the key is refused with a notice, no form
            await pilot.press("y")
            await pilot.pause(0.1)
            assert app.screen is detail
            await pilot.press("h")
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="assign")
            spec = next(f for f in app.screen.form.fields if f.name == "handler")
            assert spec.kind == "choice"
            offered = [c.label for c in spec.choices]
            assert "李干事 · 信访专干" in offered and not any("老干事" in o for o in offered)
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is detail, what="detail again")
            await step(app, pilot, "h", {"handler": str(handler["id"])}, "in_handling")
            assert detail.petition["handler"] == "李干事"
            await step(app, pilot, "y", {"gist": "依政策补偿"}, "replied")
            await step(app, pilot, "c", {}, "closed")
            fields = detail.query_one(DetailView)
            assert fields.value_text("state") == "closed"
            timeline = str(detail.query_one(Timeline).render())
            for word in ("register", "accept", "extend", "assign", "reply", "close"):
                assert word in timeline
            await pilot.press("r")
            await wait_for(pilot, lambda: detail.revealed and detail.petition["petitioners"][0][
                "phone"] == "13812345678", what="revealed")
            await wait_for(pilot, lambda: "revealed personal data" in str(
                detail.query_one(Timeline).render()), what="reveal in the timeline")
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is screen, what="back to the list")
            # o: only the overdue ones; the closed petition is not; o again: all
            await pilot.press("o")
            await wait_for(pilot, lambda: screen.filters.overdue and not screen.table.rows,
                           what="overdue filter")
            await pilot.press("o")
            await wait_for(pilot, lambda: not screen.filters.overdue and screen.table.rows,
                           what="all again")

    run(scenario())
    actions = [e["action"] for e in journal.history(office, "petition", 1)]
    assert actions == ["create", "accept", "extend", "assign", "reply", "close", "reveal"]


def test_deadline_filter_due_soon_lists_what_ledger_counts_as_due_soon(sqlite_office):
    office = sqlite_office
    received = {"overdue": "2026-11-01", "due_soon": "2026-11-14", "ok": "2026-11-25"}
    numbers = {state: svc.register(office, channel="visit", category="other", summary=state,
                                   received_on=dt.date.fromisoformat(day),
                                   petitioners=[{"name": "王五"}])["number"]
               for state, day in received.items()}

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f5")
            await wait_for(pilot, lambda: isinstance(app.screen, PetitionsScreen)
                           and app.screen.query(FilterBar) and app.screen.table.rows,
                           what="petitions screen")
            screen = app.screen
            screen.query_one("#filter-deadline", Select).value = "due_soon"
            await wait_for(pilot, lambda: [r["number"] for r in screen.table.rows]
                           == [numbers["due_soon"]], what="due soon only")
            assert screen.table.rows[0]["deadline_state"] == "due_soon"
            assert screen.filters.due_soon and not screen.filters.overdue
            await pilot.press("o")  # the overdue key replaces it in the bar and the list
            await wait_for(pilot, lambda: [r["number"] for r in screen.table.rows]
                           == [numbers["overdue"]], what="overdue only")

    run(scenario())


def test_search_finds_a_petitioner_by_name(sqlite_office):
    office = sqlite_office
    for name, summary in (("王五", "拆迁补偿"), ("李四", "邻里纠纷")):
        svc.register(office, channel="visit", category="other", summary=summary,
                     received_on=dt.date(2026, 11, 20), petitioners=[{"name": name}])

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f5")
            await wait_for(pilot, lambda: isinstance(app.screen, PetitionsScreen)
                           and len(app.screen.table.rows) == 2
                           and app.screen.query(FilterBar), what="petitions screen")
            screen = app.screen
            await pilot.press("slash", *"李四", "enter")
            await wait_for(pilot, lambda: [r["petitioner"] for r in screen.table.rows]
                           == ["李四"], what="search result")
            assert screen.table.table.has_focus  # Enter moved to the list

    run(scenario())
