"""Every list reads its rows in order from an index: no query a list issues sorts its rows in
a temporary B-tree (SQLite's plan), for its default order and its deadline filters. A sort
costs every matching row before the first one is shown, so a page of a million-row table
would cost the whole table. Speed itself is measured in ``bench/``; this guards the plans.

And migration 0013, which adds the indexes these plans need, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import peewee
import pytest
from playhouse.migrations import Runner

from ledger import db as dbmod
from ledger import (
    decisions,
    items,
    members,
    petitions,
    roster,
    staff,
    surveys,
    tickets,
    training,
    villages,
)
from ledger.office import Office
from ledger.petitions.query import PetitionFilter
from ledger.tickets.query import TicketFilter

ListCall = Callable[[Office], Any]

LISTS: dict[str, ListCall] = {
    "tickets": lambda o: tickets.list_tickets(o),
    "tickets --overdue": lambda o: list(tickets.iter_tickets(o, TicketFilter(overdue=True))),
    "tickets --due-soon": lambda o: list(tickets.iter_tickets(o, TicketFilter(due_soon=True))),
    "tickets overdue or due soon (reminders)": lambda o: list(tickets.iter_tickets(
        o, TicketFilter(overdue=True, due_soon=True, lead_working_days=2))),
    "petitions": lambda o: petitions.list_petitions(o),
    "petitions --overdue": lambda o: list(petitions.iter_petitions(
        o, PetitionFilter(overdue=True))),
    "petitions --due-soon": lambda o: list(petitions.iter_petitions(
        o, PetitionFilter(due_soon=True))),
    "petitions overdue or due within (reminders)": lambda o: petitions.list_petitions(
        o, PetitionFilter(overdue=True, due_within_days=4), limit=None),
    "members": lambda o: members.list_members(o),
    "villages": lambda o: villages.list_villages(o),
    "items": lambda o: items.list_items(o),
    "training": lambda o: training.list_sessions(o),
    "roster": lambda o: roster.list_shifts(o),
    "staff": lambda o: staff.list_staff(o),
    "decisions": lambda o: decisions.list_decisions(o),
    "surveys": lambda o: surveys.list_surveys(o),
}

# A list ordered by what no index can hold. Members: by village code (a joined table, people
# without a village last) and then by the highest post a person holds now (a subquery over
# their terms); a committee's few hundred people are sorted, not read in order.
SORTED = {"members"}


def _selects(office: Office, call: ListCall) -> list[tuple[str, Any]]:
    """The SELECT statements ``call`` issues, with their parameters."""
    seen: list[tuple[str, Any]] = []
    execute = office.db.execute_sql

    def recording(sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        seen.append((sql, params))
        return execute(sql, params, *args, **kwargs)

    office.db.execute_sql = recording
    try:
        call(office)
    finally:
        del office.db.execute_sql  # the bound method again
    return [(sql, params) for sql, params in seen if sql.lstrip().upper().startswith("SELECT")]


def _sorts(office: Office, sql: str, params: Any) -> list[str]:
    plan = office.db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
    return [row[3] for row in plan if "TEMP B-TREE" in row[3] and "ORDER BY" in row[3]]


@pytest.mark.sqlite_only("EXPLAIN QUERY PLAN is SQLite's; PostgreSQL's plans follow its "
                         "statistics, so the same check there would test the data")
@pytest.mark.parametrize("name", [n for n in LISTS if n not in SORTED])
def test_no_list_sorts_its_rows(office: Office, name: str) -> None:
    statements = _selects(office, LISTS[name])
    assert statements, "the list issued no query"
    assert any("ORDER BY" in sql for sql, _ in statements)
    for sql, params in statements:
        assert _sorts(office, sql, params) == [], sql


@pytest.mark.sqlite_only("EXPLAIN QUERY PLAN is SQLite's")
def test_the_check_sees_a_sort(office: Office) -> None:
    """The members' list is known to sort (see SORTED): the check above would catch it."""
    statements = _selects(office, LISTS["members"])
    assert any(_sorts(office, sql, params) for sql, params in statements)



def _indexes(database: peewee.Database, table: str) -> dict[str, list[str]]:
    return {i.name: i.columns for i in database.get_indexes(table)}


def test_migration_13_indexes_up_and_down(empty_url: str) -> None:
    database = dbmod.connect(empty_url, create=True)
    try:
        dbmod.upgrade(database)
        petition = _indexes(database, "petition")
        assert petition["petition_next_due_id"] == ["next_due", "id"]
        assert "petition_next_due_state" not in petition
        assert _indexes(database, "duty_shift")["duty_shift_starts_at_post_id_id"] == [
            "starts_at", "post_id", "id"]
        assert "service_item_track_code" in _indexes(database, "service_item")

        runner = Runner(database, dbmod.MIGRATIONS_DIR, table_name=dbmod.HISTORY_TABLE)
        assert runner.down("0013_indexes")[-1] == "0013_indexes"
        petition = _indexes(database, "petition")
        assert petition["petition_next_due_state"] == ["next_due", "state"]
        assert "petition_next_due_id" not in petition
        assert "service_item_track_code" not in _indexes(database, "service_item")
        assert "0013_indexes" in dbmod.upgrade(database)
        assert "petition_next_due_id" in _indexes(database, "petition")
    finally:
        database.close()


def test_migration_17_open_records_by_village_up_and_down(empty_url: str) -> None:
    database = dbmod.connect(empty_url, create=True)
    try:
        dbmod.upgrade(database)
        assert _indexes(database, "ticket")["ticket_state_village_id"] == ["state", "village_id"]
        assert _indexes(database, "petition")["petition_state_village_id"] == [
            "state", "village_id"]
        runner = Runner(database, dbmod.MIGRATIONS_DIR, table_name=dbmod.HISTORY_TABLE)
        assert runner.down("0017_open_by_village")[-1] == "0017_open_by_village"
        assert "ticket_state_village_id" not in _indexes(database, "ticket")
        assert "petition_state_village_id" not in _indexes(database, "petition")
        assert "0017_open_by_village" in dbmod.upgrade(database)
    finally:
        database.close()
