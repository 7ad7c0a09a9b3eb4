"""Satisfaction per village for a year: the year's surveys summed, each answer's share of
those who answered, and the weighted score the assessment reads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from peewee import fn

from ledger.fields import int_field
from ledger.models.members import Village
from ledger.models.surveys import SatisfactionSurvey
from ledger.office import Office
from ledger.surveys.rules import ANSWERS, shares


def report(office: Office, *, year: int) -> dict[str, Any]:
    checked = int_field("year", year, 2000, 2100)
    assert checked is not None
    year = checked
    S = SatisfactionSurvey
    sums = {village: (n, sat, basic, dis) for village, n, sat, basic, dis in
            S.select(S.village, fn.COUNT(S.id), fn.SUM(S.satisfied),
                     fn.SUM(S.basically_satisfied), fn.SUM(S.dissatisfied))
            .where(S.surveyed_on.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
            .group_by(S.village).tuples()}
    rows = []
    totals = dict.fromkeys(ANSWERS, 0)
    for vid, code, name in (Village.select(Village.id, Village.code, Village.name)
                            .order_by(Village.code).tuples()):
        n, *values = sums.get(vid, (0, 0, 0, 0))
        counts = {a: int(v or 0) for a, v in zip(ANSWERS, values, strict=True)}
        for a in ANSWERS:
            totals[a] += counts[a]
        rows.append({"village_id": vid, "village_code": code, "village": name,
                     "surveys": int(n or 0), **counts, "respondents": sum(counts.values()),
                     **shares(counts)})
    return {"year": year, "villages": rows,
            "totals": {**totals, "respondents": sum(totals.values()), **shares(totals)}}
