"""Staff records and the reminders' selection, on both databases.

The clock is conftest's NOW: Friday 2026-11-27. Lead 2 working days: due soon up to Tuesday
2026-12-01. Escalation after 3 working days overdue."""

from __future__ import annotations

import datetime as dt

import pytest

from ledger import items, journal, petitions, remind, staff, tickets
from ledger.errors import ConfigError, Conflict, NotFound, ValidationError
from ledger.models.tickets import Ticket
from ledger.petitions import service as P
from ledger.tickets import TicketFilter

D = dt.date


def _set(office, **values):
    office.settings = office.settings.with_overrides(values, "test")


@pytest.fixture
def desk(office):
    items.add_item(office, code="R11", name="重度残疾人护理补贴", category="残疾人服务",
                   level="district", time_limit_days=20, materials="身份证")
    items.add_item(office, code="R13", name="城乡低保", category="社会救助", level="district",
                   time_limit_days=15, materials="身份证")
    staff.add_staff(office, name="王芳", email="wf@example.cn", channels="email")
    staff.add_staff(office, name="陈静", language="en")
    return office


def _ticket(office, agent, received, item="R11"):
    return tickets.open_ticket(office, item=item, applicant_name="许桂兰", agent=agent,
                               received_at=dt.datetime.combine(received, dt.time(9)),
                               materials=True)


def _written(office, received, name, item="R11"):
    """A ticket whose agent is a name written before the staff directory, matching nobody
    (what migration 0014 leaves unlinked)."""
    row = _ticket(office, "", received, item)
    Ticket.update(agent=name).where(Ticket.id == row["id"]).execute()
    return row


# --- the staff directory ------------------------------------------------------------------

def test_add_edit_retire_with_versions_and_journal(office):
    row = staff.add_staff(office, name=" 王芳 ", post="代办员", phone="138 1234 5678",
                          email="wf@example.cn", channels="email, webhook",
                          webhook_url="https://qyapi.weixin.qq.com/x", webhook_kind="wecom")
    assert row["name"] == "王芳" and row["channels"] == ["email", "webhook"]
    assert row["phone"] != "13812345678"  # masked
    assert staff.get_staff(office, "王芳", reveal=True)["phone"] == "13812345678"
    edited = staff.edit_staff(office, row["id"], version=1, post="副主任")
    assert (edited["post"], edited["version"]) == ("副主任", 2)
    with pytest.raises(Conflict):
        staff.edit_staff(office, "王芳", version=1, post="主任")
    retired = staff.retire_staff(office, "王芳")
    assert retired["active"] is False
    assert staff.list_staff(office) == []
    assert [r["name"] for r in staff.list_staff(office, staff.StaffFilter(active=None))] == ["王芳"]


def test_staff_list_pages_and_journals_a_reveal_once(office):
    from ledger import journal

    stored = {"王芳": "13812345678", "李强": "13912345678", "张敏": ""}
    for name, phone in stored.items():
        staff.add_staff(office, name=name, phone=phone)
    names = [r["name"] for r in staff.iter_staff(office)]
    assert len(names) == staff.count_staff(office) == 3
    assert [r["name"] for r in staff.list_staff(office, offset=1, limit=1)] == names[1:2]
    for bad in ({"offset": -1}, {"limit": -1}):  # refused, no longer silently read as 0
        with pytest.raises(ValidationError) as err:
            staff.list_staff(office, **bad)
        assert err.value.field in bad
    assert not list(journal.entries(office, entity="staff", entity_id="*"))
    streamed = list(staff.iter_staff(office, limit=2, reveal=True))
    assert len(streamed) == 2 and all(r["phone"] == stored[r["name"]] for r in streamed)
    assert "13812345678" not in {r["phone"] for r in staff.iter_staff(office)}  # masked
    page = staff.list_staff(office, limit=1, reveal=True)
    stream_entry, page_entry = journal.entries(office, entity="staff", entity_id="*")
    assert stream_entry["after"]["count"] == 2  # a stream: how many rows, before the first
    assert page_entry["after"]["ids"] == [page[0]["id"]]  # a page: the ids it showed


@pytest.mark.parametrize("fields, field", [
    ({"name": "  "}, "name"),
    ({"name": "甲", "email": "not-an-address"}, "email"),
    ({"name": "甲", "channels": "email"}, "email"),
    ({"name": "甲", "channels": "webhook"}, "webhook_url"),
    ({"name": "甲", "channels": "sms"}, "channels"),
    ({"name": "甲", "webhook_url": "ftp://x"}, "webhook_url"),
    ({"name": "甲", "language": "fr"}, "language"),
    ({"name": "甲", "phone": "12"}, "phone"),
])
def test_bad_staff_input_names_the_field_and_stores_nothing(office, fields, field):
    with pytest.raises(ValidationError) as err:
        staff.add_staff(office, **fields)
    assert err.value.field == field
    assert staff.count_staff(office, staff.StaffFilter(active=None)) == 0


def test_duplicate_name_and_unknown_ref(office):
    staff.add_staff(office, name="王芳")
    with pytest.raises(Conflict):
        staff.add_staff(office, name="王芳")
    with pytest.raises(NotFound):
        staff.get_staff(office, "nobody")


def test_free_text_names_are_matched_and_unmatched_ones_reported(desk):
    _ticket(desk, "王芳", D(2026, 11, 2))
    _written(desk, D(2026, 11, 2), "张丽")
    done = _written(desk, D(2026, 11, 3), "张丽")
    tickets.advance(desk, done["id"])
    tickets.advance(desk, done["id"])
    report = staff.match_responsible(desk)
    assert [(m["name"], m["tickets"]) for m in report["matched"]] == [("王芳", 1)]
    # The finished ticket is counted in the total: a name is reported, never dropped.
    assert report["unmatched"] == [{"name": "张丽", "tickets": 1, "petitions": 0, "total": 2}]


# --- selection ----------------------------------------------------------------------------

def test_selection_is_the_lists_own_and_groups_per_person(desk):
    _set(desk, **{"remind.supervisor": "boss@example.cn"})
    soon = _ticket(desk, "王芳", D(2026, 11, 2))            # due 11-30: due soon
    late = _ticket(desk, "王芳", D(2026, 11, 5), "R13")     # due 11-26: overdue 1 day
    _ticket(desk, "王芳", D(2026, 11, 20))                  # due in December: not yet
    listed = {t["id"] for t in tickets.iter_tickets(
        desk, TicketFilter(overdue=True, due_soon=True))}
    assert {i["id"] for i in remind.due_items(desk)} == listed == {soon["id"], late["id"]}
    plan = remind.plan(desk)
    (person,) = plan["recipients"]
    assert person["name"] == "王芳"
    assert [i["number"] for i in person["items"]] == [late["number"], soon["number"]]
    assert [i["state"] for i in person["items"]] == ["overdue", "due_soon"]


def test_nobody_responsible_and_unknown_names_go_to_the_supervisor(desk):
    _set(desk, **{"remind.supervisor": "陈静"})
    _ticket(desk, "", D(2026, 11, 2))
    _written(desk, D(2026, 11, 2), "张丽")
    P.register(desk, channel="visit", category="other", summary="路灯不亮",
               petitioners=[{"name": "李四"}], received_on=D(2026, 11, 1))
    plan = remind.plan(desk)
    (boss,) = plan["recipients"]
    assert boss["name"] == "陈静"
    assert sorted(i["reason"] for i in boss["items"]) == ["unassigned", "unassigned",
                                                           "unmatched"]
    assert plan["unmatched"] == ["张丽"]


def test_long_overdue_items_are_escalated_to_the_supervisor_too(desk):
    _set(desk, **{"remind.supervisor": "陈静"})
    old = _ticket(desk, "王芳", D(2026, 11, 2), "R13")  # due 11-23: 4 working days overdue
    _ticket(desk, "王芳", D(2026, 11, 5), "R13")        # 1 day overdue: not escalated
    people = {p["name"]: p for p in remind.plan(desk)["recipients"]}
    assert len(people["王芳"]["items"]) == 2
    assert [(i["number"], i["reason"]) for i in people["陈静"]["items"]] == [
        (old["number"], "escalated")]
    _set(desk, **{"remind.escalate_after_working_days": 5})
    assert [p["name"] for p in remind.plan(desk)["recipients"]] == ["王芳"]


def test_retired_staff_are_not_reminded_and_their_items_fall_back(desk):
    _set(desk, **{"remind.supervisor": "boss@example.cn"})
    _ticket(desk, "王芳", D(2026, 11, 2))
    staff.retire_staff(desk, "王芳")
    (boss,) = remind.plan(desk)["recipients"]
    assert boss["name"] == "boss@example.cn" and boss["items"][0]["reason"] == "retired"


def test_a_supervisor_needed_but_missing_or_unknown_is_a_config_error(desk):
    _ticket(desk, "", D(2026, 11, 2))
    with pytest.raises(ConfigError):
        remind.plan(desk)
    _set(desk, **{"remind.supervisor": "nobody"})
    with pytest.raises(ConfigError):
        remind.plan(desk)


def test_the_lead_is_the_reminders_own(desk):
    _ticket(desk, "王芳", D(2026, 11, 3))  # due 12-01: within 2 working days, not 1
    assert len(remind.due_items(desk)) == 1
    _set(desk, **{"remind.lead_working_days": 1})
    assert remind.due_items(desk) == []


# --- agents and handlers are staff records ------------------------------------------------

def test_agents_are_staff_records_by_id_or_name_and_unknown_or_retired_are_refused(desk):
    wang = staff.get_staff(desk, "王芳")
    by_id = _ticket(desk, str(wang["id"]), D(2026, 11, 2))
    assert (by_id["agent"], by_id["agent_id"]) == ("王芳", wang["id"])
    with pytest.raises(ValidationError) as err:
        _ticket(desk, "张丽", D(2026, 11, 2))
    assert (err.value.field, err.value.key) == ("agent", "error.unknown_staff")
    staff.retire_staff(desk, "陈静")
    with pytest.raises(ValidationError) as err:
        tickets.assign(desk, by_id["number"], "陈静")
    assert (err.value.field, err.value.key) == ("agent", "error.staff_retired")
    assert tickets.get_ticket(desk, by_id["id"])["agent"] == "王芳"  # nothing changed
    with pytest.raises(ValidationError) as err:
        tickets.assign(desk, by_id["number"], "  ")
    assert err.value.field == "agent"


def test_a_renamed_agent_keeps_their_work_and_the_name_written_stays(desk):
    _set(desk, **{"remind.supervisor": "boss@example.cn"})
    row = _ticket(desk, "王芳", D(2026, 11, 2))
    staff.edit_staff(desk, "王芳", name="王芳芳")
    again = tickets.get_ticket(desk, row["id"])
    assert (again["agent"], again["agent_id"]) == ("王芳", row["agent_id"])
    assert tickets.count_tickets(desk, TicketFilter(agent="王芳芳")) == 1
    assert tickets.count_tickets(desk, TicketFilter(agent=str(row["agent_id"]))) == 1
    (person,) = remind.plan(desk)["recipients"]  # grouped by the record, not the spelling
    assert person["name"] == "王芳芳" and person["items"][0]["reason"] == "responsible"


def test_petition_handlers_are_staff_records_and_filter_by_record(desk):
    p = P.register(desk, channel="visit", category="other", summary="路灯不亮",
                   petitioners=[{"name": "李四"}], received_on=D(2026, 11, 1), handler="陈静")
    chen = staff.get_staff(desk, "陈静")["id"]
    assert (p["handler"], p["handler_id"]) == ("陈静", chen)
    P.accept(desk, p["number"], on=D(2026, 11, 2))
    with pytest.raises(ValidationError) as err:
        P.assign(desk, p["number"], handler="赵刚")
    assert (err.value.field, err.value.key) == ("handler", "error.unknown_staff")
    moved = P.assign(desk, p["number"], handler="王芳", on=D(2026, 11, 3))
    assert (moved["handler"], moved["handler_id"]) == (
        "王芳", staff.get_staff(desk, "王芳")["id"])
    listed = petitions.list_petitions(desk, petitions.PetitionFilter(handler="王芳"))
    assert [r["number"] for r in listed] == [p["number"]]
    assert petitions.list_petitions(desk, petitions.PetitionFilter(handler="陈静")) == []
    with pytest.raises(ValidationError):
        P.register(desk, channel="visit", category="other", summary="x",
                   petitioners=[{"name": "李四"}], handler="nobody")


def test_the_supervisor_is_a_staff_record_by_id_or_name(desk):
    _ticket(desk, "", D(2026, 11, 2))
    chen = staff.get_staff(desk, "陈静")["id"]
    _set(desk, **{"remind.supervisor": str(chen)})
    (boss,) = remind.plan(desk)["recipients"]
    assert (boss["name"], boss["staff_id"]) == ("陈静", chen)
    staff.retire_staff(desk, "陈静")  # a retired supervisor reaches nobody: said so
    with pytest.raises(ConfigError):
        remind.plan(desk)


def test_an_unmatched_name_filters_its_own_tickets_and_adding_the_person_links_them(desk):
    _written(desk, D(2026, 11, 2), "张丽")
    assert tickets.count_tickets(desk, TicketFilter(agent="张丽")) == 1
    added = staff.add_staff(desk, name="张丽")
    (row,) = list(tickets.iter_tickets(desk, TicketFilter(agent=added["id"])))
    assert row["agent_id"] == added["id"]
    links = [e for e in journal.entries(desk) if e["action"] == "link_staff"]
    assert [(e["entity"], e["entity_id"], e["after"]["count"]) for e in links] == [
        ("ticket", "*", 1)]
