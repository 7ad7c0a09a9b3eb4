"""Optimistic versions (ledger.versions): a stale edit is refused naming what changed, with
nothing written; every change bumps the version; two clerks never lose an update."""

from __future__ import annotations

import threading

import pytest

from ledger import items, journal, members, petitions, tickets, versions, villages
from ledger.errors import Conflict, StaleVersion, ValidationError
from ledger.i18n import set_language
from ledger.models.petitions import Petition
from ledger.models.tickets import Ticket

ITEM = {"name": "低保申请", "category": "救助", "level": "district", "time_limit_days": 5,
        "code": "R01"}


@pytest.fixture
def village(office, staff_names):
    return villages.add_village(office, name="东村", code="V01")


@pytest.fixture
def member(office, village):
    return members.add_member(office, name="张三", village="V01", post="branch_secretary",
                              phone="13800001111")


def test_new_records_start_at_version_one_and_reads_return_it(office, village, member):
    assert village["version"] == 1
    assert villages.get_village(office, "V01")["version"] == 1
    assert villages.list_villages(office)[0]["version"] == 1
    assert member["version"] == 1 and member["terms"][0]["version"] == 1
    item = items.add_item(office, **ITEM)
    assert item["version"] == 1 and items.get_item(office, "R01")["version"] == 1


def test_every_edit_bumps_the_version_and_a_same_version_edit_passes(office, village, member):
    assert villages.edit_village(office, "V01", version=1, notes="a")["version"] == 2
    assert villages.edit_village(office, "V01", notes="b")["version"] == 3  # no check
    # Nothing changed: no new version.
    assert villages.edit_village(office, "V01", version=3, notes="b")["version"] == 3
    edited = members.edit_member(office, member["id"], version=1, name="张珊")
    assert edited["version"] == 2 and edited["name"] == "张珊"
    assert members.get_member(office, member["id"])["version"] == 2
    item = items.add_item(office, **ITEM)
    assert items.edit_item(office, "R01", version=item["version"], fee="10元")["version"] == 2
    assert items.retire_item(office, "R01", version=2)["version"] == 3


def test_a_stale_village_edit_is_refused_naming_the_field_and_writes_nothing(office, village):
    villages.edit_village(office, "V01", version=1, name="东庄村")  # the other clerk
    entries = len(list(journal.entries(office)))
    with pytest.raises(StaleVersion) as caught:
        villages.edit_village(office, "V01", version=1, name="东湖村", notes="x")
    err = caught.value
    assert isinstance(err, Conflict) and err.key == "error.stale_version"
    assert err.version == 2 and err.seen_version == 1
    assert err.changes == [{"field": "name", "theirs": "东庄村", "yours": "东湖村"},
                           {"field": "notes", "theirs": "", "yours": "x"}]
    set_language("en")
    try:
        text = err.message()
    finally:
        set_language("zh")
    assert "version 1" in text and "version 2" in text
    assert "“东庄村” (yours: “东湖村”)" in text
    stored = villages.get_village(office, "V01")
    assert (stored["name"], stored["notes"], stored["version"]) == ("东庄村", "", 2)
    assert len(list(journal.entries(office))) == entries


def test_a_stale_member_edit_names_the_changed_field_and_masks_the_stored_phone(
        office, member):
    members.edit_member(office, member["id"], version=1, phone="13900002222")
    with pytest.raises(StaleVersion) as caught:
        members.edit_member(office, member["id"], version=1, phone="13700003333",
                            notes="新")
    changes = {c["field"]: c for c in caught.value.changes}
    assert set(changes) == {"phone", "notes"}
    assert changes["phone"]["theirs"] != "13900002222"  # masked
    assert changes["phone"]["theirs"].endswith("2222")
    assert changes["phone"]["yours"] == "13700003333"
    stored = members.get_member(office, member["id"], reveal=True)
    assert stored["phone"] == "13900002222" and stored["notes"] == ""


def test_a_stale_item_edit_and_retire_are_refused(office):
    items.add_item(office, **ITEM)
    items.edit_item(office, "R01", time_limit_days=3)
    with pytest.raises(StaleVersion) as caught:
        items.edit_item(office, "R01", version=1, time_limit_days=7)
    assert caught.value.changes == [{"field": "time_limit_days", "theirs": 3, "yours": 7}]
    with pytest.raises(StaleVersion):
        items.retire_item(office, "R01", version=1)
    assert items.get_item(office, "R01")["active"] is True


def test_ticket_and_petition_steps_bump_the_version(office, village):
    items.add_item(office, **ITEM)
    ticket = tickets.open_ticket(office, item="R01", applicant_name="李四", materials=True)
    assert ticket["version"] == 1
    assert tickets.assign(office, ticket["number"], "王五")["version"] == 2
    petition = petitions.register(office, channel="visit", category="land_demolition",
                                  summary="占地", petitioners=[{"name": "赵六"}])
    assert petition["version"] == 1
    assert petitions.accept(office, petition["number"])["version"] == 2


def _bump(office, model, number: str) -> None:
    """Another clerk's change, meanwhile: the record's version moves on."""
    with office.transaction():
        model.update(version=model.version + 1).where(model.number == number).execute()


def _ticket_at(office, state: str) -> dict:
    """A ticket in ``state`` (version 1 plus one per step taken)."""
    items.add_item(office, **ITEM, materials=["身份证", "户口本"])
    ticket = tickets.open_ticket(office, item="R01", applicant_name="李四", materials=True)
    if state in ("in_progress", "done", "returned"):
        ticket = tickets.advance(office, ticket["number"])
    if state == "done":
        ticket = tickets.advance(office, ticket["number"])
    if state == "returned":
        ticket = tickets.return_ticket(office, ticket["number"], note="缺材料")
    return ticket


TICKET_STEPS = [  # step, the state it starts from, its arguments
    ("assign", "received", {"agent": "王五"}),
    ("check_materials", "received", {"materials": "1", "checked": False}),
    ("advance", "received", {}),
    ("return_ticket", "in_progress", {"note": "缺材料"}),
    ("resume", "returned", {}),
    ("withdraw", "received", {}),
    ("reopen", "done", {"note": "结果有误"}),
    ("rate", "done", {"satisfaction": "satisfied"}),
]


@pytest.mark.parametrize(("step", "state", "args"), TICKET_STEPS,
                         ids=[s[0] for s in TICKET_STEPS])
def test_a_ticket_step_on_a_stale_version_is_refused(office, village, step, state, args):
    """Every step takes the version the clerk saw: a change since refuses it with nothing
    written; the current version passes."""
    ticket = _ticket_at(office, state)
    seen = ticket["version"]
    _bump(office, Ticket, ticket["number"])
    entries = len(journal.history(office, "ticket", ticket["id"]))
    with pytest.raises(StaleVersion) as caught:
        getattr(tickets, step)(office, ticket["number"], version=seen, **args)
    assert caught.value.version == seen + 1 and caught.value.seen_version == seen
    assert ticket["number"] in caught.value.message()
    after = tickets.get_ticket(office, ticket["number"])
    assert after["state"] == state and after["version"] == seen + 1
    assert len(journal.history(office, "ticket", ticket["id"])) == entries
    done = getattr(tickets, step)(office, ticket["number"], version=seen + 1, **args)
    assert done["version"] == seen + 2


PETITION_STEPS = [  # step, the steps before it, its arguments
    ("accept", [], {}),
    ("decline", [], {"reason": "属诉讼事项"}),
    ("assign", ["accept"], {"handler": "李干事"}),
    ("extend", ["accept"], {"days": 10, "reason": "复杂", "approved_by": "主任"}),
    ("reply", ["accept", "assign"], {"gist": "依政策"}),
    ("request_review", ["accept", "assign", "reply"], {}),
    ("review", ["accept", "assign", "reply", "request_review"], {"gist": "维持"}),
    ("request_rereview", ["accept", "assign", "reply", "request_review", "review"], {}),
    ("rereview", ["accept", "assign", "reply", "request_review", "review",
                  "request_rereview"], {"gist": "维持"}),
    ("close", ["accept", "assign", "reply"], {}),
]
BEFORE = {"assign": {"handler": "李干事"}, "reply": {"gist": "依政策"}, "review": {"gist": "维持"}}


@pytest.mark.parametrize(("step", "before", "args"), PETITION_STEPS,
                         ids=[s[0] for s in PETITION_STEPS])
def test_a_petition_step_on_a_stale_version_is_refused(office, village, step, before, args):
    petition = petitions.register(office, channel="visit", category="land_demolition",
                                  summary="占地", petitioners=[{"name": "赵六"}])
    number = petition["number"]
    for earlier in before:
        petition = getattr(petitions, earlier)(office, number, **BEFORE.get(earlier, {}))
    seen, state = petition["version"], petition["state"]
    _bump(office, Petition, number)
    entries = len(journal.history(office, "petition", petition["id"]))
    with pytest.raises(StaleVersion) as caught:
        getattr(petitions, step)(office, number, version=seen, **args)
    assert caught.value.version == seen + 1 and number in caught.value.message()
    after = petitions.get_petition(office, number)
    assert after["state"] == state and after["version"] == seen + 1
    assert len(journal.history(office, "petition", petition["id"])) == entries
    assert getattr(petitions, step)(office, number, version=seen + 1,
                                    **args)["version"] == seen + 2


def test_bad_version_values_are_refused_on_the_field(office, village):
    for bad in (0, -1, "x", True):
        with pytest.raises(ValidationError) as caught:
            villages.edit_village(office, "V01", version=bad, notes="a")
        assert caught.value.field == "version"
    assert villages.edit_village(office, "V01", version="1", notes="a")["version"] == 2


def test_lock_reads_the_row_and_an_unknown_one_is_not_found(office, village):
    from ledger.errors import NotFound
    from ledger.models import Village

    with office.transaction():
        assert versions.lock(Village, village["id"]).code == "V01"
        with pytest.raises(NotFound):
            versions.lock(Village.select(), 999)


def test_two_clerks_editing_one_member_lose_no_update(office, member, clerks):
    """Each clerk reads the member, then edits one field with the version read. Either the
    lock serialises them and both changes survive, or the later one is refused: every
    change is stored or refused, none is silently overwritten."""
    refused: list[str] = []
    stored: list[str] = []
    lock = threading.Lock()
    fields = {"clerk0": "notes", "clerk1": "political_status"}
    values = {"notes": "甲的备注", "political_status": "party_member"}

    def work(mine) -> None:
        field = fields[mine.operator]
        for _ in range(3):
            seen = members.get_member(mine, member["id"])
            try:
                members.edit_member(mine, member["id"], version=seen["version"],
                                    **{field: values[field] + str(seen["version"])
                                       if field == "notes" else values[field]})
            except StaleVersion as err:
                assert err.changes  # names what the clerk asked for
                with lock:
                    refused.append(field)
                continue
            with lock:
                stored.append(field)
            return

    clerks(office, work)
    final = members.get_member(office, member["id"])
    # Both clerks got their change in (after reading again when refused).
    assert sorted(stored) == ["notes", "political_status"]
    assert final["political_status"] == "party_member" and final["notes"].startswith("甲的备注")
    # One version per stored change, whatever the interleaving.
    assert final["version"] == 1 + len(stored)
    updates = [e for e in journal.history(office, "member", member["id"])
               if e["action"] == "update"]
    assert len(updates) == len(stored)
    assert len(refused) <= 3


def test_edits_without_a_version_lock_the_row_so_neither_clerk_overwrites_the_other(
        office, member, clerks):
    """Scripts pass no version: the lock still makes the second edit read the first's
    result, so each clerk's field survives (edits used to write every column as read)."""
    def work(mine) -> None:
        for round_ in range(5):
            if mine.operator == "clerk0":
                members.edit_member(mine, member["id"], notes=f"备注{round_}")
            else:
                members.edit_member(mine, member["id"], education=("associate", "bachelor")[
                    round_ % 2])

    clerks(office, work)
    final = members.get_member(office, member["id"])
    assert final["notes"] == "备注4" and final["education"] == "associate"
    assert final["version"] == 11
