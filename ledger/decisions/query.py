"""Finding decisions: one frozen filter, a paged list, a count, a stream, and the record with
its steps and its progress through the five steps and two disclosures."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ledger import lists
from ledger.decisions import rules
from ledger.errors import NotFound
from ledger.fields import choice, int_field, no_nul
from ledger.lookups import village_ref
from ledger.models.decisions import Decision, DecisionStep
from ledger.models.members import Village
from ledger.office import Office

NUMBER_RE = re.compile(r"^[A-Z]{1,10}-\d{4}-\d{4,}$")


@dataclass(frozen=True)
class DecisionFilter:
    village: Any = None  # id, code or name
    state: str | None = None  # one of rules.STATES, or rules.WAITING
    kind: str | None = None
    vetoed: bool = False
    waiting: bool = False  # passed step 3, not yet reviewed by the subdistrict
    year: int | None = None  # proposed in this year
    search: str | None = None  # number or words of the subject


def find_decision(ref: Any, *, for_update: bool = False) -> Decision:
    """The decision numbered ``ref`` (``JC-2026-0001``) or with that id. ``for_update``
    locks its row (PostgreSQL; SQLite's BEGIN IMMEDIATE already holds the database)."""
    text = "" if ref is None else str(ref).strip().upper()
    query = Decision.select()
    if NUMBER_RE.match(text):
        query = query.where(Decision.number == text)
    elif text.isdigit() and len(text) < 12:
        query = query.where(Decision.id == int(text))
    else:
        raise NotFound("decision", ref)
    if for_update:
        query = query.for_update()
    row = query.first()
    if row is None:
        raise NotFound("decision", ref)
    return row


def step_dict(step: DecisionStep) -> dict[str, Any]:
    return {"step": step.step, "outcome": step.outcome, "on": step.on,
            "meeting": step.meeting, "present": step.present, "entitled": step.entitled,
            "votes_for": step.votes_for, "votes_against": step.votes_against,
            "votes_abstain": step.votes_abstain, "place": step.place, "reason": step.reason,
            "note": step.note, "recorder": step.recorder, "at": step.at.replace(tzinfo=dt.UTC)}


def stages(state: str, steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The seven stages (five steps, two disclosures), each ``done``, ``vetoed``, ``next``
    (the one the procedure waits for), ``pending`` or ``never`` (after a veto), with its
    date: what both faces show as a decision's progress."""
    taken = {s["step"]: s for s in steps if s["outcome"] != "refused"}
    upcoming = {rules.STEP_OF[a] for a in rules.next_actions(state)}
    out = []
    for stage in rules.STAGES:
        step = taken.get(stage)
        if step is not None:
            status = "vetoed" if step["outcome"] == "vetoed" else "done"
        elif state == rules.VETOED:
            status = "never"
        elif stage in upcoming:
            status = "next"
        else:
            status = "pending"
        out.append({"stage": stage, "status": status, "on": step["on"] if step else None,
                    "summary": step_summary(step) if step else ""})
    return out


def step_summary(step: dict[str, Any]) -> str:
    """One line for a step: attendance and votes, the veto's reason, where it was posted."""
    from ledger.i18n import t

    parts = []
    if step.get("present") is not None:
        parts.append(t("decision.attendance", present=step["present"],
                       entitled=step["entitled"]))
    if step.get("votes_for") is not None:
        parts.append(t("decision.votes", votes_for=step["votes_for"],
                       votes_against=step["votes_against"],
                       votes_abstain=step["votes_abstain"]))
    if step.get("reason"):
        parts.append(step["reason"])
    if step.get("place"):
        parts.append(step["place"])
    return t("decision.separator").join(parts)


def decision_dict(office: Office, row: Decision, *, steps: bool = True) -> dict[str, Any]:
    village = Village.get_by_id(row.village_id)
    data: dict[str, Any] = {
        "id": row.id, "number": row.number, "village_id": row.village_id,
        "village": village.name, "village_code": village.code, "subject": row.subject,
        "kind": row.kind, "amount": row.amount, "proposal": row.proposal,
        "attachments": rules.load_attachments(row.attachments), "state": row.state,
        "progress": rules.progress(row.state), "proposed_on": row.proposed_on,
        "last_on": row.last_on, "veto_reason": row.veto_reason, "version": row.version,
        "updated_at": row.updated_at.replace(tzinfo=dt.UTC),
    }
    data["allowed_actions"] = rules.allowed_actions(data)
    if steps:
        data["steps"] = [step_dict(s) for s in DecisionStep.select()
                         .where(DecisionStep.decision == row.id).order_by(DecisionStep.id)]
        data["stages"] = stages(row.state, data["steps"])
    return data


def get_decision(office: Office, ref: Any) -> dict[str, Any]:
    return decision_dict(office, find_decision(ref))


def _where(f: DecisionFilter) -> list[Any]:
    conds: list[Any] = []
    if f.village not in (None, ""):
        village = village_ref(f.village)
        assert village is not None
        conds.append(Decision.village == village.id)
    if f.state:
        state = choice("decision_state", f.state, (*rules.STATES, rules.WAITING))
        conds.append(Decision.state == (rules.REVIEWED if state == rules.WAITING else state))
    if f.kind:
        conds.append(Decision.kind == choice("kind", f.kind, rules.KINDS))
    if f.vetoed:
        conds.append(Decision.state == rules.VETOED)
    if f.waiting:
        conds.append(Decision.state == rules.REVIEWED)
    if f.year is not None:
        year = int_field("year", f.year, 2000, 2100)
        assert year is not None
        conds.append(Decision.proposed_on.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    if f.search and f.search.strip():
        term = no_nul("search", f.search.strip())
        if re.fullmatch(r"[A-Za-z]{0,10}-?\d[\d-]*", term):
            conds.append(Decision.number.contains(term.upper()))
        else:
            conds.append(Decision.subject.contains(term))
    return conds


_COLUMNS = (Decision.id, Decision.number, Decision.village, Decision.subject, Decision.kind,
            Decision.amount, Decision.state, Decision.proposed_on, Decision.last_on)


def iter_decisions(office: Office, f: DecisionFilter | None = None, *, offset: int = 0,
                   limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Matching decisions as list rows, newest first, read lazily."""
    query = Decision.select(*_COLUMNS)
    conds = _where(f or DecisionFilter())
    if conds:
        query = query.where(*conds)
    query = lists.page(query.order_by(Decision.id.desc()), offset, limit)
    villages = {i: (c, n) for i, c, n in
                Village.select(Village.id, Village.code, Village.name).tuples()}
    for did, number, village, subject, kind, amount, state, proposed_on, last_on in (
            query.tuples().iterator()):
        code, name = villages.get(village, ("", ""))
        yield {"id": did, "number": number, "village_code": code, "village": name,
               "subject": subject, "kind": kind, "amount": amount, "state": state,
               "progress": rules.progress(state), "proposed_on": proposed_on,
               "last_on": last_on,
               "waiting_subdistrict": state == rules.REVIEWED}


def list_decisions(office: Office, f: DecisionFilter | None = None, *, offset: int = 0,
                   limit: int | None = 50) -> list[dict[str, Any]]:
    return list(iter_decisions(office, f, offset=offset, limit=limit))


def count_decisions(office: Office, f: DecisionFilter | None = None) -> int:
    query = Decision.select(Decision.id)
    conds = _where(f or DecisionFilter())
    if conds:
        query = query.where(*conds)
    return query.count()
