"""The step runner (``ledger.steps``) that every procedure shares: a refused step writes
nothing, steps keep their order in time, and two clerks stepping one record at once do not
both succeed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from typing import Any

import pytest

from ledger import items, journal, steps, tickets
from ledger import petitions as P
from ledger.errors import InvalidTransition, StaleVersion, ValidationError
from ledger.models import JournalEntry, Village
from ledger.models.petitions import Petition, PetitionEvent
from ledger.models.tickets import Ticket, TicketEvent
from ledger.tickets.service import PROCEDURE as TICKET_STEPS

D = dt.date


@pytest.fixture
def village(office, staff_names) -> str:
    with office.transaction():
        Village.create(code="V01", name="许庄村", created_at=office.now())
    return "V01"


@pytest.fixture
def ticket(office, village) -> str:
    items.add_item(office, code="R11", name="重度残疾人护理补贴", category="残疾人服务",
                   level="district", time_limit_days=20, materials="身份证|户口簿")
    return tickets.open_ticket(office, item="R11", applicant_name="许桂兰", village="V01",
                               received_at=dt.datetime(2026, 11, 2, 9, 0),
                               materials=["身份证"])["number"]


@pytest.fixture
def petition(office, village) -> str:
    return P.register(office, channel="letter", category="land_demolition",
                      summary="征地补偿", received_on=D(2026, 11, 2), village="V01",
                      petitioners=[{"name": "王五", "phone": "13812345678"}])["number"]


def _written(model: Any, events: Any, number: str) -> tuple[Any, ...]:
    """Everything a step could write about one record: its row, its events, the journal."""
    row = model.select().where(model.number == number).dicts().get()
    return (row, events.select().count(), JournalEntry.select().count())


def test_the_tables_have_one_shape():
    for table in (tickets.TRANSITIONS, P.TRANSITIONS):
        for action, (sources, target) in table.items():
            assert isinstance(action, str) and isinstance(sources, tuple) and sources
            assert target is None or target == steps.BACK or isinstance(target, str | dict)
    assert steps.allowed_actions(tickets.TRANSITIONS, "done") == ["reopen", "rate"]
    assert steps.allowed_actions(P.TRANSITIONS, "closed") == []


def test_a_refused_transition_writes_nothing(office, ticket):
    tickets.withdraw(office, ticket, note="申请人撤回")
    before = _written(Ticket, TicketEvent, ticket)
    for action, call in (("advance", tickets.advance), ("resume", tickets.resume),
                         ("rate", lambda o, n: tickets.rate(o, n, "satisfied"))):
        with pytest.raises(InvalidTransition) as err:
            call(office, ticket)
        assert ticket in err.value.message(), action
        assert _written(Ticket, TicketEvent, ticket) == before


def test_a_step_its_area_refuses_midway_writes_nothing(office, ticket):
    # received -> in progress needs every material: the area's rule refuses inside the step,
    # after the runner has read the row and taken the snapshot
    before = _written(Ticket, TicketEvent, ticket)
    with pytest.raises(InvalidTransition) as err:
        tickets.advance(office, ticket)
    assert "户口簿" in err.value.message()
    assert _written(Ticket, TicketEvent, ticket) == before


def test_the_shared_refusal_names_the_record_the_action_and_the_state(office, ticket):
    tickets.withdraw(office, ticket)
    plain = dataclasses.replace(TICKET_STEPS, refuse=lambda row, action: None)
    with pytest.raises(InvalidTransition) as err:
        steps.run_step(office, plain, ticket, "advance")
    assert err.value.key == "error.step_refused"
    assert err.value.message() == f"ticket {ticket} is withdrawn: cannot advance"


def test_a_step_dated_before_the_last_one_is_refused(office, ticket, petition):
    tickets.assign(office, ticket, "王芳", at=dt.datetime(2026, 11, 10, 15, 0))
    before = _written(Ticket, TicketEvent, ticket)
    with pytest.raises(ValidationError) as err:
        tickets.assign(office, ticket, "李明", at=dt.datetime(2026, 11, 10, 14, 59))
    assert err.value.field == "at" and "2026-11-10 15:00" in err.value.message()
    assert _written(Ticket, TicketEvent, ticket) == before

    P.accept(office, petition, on=D(2026, 11, 5))
    before = _written(Petition, PetitionEvent, petition)
    with pytest.raises(ValidationError) as err:
        P.assign(office, petition, handler="李", on=D(2026, 11, 4))
    assert err.value.field == "on" and "2026-11-05" in err.value.message()
    assert _written(Petition, PetitionEvent, petition) == before
    # the same day as the last step is not before it
    assert P.assign(office, petition, handler="李", on=D(2026, 11, 5))["state"] == "in_handling"


def test_a_step_in_the_future_is_refused(office, ticket, petition):
    before = _written(Ticket, TicketEvent, ticket)
    with pytest.raises(ValidationError) as err:
        tickets.assign(office, ticket, "王芳", at=dt.datetime(2026, 11, 27, 11, 0))
    assert err.value.field == "at"
    assert _written(Ticket, TicketEvent, ticket) == before
    before = _written(Petition, PetitionEvent, petition)
    with pytest.raises(ValidationError) as err:
        P.accept(office, petition, on=D(2026, 11, 28))
    assert err.value.field == "on" and "2026-11-28" in err.value.message()
    assert _written(Petition, PetitionEvent, petition) == before


def test_a_step_writes_its_event_and_journal_entry_together(office, ticket):
    tickets.check_materials(office, ticket, ["户口簿"])
    moved = tickets.advance(office, ticket, note="已报送区民政局")
    last = moved["history"][-1]
    assert (last["action"], last["from_state"], last["to_state"], last["note"]) == (
        "advance", "received", "in_progress", "已报送区民政局")
    entry = journal.history(office, "ticket", tickets.find_ticket(ticket).id)[-1]
    assert entry["action"] == "advance" and entry["note"] == "已报送区民政局"
    assert (entry["before"]["state"], entry["after"]["state"]) == ("received", "in_progress")
    # back goes to where it was returned from, as the timeline says
    tickets.return_ticket(office, ticket, note="缺残疾证")
    assert tickets.resume(office, ticket)["state"] == "in_progress"


def test_two_clerks_stepping_one_record_at_once_one_wins(office, clerks, ticket, petition):
    outcomes: list[tuple[str, str]] = []
    lock = threading.Lock()

    def work(mine) -> None:
        for call in (lambda: tickets.withdraw(mine, ticket, note=mine.operator),
                     lambda: P.accept(mine, petition, note=mine.operator)):
            try:
                call()
                result = "done"
            except InvalidTransition as err:
                result = err.message()
            with lock:
                outcomes.append((mine.operator, result))

    clerks(office, work)
    done = [who for who, result in outcomes if result == "done"]
    refused = sorted(result for _, result in outcomes if result != "done")
    assert len(done) == 2 and len(refused) == 2
    assert f"{ticket} was withdrawn: it cannot withdraw any more" in refused
    assert any(r.startswith(f"{petition} is accepted: cannot accept") for r in refused)
    # one step each, by the clerk who won it, in the timeline and the journal alike
    assert TicketEvent.select().where(TicketEvent.action == "withdraw").count() == 1
    assert PetitionEvent.select().where(PetitionEvent.action == "accept").count() == 1
    history = journal.history(office, "ticket", tickets.find_ticket(ticket).id)
    assert [e["action"] for e in history].count("withdraw") == 1
    assert journal.verify(office).ok


# --- what training and decisions brought: no event table, a moment of now, kept refusals ----

def test_every_procedure_has_the_one_table_shape():
    from ledger import decisions, training

    for table in (training.TRANSITIONS, training.rules.SERIES_TRANSITIONS,
                  decisions.TRANSITIONS):
        for action, (sources, target) in table.items():
            assert isinstance(action, str) and isinstance(sources, tuple) and sources
            assert target is None or target == steps.BACK or isinstance(target, str | dict)
    assert steps.allowed_actions(training.TRANSITIONS, "cancelled") == ["reinstate"]


def test_a_stale_step_names_the_state_it_found(office, ticket):
    version = tickets.get_ticket(office, ticket)["version"]
    tickets.withdraw(office, ticket, note="申请人撤回")
    before = _written(Ticket, TicketEvent, ticket)
    with pytest.raises(StaleVersion) as err:
        steps.run_step(office, TICKET_STEPS, ticket, "return", note="缺材料", version=version)
    assert err.value.changes == [{"field": "state", "theirs": "withdrawn", "yours": "returned"}]
    assert _written(Ticket, TicketEvent, ticket) == before


def test_a_procedure_without_a_timeline_table_journals_its_step(office):
    from ledger import training
    from ledger.training.service import SESSION_STEPS

    s = training.add_session(office, title="讲座", starts_at="2026-11-20 09:00",
                             ends_at="2026-11-20 10:00", credit_hours=1)
    with pytest.raises(TypeError):  # its steps happen when recorded: no moment to give
        steps.run_step(office, SESSION_STEPS, s["id"], "hold", at=dt.datetime(2026, 11, 1))
    row = steps.run_step(office, SESSION_STEPS, s["id"], "hold", note="补记")
    assert (row.state, row.version) == ("held", 2)
    entry = journal.history(office, "training_session", s["id"])[-1]
    assert (entry["action"], entry["note"], entry["before"]["state"],
            entry["after"]["state"]) == ("hold", "补记", "planned", "held")
    assert "version" not in entry["after"]  # the journal leaves the counter out
    with pytest.raises(InvalidTransition) as err:
        training.hold_session(office, s["id"])
    assert err.value.message() == f"training session {s['id']} is held: cannot mark held"


def test_back_needs_a_timeline_with_states():
    with pytest.raises(ValueError):
        dataclasses.replace(TICKET_STEPS, event_model=None)
    with pytest.raises(ValueError):
        dataclasses.replace(TICKET_STEPS, event_columns={"operator": "operator"})
