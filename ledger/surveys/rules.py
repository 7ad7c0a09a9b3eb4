"""The rules of a satisfaction survey (群众满意度测评): the answers counted, and the validator.

A survey is a village's service rated by its residents on one day: how many answered
satisfied (满意), basically satisfied (基本满意) and dissatisfied (不满意). Shares are of
everyone who answered; the assessment's ``satisfaction`` score counts a basically satisfied
answer as half a satisfied one (``SCORE_WEIGHTS``).
"""

from __future__ import annotations

from typing import Any

from ledger.errors import ValidationError
from ledger.fields import date_field, int_field, text_field
from ledger.office import Office

ANSWERS = ("satisfied", "basically_satisfied", "dissatisfied")
SCORE_WEIGHTS = {"satisfied": 1.0, "basically_satisfied": 0.5, "dissatisfied": 0.0}
MAX_RESPONDENTS = 1_000_000
MAX_COMMENTS = 5000


def _count(field: str, value: Any) -> int:
    """Respondents giving one answer; blank is none."""
    return int_field(field, value, 0, MAX_RESPONDENTS, required=False) or 0


def clean_survey(office: Office, data: dict[str, Any], *,
                 current: dict[str, Any] | None = None) -> dict[str, Any]:
    """THE validator of a survey's fields (the village is looked up by the caller)."""
    merged = {**(current or {}), **data}
    day = date_field("surveyed_on", merged.get("surveyed_on"))
    if day is None:
        raise ValidationError("surveyed_on", "error.required")
    if day > office.today():
        raise ValidationError("surveyed_on", "error.day_in_future", on=day.isoformat())
    if day.year < 2000:
        raise ValidationError("surveyed_on", "error.day_too_old")
    counts = {a: _count(a, merged.get(a)) for a in ANSWERS}
    if sum(counts.values()) == 0:
        raise ValidationError("satisfied", "error.survey_nobody")
    return {"surveyed_on": day, **counts,
            "comments": text_field("comments", merged.get("comments"), MAX_COMMENTS)}


def shares(counts: dict[str, int]) -> dict[str, float | None]:
    """Each answer's share of those who answered, and the weighted score (0–1)."""
    total = sum(counts[a] for a in ANSWERS)
    out: dict[str, float | None] = {
        f"{a}_share": round(counts[a] / total, 4) if total else None for a in ANSWERS}
    out["score"] = (round(sum(SCORE_WEIGHTS[a] * counts[a] for a in ANSWERS) / total, 4)
                    if total else None)
    return out
