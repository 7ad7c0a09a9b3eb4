"""Reading training records: sessions, series and a session's attendance sheet (each a
filter, a stream, a page and a count: ``ledger.lists``), one session with its sheet, one
series with its sessions, and who a session is required for.

A session's audience is resolved against the posts held on the day it starts, so a member
elected later is not counted as having missed an earlier session.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from peewee import fn

from ledger import lists
from ledger.errors import NotFound, ValidationError
from ledger.fields import choice, date_range, no_nul
from ledger.models import Attendance, Person, Term, TrainingSeries, TrainingSession, Village
from ledger.office import Office
from ledger.training import rules


@dataclass(frozen=True)
class TrainingFilter:
    state: str | None = None  # one of rules.STATES
    kind: str | None = None
    series: Any = None  # a series id
    date_from: dt.date | None = None  # office-local days of the start
    date_to: dt.date | None = None
    search: str | None = None  # title, topic, place or organiser


def local(office: Office, instant: dt.datetime) -> dt.datetime:
    """A stored instant (naive UTC) as naive office wall time."""
    return office.clock.to_local(instant).replace(tzinfo=None)


def _utc(instant: dt.datetime) -> dt.datetime:
    return instant.replace(tzinfo=dt.UTC)


def _day_start(office: Office, day: dt.date) -> dt.datetime:
    from ledger.training.rules import to_utc

    return to_utc(office, dt.datetime.combine(day, dt.time()))


def _id(entity: str, ref: Any) -> int:
    text = "" if ref is None else str(ref).strip().lstrip("#")
    if not text.isdigit() or len(text) > 12:
        raise NotFound(entity, ref)
    return int(text)


def find_session(ref: Any) -> TrainingSession:
    row = TrainingSession.get_or_none(TrainingSession.id == _id("training_session", ref))
    if row is None:
        raise NotFound("training_session", ref)
    return row


def find_series(ref: Any) -> TrainingSeries:
    row = TrainingSeries.get_or_none(TrainingSeries.id == _id("training_series", ref))
    if row is None:
        raise NotFound("training_series", ref)
    return row


# --- audience ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Post:
    person: int
    village: int
    post: str
    started: dt.date
    ended: dt.date | None


def load_posts() -> list[_Post]:
    """Every term ever held (a few hundred rows): audiences are resolved in memory."""
    return [_Post(p, v, post, s, e) for p, v, post, s, e in Term.select(
        Term.person, Term.village, Term.post, Term.started_on, Term.ended_on).tuples()]


def required_people(audience: str, refs: list[Any], day: dt.date,
                    posts: Iterable[_Post]) -> set[int]:
    """The people a session on ``day`` is required for: members in office that day, all of
    them or those holding a listed post or in a listed village; or the named people."""
    if audience == "people":
        return {int(r) for r in refs}
    holding = [p for p in posts if p.started <= day and (p.ended is None or p.ended > day)]
    if audience == "post":
        return {p.person for p in holding if p.post in refs}
    if audience == "village":
        return {p.person for p in holding if p.village in refs}
    return {p.person for p in holding}


def _audience_names(audience: str, refs: list[Any]) -> list[str]:
    from ledger.i18n import value_label

    if audience == "post":
        return [value_label("post", r) for r in refs]
    if audience == "village":
        names = dict(Village.select(Village.id, Village.name).where(Village.id.in_(refs))
                     .tuples()) if refs else {}
        return [names.get(r, str(r)) for r in refs]
    if audience == "people":
        names = dict(Person.select(Person.id, Person.name).where(Person.id.in_(refs))
                     .tuples()) if refs else {}
        return [names.get(r, str(r)) for r in refs]
    return []


# --- sessions ------------------------------------------------------------------------------


def session_dict(office: Office, row: TrainingSession,
                 counts: Counter[str] | None = None) -> dict[str, Any]:
    refs = json.loads(row.audience_refs or "[]")
    data = {
        "id": row.id,
        "series_id": row.series_id,
        "occurrence": _utc(row.occurrence) if row.occurrence else None,
        "detached": bool(row.detached),
        "title": row.title,
        "topic": row.topic,
        "kind": row.kind,
        "starts_at": _utc(row.starts_at),
        "ends_at": _utc(row.ends_at),
        "place": row.place,
        "organiser": row.organiser,
        "credit_hours": rules.hours_value(row.credit_hours),
        "audience": row.audience,
        "audience_refs": refs,
        "audience_names": _audience_names(row.audience, refs),
        "state": row.state,
        "cancel_reason": row.cancel_reason,
        "notes": row.notes,
        "version": row.version,
        "sequence": row.version - 1,
        "allowed_actions": rules.allowed_actions({"state": row.state}),
    }
    if counts is not None:
        data["attended"] = counts["present"] + counts["late"]
        data["recorded"] = sum(counts.values())
    return data


def attendance_sheet(office: Office, row: TrainingSession) -> list[dict[str, Any]]:
    """Everyone the session is required for and everyone recorded, by village and name:
    ``state`` is None for a required person not recorded yet."""
    recorded = {a.person_id: a for a in Attendance.select().where(Attendance.session == row.id)}
    day = local(office, row.starts_at).date()
    required = required_people(row.audience, json.loads(row.audience_refs or "[]"), day,
                               load_posts())
    ids = set(recorded) | required
    villages = dict(Village.select(Village.id, Village.name).tuples())
    codes = dict(Village.select(Village.id, Village.code).tuples())
    people = (Person.select(Person.id, Person.name, Person.name_pinyin, Person.village)
              .where(Person.id.in_(list(ids)))) if ids else []
    sheet = []
    for person in people:
        mark = recorded.get(person.id)
        sheet.append({
            "person_id": person.id, "name": person.name,
            "village": villages.get(person.village_id, ""),
            "required": person.id in required,
            "state": mark.state if mark else None,
            "reason": mark.reason if mark else "",
            "recorded_at": _utc(mark.recorded_at) if mark else None,
            "recorded_by": mark.recorded_by if mark else "",
            "_key": (codes.get(person.village_id, "~"), person.name_pinyin, person.id),
        })
    sheet.sort(key=lambda r: r.pop("_key"))
    return sheet


def get_session(office: Office, ref: Any) -> dict[str, Any]:
    """One session with its attendance sheet and the sheet's counts by state."""
    row = find_session(ref)
    sheet = attendance_sheet(office, row)
    counts = Counter(r["state"] for r in sheet if r["state"])
    data = session_dict(office, row, counts)
    data["attendance"] = sheet
    data["required_count"] = sum(1 for r in sheet if r["required"])
    data["counts"] = {state: counts[state] for state in rules.ATTENDANCE_STATES}
    data["series_title"] = (TrainingSeries.get_by_id(row.series_id).title
                            if row.series_id else "")
    return data


def _where(office: Office, f: TrainingFilter) -> list[Any]:
    conds: list[Any] = []
    if f.state:
        conds.append(TrainingSession.state == choice("state", f.state, rules.STATES))
    if f.kind:
        conds.append(TrainingSession.kind == choice("kind", f.kind, rules.KINDS))
    if f.series not in (None, ""):
        conds.append(TrainingSession.series == find_series(f.series).id)
    if f.date_from and f.date_to and f.date_to < f.date_from:
        raise ValidationError("date_to", "error.date_order")
    conds += date_range(TrainingSession.starts_at,
                        _day_start(office, f.date_from) if f.date_from else None, None,
                        "date_to")
    if f.date_to:
        conds.append(TrainingSession.starts_at < _day_start(office, f.date_to
                                                            + dt.timedelta(days=1)))
    if f.search and f.search.strip():
        term = no_nul("search", f.search.strip())
        conds.append(TrainingSession.title.contains(term)
                     | TrainingSession.topic.contains(term)
                     | TrainingSession.place.contains(term)
                     | TrainingSession.organiser.contains(term))
    return conds


def _query(office: Office, f: TrainingFilter) -> Any:
    query = TrainingSession.select()
    conds = _where(office, f)
    if conds:
        query = query.where(*conds)
    return query


def iter_sessions(office: Office, f: TrainingFilter | None = None, *, offset: int = 0,
                  limit: int | None = None, reveal: bool = False) -> Iterator[dict[str, Any]]:
    """Matching sessions in start order, read lazily, with how many attended. Sessions
    hold no personal data: ``reveal`` changes nothing."""
    query = lists.page(_query(office, f or TrainingFilter()).order_by(
        TrainingSession.starts_at, TrainingSession.id), offset, limit)
    return _session_rows(office, query)


def _session_rows(office: Office, query: Any) -> Iterator[dict[str, Any]]:
    # Rows in chunks, each with one grouped count of its sheets (not one query per row).
    chunk: list[TrainingSession] = []
    for row in query.iterator():
        chunk.append(row)
        if len(chunk) == _CHUNK:
            yield from _with_counts(office, chunk)
            chunk = []
    yield from _with_counts(office, chunk)


_CHUNK = 200  # rows whose counts one grouped query reads


def _with_counts(office: Office, rows: list[TrainingSession]) -> Iterator[dict[str, Any]]:
    if not rows:
        return
    counts: dict[int, Counter[str]] = {r.id: Counter() for r in rows}
    for sid, state, n in (Attendance.select(Attendance.session, Attendance.state,
                                            fn.COUNT(Attendance.id))
                          .where(Attendance.session.in_(list(counts)))
                          .group_by(Attendance.session, Attendance.state).tuples()):
        counts[sid][state] = n
    for row in rows:
        yield session_dict(office, row, counts[row.id])


def list_sessions(office: Office, f: TrainingFilter | None = None, *, offset: int = 0,
                  limit: int | None = 50, reveal: bool = False) -> list[dict[str, Any]]:
    """One page of ``iter_sessions``."""
    return list(iter_sessions(office, f, offset=offset, limit=limit))


def count_sessions(office: Office, f: TrainingFilter | None = None) -> int:
    return int(_query(office, f or TrainingFilter()).count())


# --- series --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesFilter:
    state: str | None = None  # one of rules.SERIES_STATES


def series_dict(office: Office, row: TrainingSeries,
                counts: Counter[str] | None = None) -> dict[str, Any]:
    """A series with how many of its sessions are in each state (``counts``: read here
    when not given)."""
    refs = json.loads(row.audience_refs or "[]")
    if counts is None:
        counts = _series_counts([row.id])[row.id]
    return {
        "id": row.id, "title": row.title, "topic": row.topic, "kind": row.kind,
        "rule": row.rule, "first_start": row.first_start.replace(tzinfo=office.clock.zone)
        .astimezone(dt.UTC), "duration_minutes": row.duration_minutes, "place": row.place,
        "organiser": row.organiser, "credit_hours": rules.hours_value(row.credit_hours),
        "audience": row.audience, "audience_refs": refs,
        "audience_names": _audience_names(row.audience, refs), "state": row.state,
        "notes": row.notes, "version": row.version,
        "sessions": sum(counts.values()),
        "planned": counts[rules.PLANNED], "held": counts[rules.HELD],
        "cancelled": counts[rules.CANCELLED],
    }


def _series_counts(ids: list[int]) -> dict[int, Counter[str]]:
    """Each series' sessions by state: one grouped query for them all."""
    counts: dict[int, Counter[str]] = {i: Counter() for i in ids}
    if ids:
        for sid, state, n in (TrainingSession.select(TrainingSession.series,
                                                     TrainingSession.state,
                                                     fn.COUNT(TrainingSession.id))
                              .where(TrainingSession.series.in_(ids))
                              .group_by(TrainingSession.series, TrainingSession.state)
                              .tuples()):
            counts[sid][state] = n
    return counts


def get_series(office: Office, ref: Any) -> dict[str, Any]:
    """A series and its sessions, in start order."""
    row = find_series(ref)
    data = series_dict(office, row)
    data["session_list"] = list(iter_sessions(office, TrainingFilter(series=row.id)))
    return data


def _series_query(f: SeriesFilter) -> Any:
    query = TrainingSeries.select()
    if f.state:
        query = query.where(TrainingSeries.state == choice("state", f.state,
                                                           rules.SERIES_STATES))
    return query


def iter_series(office: Office, f: SeriesFilter | None = None, *, offset: int = 0,
                limit: int | None = None, reveal: bool = False) -> Iterator[dict[str, Any]]:
    """Matching series in the order they were added, read lazily, each with its sessions
    counted by state. Series hold no personal data: ``reveal`` changes nothing."""
    query = lists.page(_series_query(f or SeriesFilter()).order_by(TrainingSeries.id),
                       offset, limit)
    chunk: list[TrainingSeries] = []
    for row in query.iterator():
        chunk.append(row)
        if len(chunk) == _CHUNK:
            yield from _series_with_counts(office, chunk)
            chunk = []
    yield from _series_with_counts(office, chunk)


def _series_with_counts(office: Office, rows: list[TrainingSeries]
                        ) -> Iterator[dict[str, Any]]:
    counts = _series_counts([r.id for r in rows])
    for row in rows:
        yield series_dict(office, row, counts[row.id])


def list_series(office: Office, f: SeriesFilter | None = None, *, offset: int = 0,
                limit: int | None = 50, reveal: bool = False) -> list[dict[str, Any]]:
    """One page of ``iter_series``."""
    return list(iter_series(office, f, offset=offset, limit=limit))


def count_series(office: Office, f: SeriesFilter | None = None) -> int:
    return int(_series_query(f or SeriesFilter()).count())


# --- attendance ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceFilter:
    """Whose attendance ``iter_attendance`` lists: the sheet of one session (an id)."""

    session: Any


def iter_attendance(office: Office, f: AttendanceFilter, *, offset: int = 0,
                    limit: int | None = None, reveal: bool = False
                    ) -> Iterator[dict[str, Any]]:
    """A session's attendance sheet (``attendance_sheet``: by village and name), from
    ``offset``, at most ``limit`` rows. The sheet names people but shows no ID numbers or
    phones: ``reveal`` changes nothing. A sheet is the people of one office (hundreds), so
    it is built whole and sliced."""
    offset, limit = lists.check_page(offset, limit)
    sheet = attendance_sheet(office, find_session(f.session))
    return itertools.islice(sheet, offset, None if limit is None else offset + limit)


def list_attendance(office: Office, f: AttendanceFilter, *, offset: int = 0,
                    limit: int | None = 50, reveal: bool = False) -> list[dict[str, Any]]:
    """One page of ``iter_attendance``."""
    return list(iter_attendance(office, f, offset=offset, limit=limit))


def count_attendance(office: Office, f: AttendanceFilter) -> int:
    """The rows of the session's sheet: everyone required and everyone recorded."""
    return len(attendance_sheet(office, find_session(f.session)))
