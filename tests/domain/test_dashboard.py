"""The dashboard's figures are each area's own rule: open and overdue as the lists count them."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from ledger import dashboard, items, tickets
from ledger import petitions as P
from ledger.petitions.rules import OPEN_STATES
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


def _sample(office):
    """A village, an item, tickets late and due soon, petitions, a session today."""
    from ledger import training

    add_village(office, name="许庄村", code="V01")
    add_village(office, name="李庄村", code="V02")
    items.add_item(office, code="R13", name="城乡低保", category="社会救助", level="district",
                   time_limit_days=15, materials="身份证")
    tickets.open_ticket(office, item="R13", applicant_name="许桂兰", materials=True,
                        village="V01", received_at=LATE)
    tickets.open_ticket(office, item="R13", applicant_name="许大", materials=True,
                        village="V01", received_at=dt.datetime(2026, 11, 6, 9, 0))
    for day, village in ((dt.date(2026, 11, 1), "V01"), (dt.date(2026, 11, 20), "V02"),
                         (dt.date(2026, 11, 25), None)):
        P.register(office, channel="visit", category="other", summary=f"s {day}",
                   received_on=day, village=village, petitioners=[{"name": "王五"}])
    training.add_session(office, title="今日培训", kind="meeting",
                         starts_at="2026-11-27 14:00", ends_at="2026-11-27 16:00",
                         credit_hours=2)
    training.add_session(office, title="周一培训", kind="meeting",
                         starts_at="2026-11-23 09:00", ends_at="2026-11-23 10:00",
                         credit_hours=1)
    training.add_session(office, title="下周培训", kind="meeting",
                         starts_at="2026-11-30 09:00", ends_at="2026-11-30 10:00",
                         credit_hours=1)


def test_each_figure_is_what_its_list_counts(office):
    _sample(office)
    tickets_due = dashboard.figure(office, "tickets")
    assert tickets_due == {
        "open": 2,
        "overdue": tickets.count_tickets(office, tickets.TicketFilter(overdue=True)),
        "due_soon": tickets.count_tickets(office, tickets.TicketFilter(due_soon=True))}
    assert tickets_due["overdue"] == 1

    due = dashboard.figure(office, "petitions")
    assert due["open"] == 3
    assert due["overdue"] == P.count_petitions(office, P.PetitionFilter(state="open",
                                                                        overdue=True))
    # The coming deadlines, soonest first, none of them past.
    days = [p["next_due"] for p in due["nearest"]]
    assert days == sorted(days) and all(d >= dt.date(2026, 11, 27) for d in days)
    assert all(p["next_due_kind"] and p["days_left"] >= 0 for p in due["nearest"])

    week = dashboard.figure(office, "trainings")
    assert week["week"] == (dt.date(2026, 11, 23), dt.date(2026, 11, 29))
    assert (week["today_count"], week["week_count"]) == (1, 2)
    assert [(s["title"], s["today"]) for s in week["sessions"]] == [
        ("周一培训", False), ("今日培训", True)]

    rows = {v["code"]: v for v in dashboard.figure(office, "villages")}
    assert (rows["V01"]["open_tickets"], rows["V01"]["open_petitions"]) == (2, 1)
    assert (rows["V02"]["open_tickets"], rows["V02"]["open_petitions"]) == (0, 1)
    assert rows["V02"]["open_petitions"] == P.count_petitions(
        office, P.PetitionFilter(state="open", village="V02"))
    assert dashboard.overview(office)["duty"] == []


BIG = ("ticket", "petition", "training_session")


# What ANALYZE wrote on the bench's office of a million tickets and petitions (rows, then
# rows per distinct leading column(s)): the planner chooses differently with them.
MILLION_STATS = {
    "ticket_state_village_id": "1000000 200000 22223",
    "ticket_state_id": "1000000 200000 1",
    "ticket_village_id_id": "1000000 111112 1",
    "ticket_running_due_id": "1000000 11236 1",
    "ticket_received_on": "1000000 274",
    "petition_state_village_id": "1000000 250000 27778",
    "petition_state_received_on": "1000000 250000 610",
    "petition_next_due_id": "1000000 8197 1",
    "petition_village_id": "1000000 111112",
    "petition_village_id_received_on": "1000000 111112 153",
    "petition_received_on": "1000000 1370",
}


def _as_if_a_million(office) -> None:
    db = office.db
    db.execute_sql("ANALYZE")
    db.execute_sql("DELETE FROM sqlite_stat1 WHERE tbl IN ('ticket', 'petition')")
    names = {row[0] for row in db.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'index'").fetchall()}
    for index, stat in MILLION_STATS.items():
        if index in names:
            db.execute_sql("INSERT INTO sqlite_stat1 VALUES (?, ?, ?)",
                           (index.split("_")[0], index, stat))
    db.execute_sql("ANALYZE sqlite_master")  # reloads the statistics just written


def _statements(office, call):
    """The statements ``call()`` sent (SQL and parameters), and what it returned."""
    seen: list[tuple[str, object]] = []
    execute = office.db.execute_sql

    def recording(sql, params=None, *args, **kwargs):
        seen.append((sql, params))
        return execute(sql, params, *args, **kwargs)

    office.db.execute_sql = recording
    try:
        result = call()
    finally:
        del office.db.execute_sql  # the bound method again
    return seen, result


def _plan(office, sql, params) -> list[str]:
    return [row[3] for row in
            office.db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()]


@pytest.mark.sqlite_only("EXPLAIN QUERY PLAN is SQLite's")
@pytest.mark.parametrize("stats", ["small", "million"])
@pytest.mark.parametrize("name", dashboard.FIGURES)
def test_no_figure_reads_a_big_table_whole(office, name, stats):
    """Every query of a figure on the big tables is an index search: never a scan of the
    table nor of a whole index (which a million rows would make slow), whether the planner
    has no statistics or a big office's."""
    _sample(office)
    if stats == "million":
        _as_if_a_million(office)
    seen, _ = _statements(office, lambda: dashboard.figure(office, name))
    for sql, params in seen:
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        plan = _plan(office, sql, params)
        # The plan names a table by the query's alias ("ticket" AS "t1").
        tables = dict((alias, table) for table, alias in re.findall(r'"(\w+)" AS "(\w+)"', sql))
        scans = [line for line in plan if line.startswith("SCAN")
                 and tables.get(name := line.split()[1].strip('"'), name) in BIG]
        assert scans == [], (sql, plan)


@pytest.mark.sqlite_only("EXPLAIN QUERY PLAN is SQLite's")
@pytest.mark.parametrize("deadline", [{"overdue": True}, {"due_soon": True},
                                      {"due_within_days": 3}])
def test_open_petitions_on_a_deadline_are_counted_from_the_deadline_index_alone(office,
                                                                              deadline):
    """Only an open petition has a next deadline: "open and overdue" reads the (next_due, id)
    index alone, no row looked up for its state (a million petitions: 30 ms to 1 ms)."""
    _sample(office)
    _as_if_a_million(office)
    filters = P.PetitionFilter(state="open", **deadline)
    seen, counted = _statements(office, lambda: P.count_petitions(office, filters))
    (sql, params), = seen
    plan = _plan(office, sql, params)
    assert plan == [plan[0]] and "COVERING INDEX petition_next_due_id" in plan[0], plan
    # The same petitions as open ones with the deadline, counted the long way.
    rows = P.list_petitions(office, P.PetitionFilter(**deadline), limit=None)
    assert counted == len([r for r in rows if r["state"] in OPEN_STATES])
