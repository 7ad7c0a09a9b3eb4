"""The tickets report: per item, per agent and per village, for a year, a month or all time.

Figures per group: tickets received, done, still open, withdrawn; the on-time rate of those
done; the median working days to done (returns excluded); satisfaction shares among those
rated; and how many are overdue now. Everything is aggregated in the database (counts with
``SUM(CASE …)``, medians from a per-group histogram of working days), so the report reads a
few hundred rows whatever the number of tickets.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from peewee import Case, fn

from ledger.errors import ValidationError
from ledger.models.members import Village
from ledger.models.tickets import ServiceItem, Ticket
from ledger.office import Office
from ledger.tickets.rules import DONE, OPEN_STATES, SATISFACTION, WITHDRAWN

DIMENSIONS = ("item", "agent", "village")


def _period(year: int | None, month: int | None) -> tuple[dt.date | None, dt.date | None]:
    if year is None:
        return None, None
    if not 1950 <= year <= 2100:
        raise ValidationError("year", "error.calendar_year", value=year)
    if month is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if not 1 <= month <= 12:
        raise ValidationError("month", "error.ticket_bad_month", value=month)
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
    return dt.date(year, month, 1), last


def _count_if(condition: Any) -> Any:
    return fn.SUM(Case(None, [(condition, 1)], 0))


def _median(histogram: list[tuple[int, int]]) -> float | None:
    """Median of values given as sorted (value, count) pairs."""
    total = sum(n for _, n in histogram)
    if total == 0:
        return None
    wanted = [(total - 1) // 2, total // 2]  # 0-based positions of the middle one or two
    found: list[int] = []
    seen = 0
    for value, n in histogram:
        while wanted and wanted[0] < seen + n:
            found.append(value)
            wanted.pop(0)
        seen += n
    return (found[0] + found[1]) / 2


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def report(office: Office, *, year: int | None = None, month: int | None = None,
           all_time: bool = False) -> dict[str, Any]:
    """The report for ``year`` (default: this year), one ``month`` of it, or ``all_time``.
    ``period`` in the result says which one was used, for every face to show."""
    today = office.today()
    if all_time:
        if year is not None or month is not None:
            raise ValidationError("all_time", "error.ticket_all_time_and_period")
    elif year is None:
        year = today.year
    first, last = _period(year, month)
    conds: list[Any] = []
    if first is not None:
        conds.append(Ticket.received_on.between(first, last))
    key_of = {"item": Ticket.item, "agent": Ticket.agent, "village": Ticket.village}
    labels = {
        "item": {i: (c, n) for i, c, n in
                 ServiceItem.select(ServiceItem.id, ServiceItem.code, ServiceItem.name).tuples()},
        "village": {i: (c, n) for i, c, n in
                    Village.select(Village.id, Village.code, Village.name).tuples()},
    }
    figures = [
        fn.COUNT(Ticket.id),
        _count_if(Ticket.state == DONE),
        _count_if(Ticket.state.in_(OPEN_STATES)),
        _count_if(Ticket.state == WITHDRAWN),
        _count_if((Ticket.state == DONE) & (Ticket.on_time == True)),  # noqa: E712 - SQL
        _count_if(Ticket.running_due < today),
        *[_count_if(Ticket.satisfaction == s) for s in SATISFACTION],
    ]

    def groups(key: Any | None) -> dict[Any, dict[str, Any]]:
        select = [key, *figures] if key is not None else figures
        query = Ticket.select(*select)
        if conds:
            query = query.where(*conds)
        if key is not None:
            query = query.group_by(key)
        out: dict[Any, dict[str, Any]] = {}
        for row in query.tuples():
            k, values = (row[0], row[1:]) if key is not None else (None, row)
            count, done, open_, withdrawn, on_time, overdue, *sat = (int(v or 0) for v in values)
            rated = sum(sat)
            out[k] = {
                "count": count, "done": done, "open": open_, "withdrawn": withdrawn,
                "on_time": on_time, "on_time_rate": _share(on_time, done),
                "overdue": overdue, "rated": rated,
                **{f"{s}_share": _share(n, rated) for s, n in zip(SATISFACTION, sat,
                                                                  strict=True)},
                "median_working_days": None,
            }
        # Medians: one histogram query per dimension instead of every ticket's figure.
        hist_select = ([key] if key is not None else []) + [
            Ticket.working_days_taken, fn.COUNT(Ticket.id)]
        hist = Ticket.select(*hist_select).where(Ticket.state == DONE,
                                                 Ticket.working_days_taken.is_null(False),
                                                 *conds)
        group = ([key] if key is not None else []) + [Ticket.working_days_taken]
        per_key: dict[Any, list[tuple[int, int]]] = {}
        for row in hist.group_by(*group).tuples():
            k, value, n = (row[0], row[1], row[2]) if key is not None else (None, row[0], row[1])
            per_key.setdefault(k, []).append((int(value), int(n)))
        for k, histogram in per_key.items():
            if k in out:
                out[k]["median_working_days"] = _median(sorted(histogram))
        return out

    result: dict[str, Any] = {
        "period": {"year": year, "month": month, "from": first, "to": last,
                   "all_time": all_time},
        "as_of": today,
        "totals": groups(None).get(None) or {**_empty()},
    }
    for dim in DIMENSIONS:
        rows = []
        for k, data in groups(key_of[dim]).items():
            if dim == "agent":
                code, name = "", k or ""
            else:
                code, name = labels[dim].get(k, ("", "")) if k is not None else ("", "")
            rows.append({"key": k, "code": code, "name": name, **data})
        rows.sort(key=lambda r: (-r["count"], r["code"], r["name"]))
        result[f"by_{dim}"] = rows
    return result


def _empty() -> dict[str, Any]:
    return {"count": 0, "done": 0, "open": 0, "withdrawn": 0, "on_time": 0,
            "on_time_rate": None, "overdue": 0, "rated": 0,
            **{f"{s}_share": None for s in SATISFACTION}, "median_working_days": None}


def monthly(office: Office, *, year: int | None = None) -> list[dict[str, Any]]:
    """The year's figures month by month (by the month a ticket was received): ``month``
    (``YYYY-MM``), ``count``, ``done``, ``on_time``, ``on_time_rate``, ``rated`` and the
    satisfaction shares, every month of the year present. Grouped by day in the database
    (at most 366 rows, one query, the same SQL on SQLite and PostgreSQL) and folded into
    months here; a month's median needs every ticket, so it stays in ``report``."""
    year = office.today().year if year is None else year
    first, last = _period(year, None)
    counts: dict[int, list[int]] = {m: [0] * (3 + len(SATISFACTION)) for m in range(1, 13)}
    query = (Ticket.select(Ticket.received_on, fn.COUNT(Ticket.id),
                           _count_if(Ticket.state == DONE),
                           _count_if((Ticket.state == DONE) & (Ticket.on_time == True)),  # noqa: E712
                           *[_count_if(Ticket.satisfaction == s) for s in SATISFACTION])
             .where(Ticket.received_on.between(first, last))
             .group_by(Ticket.received_on))
    for day, *values in query.tuples():
        month = counts[_as_date(day).month]
        for i, value in enumerate(values):
            month[i] += int(value or 0)
    rows = []
    for m, (count, done, on_time, *sat) in counts.items():
        rated = sum(sat)
        rows.append({"month": f"{year:04d}-{m:02d}", "count": count, "done": done,
                     "on_time": on_time, "on_time_rate": _share(on_time, done),
                     "rated": rated,
                     **{f"{s}_share": _share(n, rated)
                        for s, n in zip(SATISFACTION, sat, strict=True)}})
    return rows


def _as_date(value: Any) -> dt.date:
    # A grouped date column comes back as a date on PostgreSQL and as ISO text on SQLite
    # (an aggregate query's column is not converted by the field).
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
