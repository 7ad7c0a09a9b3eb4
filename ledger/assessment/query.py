"""Reading a year's scheme: its goals (with the villages of village-specific ones) and
bands."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from ledger.assessment import rules
from ledger.db import parse_id
from ledger.errors import NotFound
from ledger.models.assessment import AssessmentGoal, AssessmentScheme
from ledger.models.members import Village
from ledger.office import Office


def find_scheme(year: Any) -> AssessmentScheme:
    """The scheme of ``year`` (edits lock it with ``ledger.versions.lock``)."""
    value = parse_id(year)  # a number no column holds is no year on record
    if value is None:
        raise NotFound("assessment_scheme", year)
    row = AssessmentScheme.select().where(AssessmentScheme.year == value).first()
    if row is None:
        raise NotFound("assessment_scheme", year)
    return row


def find_goal(scheme: AssessmentScheme, code: Any) -> AssessmentGoal:
    text = "" if code is None else str(code).strip()
    row = AssessmentGoal.get_or_none((AssessmentGoal.scheme == scheme.id)
                                     & (AssessmentGoal.code == text))
    if row is None:
        raise NotFound("assessment_goal", code)
    return row


def goal_dict(row: AssessmentGoal, names: dict[int, tuple[str, str]]) -> dict[str, Any]:
    ids = json.loads(row.villages or "[]")
    return {"code": row.code, "name": row.name, "scope": row.scope,
            "max_points": rules.as_number(Decimal(row.max_points)), "method": row.method,
            "params": json.loads(row.params or "{}"), "village_ids": ids,
            "villages": [names[i][1] for i in ids if i in names]}


def scheme_dict(row: AssessmentScheme) -> dict[str, Any]:
    names = {i: (c, n) for i, c, n in
             Village.select(Village.id, Village.code, Village.name).tuples()}
    goals = [goal_dict(g, names) for g in AssessmentGoal.select()
             .where(AssessmentGoal.scheme == row.id)
             .order_by(AssessmentGoal.position, AssessmentGoal.id)]
    return {"year": row.year, "notes": row.notes, "version": row.version,
            "bands": json.loads(row.bands or "[]"), "goals": goals}


def get_scheme(office: Office, year: Any) -> dict[str, Any]:
    return scheme_dict(find_scheme(year))


def list_schemes(office: Office) -> list[dict[str, Any]]:
    return [{"year": y, "goals": AssessmentGoal.select().where(
        AssessmentGoal.scheme == i).count()} for i, y in
        AssessmentScheme.select(AssessmentScheme.id, AssessmentScheme.year)
        .order_by(AssessmentScheme.year.desc()).tuples()]


def latest_year(office: Office) -> int:
    """The year a report opens on: the latest scheme's, else last year."""
    year = (AssessmentScheme.select(AssessmentScheme.year)
            .order_by(AssessmentScheme.year.desc()).scalar())
    return int(year) if year else office.today().year - 1
