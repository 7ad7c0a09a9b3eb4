"""One whitespace rule for typed text in every area (``ledger.fields.text_field``): a value
of only whitespace — a full-width space U+3000, spaces, a tab — is blank: an optional field
(notes, a step's note, a reason) stores it empty, a required one (a name, a required note) is
refused as required."""

from __future__ import annotations

import pytest

from ledger import items, members, petitions, tickets, training, villages
from ledger.errors import ValidationError
from ledger.models.core import JournalEntry
from ledger.models.petitions import PetitionEvent
from ledger.models.tickets import TicketEvent

BLANKS = ["\u3000", "  ", "\t", " \u3000\t "]


@pytest.fixture
def base(office, staff_names):
    villages.add_village(office, name="许庄村", code="V01")
    items.add_item(office, code="R13", name="城乡低保", category="社会救助", level="district",
                   time_limit_days=15, materials="身份证")
    return office


def _ticket(office, **kw):
    return tickets.open_ticket(office, item="R13", applicant_name="许桂兰", materials="all", **kw)


def _petition(office, **kw):
    return petitions.register(office, channel="visit", category="land_demolition",
                              summary="拆迁补偿未到位", village="V01",
                              petitioners=[{"name": "王五"}], **kw)


def _session(office, **kw):
    return training.add_session(office, title="信访条例讲座", starts_at="2026-11-20 09:00",
                                ends_at="2026-11-20 11:00", credit_hours="2", **kw)


@pytest.mark.parametrize("blank", BLANKS)
def test_notes_of_only_whitespace_are_empty_in_every_area(base, blank):
    assert villages.add_village(base, name="东王村", code="V02", notes=blank)["notes"] == ""
    assert items.add_item(base, code="R14", name="临时救助", category="社会救助",
                          level="district", time_limit_days=5, notes=blank)["notes"] == ""
    assert members.add_member(base, name="王芳", village="V01", post="branch_secretary",
                              notes=blank)["notes"] == ""
    assert _ticket(base, notes=blank)["notes"] == ""
    assert _session(base, notes=blank)["notes"] == ""


@pytest.mark.parametrize("blank", BLANKS)
def test_a_steps_note_of_only_whitespace_is_empty(base, blank):
    ticket = tickets.assign(base, _ticket(base)["number"], "李四", note=blank)
    assert [e.note for e in TicketEvent.select().where(TicketEvent.ticket == ticket["id"],
                                                       TicketEvent.action == "assign")] == [""]
    petition = petitions.accept(base, _petition(base)["number"], note=blank)
    assert [e.note for e in PetitionEvent.select().where(
        PetitionEvent.petition == petition["id"], PetitionEvent.action == "accept")] == [""]


@pytest.mark.parametrize("blank", BLANKS)
def test_required_text_of_only_whitespace_is_required(base, blank):
    refusals = [
        lambda: villages.add_village(base, name=blank, code="V03"),
        lambda: members.add_member(base, name=blank, village="V01", post="branch_secretary"),
        lambda: items.add_item(base, name=blank, category="社会救助", level="district",
                               time_limit_days=5),
        lambda: tickets.open_ticket(base, item="R13", applicant_name=blank),
        lambda: tickets.return_ticket(base, _ticket(base)["number"], note=blank),
        lambda: petitions.register(base, channel="visit", category="land_demolition",
                                   summary=blank, petitioners=[{"name": "王五"}]),
        lambda: petitions.register(base, channel="visit", category="land_demolition",
                                   summary="拆迁", petitioners=[{"name": blank}]),
        lambda: training.add_session(base, title=blank, starts_at="2026-11-20 09:00",
                                     ends_at="2026-11-20 11:00", credit_hours="2"),
    ]
    for refuse in refusals:
        with pytest.raises(ValidationError) as caught:
            refuse()
        assert caught.value.key == "error.required", caught.value.field


@pytest.mark.parametrize("blank", BLANKS)
def test_a_reason_or_journal_note_of_only_whitespace_is_empty(base, blank):
    item = items.retire_item(base, "R13", note=blank)
    entry = JournalEntry.select().where(JournalEntry.entity == "item",
                                        JournalEntry.entity_id == item["id"],
                                        JournalEntry.action == "retire").get()
    assert entry.note == ""
    session = training.cancel_session(base, _session(base)["id"], reason=blank)
    assert session["cancel_reason"] == ""
