"""The petitions report: counts by month, village, category and channel; on-time rates per
deadline; the share of repeat petitions; and each village's trend over the period.

The trend compares the first half of the period with the second (equal numbers of months,
an odd middle month left out), so a village whose petitions fell sharply stands out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from ledger.errors import ValidationError
from ledger.lookups import village_ref
from ledger.models import Village
from ledger.models.petitions import Petition
from ledger.office import Office
from ledger.petitions import due as dl
from ledger.petitions.rules import label

DEFAULT_MONTHS = 24
# A village "falls sharply" when its second half has at most half the first half's count,
# with enough petitions in the first half for the comparison to mean something.
SHARP_FALL = -0.5
SHARP_FALL_MIN = 4


def _month(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _months(start: dt.date, end: dt.date) -> list[str]:
    out = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _default_from(end: dt.date) -> dt.date:
    index = end.year * 12 + end.month - 1 - (DEFAULT_MONTHS - 1)
    return dt.date(index // 12, index % 12 + 1, 1)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def report(office: Office, *, date_from: dt.date | None = None, date_to: dt.date | None = None,
           village: Any = None) -> dict[str, Any]:
    """Figures over petitions received from ``date_from`` to ``date_to`` (default: the 24
    months up to today), optionally for one village."""
    end = date_to or office.today()
    start = date_from or _default_from(end)
    if end < start:
        raise ValidationError("date_to", "error.date_order", label=label("received_to"))
    place = village_ref(village, "village", label=label("village"))
    # Only the columns the figures need, as plain dicts: building 37-column model rows
    # was most of the time on a large office.
    query = (Petition.select(
        Petition.received_on, Petition.village, Petition.category, Petition.channel,
        Petition.repeat_of, Petition.collective, Petition.state, Petition.accepted_on,
        Petition.declined_on, Petition.extension_days, Petition.replied_on,
        Petition.review_requested_on, Petition.reviewed_on, Petition.rereview_requested_on,
        Petition.rereviewed_on)
        .where(Petition.received_on.between(start, end)).dicts())
    if place is not None:
        query = query.where(Petition.village == place.id)
    villages_q = Village.select(Village.id, Village.name).order_by(Village.code)
    if place is not None:
        villages_q = villages_q.where(Village.id == place.id)
    village_list = list(villages_q.tuples())
    names = dict(village_list)
    months = _months(start, end)
    monthly: dict[str, dict[str, Counter[str]]] = {
        m: {"village": Counter(), "category": Counter(), "channel": Counter()} for m in months}
    totals: dict[str, Counter[str]] = {"village": Counter(), "category": Counter(),
                                       "channel": Counter()}
    per_village_month: dict[str, Counter[str]] = defaultdict(Counter)
    on_time: dict[str, Counter[str]] = {k: Counter() for k in dl.OFFICE_KINDS}
    counter = dl.DayCounter(office)
    total = repeats = collective = 0
    no_village = "-"
    for row in query.iterator():
        total += 1
        month = _month(row["received_on"])
        name = names.get(row["village"], no_village) if row["village"] else no_village
        for key, value in (("village", name), ("category", row["category"]),
                           ("channel", row["channel"])):
            monthly[month][key][value] += 1
            totals[key][value] += 1
        per_village_month[name][month] += 1
        repeats += row["repeat_of"] is not None
        collective += bool(row["collective"])
        for item in dl.deadlines(office, row, counter=counter):
            if item["party"] == "office":
                on_time[item["kind"]][item["state"]] += 1
    half = len(months) // 2
    first, second = months[:half], months[len(months) - half:]
    trend = []
    for _, name in village_list + ([(None, no_village)] if per_village_month.get(no_village)
                                   else []):
        counts = per_village_month.get(name, Counter())
        a = sum(counts[m] for m in first)
        b = sum(counts[m] for m in second)
        change = _rate(b - a, a)
        trend.append({
            "village": name,
            "months": [counts[m] for m in months],
            "first_half": a,
            "second_half": b,
            "change": b - a,
            "change_pct": change,
            "falling_sharply": change is not None and change <= SHARP_FALL
            and a >= SHARP_FALL_MIN,
        })
    trend.sort(key=lambda r: (r["change_pct"] is None, r["change_pct"] or 0, r["village"]))
    rates = []
    for kind, c in on_time.items():
        decided = c["met"] + c["late"] + c["overdue"]
        rates.append({"kind": kind, "met": c["met"], "late": c["late"],
                      "overdue": c["overdue"], "pending": c["ok"] + c["due_soon"],
                      "rate": _rate(c["met"], decided)})

    def ranked(counter_: Counter[str]) -> list[dict[str, Any]]:
        return [{"code": k, "count": v} for k, v in counter_.most_common()]

    return {
        "date_from": start,
        "date_to": end,
        "village": place.name if place is not None else None,
        "total": total,
        "repeats": repeats,
        "repeat_share": _rate(repeats, total),
        "collective": collective,
        "months": months,
        "halves": {"first": [first[0], first[-1]] if first else [],
                   "second": [second[0], second[-1]] if second else []},
        "by_village": ranked(totals["village"]),
        "by_category": ranked(totals["category"]),
        "by_channel": ranked(totals["channel"]),
        "monthly": [{"month": m, "total": sum(monthly[m]["channel"].values()),
                     "by_village": dict(monthly[m]["village"]),
                     "by_category": dict(monthly[m]["category"]),
                     "by_channel": dict(monthly[m]["channel"])} for m in months],
        "on_time": rates,
        "trend": trend,
    }
