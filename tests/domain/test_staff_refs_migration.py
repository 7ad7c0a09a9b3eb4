"""Migration 0014 (staff refs): a database written before it, whose tickets and petitions
name their agents and handlers as free text, upgrades with each name matched to its staff
record (retired ones too, spaces ignored) and the names that match nobody kept and reported,
on SQLite and PostgreSQL. The migration reads only tickets, petitions and staff, so a
database at 0010 stands for any schema before it."""

from __future__ import annotations

import datetime as dt

from playhouse.migrations import Runner
from rawdb import insert_row

from ledger import db as dbmod
from ledger import open_office, remind, staff, tickets
from ledger import petitions as P
from ledger.clock import Clock

BEFORE = "0010_search"
NOW = dt.datetime(2026, 11, 27, 2, 0)




STAFF = {"post": "", "phone": "", "email": "", "language": "zh", "channels": "",
         "webhook_url": "", "webhook_kind": "generic", "notes": "", "version": 1,
         "created_at": NOW, "updated_at": NOW}
TICKET = {
    "track": "resident", "applicant_name": "许桂兰", "applicant_initials": "xgl",
    "applicant_pinyin": "xuguilan", "applicant_phone": "", "enterprise": "", "project": "",
    "received_at": dt.datetime(2026, 11, 2, 1, 0), "received_on": dt.date(2026, 11, 2),
    "time_limit_days": 15, "due_date": dt.date(2026, 11, 26), "due_provisional": False,
    "running_due": dt.date(2026, 11, 26), "returned_days": 0, "materials": "[]",
    "satisfaction_comment": "", "notes": "", "created_at": NOW, "updated_at": NOW,
    "version": 1,
}
PETITION = {
    "channel": "visit", "received_on": dt.date(2026, 11, 1), "category": "other",
    "summary": "路灯不亮", "demands": "", "collective": False, "group_size": 1,
    "registered_by": "clerk", "handler_unit": "", "attachments": "", "decline_reason": "",
    "forwarded_to": "", "extension_days": 0, "extension_reason": "",
    "extension_approved_by": "", "reply_gist": "", "review_gist": "", "rereview_gist": "",
    "created_at": NOW, "updated_at": NOW, "version": 1,
}


def _old_office(url: str) -> dict[str, int]:
    """Schema 10 with staff (王芳 active, 陈静 retired), tickets of 王芳 (once written with
    spaces), 陈静, the unknown 张丽 and nobody, and petitions of 王芳 and the unknown 赵刚."""
    database = dbmod.connect(url, create=True)
    Runner(database, dbmod.MIGRATIONS_DIR, table_name=dbmod.HISTORY_TABLE).up(BEFORE)
    ids = {"王芳": insert_row(database, "staff", name="王芳", active=True, **STAFF),
           "陈静": insert_row(database, "staff", name="陈静", active=False, **STAFF)}
    item = insert_row(database, "service_item", code="R13", name="城乡低保", category="社会救助",
                   level="district", time_limit_days=15, materials="[]", fee="",
                   track="resident", active=True, notes="", created_at=NOW, version=1)
    for n, (agent, state) in enumerate((("王芳", "received"), (" 王芳 ", "received"),
                                        ("陈静", "in_progress"), ("张丽", "received"),
                                        ("张丽", "done"), ("", "received")), start=1):
        ids[f"t{n}"] = insert_row(database, "ticket", number=f"DB-2026-{n:04d}", item_id=item,
                               agent=agent, state=state,
                               **{**TICKET, "running_due": None if state == "done"
                                  else TICKET["running_due"]})
    for n, handler in enumerate(("王芳", "赵刚"), start=1):
        ids[f"p{n}"] = insert_row(database, "petition", number=f"XF-2026-{n:04d}",
                               state="in_handling", handler=handler,
                               accepted_on=dt.date(2026, 11, 2),
                               next_due=dt.date(2026, 11, 29), next_due_kind="handling",
                               **PETITION)
    database.close()
    return ids


def test_free_text_agents_and_handlers_are_matched_and_the_rest_reported(office, empty_url):
    ids = _old_office(empty_url)
    upgraded = open_office(empty_url, operator="clerk", clock=Clock.at(NOW),
                           settings=office.settings.with_overrides(
                               {"remind.supervisor": "boss@example.cn"}, "test"),
                           check=False)
    try:
        assert "0014_staff_refs" in dbmod.upgrade(upgraded.db)
        agent = {n: tickets.get_ticket(upgraded, ids[f"t{n}"])["agent_id"]
                 for n in range(1, 7)}
        # Matched by name, spaces ignored, retired people too (they did that work).
        assert agent == {1: ids["王芳"], 2: ids["王芳"], 3: ids["陈静"], 4: None, 5: None,
                         6: None}
        # The name as written stays.
        assert tickets.get_ticket(upgraded, ids["t2"])["agent"] == " 王芳 "
        handler = {n: P.get_petition(upgraded, ids[f"p{n}"])["handler_id"] for n in (1, 2)}
        assert handler == {1: ids["王芳"], 2: None}

        # Names matching nobody are reported, the finished ticket counted in the total.
        report = staff.match_responsible(upgraded)
        assert report["unmatched"] == [
            {"name": "张丽", "tickets": 1, "petitions": 0, "total": 2},
            {"name": "赵刚", "tickets": 0, "petitions": 1, "total": 1}]
        assert [(m["name"], m["tickets"], m["petitions"]) for m in report["matched"]] == [
            ("王芳", 2, 1), ("陈静", 1, 0)]

        # The reminders follow the records: 王芳 hears of her own, the rest go up.
        plan = remind.plan(upgraded)
        people = {p["name"]: p for p in plan["recipients"]}
        assert sorted(i["number"] for i in people["王芳"]["items"]) == [
            "DB-2026-0001", "DB-2026-0002", "XF-2026-0001"]
        reasons = {i["number"]: i["reason"] for i in people["boss@example.cn"]["items"]}
        assert reasons == {"DB-2026-0003": "retired", "DB-2026-0004": "unmatched",
                           "DB-2026-0006": "unassigned", "XF-2026-0002": "unmatched"}
        assert plan["unmatched"] == ["张丽", "赵刚"]

        # Adding the missing person links what was written under their name.
        staff.add_staff(upgraded, name="张丽")
        zhang = staff.get_staff(upgraded, "张丽")["id"]
        assert [tickets.get_ticket(upgraded, ids[f"t{n}"])["agent_id"] for n in (4, 5)] == [
            zhang, zhang]
        assert [u["name"] for u in staff.match_responsible(upgraded)["unmatched"]] == ["赵刚"]
        assert tickets.count_tickets(upgraded, tickets.TicketFilter(agent="张丽")) == 2
    finally:
        upgraded.close()
