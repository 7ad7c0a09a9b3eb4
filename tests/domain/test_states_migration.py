"""Migration 0005 (states): a database written before it, with tickets, their timeline and a
petition left at the former state ``re_reviewed``, upgrades with its data intact, on SQLite
and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from playhouse.migrations import Runner
from rawdb import insert_row

from ledger import db as dbmod
from ledger import open_office, tickets
from ledger import petitions as P
from ledger.clock import Clock
from ledger.config import Settings

BEFORE = "0003_petitions"  # the schema before the rename (any later one before 0005 will do)
NOW = dt.datetime(2026, 11, 27, 2, 0)




TICKET = {  # every column of schema 2's ticket (its defaults were peewee's, not the table's)
    "track": "resident", "applicant_initials": "xgl", "applicant_pinyin": "xuguilan",
    "applicant_id_number": None, "applicant_phone": "13812345678", "village_id": None,
    "enterprise": "", "project": "", "agent": "王芳", "time_limit_days": 20,
    "due_date": dt.date(2026, 11, 30), "due_provisional": False, "returned_on": None,
    "returned_days": 0, "materials": "[]", "done_on": None, "working_days_taken": None,
    "on_time": None, "satisfaction": None, "satisfaction_comment": "", "notes": "",
    "received_at": dt.datetime(2026, 11, 2, 1, 0), "received_on": dt.date(2026, 11, 2),
    "created_at": NOW, "updated_at": NOW,
}


def _old_office(url: str) -> None:
    database = dbmod.connect(url, create=True)
    Runner(database, dbmod.MIGRATIONS_DIR, table_name=dbmod.HISTORY_TABLE).up(BEFORE)
    item = insert_row(database, "service_item", code="R11", name="重度残疾人护理补贴",
                   category="残疾人服务", level="district", time_limit_days=20,
                   materials="[]", fee="", track="resident", active=True, notes="",
                   created_at=NOW)
    first = insert_row(database, "ticket", number="DB-2026-0001", item_id=item,
                    applicant_name="许桂兰", status="in_progress",
                    running_due=dt.date(2026, 11, 30), **TICKET)
    second = insert_row(database, "ticket", number="DB-2026-0002", item_id=item,
                     applicant_name="许桂兰", status="returned", running_due=None,
                     **{**TICKET, "returned_on": dt.date(2026, 11, 20)})
    for ticket, steps in ((first, [("open", "", "received"),
                                   ("advance", "received", "in_progress")]),
                          (second, [("open", "", "received"),
                                    ("advance", "received", "in_progress"),
                                    ("return", "in_progress", "returned")])):
        for hour, (action, source, target) in enumerate(steps):
            insert_row(database, "ticket_event", ticket_id=ticket, operator="clerk",
                    at=dt.datetime(2026, 11, 2 + hour * 9, 1, 0), action=action,
                    from_status=source, to_status=target, due_date=dt.date(2026, 11, 30),
                    note="")
    petition = insert_row(
        database, "petition", number="XF-2026-0001", channel="letter",
        received_on=dt.date(2026, 8, 1), category="land_demolition", village_id=None,
        summary="征地补偿", demands="", collective=False, group_size=1, state="re_reviewed",
        registered_by="clerk", handler="李", handler_unit="", attachments="",
        accepted_on=dt.date(2026, 8, 2), decline_reason="", forwarded_to="",
        extension_days=0, extension_reason="", extension_approved_by="",
        replied_on=dt.date(2026, 8, 20), reply_gist="答",
        review_requested_on=dt.date(2026, 8, 25), reviewed_on=dt.date(2026, 9, 10),
        review_gist="复", rereview_requested_on=dt.date(2026, 9, 15),
        rereviewed_on=dt.date(2026, 10, 1), rereview_gist="核", next_due=None,
        next_due_kind=None, created_at=NOW, updated_at=NOW)
    insert_row(database, "petitioner", petition_id=petition, position=0, name="王五",
            phone="13812345678", id_number=None, address="", village_id=None,
            representative=False)
    insert_row(database, "petition_event", petition_id=petition, at=NOW,
            on=dt.date(2026, 10, 1), action="rereview", from_state="rereview_requested",
            to_state="re_reviewed", operator="clerk", note="核")
    database.close()


def test_tickets_and_their_timeline_come_through_the_rename(empty_url: str):
    _old_office(empty_url)
    database = dbmod.connect(empty_url)
    assert "0005_states" in dbmod.upgrade(database)
    indexes = {i.name: i.columns for i in database.get_indexes("ticket")}
    assert indexes.get("ticket_state_id") == ["state", "id"]
    assert "ticket_status_id" not in indexes
    columns = {c.name for c in database.get_columns("ticket_event")}
    assert {"from_state", "to_state"} <= columns and "from_status" not in columns
    database.close()

    office = open_office(empty_url, operator="tester", settings=Settings(),
                         clock=Clock(tz="Asia/Shanghai",
                                     fixed=NOW.replace(tzinfo=dt.UTC)))
    try:
        first = tickets.get_ticket(office, "DB-2026-0001")
        assert (first["state"], first["agent"], first["due_date"]) == (
            "in_progress", "王芳", dt.date(2026, 11, 30))
        assert [(e["action"], e["from_state"], e["to_state"]) for e in first["history"]] == [
            ("open", "", "received"), ("advance", "received", "in_progress")]
        assert [t["number"] for t in tickets.list_tickets(
            office, tickets.TicketFilter(state="returned"))] == ["DB-2026-0002"]
        # the renamed timeline still says where a returned ticket goes back to
        assert tickets.resume(office, "DB-2026-0002")["state"] == "in_progress"
        # a petition left at the former state re_reviewed is closed, final, on the day of
        # its re-review opinion
        matter = P.get_petition(office, "XF-2026-0001")
        assert (matter["state"], matter["closed_on"], matter["final"]) == (
            "closed", dt.date(2026, 10, 1), True)
        assert matter["allowed_actions"] == []
        assert matter["events"][-1]["to_state"] == "closed"
    finally:
        office.close()
