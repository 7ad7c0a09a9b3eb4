"""Use cases that change a decision: the branch's proposal creates it, then one function per
step (``deliberate``, ``members_review``, ``approve``, ``veto``, ``resolve``) and the two
disclosures (``publish``), each through ``take_step``.

The steps are a procedure of ``ledger.steps`` (``PROCEDURE``): one transaction that locks the
decision, refuses what the procedure does not allow (``rules.refusal``: out of order,
anything after a veto), reads the step's date, checks the meeting (``rules.clean_meeting``:
counts that add up, refused as bad input; ``rules.meeting_refusal``: quorum and majority),
then writes the step (the record's timeline, ``decision_step``) and one journal entry with
the decision before and after. A meeting held that could not decide is kept: its step is
written as ``refused`` and journaled as ``refused``, and the decision does not move.

A step's date (``on``) defaults to today; it may not be in the future nor before the
decision's previous step. The recorder is the operator.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ledger import access, journal, numbering, steps, versions
from ledger.decisions import rules
from ledger.decisions.query import decision_dict, find_decision
from ledger.errors import Conflict, ValidationError
from ledger.fields import date_field, text_field
from ledger.lookups import village_ref
from ledger.models.decisions import Decision, DecisionStep
from ledger.office import Office

NUMBER_PREFIX = "JC"  # 决策
MAX_NOTE = 2000
# the meeting's columns of a step; blank where the step holds no meeting
NO_MEETING: dict[str, Any] = {"present": None, "entitled": None, "votes_for": None,
                              "votes_against": None, "votes_abstain": None, "meeting": ""}


def _stored(row: Decision) -> dict[str, Any]:
    """What the journal keeps as before/after (without the version, as every area)."""
    return {"number": row.number, "village_id": row.village_id, "subject": row.subject,
            "kind": row.kind, "amount": row.amount, "proposal": row.proposal,
            "attachments": rules.load_attachments(row.attachments), "state": row.state,
            "proposed_on": row.proposed_on, "last_on": row.last_on,
            "veto_reason": row.veto_reason}


def _day(office: Office, value: Any, not_before: dt.date | None) -> dt.date:
    """A step's date: the clerk's (or today), from 2000 on, not after today nor before the
    decision's last step. (``ledger.steps`` checks the same two bounds again; refusing here
    keeps the messages that name both dates.)"""
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
    access.require(office, "write", "decision")
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
    return {k: meeting[k] for k in NO_MEETING}


def _event_fields(step: steps.Step) -> dict[str, Any]:
    """A step's row in ``decision_step``: the stage it records (a veto is step 4), what it
    came to, its date, and when and by whom it was recorded. The meeting's counts, the
    disclosure's place and the veto's reason come from ``apply`` (``step.event``)."""
    return {"step": rules.STEP_OF[step.action],
            "outcome": "refused" if step.refused else rules.outcome(step.action),
            "on": step.moment, "at": step.office.now(), "note": step.note}


PROCEDURE = steps.Procedure(
    entity="decision", model=Decision, transitions=rules.TRANSITIONS,
    find=find_decision, snapshot=_stored, journal_id=lambda row: row.id,
    event_model=DecisionStep, event_link="decision",
    # decision_step keeps the clerk as its recorder; the step, not the action, and no
    # from/to states (the outcome says it); the note is the clerk's own (_event_fields)
    event_columns={"operator": "recorder"},
    moments=steps.Moments(
        field="on", read=_day, latest=lambda office: office.today(),
        show=lambda office, day: day.isoformat(), future_key="error.day_in_future",
        before_key="error.decision_before_last"),
    last_moment=lambda row: row.last_on, event_fields=_event_fields,
    refuse=lambda row, action: rules.refusal(action, row.state, row.number, row.veto_reason))


def take_step(office: Office, ref: Any, action: str, *, on: Any = None, present: Any = None,
              entitled: Any = None, votes_for: Any = None, votes_against: Any = None,
              votes_abstain: Any = None, meeting: Any = None, reason: str = "",
              place: str = "", note: str = "", version: int | None = None) -> dict[str, Any]:
    """Record ``action`` (a step after the proposal, a veto, a disclosure) on decision
    ``ref`` through ``ledger.steps``."""
    if action not in rules.TRANSITIONS or action == "branch_proposal":
        raise ValidationError("step", "error.bad_choice", value=action,
                              choices=", ".join(rules.ACTIONS[1:]))
    note = text_field("note", note, MAX_NOTE)
    stage = rules.STEP_OF[action]

    def apply(step: steps.Step) -> str | None:
        row = step.row
        why = (text_field("reason", reason, rules.MAX_TEXT, required=True)
               if action == "veto" else "")
        where = (text_field("place", place, rules.MAX_PLACE, required=True)
                 if action in rules.DISCLOSURES else "")
        columns = dict(NO_MEETING)
        if stage in rules.MEETING_STEPS:
            columns = _meeting_columns(rules.clean_meeting(
                stage, present=present, entitled=entitled, votes_for=votes_for,
                votes_against=votes_against, votes_abstain=votes_abstain, meeting=meeting))
        step.event.update(columns, place=where, reason=why)
        refused = rules.meeting_refusal(stage, columns)  # None for a step that does not vote
        if refused is not None:
            # The meeting was held but could not decide: kept in the timeline and the
            # journal as refused; the decision does not move.
            step.refuse(refused, record={"step": stage, "on": step.moment, **columns})
            return None
        row.last_on = step.moment
        if action == "veto":
            row.veto_reason = why
        # the journal's note of a veto without one is its reason, as before
        return why if why and not note else None

    row = steps.run_step(office, PROCEDURE, ref, action, at=on, note=note, apply=apply,
                         version=version)
    return decision_dict(office, row)


def deliberate(office: Office, ref: Any, *, present: Any = None, entitled: Any = None,
               votes_for: Any = None, votes_against: Any = None, votes_abstain: Any = None,
               on: Any = None, note: str = "", version: int | None = None) -> dict[str, Any]:
    """Step 2, the two committees' deliberation (两委商议), with who attended (and the
    votes, if they took one)."""
    return take_step(office, ref, "committees_deliberation", present=present,
                     entitled=entitled, votes_for=votes_for, votes_against=votes_against,
                     votes_abstain=votes_abstain, on=on, note=note, version=version)


def members_review(office: Office, ref: Any, *, present: Any = None, entitled: Any = None,
                   votes_for: Any = None, votes_against: Any = None,
                   votes_abstain: Any = None, on: Any = None, note: str = "",
                   version: int | None = None) -> dict[str, Any]:
    """Step 3, the Party members' meeting (党员大会审议): quorum and majority checked (a
    count not given is refused naming it, as every meeting's)."""
    return take_step(office, ref, "party_members_review", present=present, entitled=entitled,
                     votes_for=votes_for, votes_against=votes_against,
                     votes_abstain=votes_abstain, on=on, note=note, version=version)


def approve(office: Office, ref: Any, *, on: Any = None, note: str = "",
            version: int | None = None) -> dict[str, Any]:
    """Step 4 approved by the subdistrict Party committee (街道党委审核同意)."""
    return take_step(office, ref, "subdistrict_review", on=on, note=note, version=version)


def veto(office: Office, ref: Any, *, reason: str, on: Any = None, note: str = "",
         version: int | None = None) -> dict[str, Any]:
    """Step 4 vetoed with the policy reason: the decision ends here, for good."""
    return take_step(office, ref, "veto", reason=reason, on=on, note=note, version=version)


def resolve(office: Office, ref: Any, *, present: Any = None, entitled: Any = None,
            votes_for: Any = None, votes_against: Any = None, votes_abstain: Any = None,
            meeting: str = "representatives", on: Any = None, note: str = "",
            version: int | None = None) -> dict[str, Any]:
    """Step 5, the villagers' (representatives') meeting's resolution (村民(代表)会议决议):
    ``meeting`` is ``representatives``, ``villagers`` or ``households`` (whose quorum
    applies)."""
    return take_step(office, ref, "villagers_resolution", present=present, entitled=entitled,
                     votes_for=votes_for, votes_against=votes_against,
                     votes_abstain=votes_abstain, meeting=meeting, on=on, note=note,
                     version=version)


PUBLISH = {"resolution": "publish_resolution", "results": "publish_results"}


def publish(office: Office, ref: Any, what: str, *, place: str, on: Any = None,
            note: str = "", version: int | None = None) -> dict[str, Any]:
    """Make the resolution (``what="resolution"``) or the results of carrying it out
    (``"results"``, only after the resolution) public, saying where it was posted."""
    if what not in PUBLISH:
        raise ValidationError("what", "error.bad_choice", value=what,
                              choices=", ".join(PUBLISH))
    return take_step(office, ref, PUBLISH[what], place=place, on=on, note=note,
                     version=version)


EDITABLE = ("subject", "kind", "amount", "proposal", "attachments")


def edit_decision(office: Office, ref: Any, *, version: int | None = None,
                  **changes: Any) -> dict[str, Any]:
    """Correct a decision's subject, kind, amount, proposal or attachments: only before the
    Party members' meeting has reviewed it (what they reviewed must stay what was decided)."""
    access.require(office, "write", "decision", ref)
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
