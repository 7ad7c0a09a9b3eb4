"""Use cases that change the assessment: a year's scheme from the default template, its
goals and bands, and hand scores (each with a note). One transaction and one journal entry
each; derived scores are never stored, the report computes them from the records."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from ledger import access, journal, versions
from ledger.assessment import rules
from ledger.assessment.query import find_goal, find_scheme, scheme_dict
from ledger.errors import Conflict, ValidationError
from ledger.fields import int_field, text_field
from ledger.i18n import t
from ledger.lookups import village_ref
from ledger.models.assessment import AssessmentGoal, AssessmentScheme, AssessmentScore
from ledger.models.members import Village
from ledger.office import Office

MAX_NOTE = 2000


def _year(year: Any) -> int:
    value = int_field("year", year, 2000, 2100)
    assert value is not None
    return value


def _village(ref: Any, field: str = "village") -> Village:
    row = village_ref(ref, field, required=True)
    assert row is not None
    return row


def create_scheme(office: Office, year: Any, *, notes: str = "") -> dict[str, Any]:
    """The year's scheme from the default template: the report's common goals (Party
    building, new-countryside construction, practical help, petition stability, family
    planning) plus democratic decisions and residents' satisfaction, and the village goals
    (land acquisition and demolition where relocation is under way or coming, key projects
    elsewhere), with the default bands."""
    access.require(office, "write", "assessment_scheme", year)
    year = _year(year)
    notes = text_field("notes", notes, 2000)
    villages = list(Village.select(Village.id, Village.relocation_status).order_by(Village.code))
    bands = [{"min": m, "grade": g, "consequence": t(f"assess.consequence.{g}")}
             for m, g in rules.DEFAULT_BANDS]
    with office.transaction():
        if AssessmentScheme.get_or_none(AssessmentScheme.year == year) is not None:
            raise Conflict("error.assess_scheme_exists", year=year)
        scheme = AssessmentScheme.create(year=year, bands=json.dumps(bands, ensure_ascii=False),
                                         notes=notes, created_at=office.now())
        for position, (code, scope, points, method, statuses) in enumerate(
                rules.DEFAULT_GOALS):
            ids = [v.id for v in villages if v.relocation_status in statuses]
            AssessmentGoal.create(
                scheme=scheme.id, code=code, name=t(f"assess.goal.{code}"), scope=scope,
                villages=json.dumps(ids if scope == "village" else []), max_points=points,
                method=method, params=json.dumps(rules.DEFAULT_PARAMS[method]),
                position=position)
        data = scheme_dict(scheme)
        journal.record(office, "assessment_scheme", year, "create", after=data)
    return data


def add_goal(office: Office, year: Any, *, code: str, name: str, max_points: Any,
             method: str = "hand", scope: str = "common", villages: Any = None,
             params: Any = None) -> dict[str, Any]:
    """Add a goal to the year's scheme; a village-specific goal names its villages."""
    access.require(office, "write", "assessment_scheme", year)
    data = rules.clean_goal(office, {"code": code, "name": name, "max_points": max_points,
                                     "method": method, "scope": scope, "params": params})
    refs = [v for v in (villages or []) if str(v).strip()]
    if data["scope"] == "village" and not refs:
        raise ValidationError("villages", "error.assess_goal_needs_villages")
    if data["scope"] == "common" and refs:
        raise ValidationError("villages", "error.assess_common_no_villages")
    ids = sorted({_village(v, "villages").id for v in refs})
    with office.transaction():
        scheme = versions.lock(AssessmentScheme, find_scheme(_year(year)).id)
        if AssessmentGoal.get_or_none((AssessmentGoal.scheme == scheme.id)
                                      & (AssessmentGoal.code == data["code"])) is not None:
            raise Conflict("error.assess_goal_exists", code=data["code"], year=scheme.year)
        position = (AssessmentGoal.select().where(AssessmentGoal.scheme == scheme.id).count())
        AssessmentGoal.create(scheme=scheme.id, code=data["code"], name=data["name"],
                              scope=data["scope"], villages=json.dumps(ids),
                              max_points=rules.show(data["max_points"]), method=data["method"],
                              params=json.dumps(data["params"]), position=position)
        versions.bump(scheme)
        scheme.save()
        after = scheme_dict(scheme)
        journal.record(office, "assessment_scheme", scheme.year, "add_goal",
                       after={"goal": next(g for g in after["goals"]
                                           if g["code"] == data["code"])})
    return after


def set_bands(office: Office, year: Any, bands: Any, *, version: Any = None) -> dict[str, Any]:
    """Replace the year's score bands (grade and reward or penalty per minimum total)."""
    access.require(office, "write", "assessment_scheme", year)
    clean = rules.clean_bands(bands)
    with office.transaction():
        scheme = versions.lock(AssessmentScheme, find_scheme(_year(year)).id)
        before = json.loads(scheme.bands)
        versions.check(scheme, version, "assessment_scheme", {"bands": before},
                       {"bands": clean}, ref=scheme.year)
        scheme.bands = json.dumps(clean, ensure_ascii=False)
        versions.bump(scheme)
        scheme.save()
        journal.record(office, "assessment_scheme", scheme.year, "set_bands",
                       before={"bands": before}, after={"bands": clean})
    return scheme_dict(scheme)


def score(office: Office, *, year: Any, village: Any, goal: str, points: Any, note: str,
          version: Any = None) -> dict[str, Any]:
    """Enter (or correct) a village's points on a hand-scored goal; the note, saying why,
    is required."""
    access.require(office, "write", "assessment_score")
    note = text_field("note", note, MAX_NOTE, required=True)
    place = _village(village)
    with office.transaction():
        scheme = find_scheme(_year(year))
        row_goal = find_goal(scheme, goal)
        if row_goal.method != "hand":
            raise ValidationError("goal", "error.assess_goal_derived", code=row_goal.code,
                                  method=row_goal.method)
        if row_goal.scope == "village" and place.id not in json.loads(row_goal.villages):
            raise ValidationError("village", "error.assess_goal_not_for_village",
                                  code=row_goal.code, village=place.name)
        maximum = Decimal(row_goal.max_points)
        value = rules.decimal_points("points", points, maximum=maximum)
        query = AssessmentScore.select().where((AssessmentScore.goal == row_goal.id)
                                               & (AssessmentScore.village == place.id))
        existing = (query.for_update() if office.is_postgres else query).first()
        after = {"year": scheme.year, "goal": row_goal.code, "village": place.code,
                 "points": rules.show(value), "note": note}
        if existing is None:
            row = AssessmentScore.create(goal=row_goal.id, village=place.id,
                                         points=rules.show(value), note=note,
                                         scored_by=office.operator, updated_at=office.now())
            journal.record(office, "assessment_score", row.id, "create", after=after)
        else:
            row = existing
            before = {**after, "points": row.points, "note": row.note}
            versions.check(row, version, "assessment_score", before,
                           {"points": after["points"], "note": note},
                           ref=f"{scheme.year} {row_goal.code} {place.code}")
            row.points, row.note = rules.show(value), note
            row.scored_by, row.updated_at = office.operator, office.now()
            versions.bump(row)
            row.save()
            journal.record(office, "assessment_score", row.id, "update", before=before,
                           after=after)
    return {**after, "id": row.id, "max_points": rules.as_number(maximum),
            "scored_by": row.scored_by, "version": row.version}
