"""Petitions: registration, every step of the procedure (allowed and refused), deadlines.

The clock is fixed at 2026-11-27 (conftest); dates in these tests are chosen around it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ledger import journal
from ledger import petitions as P
from ledger.config import Settings
from ledger.errors import InvalidTransition, NotFound, ValidationError
from ledger.models import JournalEntry, Village
from ledger.models.petitions import Petition, Petitioner, PetitionEvent
from ledger.people import id_check_char

D = dt.date


def make_id(body17: str) -> str:
    return body17 + id_check_char(body17)


WANG_ID = make_id("11010119800101123")
LI_ID = make_id("11010119850505432")


@pytest.fixture
def villages(office, staff_names):
    with office.transaction():
        east = Village.create(code="V01", name="东村", created_at=office.now())
        west = Village.create(code="V02", name="西村", created_at=office.now())
    return east, west


def reg(office, **kw: Any) -> dict:
    args: dict[str, Any] = {
        "channel": "visit", "category": "land_demolition", "summary": "拆迁补偿未到位",
        "village": "V01", "received_on": D(2026, 11, 2),
        "petitioners": [{"name": "王五", "phone": "13812345678", "id_number": WANG_ID}],
    }
    args.update(kw)
    return P.register(office, **args)


def settings(**values: Any) -> Settings:
    return Settings(values=values)


# --- registration ----------------------------------------------------------------------------

def test_register_numbers_by_year_masks_and_journals(office, villages):
    first = reg(office)
    second = reg(office, received_on=D(2025, 3, 1), petitioners=[{"name": "赵六"}])
    assert first["number"] == "XF-2026-0001"
    assert second["number"] == "XF-2025-0001"
    assert first["state"] == "registered"
    assert first["registered_by"] == "tester"
    assert first["village"] == "东村"
    person = first["petitioners"][0]
    assert person["phone"] == "138****5678"
    assert person["id_number"] == WANG_ID[:4] + "*" * 10 + WANG_ID[-4:]
    # acceptance notice due 15 days after receipt, stored as the indexed next deadline
    assert (first["next_due"], first["next_due_kind"]) == (D(2026, 11, 17), "acceptance")
    assert first["deadline_state"] == "overdue" and first["days_left"] == -10
    entry = journal.history(office, "petition", first["id"])[0]
    assert entry["action"] == "create" and entry["after"]["number"] == "XF-2026-0001"
    # the journal never holds the raw ID number or phone
    assert WANG_ID not in (entry["note"] + str(entry["after"]))
    assert [e["action"] for e in first["events"]] == ["register"]


@pytest.mark.parametrize(("change", "field", "label"), [
    ({"channel": "fax"}, "channel", "channel"),
    ({"category": "weather"}, "category", "category"),
    ({"summary": "  "}, "summary", "summary"),
    ({"village": "V99"}, "village", "village"),
    ({"received_on": D(2026, 11, 28)}, "received_on", "received"),
    ({"received_on": "2026-13-01"}, "received_on", "received"),
    ({"petitioners": []}, "petitioners", "petitioners"),
    ({"petitioners": [{"name": ""}]}, "name", "petitioner"),
    ({"petitioners": [{"name": "甲", "phone": "12345"}]}, "phone", "phone"),
    ({"petitioners": [{"name": "甲", "id_number": "110101198001011239"}]},
     "id_number", "ID number"),
    ({"petitioners": [{"name": "甲", "id_number": WANG_ID}, {"name": "乙", "id_number": WANG_ID}]},
     "id_number", "ID number"),
    ({"petitioners": [{"name": "甲", "village": "nowhere"}]}, "village", "village"),
    ({"collective": True, "group_size": None}, "group_size", "people"),
    ({"collective": True, "group_size": "many"}, "group_size", "people"),
    ({"group_size": 0}, "group_size", "people"),
    ({"group_size": 10**20}, "group_size", "people"),
    ({"attachments": ["a\nb"]}, "attachments", "attachments"),
])
def test_bad_registration_names_the_field_and_stores_nothing(office, villages, change, field,
                                                             label):
    """The error names the field as ``register`` takes it (the key of the petition or of a
    petitioner), so a form shows it beside that field; its message says the petition's
    label (a petition's received_on reads "received", a ticket's "received on")."""
    with pytest.raises(ValidationError) as err:
        reg(office, **change)
    assert err.value.field == field
    assert err.value.message().startswith(label + ": ")  # one translated line
    assert Petition.select().count() == 0 and Petitioner.select().count() == 0
    assert JournalEntry.select().where(JournalEntry.entity == "petition").count() == 0


def test_an_error_about_one_of_several_petitioners_says_which(office, villages):
    people = [{"name": "甲", "phone": "13800000001"}, {"name": "乙", "phone": "12345"}]
    with pytest.raises(ValidationError) as err:
        reg(office, petitioners=people)
    assert err.value.field == "phone" and err.value.params["position"] == 2
    assert err.value.message().startswith("phone: petitioner 2: ")
    # A face that gives the first petitioner fields of its own places the others' errors
    # in the box that lists them, the first one's beside its own field.
    moved = P.place_person_error(err.value, {"phone": "petitioner_phone"}, "others")
    assert moved.field == "others" and moved.message() == err.value.message()
    with pytest.raises(ValidationError) as first:
        reg(office, petitioners=[{"name": "甲", "phone": "12"}, people[0]])
    assert P.place_person_error(first.value, {"phone": "petitioner_phone"},
                                "others").field == "petitioner_phone"


def test_group_visit_takes_at_most_five_representatives(office, villages):
    reps = [{"name": f"代表{i}", "phone": f"1390000000{i}"} for i in range(6)]
    with pytest.raises(ValidationError) as err:
        reg(office, collective=True, group_size=30, petitioners=reps)
    assert err.value.field == "petitioners" and err.value.label == "petition_representatives"
    assert "5" in err.value.message() and "6" in err.value.message()
    assert Petition.select().count() == 0
    ok = reg(office, collective=True, group_size=30, petitioners=reps[:5])
    assert ok["collective"] and ok["group_size"] == 30
    assert [p["representative"] for p in ok["petitioners"]] == [True] * 5


def test_a_joint_letter_is_not_limited_to_five(office, villages):
    signers = [{"name": f"村民{i}"} for i in range(8)]
    row = reg(office, channel="letter", petitioners=signers)
    assert len(row["petitioners"]) == 8 and row["group_size"] == 8
    assert not any(p["representative"] for p in row["petitioners"])


def test_unknown_petition_is_not_found(office, villages):
    with pytest.raises(NotFound):
        P.get_petition(office, "XF-2026-9999")
    with pytest.raises(NotFound):
        P.accept(office, "12345")


# --- the procedure ---------------------------------------------------------------------------

def full_path(office, number: str) -> dict:
    P.accept(office, number, on=D(2026, 11, 3))
    P.assign(office, number, handler="李干事", unit="信访办", on=D(2026, 11, 3))
    P.reply(office, number, gist="依政策补偿", on=D(2026, 11, 10))
    P.request_review(office, number, on=D(2026, 11, 12))
    P.review(office, number, gist="维持原答复", on=D(2026, 11, 20))
    P.request_rereview(office, number, on=D(2026, 11, 21))
    return P.rereview(office, number, gist="维持", on=D(2026, 11, 25))


def test_the_whole_procedure_is_recorded_step_by_step(office, villages):
    p = reg(office)
    done = full_path(office, p["number"])
    assert done["state"] == "closed" and done["final"]
    assert [e["action"] for e in done["events"]] == [
        "register", "accept", "assign", "reply", "request_review", "review",
        "request_rereview", "rereview"]
    assert [e["to_state"] for e in done["events"]][-1] == "closed"
    assert done["closed_on"] == D(2026, 11, 25)
    actions = [e["action"] for e in journal.history(office, "petition", p["id"])]
    assert actions == ["create", "accept", "assign", "reply", "request_review", "review",
                       "request_rereview", "rereview"]
    assert done["next_due"] is None and done["allowed_actions"] == []
    states = {d["kind"]: d["state"] for d in done["deadlines"]}
    assert states == {k: "met" for k in P.DEADLINE_KINDS}
    assert journal.verify(office).ok


def test_the_rereview_opinion_makes_the_matter_final_without_a_close(office, villages):
    # 信访工作条例: after the re-review the same matter is not accepted again. Recording the
    # opinion closes the petition on its day; no separate close is needed (or allowed).
    p = reg(office, received_on=D(2026, 8, 1))
    n = p["number"]
    for action, kw, day in (("accept", {}, 2), ("assign", {"handler": "李"}, 2),
                            ("reply", {"gist": "答"}, 20)):
        getattr(P, action)(office, n, on=D(2026, 8, day), **kw)
    P.request_review(office, n, on=D(2026, 8, 25))
    P.review(office, n, gist="复", on=D(2026, 9, 10))
    P.request_rereview(office, n, on=D(2026, 9, 15))
    done = P.rereview(office, n, gist="维持", on=D(2026, 10, 1))
    assert (done["state"], done["closed_on"], done["final"]) == ("closed", D(2026, 10, 1), True)
    assert done["allowed_actions"] == [] and done["next_due"] is None
    with pytest.raises(InvalidTransition):
        P.close(office, n)
    assert P.count_petitions(office, P.PetitionFilter(state="closed")) == 1
    assert P.count_petitions(office, P.PetitionFilter(state="open")) == 0
    # the same petitioner's same matter is refused the day after, unlinked as well as linked
    with pytest.raises(InvalidTransition) as err:
        reg(office, received_on=D(2026, 10, 2))
    assert n in err.value.message()
    with pytest.raises(InvalidTransition):
        reg(office, received_on=D(2026, 10, 2), repeat_of=n)
    assert P.count_petitions(office) == 1


# action -> the states it may start from
ALLOWED = {a: set(src) for a, (src, _) in P.TRANSITIONS.items()}
STATE_SETUP = {
    "registered": [],
    "accepted": [("accept", {})],
    "not_accepted": [("decline", {"reason": "不属于信访事项"})],
    "in_handling": [("accept", {}), ("assign", {"handler": "李"})],
    "replied": [("accept", {}), ("assign", {"handler": "李"}), ("reply", {"gist": "答"})],
    "review_requested": [("accept", {}), ("assign", {"handler": "李"}),
                         ("reply", {"gist": "答"}), ("request_review", {})],
    "reviewed": [("accept", {}), ("assign", {"handler": "李"}), ("reply", {"gist": "答"}),
                 ("request_review", {}), ("review", {"gist": "复"})],
    "rereview_requested": [("accept", {}), ("assign", {"handler": "李"}),
                           ("reply", {"gist": "答"}), ("request_review", {}),
                           ("review", {"gist": "复"}), ("request_rereview", {})],
    "closed": [("accept", {}), ("assign", {"handler": "李"}), ("reply", {"gist": "答"}),
               ("close", {})],
}
ARGS = {"decline": {"reason": "理由"}, "assign": {"handler": "张"},
        "extend": {"days": 10, "reason": "情况复杂", "approved_by": "主任"},
        "reply": {"gist": "答"}, "review": {"gist": "复"}, "rereview": {"gist": "核"}}


@pytest.mark.parametrize("state", list(STATE_SETUP))
def test_every_action_from_every_state_is_allowed_or_refused(office, villages, state):
    p = reg(office, received_on=D(2026, 11, 20))
    for action, kw in STATE_SETUP[state]:
        getattr(P, action)(office, p["number"], **kw)
    current = P.get_petition(office, p["number"])
    assert current["state"] == state
    assert set(current["allowed_actions"]) == {a for a, s in ALLOWED.items() if state in s}
    for action in P.TRANSITIONS:
        before = P.get_petition(office, p["number"])
        events = PetitionEvent.select().count()
        if state in ALLOWED[action]:
            continue
        with pytest.raises(InvalidTransition) as err:
            getattr(P, action)(office, p["number"], **ARGS.get(action, {}))
        assert p["number"] in err.value.message()
        after = P.get_petition(office, p["number"])
        assert after["state"] == before["state"] and PetitionEvent.select().count() == events
    # and each allowed one goes where the table says
    for action in sorted(a for a, s in ALLOWED.items() if state in s):
        fresh = reg(office, received_on=D(2026, 11, 20))
        for step, kw in STATE_SETUP[state]:
            getattr(P, step)(office, fresh["number"], **kw)
        moved = getattr(P, action)(office, fresh["number"], **ARGS.get(action, {}))
        target = P.TRANSITIONS[action][1] or state
        assert moved["state"] == target, action


def test_decline_needs_a_reason_and_names_the_competent_body(office, villages):
    p = reg(office)
    with pytest.raises(ValidationError) as err:
        P.decline(office, p["number"], reason=" ")
    assert err.value.field == "reason"
    done = P.decline(office, p["number"], reason="属诉讼事项", forwarded_to="区人民法院",
                     on=D(2026, 11, 5))
    assert done["state"] == "not_accepted" and done["forwarded_to"] == "区人民法院"
    assert done["next_due"] is None
    assert {d["kind"]: d["state"] for d in done["deadlines"]} == {"acceptance": "met"}


def test_steps_refuse_dates_before_the_previous_step_or_after_today(office, villages):
    p = reg(office, received_on=D(2026, 11, 2))
    with pytest.raises(ValidationError) as before:
        P.accept(office, p["number"], on=D(2026, 11, 1))
    assert before.value.field == "on"
    with pytest.raises(ValidationError) as future:
        P.accept(office, p["number"], on=D(2026, 11, 28))
    assert future.value.field == "on" and future.value.message().startswith("date: ")
    assert P.get_petition(office, p["number"])["state"] == "registered"


def test_reply_needs_a_handler_and_a_gist(office, villages):
    p = reg(office)
    P.accept(office, p["number"], on=D(2026, 11, 3))
    with pytest.raises(InvalidTransition):
        P.reply(office, p["number"], gist="答")  # nobody is handling it yet
    P.assign(office, p["number"], handler="李")
    with pytest.raises(ValidationError) as err:
        P.reply(office, p["number"], gist="")
    assert err.value.field == "gist"


def test_closing_without_a_reply_on_record_is_refused(office, villages):
    p = reg(office)
    full = P.reply(office, P.assign(office, P.accept(office, p["number"])["number"],
                                    handler="李")["number"], gist="答")
    # a row edited behind the program's back loses its reply: closing must still refuse
    Petition.update(reply_gist="", replied_on=None).where(Petition.id == full["id"]).execute()
    with pytest.raises(InvalidTransition) as err:
        P.close(office, p["number"])
    assert "reply" in err.value.message()
    assert P.get_petition(office, p["number"])["state"] == "replied"


# --- deadlines -------------------------------------------------------------------------------

def kinds(p: dict) -> dict[str, dict]:
    return {d["kind"]: d for d in p["deadlines"]}


def test_acceptance_notice_is_due_fifteen_days_after_receipt(office, villages):
    soon = reg(office, received_on=D(2026, 11, 14))  # due 11-29: two days left
    later = reg(office, received_on=D(2026, 11, 20))  # due 12-05: eight days left
    assert kinds(soon)["acceptance"]["due"] == D(2026, 11, 29)
    assert kinds(soon)["acceptance"]["state"] == "due_soon"
    assert kinds(later)["acceptance"]["state"] == "ok"
    met = P.accept(office, soon["number"], on=D(2026, 11, 20))
    assert kinds(met)["acceptance"] | {"met_on": D(2026, 11, 20), "state": "met"} == kinds(
        met)["acceptance"]
    late = reg(office, received_on=D(2026, 10, 1))
    late = P.accept(office, late["number"], on=D(2026, 10, 20))
    assert kinds(late)["acceptance"]["state"] == "late"


def test_handling_is_due_sixty_days_after_acceptance_and_extends_once(office, villages):
    p = reg(office, received_on=D(2026, 9, 20))
    p = P.accept(office, p["number"], on=D(2026, 9, 25))
    assert (p["next_due"], p["next_due_kind"]) == (D(2026, 11, 24), "handling")
    assert p["deadline_state"] == "overdue"
    # an extension after the period ended is refused: it must be approved in time
    with pytest.raises(InvalidTransition) as late:
        P.extend(office, p["number"], days=30, reason="复杂", approved_by="主任")
    assert "2026-11-24" in late.value.message()
    p = P.extend(office, p["number"], days=30, reason="需多部门会商", approved_by="主任",
                 on=D(2026, 11, 20))
    assert p["extension_days"] == 30 and p["extension_approved_by"] == "主任"
    assert (p["next_due"], p["deadline_state"]) == (D(2026, 12, 24), "ok")
    assert "extend" not in p["allowed_actions"]
    with pytest.raises(InvalidTransition) as twice:
        P.extend(office, p["number"], days=5, reason="再延", approved_by="主任")
    assert "once" in twice.value.message()


@pytest.mark.parametrize(("kw", "field"), [
    ({"days": 31}, "days"),
    ({"days": 0}, "days"),
    ({"days": "ten"}, "days"),
    ({"days": 10.5}, "days"),
    ({"reason": ""}, "reason"),
    ({"approved_by": " "}, "approved_by"),
])
def test_bad_extension_is_refused_and_nothing_changes(office, villages, kw, field):
    p = P.accept(office, reg(office, received_on=D(2026, 11, 20))["number"])
    args = {"days": 10, "reason": "复杂", "approved_by": "主任"} | kw
    with pytest.raises(ValidationError) as err:
        P.extend(office, p["number"], **args)
    assert err.value.field == field
    assert P.get_petition(office, p["number"])["extension_days"] == 0


def test_review_and_rereview_windows_and_answers(office, villages):
    p = reg(office, received_on=D(2026, 8, 1))
    n = p["number"]
    P.accept(office, n, on=D(2026, 8, 3))
    P.assign(office, n, handler="李", on=D(2026, 8, 3))
    p = P.reply(office, n, gist="答", on=D(2026, 9, 1))
    assert kinds(p)["review_request"]["due"] == D(2026, 10, 1)
    assert kinds(p)["review_request"]["party"] == "petitioner"
    assert kinds(p)["review_request"]["state"] == "lapsed"  # today is past it
    assert p["next_due"] is None  # the petitioner's window is not the office's deadline
    with pytest.raises(InvalidTransition) as closed:
        P.request_review(office, n, on=D(2026, 10, 2))
    assert "2026-10-01" in closed.value.message()
    p = P.request_review(office, n, on=D(2026, 10, 1))
    assert (p["next_due"], p["next_due_kind"]) == (D(2026, 10, 31), "review")
    p = P.review(office, n, gist="维持", on=D(2026, 11, 3))
    assert kinds(p)["review"]["state"] == "late"
    assert kinds(p)["rereview_request"]["due"] == D(2026, 12, 3)
    assert kinds(p)["rereview_request"]["state"] == "ok"
    p = P.request_rereview(office, n, on=D(2026, 11, 27))
    assert (p["next_due"], p["next_due_kind"], p["deadline_state"]) == (
        D(2026, 12, 27), "rereview", "ok")
    p = P.rereview(office, n, gist="维持", on=D(2026, 11, 27))
    assert kinds(p)["rereview"]["state"] == "met" and p["next_due"] is None


def test_working_day_counting_uses_the_office_calendar(office, villages):
    office.settings = settings(**{"petitions.day_counting": "working"})
    # 15 working days from Monday 2026-09-28 across the National Day holiday (10-01..07)
    # and the adjusted working Saturday 10-10: 9-29, 9-30, 10-8..10, 10-12..16, 10-19..23.
    p = reg(office, received_on=D(2026, 9, 28))
    assert kinds(p)["acceptance"]["due"] == D(2026, 10, 23)
    assert kinds(p)["acceptance"]["provisional"] is False
    p = P.accept(office, p["number"], on=D(2026, 10, 20))
    # 60 working days from 2026-10-20 reach into 2027, whose 调休 is not published yet
    handling = kinds(p)["handling"]
    assert handling["due"].year == 2027 and handling["provisional"] is True
    assert p["next_due"] == handling["due"]


def test_calendar_counting_is_the_default(office, villages):
    p = reg(office, received_on=D(2026, 9, 28))
    assert kinds(p)["acceptance"]["due"] == D(2026, 10, 13)


def test_recompute_deadlines_follows_a_changed_counting_rule(office, villages):
    p = reg(office, received_on=D(2026, 9, 28))
    assert p["next_due"] == D(2026, 10, 13)
    office.settings = settings(**{"petitions.day_counting": "working"})
    assert P.recompute_deadlines(office) == 1
    assert P.get_petition(office, p["number"])["next_due"] == D(2026, 10, 23)
    assert P.recompute_deadlines(office) == 0


def test_review_window_counts_working_days_when_set(office, villages):
    office.settings = settings(**{"petitions.day_counting": "working"})
    p = reg(office, received_on=D(2026, 9, 1))
    n = p["number"]
    P.accept(office, n, on=D(2026, 9, 2))
    P.assign(office, n, handler="李", on=D(2026, 9, 2))
    P.reply(office, n, gist="答", on=D(2026, 9, 18))
    # 30 working days from Friday 09-18: 09-20 (a worked Sunday) and 09-21..24 (5), not the
    # Mid-Autumn Friday 09-25, 09-28..30 (8), not 10-01..07, 10-08..10 (11, Saturday worked),
    # 10-12..16, 10-19..23, 10-26..30 (26), 11-02..05 (30); a calendar month is 10-18.
    window = kinds(P.get_petition(office, n))["review_request"]
    assert window["due"] == D(2026, 11, 5)
    p = P.request_review(office, n, on=D(2026, 10, 30))  # too late by calendar days
    assert p["state"] == "review_requested"


def test_two_clerks_accepting_the_same_petitions_accept_each_once(office, villages, clerks):
    import threading

    numbers = [reg(office, received_on=D(2026, 11, 20), petitioners=[{"name": f"甲{i}"}])[
        "number"] for i in range(8)]
    done: list[str] = []
    refused: list[str] = []
    lock = threading.Lock()

    def work(mine) -> None:
        for number in numbers:
            try:
                P.accept(mine, number, detail=False)
                outcome = done
            except InvalidTransition:
                outcome = refused
            with lock:
                outcome.append(number)

    clerks(office, work)
    assert sorted(done) == sorted(numbers) and sorted(refused) == sorted(numbers)
    accepts = PetitionEvent.select().where(PetitionEvent.action == "accept").count()
    assert accepts == len(numbers)
    assert journal.verify(office).ok


def test_petitioner_lines_parse_positionally_or_by_key():
    assert P.parse_petitioner("王五，13812345678,,V01") == {
        "name": "王五", "phone": "13812345678", "village": "V01"}
    assert P.parse_petitioner("name=李四, id=X1 ,address=3组") == {
        "name": "李四", "id_number": "X1", "address": "3组"}
    assert P.parse_petitioners("甲\n\n乙,139\n") == [{"name": "甲"},
                                                    {"name": "乙", "phone": "139"}]
    for bad in ("", "a,b,c,d,e,f", "name=甲,age=3"):
        with pytest.raises(ValidationError) as err:
            P.parse_petitioner(bad, "petition_representatives")
        assert err.value.field == "petition_representatives"
