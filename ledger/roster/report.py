"""The roster report: per post, how many shifts each person held in a period and how many
shifts nobody held."""

from __future__ import annotations

from typing import Any

from ledger.office import Office
from ledger.roster import rules
from ledger.roster.query import ShiftFilter, iter_shifts, list_posts


def report(office: Office, date_from: Any, date_to: Any) -> dict[str, Any]:
    start, end = rules.period(date_from, date_to)
    posts = {p["code"]: {"post": p["code"], "name": p["name"], "shifts": 0, "gaps": 0,
                         "people": {}} for p in list_posts(office)}
    for s in iter_shifts(office, ShiftFilter(date_from=start, date_to=end)):
        entry = posts[s["post"]]
        entry["shifts"] += 1
        if s["gap"]:
            entry["gaps"] += 1
        else:
            entry["people"][s["person"]] = entry["people"].get(s["person"], 0) + 1
    out = []
    for entry in posts.values():
        people = entry.pop("people")
        entry["people"] = [{"person": k, "shifts": v} for k, v in sorted(people.items())]
        out.append(entry)
    return {"date_from": start, "date_to": end, "posts": out}
