"""ledger.timeline: a record's timeline built in ledger, ready for either face to draw."""

from __future__ import annotations

import datetime as dt

import pytest

from ledger import items, journal, members, petitions, tickets, villages
from ledger.errors import NotFound
from ledger.people import id_check_char
from ledger.timeline import changes, timeline, value_text

FIRST17 = "13902119700304111"
ID_NUMBER = FIRST17 + id_check_char(FIRST17)
PHONE = "13912345678"
NEW_PHONE = "13987654321"


@pytest.fixture
def member(office):
    villages.add_village(office, name="许庄村", code="V01")
    row = members.add_member(office, name="许少伟", village="V01", post="branch_secretary",
                             id_number=ID_NUMBER, phone=PHONE, education="associate",
                             election_date="2015-01-10")
    members.edit_member(office, row["id"], education="bachelor", phone=NEW_PHONE)
    return row


def test_a_members_timeline_merges_their_terms_newest_first_in_local_time(office, member):
    entries = timeline(office, "member", member["id"])
    assert [(e["entity"], e["action"]) for e in entries] == [
        ("member", "update"), ("term", "create"), ("member", "create")]
    update = entries[0]
    # NOW is 10:00 in Shanghai: the journal's UTC instant is shown in the office's zone.
    assert update["when"] == "2026-11-27 10:00"
    assert update["at"].tzinfo is not None
    assert update["heading"] == "updated" and update["operator"] == office.operator
    assert update["entity_label"] == "member"
    assert {c["field"]: (c["before"], c["after"]) for c in update["changes"]} == {
        "education": ("associate", "bachelor"), "phone": ("139****5678", "139****4321")}
    assert not update["created"] and entries[-1]["created"]
    created = {c["field"]: c["after"] for c in entries[-1]["changes"]}
    assert created["name"] == "许少伟" and created["id_number"] != ID_NUMBER  # masked


def test_reveal_shows_personal_data_in_old_entries_and_journals_nothing_itself(
        office, member):
    before = len(journal.history(office, "member", member["id"]))
    update = timeline(office, "member", member["id"], reveal=True)[0]
    assert {c["field"]: c["after"] for c in update["changes"]}["phone"] == NEW_PHONE
    created = timeline(office, "member", member["id"], reveal=True)[-1]
    assert {c["field"]: c["after"] for c in created["changes"]}["id_number"] == ID_NUMBER
    # The area's get_x(reveal=True) journals the reveal; the timeline does not add one.
    assert len(journal.history(office, "member", member["id"])) == before


def test_a_tickets_timeline_is_its_steps_and_its_reveals(office):
    villages.add_village(office, name="许庄村", code="V01")
    items.add_item(office, code="R11", name="护理补贴", category="残疾人服务", level="district",
                   time_limit_days=20, materials="身份证")
    ticket = tickets.open_ticket(office, item="R11", applicant_name="许桂兰",
                                 applicant_phone=PHONE, village="V01", materials=True,
                                 received_at=dt.datetime(2026, 11, 2, 9, 0))
    assert [e["action"] for e in timeline(office, "ticket", ticket["number"])] == ["open"]
    tickets.get_ticket(office, ticket["number"], reveal=True)
    entries = timeline(office, "ticket", ticket["id"])  # by id or by number alike
    assert [e["action"] for e in entries] == ["reveal", "open"]
    assert entries[1]["heading"] == "opened → received"
    assert entries[1]["note"] == "due 2026-11-30"  # the due date the step set


def test_a_petitions_timeline_is_its_events_and_its_reveals(office):
    petition = petitions.register(office, channel="visit", category="other",
                                  summary="[bold red]x[/]", received_on=dt.date(2026, 11, 20),
                                  petitioners=[{"name": "王五", "phone": PHONE}])
    petitions.accept(office, petition["number"], note="a\rb\nc")
    petitions.get_petition(office, petition["number"], reveal=True)
    entries = timeline(office, "petition", petition["id"])
    assert [e["action"] for e in entries] == ["reveal", "accept", "register"]
    assert entries[1]["heading"] == "accept → accepted"
    assert entries[1]["note"] == "2026-11-27 a\rb\nc"  # the step's date, then the note


def test_an_unknown_record_is_not_found(office):
    with pytest.raises(NotFound):
        timeline(office, "member", 999999)
    assert timeline(office, "village", 999999) == []


def test_only_changed_fields_and_coded_values_by_name():
    before = {"name": "李红", "education": "associate", "village_id": 1, "active": True}
    after = {"name": "李红", "education": "bachelor", "village_id": 2, "active": False}
    assert [(c["field"], c["before"], c["after"]) for c in changes(before, after)] == [
        ("education", "associate", "bachelor"), ("active", "yes", "no")]
    assert value_text("education", "senior_secondary") == "senior secondary / technical"
    assert value_text("notes", None) == "—" and value_text("posts", []) == "—"
