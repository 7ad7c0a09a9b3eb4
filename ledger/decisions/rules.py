"""The rules of a five-step decision (五步决策法, built on 四议两公开): its steps in order,
the meetings' quorum and majority, and the validator of a decision's fields.

The steps, each leaving the decision in a new ``state``:

1. ``branch_proposal`` (党支部提议) creates the decision: ``proposed``;
2. ``committees_deliberation`` (两委商议): ``deliberated``;
3. ``party_members_review`` (党员大会审议): at least two thirds of the Party members present,
   passed by more than half of those present: ``reviewed`` (waiting on the subdistrict);
4. ``subdistrict_review`` (街道党委审核): approved (``approved``), or vetoed with the policy
   reason (``veto``: ``vetoed``, final: no step ever follows a veto);
5. ``villagers_resolution`` (村民(代表)会议决议), under the 村民委员会组织法: a villagers'
   representatives' meeting needs two thirds of its members present (第二十六条), a
   villagers' meeting more than half of the adult villagers or two thirds of the households'
   representatives (第二十二条); either passes by more than half of those present: ``resolved``;

then ``publish_resolution`` (决议公开: ``resolution_published``) and, only after it,
``publish_results`` (实施结果公开: ``results_published``, the end).

"Two thirds or more" (三分之二以上) includes two thirds exactly (以上 includes the number, 民法典
第一千二百五十九条); "more than half" (过半数) does not include half.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from ledger import steps
from ledger.errors import InvalidTransition, ValidationError
from ledger.fields import choice, int_field, text_field
from ledger.i18n import value_label
from ledger.office import Office
from ledger.steps import Target

KINDS = ("spending", "contract", "land", "project", "other")

# states
PROPOSED, DELIBERATED, REVIEWED, APPROVED, VETOED, RESOLVED = (
    "proposed", "deliberated", "reviewed", "approved", "vetoed", "resolved")
RESOLUTION_PUBLISHED, RESULTS_PUBLISHED = "resolution_published", "results_published"
STATES = (PROPOSED, DELIBERATED, REVIEWED, APPROVED, VETOED, RESOLVED, RESOLUTION_PUBLISHED,
          RESULTS_PUBLISHED)
FINAL_STATES = (VETOED, RESULTS_PUBLISHED)
# a pseudo-state for filters: passed step 3, not yet reviewed by the subdistrict
WAITING = "waiting_subdistrict"

# the five steps and the two disclosures, in order: the seven stages a decision goes through
STEPS = ("branch_proposal", "committees_deliberation", "party_members_review",
         "subdistrict_review", "villagers_resolution")
DISCLOSURES = ("publish_resolution", "publish_results")
STAGES = STEPS + DISCLOSURES

# action -> (the states it may start from, the state it leaves): ``ledger.steps``' shape.
# "" is "no decision yet": the proposal creates the record (it is no step of ``run_step``).
# "veto" is step 4's other outcome.
TRANSITIONS: dict[str, tuple[tuple[str, ...], Target]] = {
    "branch_proposal": (("",), PROPOSED),
    "committees_deliberation": ((PROPOSED,), DELIBERATED),
    "party_members_review": ((DELIBERATED,), REVIEWED),
    "subdistrict_review": ((REVIEWED,), APPROVED),
    "veto": ((REVIEWED,), VETOED),
    "villagers_resolution": ((APPROVED,), RESOLVED),
    "publish_resolution": ((RESOLVED,), RESOLUTION_PUBLISHED),
    "publish_results": ((RESOLUTION_PUBLISHED,), RESULTS_PUBLISHED),
}
ACTIONS = tuple(TRANSITIONS)
# the step an action records (a veto is step 4 with the other outcome)
STEP_OF = {**{a: a for a in ACTIONS}, "veto": "subdistrict_review"}
IRREVERSIBLE = ("veto",)

# Meetings and their rules: (quorum as a fraction of those entitled, whether exactly that
# fraction is enough). Every meeting passes by more than half of those present.
MEETINGS = ("representatives", "villagers", "households")
QUORUM: dict[str, tuple[Fraction, bool]] = {
    "party_members": (Fraction(2, 3), True),  # 三分之二以上党员到会
    "representatives": (Fraction(2, 3), True),  # 村民代表会议：三分之二以上组成人员参加
    "villagers": (Fraction(1, 2), False),  # 村民会议：本村十八周岁以上村民过半数参加
    "households": (Fraction(2, 3), True),  # 或本村三分之二以上的户的代表参加
}
# steps whose meeting must vote, and the meeting that sets their quorum (step 5: chosen)
VOTING = {"party_members_review": "party_members", "villagers_resolution": None}
# steps that record a meeting's attendance (votes optional where they do not vote)
MEETING_STEPS = ("branch_proposal", "committees_deliberation", "party_members_review",
                 "villagers_resolution")

MAX_SUBJECT = 200
MAX_TEXT = 10000
MAX_ATTACHMENTS = 50
MAX_PLACE = 200
MAX_COUNT = 1_000_000  # people at a meeting: far above any village
MAX_AMOUNT = Decimal("1e15")


def next_actions(state: str) -> list[str]:
    """The actions the procedure allows from ``state``, in order."""
    return steps.allowed_actions(TRANSITIONS, state)


def allowed_actions(decision: dict[str, Any]) -> list[str]:
    return next_actions(decision["state"])


OUTCOMES = {"veto": "vetoed", "subdistrict_review": "approved",
            "publish_resolution": "published", "publish_results": "published"}


def outcome(action: str) -> str:
    """What the timeline says a step taken came to (a refused meeting: ``refused``)."""
    return OUTCOMES.get(action, "passed" if STEP_OF[action] in VOTING else "done")


def progress(state: str) -> int:
    """How many of the seven stages (five steps, two disclosures) are done."""
    order = {PROPOSED: 1, DELIBERATED: 2, REVIEWED: 3, APPROVED: 4, VETOED: 4, RESOLVED: 5,
             RESOLUTION_PUBLISHED: 6, RESULTS_PUBLISHED: 7}
    return order.get(state, 0)


def refusal(action: str, state: str, number: str, veto_reason: str = "") -> InvalidTransition:
    """Why ``action`` cannot be taken from ``state`` (the step runner's refusal hook): after
    a veto nothing, after the results nothing, results before the resolution, and out of
    order the step that comes next."""
    if state == VETOED:
        return InvalidTransition("error.decision_vetoed", number=number, reason=veto_reason)
    if state == RESULTS_PUBLISHED:
        return InvalidTransition("error.decision_complete", number=number)
    if action == "publish_results" and state == RESOLVED:
        return InvalidTransition("error.decision_results_first", number=number)
    upcoming = dict.fromkeys(STEP_OF[a] for a in next_actions(state))  # approve/veto: one
    expected = "、".join(value_label("decision_step", s) for s in upcoming)
    return InvalidTransition("error.decision_out_of_order", number=number,
                             step=value_label("decision_step", STEP_OF[action]),
                             state=value_label("decision_state", state),
                             expected=expected or value_label("decision_state", state))


# --- field validators -----------------------------------------------------------------------

def count_field(field: str, value: Any, *, required: bool = False) -> int | None:
    """A count of people at a meeting (0 or more)."""
    return int_field(field, value, 0, MAX_COUNT, required=required)


def amount_field(value: Any) -> str | None:
    """Money in yuan as exact decimal text with two places; blank is no amount."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float | bool):
        # a float has already lost the cents it was typed with
        raise ValidationError("amount", "error.decision_bad_amount", value=value)
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValidationError("amount", "error.decision_bad_amount", value=value) from None
    if not amount.is_finite() or amount < 0 or amount >= MAX_AMOUNT:
        raise ValidationError("amount", "error.decision_bad_amount", value=value)
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError("amount", "error.decision_amount_cents", value=value)
    return str(amount.quantize(Decimal("0.01")))


def attachments_field(value: Any) -> list[str]:
    """Names or paths of the papers the proposal refers to: a list, or text one per line
    (or separated by ``;``)."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        parts = [p for chunk in value.splitlines() for p in chunk.split(";")]
    elif isinstance(value, list | tuple):
        parts = [str(p) for p in value]
    else:
        raise ValidationError("attachments", "error.decision_bad_attachments")
    names = [text_field("attachments", p, 300) for p in parts]
    names = [n for n in names if n]
    if len(names) > MAX_ATTACHMENTS:
        raise ValidationError("attachments", "error.decision_many_attachments",
                              max=MAX_ATTACHMENTS)
    return names


def clean_decision(office: Office, data: dict[str, Any], *,
                   current: dict[str, Any] | None = None) -> dict[str, Any]:
    """THE validator of a decision's own fields (subject, kind, amount, proposal,
    attachments); the village is looked up by the caller."""
    merged = {**(current or {}), **data}
    return {
        "subject": text_field("subject", merged.get("subject"), MAX_SUBJECT, required=True),
        "kind": choice("kind", merged.get("kind") or "other", KINDS),
        "amount": amount_field(merged.get("amount")),
        "proposal": text_field("proposal", merged.get("proposal"), MAX_TEXT, required=True),
        "attachments": attachments_field(merged.get("attachments")),
    }


def load_attachments(raw: str | None) -> list[str]:
    return list(json.loads(raw or "[]"))


# --- meetings ---------------------------------------------------------------------------------

def clean_meeting(step: str, *, present: Any, entitled: Any, votes_for: Any = None,
                  votes_against: Any = None, votes_abstain: Any = None,
                  meeting: Any = None) -> dict[str, Any]:
    """A meeting's record checked as a record: counts that add up (refused as bad input,
    nothing stored). Whether the meeting could decide is ``meeting_refusal``'s question."""
    voting = step in VOTING
    present_n = count_field("present", present, required=True)
    entitled_n = count_field("entitled", entitled, required=True)
    assert present_n is not None and entitled_n is not None
    if entitled_n < 1:
        raise ValidationError("entitled", "error.decision_nobody_entitled")
    if present_n > entitled_n:
        raise ValidationError("present", "error.decision_present_over", present=present_n,
                              entitled=entitled_n)
    votes = [count_field(f, v, required=voting) for f, v in
             (("votes_for", votes_for), ("votes_against", votes_against),
              ("votes_abstain", votes_abstain))]
    given = [v for v in votes if v is not None]
    if given and len(given) < 3:
        # a partial count cannot be checked against those present
        missing = [f for f, v in zip(("votes_for", "votes_against", "votes_abstain"), votes,
                                     strict=True) if v is None]
        raise ValidationError(missing[0], "error.decision_votes_partial")
    if given and sum(given) != present_n:
        raise ValidationError("votes", "error.decision_votes_sum", votes_for=votes[0],
                              votes_against=votes[1], votes_abstain=votes[2],
                              total=sum(given), present=present_n)
    kind = ""
    if step == "villagers_resolution":
        kind = choice("meeting", meeting or "representatives", MEETINGS)
    return {"present": present_n, "entitled": entitled_n, "votes_for": votes[0],
            "votes_against": votes[1], "votes_abstain": votes[2], "meeting": kind}


def meeting_refusal(step: str, record: dict[str, Any]) -> InvalidTransition | None:
    """Why a voting meeting could not decide (no quorum; not passed by more than half of
    those present), naming the numbers; None when it could. The meeting was held, so the
    service keeps it in the timeline as refused, and the step is not taken."""
    if step not in VOTING:
        return None
    rule = VOTING[step] or record["meeting"]
    present, entitled, votes_for = record["present"], record["entitled"], record["votes_for"]
    share, inclusive = QUORUM[rule]
    needed = quorum_needed(entitled, share, inclusive)
    if present < needed:
        return InvalidTransition("error.decision_no_quorum",
                                 meeting=value_label("decision_meeting", rule),
                                 present=present, entitled=entitled, needed=needed,
                                 rule=value_label("decision_quorum", rule))
    majority = present // 2 + 1
    if votes_for < majority:
        return InvalidTransition("error.decision_not_passed",
                                 meeting=value_label("decision_meeting", rule),
                                 votes_for=votes_for, present=present, needed=majority)
    return None


def quorum_needed(entitled: int, share: Fraction, inclusive: bool) -> int:
    """The fewest people present that make a quorum of ``share`` of ``entitled``."""
    exact = share * entitled
    whole = exact.numerator // exact.denominator
    if exact.denominator == 1:
        return whole if inclusive else whole + 1
    return whole + 1
