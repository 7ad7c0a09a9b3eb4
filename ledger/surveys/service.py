"""Use cases that change surveys: a survey entered by hand (``add_survey``) and corrected
(``edit_survey``), each one transaction with a journal entry."""

from __future__ import annotations

from typing import Any

from ledger import access, journal, versions
from ledger.fields import editable
from ledger.lookups import village_ref
from ledger.models.surveys import SatisfactionSurvey
from ledger.office import Office
from ledger.surveys.query import find_survey, survey_dict
from ledger.surveys.rules import ANSWERS, clean_survey

EDITABLE = ("surveyed_on", *ANSWERS, "comments")


def _stored(row: SatisfactionSurvey) -> dict[str, Any]:
    return {"village_id": row.village_id, "surveyed_on": row.surveyed_on,
            **{a: getattr(row, a) for a in ANSWERS}, "comments": row.comments,
            "version": row.version}


def add_survey(office: Office, *, village: Any, surveyed_on: Any, satisfied: Any = 0,
               basically_satisfied: Any = 0, dissatisfied: Any = 0,
               comments: str = "") -> dict[str, Any]:
    """Record a survey of a village's service: the respondents counted per answer."""
    access.require(office, "write", "survey")
    place = village_ref(village, required=True)
    assert place is not None
    data = clean_survey(office, {"surveyed_on": surveyed_on, "satisfied": satisfied,
                                 "basically_satisfied": basically_satisfied,
                                 "dissatisfied": dissatisfied, "comments": comments})
    with office.transaction():
        row = SatisfactionSurvey.create(village=place.id, created_at=office.now(), **data)
        journal.record(office, "survey", row.id, "create", after=_stored(row))
    return survey_dict(row)


def edit_survey(office: Office, ref: Any, *, version: Any = None,
                **changes: Any) -> dict[str, Any]:
    """Correct a survey's date, counts or comments."""
    access.require(office, "write", "survey", ref)
    editable(changes, EDITABLE)
    with office.transaction():
        row = versions.lock(SatisfactionSurvey, find_survey(ref).id)
        before = _stored(row)
        versions.check(row, version, "survey", before, changes)
        data = clean_survey(office, changes, current=before)
        if all(data[k] == before[k] for k in EDITABLE):
            return survey_dict(row)
        for key, value in data.items():
            setattr(row, key, value)
        versions.bump(row)
        row.save()
        journal.record(office, "survey", row.id, "update", before=before, after=_stored(row))
    return survey_dict(row)
