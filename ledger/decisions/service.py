"""Use cases that change a decision: the branch's proposal creates it, then one function per
step (``deliberate``, ``members_review``, ``approve``, ``veto``, ``resolve``) and the two
disclosures (``publish``). ``take_step`` is the one runner they share.

Each runs in one transaction: it locks the decision, refuses what the procedure does not
allow (``rules.check_transition``: out of order, anything after a veto), checks the meeting
(``rules.clean_meeting``: counts that add up, quorum and majority), then writes the step (the
record's timeline) and one journal entry with the decision before and after.

A step's date (``on``) defaults to today; it may not be in the future nor before the
decision's previous step. The recorder is the operator.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ledger import journal, numbering, versions
from ledger.decisions import rules
from ledger.decisions.query import decision_dict, find_decision
from ledger.errors import Conflict, ValidationError
from ledger.fields import date_field, text_field
from ledger.lookups import village_ref
from ledger.models.decisions import Decision, DecisionStep
from ledger.office import Office

NUMBER_PREFIX = "JC"  # 决策
MAX_NOTE = 2000


def _stored(row: Decision) -> dict[str, Any]:
    """What the journal keeps as before/after."""
    return {"number": row.number, "village_id": row.village_id, "subject": row.subject,
            "kind": row.kind, "amount": row.amount, "proposal": row.proposal,
            "attachments": rules.load_attachments(row.attachments), "state": row.state,
            "proposed_on": row.proposed_on, "last_on": row.last_on,
            "veto_reason": row.veto_reason, "version": row.version}


def _day(office: Office, value: Any, not_before: dt.date | None) -> dt.date:
    day = date_field("on", value) or office.today()
    if day > office.today():
        raise ValidationError("on", "error.day_in_future", on=day.isoformat())
    if day.year < 2000:
        raise ValidationError("on", "error.day_too_old")
    if not_before is not None and day < not_before:
        raise ValidationError("on", "error.decision_before_last", on=day.isoformat(),
                              last=not_before.isoformat())
    return day


def propose(office: Office, *, village: Any, subject: str, proposal: str, kind: str = "other",
            amount: Any = None, attachments: Any = None, on: Any = None, present: Any = None,
            entitled: Any = None, votes_for: Any = None, votes_against: Any = None,
            votes_abstain: Any = None, note: str = "") -> dict[str, Any]:
    """Step 1, the Party branch's proposal (党支部提议), with its meeting's attendance
    (and votes, if it took one): creates the decision."""
    place = village_ref(village, required=True)
    assert place is not None
    data = rules.clean_decision(office, {"subject": subject, "kind": kind, "amount": amount,
                                         "proposal": proposal, "attachments": attachments})
    meeting = rules.clean_meeting("branch_proposal", present=present, entitled=entitled,
                                  votes_for=votes_for, votes_against=votes_against,
                                  votes_abstain=votes_abstain)
    day = _day(office, on, None)
    note = text_field("note", note, MAX_NOTE)
    now = office.now()
    with office.transaction():
        number = numbering.next_number(office, NUMBER_PREFIX, day.year)
        row = Decision.create(
            number=number, village=place.id, subject=data["subject"], kind=data["kind"],
            amount=data["amount"], proposal=data["proposal"],
            attachments=json.dumps(data["attachments"], ensure_ascii=False),
            state=rules.PROPOSED, proposed_on=day, last_on=day, created_at=now,
            updated_at=now)
        DecisionStep.create(decision=row.id, step="branch_proposal", outcome="proposed",
                            on=day, note=note, recorder=office.operator, at=now,
                            **_meeting_columns(meeting))
        journal.record(office, "decision", row.id, "branch_proposal", after=_stored(row),
                       note=note)
    return decision_dict(office, row)


def _meeting_columns(meeting: dict[str, Any]) -> dict[str, Any]:
    return {k: meeting[k] for k in ("present", "entitled", "votes_for", "votes_against",
                                    "votes_abstain", "meeting")}


def take_step(office: Office, ref: Any, action: str, *, on: Any = None, present: Any = None,
              entitled: Any = None, votes_for: Any = None, votes_against: Any = None,
              votes_abstain: Any = None, meeting: Any = None, reason: str = "",
              place: str = "", note: str = "", version: Any = None) -> dict[str, Any]:
    """Record ``action`` (a step after the proposal, a veto, a disclosure) on decision
    ``ref``: the one runner every step shares."""
    if action not in rules.TRANSITIONS or action == "branch_proposal":
        raise ValidationError("step", "error.bad_choice", value=action,
                              choices=", ".join(rules.ACTIONS[1:]))
    note = text_field("note", note, MAX_NOTE)
    now = office.now()
    refusal = None
    with office.transaction():
        row = versions.lock(Decision, find_decision(ref).id)
        # a step is a change like an edit: on a stale version the clerk learns what moved
        versions.check(row, version, "decision", _stored(row),
                       {"state": rules.TRANSITIONS[action][1]}, ref=row.number)
        target = rules.check_transition(action, row.state, row.number, row.veto_reason)
        step = rules.STEP_OF[action]
        day = _day(office, on, row.last_on)
        reason = (text_field("reason", reason, rules.MAX_TEXT, required=True)
                  if action == "veto" else "")
        place = (text_field("place", place, rules.MAX_PLACE, required=True)
                 if action in rules.DISCLOSURES else "")
        columns: dict[str, Any] = {"present": None, "entitled": None, "votes_for": None,
                                   "votes_against": None, "votes_abstain": None,
                                   "meeting": ""}
        if step in rules.MEETING_STEPS:
            columns = _meeting_columns(rules.clean_meeting(
                step, present=present, entitled=entitled, votes_for=votes_for,
                votes_against=votes_against, votes_abstain=votes_abstain, meeting=meeting))
            refusal = rules.meeting_refusal(step, columns)
        if refusal is not None:
            # The meeting was held but could not decide: its record stays in the timeline
            # and the journal as refused; the decision does not move.
            DecisionStep.create(decision=row.id, step=step, outcome="refused", on=day,
                                note=note, recorder=office.operator, at=now, **columns)
            journal.record(office, "decision", row.id, "refused",
                           after={"step": step, "on": day, **columns,
                                  "refusal": refusal.key, "refusal_params": refusal.params},
                           note=note)
        else:
            before = _stored(row)
            outcome = {"veto": "vetoed", "subdistrict_review": "approved",
                       "publish_resolution": "published", "publish_results": "published"}.get(
                action, "passed" if step in rules.VOTING else "done")
            DecisionStep.create(decision=row.id, step=step, outcome=outcome, on=day,
                                place=place, reason=reason, note=note,
                                recorder=office.operator, at=now, **columns)
            row.state = target
            row.last_on = day
            if action == "veto":
                row.veto_reason = reason
            versions.bump(row)
            row.updated_at = now
            row.save()
            journal.record(office, "decision", row.id, action, before=before,
                           after=_stored(row), note=note or reason)
    if refusal is not None:
        raise refusal
    return decision_dict(office, row)


def deliberate(office: Office, ref: Any, **meeting: Any) -> dict[str, Any]:
    """Step 2, the two committees' deliberation (两委商议)."""
    return take_step(office, ref, "committees_deliberation", **meeting)


def members_review(office: Office, ref: Any, **meeting: Any) -> dict[str, Any]:
    """Step 3, the Party members' meeting (党员大会审议): quorum and majority checked."""
    return take_step(office, ref, "party_members_review", **meeting)


def approve(office: Office, ref: Any, *, on: Any = None, note: str = "",
            version: Any = None) -> dict[str, Any]:
    """Step 4 approved by the subdistrict Party committee (街道党委审核同意)."""
    return take_step(office, ref, "subdistrict_review", on=on, note=note, version=version)


def veto(office: Office, ref: Any, *, reason: str, on: Any = None, note: str = "",
         version: Any = None) -> dict[str, Any]:
    """Step 4 vetoed with the policy reason: the decision ends here, for good."""
    return take_step(office, ref, "veto", reason=reason, on=on, note=note, version=version)


def resolve(office: Office, ref: Any, **meeting: Any) -> dict[str, Any]:
    """Step 5, the villagers' (representatives') meeting's resolution (村民(代表)会议决议)."""
    return take_step(office, ref, "villagers_resolution", **meeting)


PUBLISH = {"resolution": "publish_resolution", "results": "publish_results"}


def publish(office: Office, ref: Any, what: str, *, place: str, on: Any = None,
            note: str = "", version: Any = None) -> dict[str, Any]:
    """Make the resolution (``what="resolution"``) or the results of carrying it out
    (``"results"``, only after the resolution) public, saying where it was posted."""
    if what not in PUBLISH:
        raise ValidationError("what", "error.bad_choice", value=what,
                              choices=", ".join(PUBLISH))
    return take_step(office, ref, PUBLISH[what], place=place, on=on, note=note,
                     version=version)


EDITABLE = ("subject", "kind", "amount", "proposal", "attachments")


def edit_decision(office: Office, ref: Any, *, version: Any = None,
                  **changes: Any) -> dict[str, Any]:
    """Correct a decision's subject, kind, amount, proposal or attachments: only before the
    Party members' meeting has reviewed it (what they reviewed must stay what was decided)."""
    for key in changes:
        if key not in EDITABLE:
            raise ValidationError(key, "error.unknown_field", field=key)
    now = office.now()
    with office.transaction():
        row = versions.lock(Decision, find_decision(ref).id)
        versions.check(row, version, "decision", _stored(row), changes, ref=row.number)
        if row.state not in (rules.PROPOSED, rules.DELIBERATED):
            raise Conflict("error.decision_not_editable", number=row.number)
        before = _stored(row)
        data = rules.clean_decision(office, changes, current={
            "subject": row.subject, "kind": row.kind, "amount": row.amount,
            "proposal": row.proposal, "attachments": before["attachments"]})
        if all(data[k] == before[k] for k in EDITABLE):
            return decision_dict(office, row)
        row.subject, row.kind, row.amount, row.proposal = (
            data["subject"], data["kind"], data["amount"], data["proposal"])
        row.attachments = json.dumps(data["attachments"], ensure_ascii=False)
        versions.bump(row)
        row.updated_at = now
        row.save()
        journal.record(office, "decision", row.id, "update", before=before,
                       after=_stored(row))
    return decision_dict(office, row)
