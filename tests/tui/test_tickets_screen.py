"""The tickets screen driven through Pilot: open a ticket from the keyboard (the due date
shown as soon as the item is chosen, a bad phone shown beside its field first), advance it to
done and rate it, each step through its key and form; withdrawing asks first; the list marks
overdue rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.widgets import Static
from tui_helpers import fill, run, take_step, wait_for

from ledger import items, journal, villages
from ledger import tickets as svc
from tui.app import JiedaoApp
from tui.screens.staff import assignee_choices
from tui.screens.tickets import TicketScreen, TicketsScreen, deadline
from tui.widgets.confirm import ConfirmDialog
from tui.widgets.detail import DetailView
from tui.widgets.filter_bar import FilterBar
from tui.widgets.form import FormScreen
from tui.widgets.timeline import Timeline

SIZE = (150, 50)


def _office(sqlite_office):
    office = sqlite_office
    villages.add_village(office, name="许庄村", code="V01")
    items.add_item(office, code="R13", name="城乡低保", category="社会救助", level="district",
                   time_limit_days=15, materials="身份证|户口簿|家庭收入证明")
    items.add_item(office, code="R11", name="重度残疾人护理补贴", category="残疾人服务",
                   level="district", time_limit_days=20, materials="身份证|残疾证")
    return office


async def step(app: JiedaoApp, pilot: Any, key: str, values: dict[str, Any],
               state: str) -> None:
    await take_step(app, pilot, key, values, lambda ticket: ticket["state"] == state
                    and ticket["history"][-1]["action"] != "open", what=f"state {state}")


def test_open_advance_to_done_and_rate(sqlite_office):
    office = _office(sqlite_office)

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f4")
            await wait_for(pilot, lambda: isinstance(app.screen, TicketsScreen)
                           and app.screen.query(FilterBar), what="tickets screen")
            screen = app.screen
            await pilot.press("a")
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="open form")
            form_screen = app.screen
            form = form_screen.form
            fill(form, {"item": "R13"})
            # Friday 2026-11-27 + 15 working days (nothing in between): 2026-12-18.
            await wait_for(pilot, lambda: "2026-12-18" in str(
                form_screen.query_one("#ticket-preview", Static).render()),
                what="due date preview")
            fill(form, {"applicant_name": "许桂兰", "applicant_phone": "12345",
                        "village": "V01", "materials": "all"})
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: form.error_text("applicant_phone"),
                           what="phone error beside the field")
            assert svc.count_tickets(office) == 0  # nothing stored
            fill(form, {"applicant_phone": "13812345678"})
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: app.screen is screen and screen.table.rows,
                           what="the new ticket in the list")
            row = screen.table.rows[0]
            assert row["number"] == "DB-2026-0001"
            assert row["applicant_phone"] == "138****5678"
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, TicketScreen)
                           and app.screen.record is not None, what="detail")
            detail = app.screen
            # rating is refused before done: a notice, no form
            await pilot.press("s")
            await pilot.pause(0.1)
            assert app.screen is detail
            await step(app, pilot, "v", {"note": "已报送区社会救助科"}, "in_progress")
            await step(app, pilot, "v", {}, "done")
            await step(app, pilot, "s", {"satisfaction": "satisfied",
                                         "satisfaction_comment": "不用来回跑"}, "done")
            assert detail.record["satisfaction"] == "satisfied"
            fields = detail.query_one(DetailView)
            assert fields.value_text("state") == "done"
            timeline = str(detail.query_one(Timeline).render())
            for word in ("opened", "advance", "rate"):
                assert word in timeline
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is screen, what="back to the list")

    run(scenario())
    ticket = svc.get_ticket(office, "DB-2026-0001")
    assert [h["action"] for h in ticket["history"]] == ["open", "advance", "advance", "rate"]
    assert (ticket["state"], ticket["on_time"], ticket["satisfaction"]) == (
        "done", True, "satisfied")


def test_withdraw_asks_first_and_overdue_rows_are_marked(sqlite_office):
    office = _office(sqlite_office)
    late = svc.open_ticket(office, item="R11", applicant_name="王五", materials=True,
                           received_at=dt.datetime(2026, 10, 8, 9, 0))
    assert str(deadline({"deadline_state": "overdue"}).style) == "bold red"

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f4")
            await wait_for(pilot, lambda: isinstance(app.screen, TicketsScreen)
                           and app.screen.table.rows and app.screen.query(FilterBar),
                           what="tickets screen")
            screen = app.screen
            assert screen.table.rows[0]["deadline_state"] == "overdue"
            await pilot.press("o")  # overdue only, set through the filter bar
            await wait_for(pilot, lambda: screen.filters.overdue and len(screen.table.rows) == 1
                           and screen.query_one(FilterBar).values["deadline"] == "overdue",
                           what="overdue filter")
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, TicketScreen)
                           and app.screen.record is not None, what="detail")
            detail = app.screen
            await pilot.press("w")
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="form")
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog),
                           what="confirmation")
            await pilot.press("n")  # changed their mind: nothing happens
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="form again")
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is detail, what="detail again")
            assert svc.get_ticket(office, late["number"])["state"] == "received"
            await pilot.press("w")
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="form")
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog),
                           what="confirmation")
            await pilot.press("y")
            await wait_for(pilot, lambda: app.screen is detail
                           and detail.record["state"] == "withdrawn", what="withdrawn")
            # Back on the list, the page is fetched again: a withdrawn ticket is not overdue.
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is screen and screen.table.pager.total == 0
                           and not screen.table.rows, what="the list without it")

    run(scenario())


def test_the_list_fetches_only_the_rows_the_screen_shows(sqlite_office):
    office = _office(sqlite_office)
    for n in range(40):
        svc.open_ticket(office, item="R13", applicant_name=f"王{n}", materials=True,
                        received_at=dt.datetime(2026, 11, 2, 9, n))

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=(120, 24)) as pilot:
            await pilot.press("f4")
            await wait_for(pilot, lambda: isinstance(app.screen, TicketsScreen)
                           and app.screen.table.rows, what="tickets screen")
            table = app.screen.table
            assert table.pager.total == 40
            assert len(table.rows) == table.pager.page_size < 24  # a screenful, not 50
            await pilot.press("pagedown")
            await wait_for(pilot, lambda: table.pager.offset == table.pager.page_size,
                           what="the next screenful")

    run(scenario())


def test_search_by_pinyin_initials_then_reveal_the_applicants_phone(sqlite_office):
    office = _office(sqlite_office)
    svc.open_ticket(office, item="R13", applicant_name="许桂兰", applicant_phone="13812345678",
                    materials=True, received_at=dt.datetime(2026, 11, 2, 9, 0))
    svc.open_ticket(office, item="R13", applicant_name="王五", materials=True,
                    received_at=dt.datetime(2026, 11, 3, 9, 0))

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f4")
            await wait_for(pilot, lambda: isinstance(app.screen, TicketsScreen)
                           and len(app.screen.table.rows) == 2 and app.screen.query(FilterBar),
                           what="tickets screen")
            screen = app.screen
            await pilot.press("slash", *"xgl", "enter")
            await wait_for(pilot, lambda: [r["applicant_name"] for r in screen.table.rows]
                           == ["许桂兰"], what="search result")
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, TicketScreen)
                           and app.screen.record is not None, what="detail")
            detail = app.screen
            fields = detail.query_one(DetailView)
            assert fields.value_text("applicant_phone") == "138****5678"
            # received at 09:00 in the office (01:00 UTC, as ledger keeps it)
            assert fields.value_text("received_at") == "2026-11-02 09:00"
            await pilot.press("r")
            await wait_for(pilot, lambda: fields.value_text("applicant_phone") == "13812345678",
                           what="revealed")
            await wait_for(pilot, lambda: "revealed personal data" in str(
                detail.query_one(Timeline).render()), what="reveal in the timeline")

    run(scenario())
    reveals = [e for e in journal.entries(office) if e["action"] == "reveal"]
    assert [e["entity_id"] for e in reveals] == ["1"]


def test_assign_chooses_among_the_active_staff(sqlite_office):
    """The assign step offers the active staff by name and post, and the name the ticket
    holds now when it is nobody's; the chosen person is the ticket's agent."""
    from ledger import staff

    office = _office(sqlite_office)
    chosen = staff.add_staff(office, name="李干事", post="代办员")
    staff.retire_staff(office, staff.add_staff(office, name="老干事")["id"])
    ticket = svc.open_ticket(office, item="R13", applicant_name="许桂兰", materials=True)
    # A name written before the staff directory knew anyone of that name stays offered.
    written = assignee_choices(office, "老张")
    assert (written[-1].value, written[-1].label) == ("老张", "老张 (as written; no active staff)")

    async def scenario() -> None:
        app = JiedaoApp(office)
        async with app.run_test(size=SIZE) as pilot:
            app.push_screen(TicketScreen(office, ticket["number"]))
            await wait_for(pilot, lambda: isinstance(app.screen, TicketScreen)
                           and app.screen.record is not None, what="ticket")
            detail = app.screen
            await pilot.press("g")
            await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), what="assign")
            spec = next(f for f in app.screen.form.fields if f.name == "agent")
            assert spec.kind == "choice"
            assert [c.label for c in spec.choices] == ["李干事 · 代办员"]
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is detail, what="detail")
            await take_step(app, pilot, "g", {"agent": str(chosen["id"])},
                            lambda t: t["agent"] == "李干事", what="assigned")

    run(scenario())
