"""Finding surveys: a frozen filter, a paged list, a count and a stream."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from peewee import fn

from ledger import lists
from ledger.db import parse_id
from ledger.errors import NotFound
from ledger.fields import int_field
from ledger.lookups import village_ref
from ledger.models.members import Village
from ledger.models.surveys import SatisfactionSurvey
from ledger.office import Office
from ledger.surveys.rules import ANSWERS, shares


@dataclass(frozen=True)
class SurveyFilter:
    village: Any = None  # id, code or name
    year: int | None = None


def find_survey(ref: Any) -> SatisfactionSurvey:
    """The survey with id ``ref`` (edits lock it with ``ledger.versions.lock``)."""
    key = parse_id(ref)
    if key is None:
        raise NotFound("survey", ref)
    row = SatisfactionSurvey.select().where(SatisfactionSurvey.id == key).first()
    if row is None:
        raise NotFound("survey", ref)
    return row


def _row(sid: int, village: tuple[str, str], on: dt.date, counts: dict[str, int],
         comments: str) -> dict[str, Any]:
    return {"id": sid, "village_code": village[0], "village": village[1], "surveyed_on": on,
            **counts, "respondents": sum(counts.values()), **shares(counts),
            "comments": comments}


def survey_dict(row: SatisfactionSurvey) -> dict[str, Any]:
    village = Village.get_by_id(row.village_id)
    data = _row(row.id, (village.code, village.name), row.surveyed_on,
                {a: getattr(row, a) for a in ANSWERS}, row.comments)
    data["village_id"] = row.village_id
    data["version"] = row.version
    return data


def get_survey(office: Office, ref: Any) -> dict[str, Any]:
    return survey_dict(find_survey(ref))


def _where(f: SurveyFilter) -> list[Any]:
    conds: list[Any] = []
    if f.village not in (None, ""):
        village = village_ref(f.village)
        assert village is not None
        conds.append(SatisfactionSurvey.village == village.id)
    if f.year is not None:
        year = int_field("year", f.year, 2000, 2100)
        assert year is not None
        conds.append(SatisfactionSurvey.surveyed_on.between(dt.date(year, 1, 1),
                                                            dt.date(year, 12, 31)))
    return conds


def iter_surveys(office: Office, f: SurveyFilter | None = None, *, offset: int = 0,
                 limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Matching surveys, newest first, read lazily."""
    S = SatisfactionSurvey
    query = S.select(S.id, S.village, S.surveyed_on, S.satisfied, S.basically_satisfied,
                     S.dissatisfied, S.comments)
    conds = _where(f or SurveyFilter())
    if conds:
        query = query.where(*conds)
    query = lists.page(query.order_by(S.surveyed_on.desc(), S.id.desc()), offset, limit)
    villages = {i: (c, n) for i, c, n in
                Village.select(Village.id, Village.code, Village.name).tuples()}
    for sid, village, on, sat, basic, dis, comments in query.tuples().iterator():
        yield _row(sid, villages.get(village, ("", "")), on,
                   {"satisfied": sat, "basically_satisfied": basic, "dissatisfied": dis},
                   comments)


def list_surveys(office: Office, f: SurveyFilter | None = None, *, offset: int = 0,
                 limit: int | None = 50) -> list[dict[str, Any]]:
    return list(iter_surveys(office, f, offset=offset, limit=limit))


def count_surveys(office: Office, f: SurveyFilter | None = None) -> int:
    query = SatisfactionSurvey.select(SatisfactionSurvey.id)
    conds = _where(f or SurveyFilter())
    if conds:
        query = query.where(*conds)
    return query.count()


def survey_years(office: Office) -> list[int]:
    """The years that have a survey, latest first (what a year filter offers)."""
    days = (SatisfactionSurvey.select(SatisfactionSurvey.surveyed_on)
            .order_by(SatisfactionSurvey.surveyed_on.desc()).tuples())
    return sorted({day.year for (day,) in days.iterator()}, reverse=True)


def survey_totals(office: Office, f: SurveyFilter | None = None) -> dict[str, Any]:
    """The matching surveys summed: how many, the respondents per answer, each answer's
    share and the weighted score (``shares``), as the year's report gives per village."""
    S = SatisfactionSurvey
    query = S.select(fn.COUNT(S.id), fn.SUM(S.satisfied), fn.SUM(S.basically_satisfied),
                     fn.SUM(S.dissatisfied))
    conds = _where(f or SurveyFilter())
    if conds:
        query = query.where(*conds)
    n, *sums = query.tuples().get()
    counts = {a: int(v or 0) for a, v in zip(ANSWERS, sums, strict=True)}
    return {"surveys": int(n or 0), **counts, "respondents": sum(counts.values()),
            **shares(counts)}
