"""The year's assessment report: every village's points on every goal, derived scores with
how they were derived (the inputs read from the records and the formula with its result),
the villages ranked by total, and each total's band (grade, reward or penalty).

Derived scores read the other areas through their public reports only: petitions
(``petitions.report`` per village), proxy tickets (``tickets.report``), decisions
(``decisions.report``), surveys (``surveys.report``), training (``training.report``) and
duty rosters (``roster.coverage``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ledger.assessment import rules
from ledger.assessment.query import find_scheme, scheme_dict
from ledger.models.assessment import AssessmentGoal, AssessmentScore
from ledger.models.members import Village
from ledger.office import Office


def _petitions(office: Office, year: int, villages: list[int]) -> dict[int, dict[str, Any]]:
    from ledger import petitions

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    out = {}
    for vid in villages:
        figures = petitions.report(office, date_from=start, date_to=end, village=vid)
        out[vid] = {"petitions": figures["total"], "repeats": figures["repeats"]}
    return out


def _tickets(office: Office, year: int, villages: list[int]) -> dict[int, dict[str, Any]]:
    from ledger import tickets

    rows = {r["key"]: r for r in tickets.report(office, year=year)["by_village"]}
    out = {}
    for vid in villages:
        r = rows.get(vid)
        rated = int(r["rated"]) if r else 0

        def count(share: float | None, rated: int = rated) -> int:
            # the report gives shares to four places: exact counts below 10,000 ratings
            return int(round((share or 0) * rated))

        out[vid] = {"received": r["count"] if r else 0, "done": r["done"] if r else 0,
                    "on_time": r["on_time"] if r else 0, "rated": rated,
                    "satisfied": count(r["satisfied_share"]) if r else 0,
                    "basically_satisfied": count(r["basically_satisfied_share"]) if r else 0}
    return out


def _decisions(office: Office, year: int, villages: list[int]) -> dict[int, dict[str, Any]]:
    from ledger import decisions

    rows = {r["village_id"]: r for r in decisions.report(office, year=year)["villages"]}
    keys = ("proposed", "vetoed", "resolved", "resolution_published", "results_published")
    return {vid: {k: rows[vid][k] for k in keys} if vid in rows else dict.fromkeys(keys, 0)
            for vid in villages}


def _satisfaction(office: Office, year: int, villages: list[int]) -> dict[int, dict[str, Any]]:
    from ledger import surveys

    rows = {r["village_id"]: r for r in surveys.report(office, year=year)["villages"]}
    keys = ("surveys", "respondents", "satisfied", "basically_satisfied", "dissatisfied")
    return {vid: {k: rows[vid][k] for k in keys} if vid in rows else dict.fromkeys(keys, 0)
            for vid in villages}


def _training(office: Office, year: int, villages: list[int]) -> dict[int, dict[str, Any]]:
    from ledger import training

    figures = training.report(office, year=year)
    ids = dict(Village.select(Village.name, Village.id).tuples())  # names are unique
    out = {vid: {"members": 0, "met": 0, "required_hours": figures["required_hours"]}
           for vid in villages}
    for person in figures["people"]:
        vid = ids.get(person["village"])
        if not person["in_office"] or vid not in out:
            continue
        out[vid]["members"] += 1
        out[vid]["met"] += not person["short"]
    return out


def _duty(office: Office, year: int, villages: list[int]) -> dict[int, dict[str, Any]]:
    from ledger import roster

    keys = ("slots", "covered", "gaps", "unplanned")
    out = {vid: {"stations": 0, **dict.fromkeys(keys, 0)} for vid in villages}
    figures = roster.coverage(office, dt.date(year, 1, 1), dt.date(year, 12, 31))
    for post in figures["posts"]:
        if post["village_id"] not in out:
            continue  # the centre belongs to no village
        entry = out[post["village_id"]]
        entry["stations"] += 1
        for key in keys:
            entry[key] += post[key]
    return out


READERS = {"petitions": _petitions, "tickets": _tickets, "decisions": _decisions,
           "satisfaction": _satisfaction, "training": _training, "duty": _duty}


def report(office: Office, *, year: int) -> dict[str, Any]:
    scheme = find_scheme(year)
    data = scheme_dict(scheme)
    villages = list(Village.select(Village.id, Village.code, Village.name)
                    .order_by(Village.code).tuples())
    ids = [v[0] for v in villages]
    goals = list(AssessmentGoal.select().where(AssessmentGoal.scheme == scheme.id)
                 .order_by(AssessmentGoal.position, AssessmentGoal.id))
    inputs = {m: READERS[m](office, scheme.year, ids)
              for m in sorted({g.method for g in goals if g.method in READERS})}
    hand = {(goal, village): (points, note, by) for goal, village, points, note, by in
            AssessmentScore.select(AssessmentScore.goal, AssessmentScore.village,
                                   AssessmentScore.points, AssessmentScore.note,
                                   AssessmentScore.scored_by)
            .where(AssessmentScore.goal.in_([g.id for g in goals])).tuples()}
    bands = data["bands"]
    rows = []
    missing = []
    for vid, code, name in villages:
        total = Decimal(0)
        possible = Decimal(0)
        cells = []
        for goal, info in zip(goals, data["goals"], strict=True):
            maximum = Decimal(goal.max_points)
            applies = goal.scope == "common" or vid in info["village_ids"]
            cell: dict[str, Any] = {"code": goal.code, "method": goal.method,
                                    "applies": applies, "max_points": rules.as_number(maximum),
                                    "points": None, "scored": False, "note": "",
                                    "inputs": None, "formula": ""}
            if applies:
                possible += maximum
                if goal.method == "hand":
                    entered = hand.get((goal.id, vid))
                    if entered is None:
                        missing.append({"village": name, "goal": goal.code})
                        points = Decimal(0)
                    else:
                        points = Decimal(entered[0])
                        cell.update(scored=True, note=entered[1], scored_by=entered[2])
                else:
                    facts = inputs[goal.method][vid]
                    points, formula = rules.FORMULAS[goal.method](maximum, info["params"],
                                                                  facts)
                    cell.update(scored=True, inputs=facts, formula=formula)
                cell["points"] = rules.as_number(points)
                total += points
            cells.append(cell)
        band = rules.band_for(total, bands)
        rows.append({"village_id": vid, "village_code": code, "village": name,
                     "total": rules.as_number(total), "max_total": rules.as_number(possible),
                     "grade": band["grade"], "consequence": band["consequence"],
                     "goals": cells, "_total": total})
    rows.sort(key=lambda r: (-r["_total"], r["village_code"]))
    previous: Decimal | None = None
    rank = 0
    for position, row in enumerate(rows, start=1):
        if row["_total"] != previous:
            rank, previous = position, row["_total"]
        row["rank"] = rank  # ties share a rank (1, 1, 3)
        del row["_total"]
    return {"year": scheme.year, "as_of": office.today(), "scheme": data, "villages": rows,
            "missing_hand_scores": missing}
