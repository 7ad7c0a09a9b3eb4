"""Five-step decisions: every allowed step, and every refusal (out of order, votes that do
not add up, quorum or majority not met at steps 3 and 5, anything after a veto, results
before the resolution), each leaving nothing half-written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ledger import (
    Conflict,
    InvalidTransition,
    NotFound,
    ValidationError,
    decisions,
    journal,
    villages,
)
from ledger.decisions import rules

ATTEND = {"present": 5, "entitled": 5}
MEMBERS_OK = {"present": 30, "entitled": 45, "votes_for": 16, "votes_against": 10,
              "votes_abstain": 4}
REPS_OK = {"present": 20, "entitled": 30, "votes_for": 11, "votes_against": 6,
           "votes_abstain": 3}


@pytest.fixture
def village(office):
    villages.add_village(office, name="许庄村", code="V01")
    villages.add_village(office, name="东王村", code="V02")
    return office


def propose(office, **extra: Any) -> dict[str, Any]:
    data = {"village": "V01", "subject": "村东路硬化", "proposal": "硬化村东路 800 米",
            "kind": "project", "amount": "120000", "on": "2026-09-01", **ATTEND, **extra}
    return decisions.propose(office, **data)


def to_state(office, state: str, number: str | None = None) -> dict[str, Any]:
    """A decision taken up to ``state`` through the service, one step a day in September."""
    d = decisions.get_decision(office, number) if number else propose(office)
    n = d["number"]
    path = [
        ("deliberated", lambda: decisions.deliberate(office, n, on="2026-09-02", **ATTEND)),
        ("reviewed", lambda: decisions.members_review(office, n, on="2026-09-03",
                                                      **MEMBERS_OK)),
        ("approved", lambda: decisions.approve(office, n, on="2026-09-04")),
        ("resolved", lambda: decisions.resolve(office, n, on="2026-09-05", **REPS_OK)),
        ("resolution_published", lambda: decisions.publish(
            office, n, "resolution", place="村务公开栏", on="2026-09-06")),
        ("results_published", lambda: decisions.publish(
            office, n, "results", place="村务公开栏", on="2026-10-30")),
    ]
    for reached, call in path:
        if d["state"] == state:
            break
        d = call()
        assert d["state"] == reached
    return d


def steps_of(office, number: str) -> list[tuple[str, str]]:
    return [(s["step"], s["outcome"]) for s in decisions.get_decision(office, number)["steps"]]


# --- allowed ------------------------------------------------------------------------------

def test_the_whole_procedure_in_order(village):
    office = village
    d = propose(office, attachments=["预算表.pdf", "路线图.png"])
    assert d["number"] == "JC-2026-0001"
    assert (d["state"], d["amount"], d["attachments"]) == (
        "proposed", "120000.00", ["预算表.pdf", "路线图.png"])
    assert d["allowed_actions"] == ["committees_deliberation"]
    d = to_state(office, "results_published", d["number"])
    assert d["progress"] == 7 and d["allowed_actions"] == []
    assert [s["status"] for s in d["stages"]] == ["done"] * 7
    assert [s["on"] for s in d["stages"]][-1] == dt.date(2026, 10, 30)
    assert d["steps"][2]["votes_for"] == 16 and d["steps"][4]["meeting"] == "representatives"
    assert all(s["recorder"] == "tester" for s in d["steps"])
    actions = [e["action"] for e in journal.history(office, "decision", d["id"])]
    assert actions == ["branch_proposal", "committees_deliberation", "party_members_review",
                       "subdistrict_review", "villagers_resolution", "publish_resolution",
                       "publish_results"]
    assert d["version"] == 7


def test_the_stages_show_where_a_decision_waits(village):
    d = to_state(village, "reviewed")
    assert [s["status"] for s in d["stages"]] == [
        "done", "done", "done", "next", "pending", "pending", "pending"]
    assert d["allowed_actions"] == ["subdistrict_review", "veto"]
    assert "30 of 45 present" in d["stages"][2]["summary"]


def test_quorum_and_majority_exactly_at_the_limit_pass(village):
    office = village
    d = to_state(office, "deliberated")
    # 45 members: two thirds is 30 exactly, which is enough (三分之二以上 includes it);
    # 30 present: more than half is 16.
    d = decisions.members_review(office, d["number"], **MEMBERS_OK)
    assert d["state"] == "reviewed"
    decisions.approve(office, d["number"])
    # villagers' meeting: more than half of 101 adults is 51; 51 present, 26 for
    d = decisions.resolve(office, d["number"], meeting="villagers", present=51,
                          entitled=101, votes_for=26, votes_against=25, votes_abstain=0)
    assert d["state"] == "resolved" and d["steps"][-1]["meeting"] == "villagers"


def test_quorum_rules():
    assert rules.quorum_needed(45, rules.QUORUM["party_members"][0], True) == 30
    assert rules.quorum_needed(46, rules.QUORUM["party_members"][0], True) == 31
    assert rules.quorum_needed(100, rules.QUORUM["villagers"][0], False) == 51
    assert rules.quorum_needed(101, rules.QUORUM["villagers"][0], False) == 51


def test_veto_ends_the_decision_for_good(village):
    office = village
    d = to_state(office, "reviewed")
    d = decisions.veto(office, d["number"], reason="占用基本农田，违反土地管理法",
                       on="2026-09-04")
    assert d["state"] == "vetoed" and d["veto_reason"].startswith("占用基本农田")
    assert d["allowed_actions"] == []
    assert [s["status"] for s in d["stages"]] == [
        "done", "done", "done", "vetoed", "never", "never", "never"]
    for call in (lambda: decisions.resolve(office, d["number"], **REPS_OK),
                 lambda: decisions.approve(office, d["number"]),
                 lambda: decisions.veto(office, d["number"], reason="again"),
                 lambda: decisions.publish(office, d["number"], "resolution", place="栏"),
                 lambda: decisions.deliberate(office, d["number"], **ATTEND)):
        with pytest.raises(InvalidTransition) as err:
            call()
        assert err.value.key == "error.decision_vetoed"
        assert "占用基本农田" in err.value.message()
    assert decisions.get_decision(office, d["number"])["state"] == "vetoed"
    assert len(steps_of(office, d["number"])) == 4


def test_veto_needs_a_reason(village):
    d = to_state(village, "reviewed")
    with pytest.raises(ValidationError) as err:
        decisions.veto(village, d["number"], reason="  ")
    assert err.value.field == "reason"
    assert decisions.get_decision(village, d["number"])["state"] == "reviewed"


# --- refused --------------------------------------------------------------------------------

@pytest.mark.parametrize("state, action", [
    ("proposed", "party_members_review"),
    ("proposed", "subdistrict_review"),
    ("proposed", "villagers_resolution"),
    ("deliberated", "committees_deliberation"),
    ("deliberated", "veto"),
    ("reviewed", "villagers_resolution"),
    ("approved", "veto"),
    ("approved", "publish_resolution"),
    ("resolved", "villagers_resolution"),
])
def test_a_step_out_of_order_is_refused(village, state, action):
    office = village
    d = to_state(office, state)
    before = steps_of(office, d["number"])
    kwargs: dict[str, Any] = {**REPS_OK, "meeting": "representatives"} \
        if action in ("party_members_review", "villagers_resolution") else {}
    if action == "committees_deliberation":
        kwargs = dict(ATTEND)
    if action == "veto":
        kwargs = {"reason": "违反政策"}
    if action == "publish_resolution":
        kwargs = {"place": "栏"}
    with pytest.raises(InvalidTransition) as err:
        decisions.take_step(office, d["number"], action, **kwargs)
    assert err.value.key == "error.decision_out_of_order"
    assert d["number"] in err.value.message()
    assert steps_of(office, d["number"]) == before
    assert decisions.get_decision(office, d["number"])["state"] == state


def test_results_before_the_resolution_is_refused(village):
    d = to_state(village, "resolved")
    with pytest.raises(InvalidTransition) as err:
        decisions.publish(village, d["number"], "results", place="村务公开栏")
    assert err.value.key == "error.decision_results_first"
    d = decisions.publish(village, d["number"], "resolution", place="村务公开栏")
    d = decisions.publish(village, d["number"], "results", place="微信群")
    assert d["state"] == "results_published"
    with pytest.raises(InvalidTransition) as err:
        decisions.publish(village, d["number"], "results", place="微信群")
    assert err.value.key == "error.decision_complete"


def test_a_disclosure_needs_its_place(village):
    d = to_state(village, "resolved")
    with pytest.raises(ValidationError) as err:
        decisions.publish(village, d["number"], "resolution", place="")
    assert err.value.field == "place"


@pytest.mark.parametrize("meeting, field", [
    ({"present": 30, "entitled": 45, "votes_for": 16, "votes_against": 10,
      "votes_abstain": 3}, "votes"),  # 29 votes, 30 present
    ({"present": 30, "entitled": 45, "votes_for": 20, "votes_against": 10,
      "votes_abstain": 1}, "votes"),  # 31 votes
    ({"present": 46, "entitled": 45, "votes_for": 46, "votes_against": 0,
      "votes_abstain": 0}, "present"),  # more present than entitled
    ({"present": 30, "entitled": 45, "votes_for": 30, "votes_against": 0}, "votes_abstain"),
    ({"present": 30, "entitled": 45}, "votes_for"),  # step 3 must vote
    ({"present": -1, "entitled": 45, "votes_for": 0, "votes_against": 0,
      "votes_abstain": 0}, "present"),
    ({"present": "thirty", "entitled": 45, "votes_for": 0, "votes_against": 0,
      "votes_abstain": 0}, "present"),
    ({"present": 0, "entitled": 0, "votes_for": 0, "votes_against": 0,
      "votes_abstain": 0}, "entitled"),
])
def test_votes_that_do_not_add_up_are_refused(village, meeting, field):
    office = village
    d = to_state(office, "deliberated")
    with pytest.raises(ValidationError) as err:
        decisions.members_review(office, d["number"], **meeting)
    assert err.value.field == field
    # bad input is no meeting: nothing recorded, not even as refused
    assert steps_of(office, d["number"])[-1] == ("committees_deliberation", "done")
    assert decisions.get_decision(office, d["number"])["version"] == 2


def test_the_sum_error_names_the_numbers(village):
    d = to_state(village, "deliberated")
    with pytest.raises(ValidationError) as err:
        decisions.members_review(village, d["number"], present=30, entitled=45, votes_for=16,
                                 votes_against=10, votes_abstain=3)
    assert err.value.message() == (
        "votes: 16 for + 10 against + 3 abstaining = 29, not the 30 present")


def test_no_quorum_at_step_3_is_refused_and_recorded(village):
    office = village
    d = to_state(office, "deliberated")
    with pytest.raises(InvalidTransition) as err:
        decisions.members_review(office, d["number"], present=29, entitled=45, votes_for=29,
                                 votes_against=0, votes_abstain=0, on="2026-09-03")
    assert err.value.key == "error.decision_no_quorum"
    assert err.value.message() == (
        "the Party members' meeting had no quorum: 29 of 45 present, 30 needed "
        "(two thirds of the Party members must be present)")
    d = decisions.get_decision(office, d["number"])
    assert d["state"] == "deliberated" and d["version"] == 2
    assert d["steps"][-1]["outcome"] == "refused" and d["steps"][-1]["present"] == 29
    assert d["stages"][2]["status"] == "next"  # the refused meeting is not the step
    refused = journal.history(office, "decision", d["id"])[-1]
    assert refused["action"] == "refused"
    assert refused["after"]["refusal"] == "error.decision_no_quorum"
    # the meeting held again, with a quorum, goes on
    d = decisions.members_review(office, d["number"], **MEMBERS_OK)
    assert d["state"] == "reviewed"


def test_not_passed_at_step_3_is_refused(village):
    d = to_state(village, "deliberated")
    with pytest.raises(InvalidTransition) as err:
        decisions.members_review(village, d["number"], present=30, entitled=45,
                                 votes_for=15, votes_against=15, votes_abstain=0)
    assert err.value.key == "error.decision_not_passed"
    assert "15 for" in err.value.message() and "(16)" in err.value.message()
    assert decisions.get_decision(village, d["number"])["state"] == "deliberated"


@pytest.mark.parametrize("meeting, present, entitled, key", [
    ("representatives", 19, 30, "error.decision_no_quorum"),  # 20 needed
    ("villagers", 50, 100, "error.decision_no_quorum"),  # more than half: 51
    ("households", 39, 60, "error.decision_no_quorum"),  # 40 needed
    ("representatives", 20, 30, "error.decision_not_passed"),  # 10 for of 20: not > half
])
def test_quorum_or_majority_not_met_at_step_5_is_refused(village, meeting, present,
                                                         entitled, key):
    office = village
    d = to_state(office, "approved")
    votes_for = present // 2 if key == "error.decision_not_passed" else present
    with pytest.raises(InvalidTransition) as err:
        decisions.resolve(office, d["number"], meeting=meeting, present=present,
                          entitled=entitled, votes_for=votes_for,
                          votes_against=present - votes_for, votes_abstain=0)
    assert err.value.key == key
    assert str(present) in err.value.message() and str(entitled if key.endswith("quorum")
                                                       else present) in err.value.message()
    d = decisions.get_decision(office, d["number"])
    assert d["state"] == "approved" and d["steps"][-1]["outcome"] == "refused"
    assert decisions.report(office, year=2026)["villages"][0]["resolved"] == 0


def test_a_step_may_not_precede_the_last_or_be_in_the_future(village):
    d = to_state(village, "proposed")
    with pytest.raises(ValidationError) as err:
        decisions.deliberate(village, d["number"], on="2026-08-31", **ATTEND)
    assert err.value.field == "on" and "2026-09-01" in err.value.message()
    with pytest.raises(ValidationError) as err:
        decisions.deliberate(village, d["number"], on="2026-11-28", **ATTEND)
    assert err.value.field == "on"
    d = decisions.deliberate(village, d["number"], **ATTEND)  # today by default
    assert d["last_on"] == dt.date(2026, 11, 27)


@pytest.mark.parametrize("change, field", [
    ({"village": "V99"}, "village"),
    ({"village": ""}, "village"),
    ({"subject": " "}, "subject"),
    ({"proposal": ""}, "proposal"),
    ({"kind": "bribe"}, "kind"),
    ({"amount": "-1"}, "amount"),
    ({"amount": "12.345"}, "amount"),
    ({"amount": "lots"}, "amount"),
    ({"amount": "NaN"}, "amount"),
    ({"present": 6, "entitled": 5}, "present"),
    ({"on": "2026-13-01"}, "on"),
])
def test_a_bad_proposal_is_refused_naming_its_field(village, change, field):
    with pytest.raises(ValidationError) as err:
        propose(village, **change)
    assert err.value.field == field
    assert decisions.count_decisions(village) == 0


def test_a_stale_version_is_a_conflict(village):
    d = to_state(village, "proposed")
    decisions.deliberate(village, d["number"], version=d["version"], **ATTEND)
    with pytest.raises(Conflict) as err:
        decisions.members_review(village, d["number"], version=d["version"], **MEMBERS_OK)
    assert err.value.key == "error.stale_version"
    assert "deliberated" in err.value.message()  # what the other clerk's step left


def test_edit_only_before_the_members_review(village):
    d = to_state(village, "proposed")
    d = decisions.edit_decision(village, d["number"], amount="99000.5", version=1)
    assert d["amount"] == "99000.50" and d["version"] == 2
    d = to_state(village, "reviewed", d["number"])
    with pytest.raises(Conflict):
        decisions.edit_decision(village, d["number"], subject="别的")


def test_unknown_decision_is_not_found(village):
    with pytest.raises(NotFound):
        decisions.get_decision(village, "JC-2026-0099")
    with pytest.raises(NotFound):
        decisions.deliberate(village, "nonsense", **ATTEND)


# --- lists and report -------------------------------------------------------------------------

def test_list_filters(village):
    office = village
    a = to_state(office, "reviewed")
    b = to_state(office, "reviewed")
    decisions.veto(office, b["number"], reason="违反政策")
    c = propose(office, village="V02", kind="spending")
    f = decisions.DecisionFilter
    numbers = lambda filt: [r["number"] for r in decisions.list_decisions(office, filt)]  # noqa: E731
    assert numbers(f()) == [c["number"], b["number"], a["number"]]
    assert numbers(f(waiting=True)) == [a["number"]]
    assert numbers(f(state="waiting_subdistrict")) == [a["number"]]
    assert numbers(f(vetoed=True)) == [b["number"]]
    assert numbers(f(village="v02")) == [c["number"]]
    assert numbers(f(kind="spending")) == [c["number"]]
    assert numbers(f(search="0002")) == [b["number"]]
    assert numbers(f(year=2025)) == []
    assert decisions.count_decisions(office, f(village="V01")) == 2
    assert decisions.list_decisions(office, f(), offset=1, limit=1)[0]["number"] == b["number"]
    with pytest.raises(ValidationError) as err:
        decisions.list_decisions(office, f(village="V99"))
    assert err.value.field == "village"
    with pytest.raises(ValidationError):
        decisions.list_decisions(office, f(state="lost"))


def test_report_counts_resolutions_and_disclosures_of_the_year(village):
    office = village
    to_state(office, "results_published")
    to_state(office, "resolved")
    v = to_state(office, "reviewed")
    decisions.veto(office, v["number"], reason="违反政策")
    row = decisions.report(office, year=2026)["villages"][0]
    assert (row["proposed"], row["vetoed"], row["resolved"], row["resolution_published"],
            row["results_published"]) == (3, 1, 2, 1, 1)
    assert decisions.report(office, year=2025)["villages"][0]["resolved"] == 0


def test_two_clerks_recording_the_same_step_record_it_once(village, clerks):
    """The row is locked before its state is read: the second clerk sees the step taken
    and is refused, rather than both writing it (PostgreSQL reads without FOR UPDATE would)."""
    import threading

    d = propose(village)
    outcomes: list[str] = []
    lock = threading.Lock()

    def work(mine) -> None:
        try:
            decisions.deliberate(mine, d["number"], **ATTEND)
            result = "done"
        except InvalidTransition as err:
            result = err.key
        with lock:
            outcomes.append(result)

    clerks(village, work)
    assert sorted(outcomes) == ["done", "error.decision_out_of_order"]
    assert steps_of(village, d["number"]) == [("branch_proposal", "proposed"),
                                              ("committees_deliberation", "done")]
    assert journal.verify(village).ok


def test_bad_year_and_version_are_validation_errors(village):
    d = to_state(village, "proposed")
    for call, field in ((lambda: decisions.list_decisions(
            village, decisions.DecisionFilter(year="twenty")), "year"),
            (lambda: decisions.report(village, year=1900), "year"),
            (lambda: decisions.deliberate(village, d["number"], version="x", **ATTEND),
             "version")):
        with pytest.raises(ValidationError) as err:
            call()
        assert err.value.field == field


def test_report_counts_a_disclosure_in_the_year_it_was_made(village):
    office = village
    d = propose(office, on="2025-12-01")
    n = d["number"]
    decisions.deliberate(office, n, on="2025-12-02", **ATTEND)
    decisions.members_review(office, n, on="2025-12-03", **MEMBERS_OK)
    decisions.approve(office, n, on="2025-12-04")
    decisions.resolve(office, n, on="2025-12-05", **REPS_OK)
    decisions.publish(office, n, "resolution", place="栏", on="2025-12-20")
    decisions.publish(office, n, "results", place="栏", on="2026-01-10")
    row_2025 = decisions.report(office, year=2025)["villages"][0]
    assert (row_2025["proposed"], row_2025["resolved"], row_2025["resolution_published"],
            row_2025["results_published"]) == (1, 1, 1, 0)
    row_2026 = decisions.report(office, year=2026)["villages"][0]
    assert (row_2026["proposed"], row_2026["resolved"]) == (0, 0)


def test_out_of_order_names_the_step_that_comes_next_once(village):
    d = to_state(village, "reviewed")
    with pytest.raises(InvalidTransition) as err:
        decisions.resolve(village, d["number"], **REPS_OK)
    assert err.value.message().endswith("next: subdistrict Party committee review")
