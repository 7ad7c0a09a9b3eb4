"""The dashboard's figures are each area's own rule: open and overdue as the lists count them."""

from __future__ import annotations

import datetime as dt

from ledger import dashboard, items, tickets
from ledger import petitions as P
from ledger.villages import add_village

LATE = dt.datetime(2026, 10, 8, 9, 0)  # a 15-working-day limit ran out long before 11-27


def test_overdue_tickets_are_those_whose_clock_runs_past_the_due_date(office):
    add_village(office, name="许庄村", code="V01")
    items.add_item(office, code="R13", name="城乡低保", category="社会救助", level="district",
                   time_limit_days=15, materials="身份证")

    def opened(when: dt.datetime = LATE) -> str:
        return tickets.open_ticket(office, item="R13", applicant_name="许桂兰",
                                   materials=True, received_at=when)["number"]

    opened()  # received, late: overdue
    tickets.return_ticket(office, opened(), note="缺照片")  # clock stopped: not overdue
    tickets.advance(office, opened())  # in progress, late: overdue
    done = opened()
    tickets.advance(office, done)
    tickets.advance(office, done)  # done: not overdue
    opened(dt.datetime(2026, 11, 26, 9, 0))  # received yesterday: not overdue
    P.register(office, channel="visit", category="other", summary="s",
               received_on=dt.date(2026, 11, 1), petitioners=[{"name": "王五"}])

    figures = dashboard.counts(office)
    assert (figures["open_tickets"], figures["overdue_tickets"]) == (4, 2)
    assert figures["overdue_tickets"] == tickets.count_tickets(
        office, tickets.TicketFilter(state="open", overdue=True))
    assert (figures["open_petitions"], figures["overdue_petitions"]) == (1, 1)
