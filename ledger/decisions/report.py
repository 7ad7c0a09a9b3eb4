"""The decisions report: per village, for a year, what went through the procedure.

For each village: decisions proposed in the year, vetoed in the year, resolved by the
villagers in the year (``resolved``), and of those resolved, how many had their resolution
and their results made public by the year's end (``resolution_published``,
``results_published``). The assessment's ``decisions`` method reads these figures.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from ledger.fields import int_field
from ledger.models.decisions import Decision, DecisionStep
from ledger.models.members import Village
from ledger.office import Office


def report(office: Office, *, year: int) -> dict[str, Any]:
    checked = int_field("year", year, 2000, 2100)
    assert checked is not None
    year = checked
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    proposed: Counter[int] = Counter()
    by_state: dict[int, Counter[str]] = {}
    for village, state in (Decision.select(Decision.village, Decision.state)
                           .where(Decision.proposed_on.between(first, last)).tuples()):
        proposed[village] += 1
        by_state.setdefault(village, Counter())[state] += 1
    # every step up to the year's end of the decisions touched in the year: a few hundred rows
    steps = (DecisionStep.select(DecisionStep.decision, DecisionStep.step, DecisionStep.on,
                                 DecisionStep.outcome, Decision.village)
             .join(Decision).where(DecisionStep.on <= last, DecisionStep.outcome != "refused",
                                   Decision.last_on >= first).tuples())
    taken: dict[int, dict[str, dt.date]] = {}
    village_of: dict[int, int] = {}
    vetoed: Counter[int] = Counter()
    for decision, step, on, outcome, village in steps:
        taken.setdefault(decision, {})[step] = on
        village_of[decision] = village
        if outcome == "vetoed" and on >= first:
            vetoed[village] += 1
    resolved: Counter[int] = Counter()
    published: Counter[int] = Counter()
    results: Counter[int] = Counter()
    for decision, done in taken.items():
        day = done.get("villagers_resolution")
        if day is None or day < first:
            continue
        village = village_of[decision]
        resolved[village] += 1
        published[village] += "publish_resolution" in done
        results[village] += "publish_results" in done
    rows = []
    for vid, code, name in Village.select(Village.id, Village.code, Village.name).order_by(
            Village.code).tuples():
        rows.append({"village_id": vid, "village_code": code, "village": name,
                     "proposed": proposed[vid], "vetoed": vetoed[vid],
                     "resolved": resolved[vid], "resolution_published": published[vid],
                     "results_published": results[vid],
                     "by_state": dict(by_state.get(vid, Counter()))})
    return {"year": year, "from": first, "to": last, "villages": rows}
