"""Five-step decisions for major village affairs (五步决策法, built on 四议两公开).

    from ledger import decisions
    d = decisions.propose(office, village="V01", subject="…", proposal="…", present=5,
                          entitled=5)
    decisions.deliberate(office, d["number"], present=9, entitled=9)
    decisions.members_review(office, d["number"], present=30, entitled=40, votes_for=25,
                             votes_against=3, votes_abstain=2)
    decisions.approve(office, d["number"])        # or decisions.veto(…, reason="…")
    decisions.resolve(office, d["number"], meeting="representatives", present=20, …)
    decisions.publish(office, d["number"], "resolution", place="村务公开栏")
"""

from ledger.decisions.query import (
    DecisionFilter,
    count_decisions,
    decision_dict,
    find_decision,
    get_decision,
    iter_decisions,
    list_decisions,
    stages,
    step_summary,
)
from ledger.decisions.report import report
from ledger.decisions.rules import (
    ACTIONS,
    DISCLOSURES,
    FINAL_STATES,
    IRREVERSIBLE,
    KINDS,
    MEETINGS,
    STAGES,
    STATES,
    STEPS,
    TRANSITIONS,
    WAITING,
    allowed_actions,
    clean_decision,
)
from ledger.decisions.service import (
    PUBLISH,
    approve,
    deliberate,
    edit_decision,
    members_review,
    propose,
    publish,
    resolve,
    take_step,
    veto,
)

__all__ = [
    "ACTIONS", "DISCLOSURES", "FINAL_STATES", "IRREVERSIBLE", "KINDS", "MEETINGS",
    "PUBLISH", "STAGES", "STATES", "STEPS", "TRANSITIONS", "WAITING", "DecisionFilter",
    "allowed_actions", "approve", "clean_decision", "count_decisions", "decision_dict",
    "deliberate", "edit_decision", "find_decision", "get_decision", "iter_decisions",
    "list_decisions", "members_review", "propose", "publish", "report", "resolve", "stages",
    "step_summary", "take_step", "veto",
]
