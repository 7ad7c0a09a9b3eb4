"""Use cases that change training records: sessions, series, attendance.

Each runs in one transaction and journals every change (before/after). Edits take the
``version`` the clerk saw: a stale one raises ``Conflict`` naming the fields changed since,
and the row is locked while it changes. A session's steps (hold, cancel, reinstate) and a
series' end are steps of their procedures (``rules.TRANSITIONS``,
``rules.SERIES_TRANSITIONS``), run by ``ledger.steps``; a session's journal is its timeline.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ledger import access, journal, steps, versions
from ledger.errors import InvalidTransition, ValidationError
from ledger.fields import choice, text_field
from ledger.i18n import t
from ledger.models import Attendance, Person, TrainingSeries, TrainingSession
from ledger.office import Office
from ledger.training import rules
from ledger.training.people import resolve_person
from ledger.training.query import (
    find_series,
    find_session,
    get_series,
    get_session,
    local,
)
from ledger.training.rules import CANCELLED, ENDED, HELD, PLANNED

SESSION_ENTITY = "training_session"
SERIES_ENTITY = "training_series"


# --- stored fields and versions ------------------------------------------------------------


def _stored_session(row: TrainingSession) -> dict[str, Any]:
    return {
        "series_id": row.series_id, "occurrence": row.occurrence, "detached": bool(row.detached),
        "title": row.title, "topic": row.topic, "kind": row.kind, "starts_at": row.starts_at,
        "ends_at": row.ends_at, "place": row.place, "organiser": row.organiser,
        "credit_hours": rules.hours_value(row.credit_hours), "audience": row.audience,
        "audience_refs": json.loads(row.audience_refs or "[]"), "state": row.state,
        "cancel_reason": row.cancel_reason, "notes": row.notes,
    }


def _stored_series(row: TrainingSeries) -> dict[str, Any]:
    return {
        "title": row.title, "topic": row.topic, "kind": row.kind, "rule": row.rule,
        "first_start": row.first_start, "duration_minutes": row.duration_minutes,
        "place": row.place, "organiser": row.organiser,
        "credit_hours": rules.hours_value(row.credit_hours), "audience": row.audience,
        "audience_refs": json.loads(row.audience_refs or "[]"), "state": row.state,
        "notes": row.notes,
    }


def _lock_session(ref: Any) -> TrainingSession:
    return versions.lock(TrainingSession, find_session(ref).id)


def _lock_series(ref: Any) -> TrainingSeries:
    return versions.lock(TrainingSeries, find_series(ref).id)


def _session_input(office: Office, row: TrainingSession) -> dict[str, Any]:
    """A stored session as ``clean_session`` takes it (times back in office wall time)."""
    return {
        "title": row.title, "topic": row.topic, "kind": row.kind,
        "starts_at": local(office, row.starts_at), "ends_at": local(office, row.ends_at),
        "place": row.place, "organiser": row.organiser, "credit_hours": row.credit_hours,
        "audience": row.audience, "audience_refs": json.loads(row.audience_refs or "[]"),
        "notes": row.notes,
    }


def _save_session(office: Office, row: TrainingSession, data: Mapping[str, Any],
                  action: str = "update", *, detach: bool = False) -> bool:
    """Write ``data`` onto ``row`` and journal it, if anything changed; bumps the version.
    ``detach``: a change made to this one session, so its series no longer speaks for it."""
    before = _stored_session(row)
    for key, value in data.items():
        setattr(row, key, value)
    if _stored_session(row) == before:
        return False
    if detach and row.series_id is not None:
        row.detached = True
    row.version += 1
    row.updated_at = office.now()
    row.save()
    journal.record(office, SESSION_ENTITY, row.id, action, before=before,
                   after=_stored_session(row))
    return True


# --- sessions ------------------------------------------------------------------------------


def add_session(office: Office, *, title: str, starts_at: Any, ends_at: Any,
                credit_hours: Any, topic: str = "", kind: str = "lecture", place: str = "",
                organiser: str = "", audience: str = "all", audience_refs: Any = (),
                notes: str = "") -> dict[str, Any]:
    """Plan one session (a lecture, a meeting…)."""
    access.require(office, "write", SESSION_ENTITY)
    with office.transaction():
        data = rules.clean_session(office, {
            "title": title, "topic": topic, "kind": kind, "starts_at": starts_at,
            "ends_at": ends_at, "place": place, "organiser": organiser,
            "credit_hours": credit_hours, "audience": audience,
            "audience_refs": audience_refs, "notes": notes})
        now = office.now()
        row = TrainingSession.create(**data, state=PLANNED, created_at=now, updated_at=now)
        journal.record(office, SESSION_ENTITY, row.id, "create", after=_stored_session(row))
    return get_session(office, row.id)


def edit_session(office: Office, ref: Any, *, version: int | None = None,
                 **changes: Any) -> dict[str, Any]:
    """Change a session's fields (only those given). A session of a series edited on its
    own is detached from it: later edits of the series leave it alone."""
    access.require(office, "write", SESSION_ENTITY, ref)
    for key in changes:
        if key not in rules.SESSION_FIELDS:
            raise ValidationError(key, "error.unknown_field", field=key)
    with office.transaction():
        row = _lock_session(ref)
        versions.check(row, version, SESSION_ENTITY, _stored_session(row), changes, ref=row.id)
        if row.state == CANCELLED:
            raise InvalidTransition("error.training_cancelled", title=row.title)
        data = rules.clean_session(office, changes, current=_session_input(office, row))
        if row.state == HELD and data["starts_at"] > office.now():
            raise ValidationError("starts_at", "error.training_held_in_future")
        _save_session(office, row, data, detach=True)
    return get_session(office, row.id)


def _refuse_session(row: TrainingSession, action: str) -> InvalidTransition | None:
    # Attendance and edits say "cancelled" the same way: one message for a cancelled session.
    if row.state == CANCELLED and action != "reinstate":
        return InvalidTransition("error.training_cancelled", title=row.title)
    return None


SESSION_STEPS = steps.Procedure(
    entity=SESSION_ENTITY, kind="training", model=TrainingSession,
    transitions=rules.TRANSITIONS, find=find_session, snapshot=_stored_session,
    journal_id=lambda row: row.id, refuse=_refuse_session)


def refusal(session: Mapping[str, Any], action: str) -> InvalidTransition:
    """Why ``action`` is not allowed for this session (its dict: ``id``, ``title``,
    ``state``): the very refusal the step runner gives, for a face to show before asking
    for the step's details."""
    row = TrainingSession(id=session["id"], title=session["title"], state=session["state"])
    return SESSION_STEPS.refusal(row, action)


Apply = Callable[[steps.Step], None]


def _run(office: Office, ref: Any, action: str, version: int | None = None, *,
         apply: Apply | None = None) -> TrainingSession:
    """One step of a session's procedure through ``ledger.steps``."""
    return steps.run_step(office, SESSION_STEPS, ref, action, version=version,
                          apply=apply or (lambda step: None))


def _started(step: steps.Step) -> None:
    """A session is held only once it has started."""
    if step.row.starts_at > step.office.now():
        raise InvalidTransition("error.training_not_started", title=step.row.title)


def hold_session(office: Office, ref: Any, *, version: int | None = None) -> dict[str, Any]:
    """Mark a session held (it took place)."""
    return get_session(office, _run(office, ref, "hold", version, apply=_started).id)


def _cancel(reason: str, *, detach: bool) -> Apply:
    """What a cancel writes besides the state (a reinstate: no reason)."""
    def apply(step: steps.Step) -> None:
        step.row.cancel_reason = reason
        if detach:  # cancelled on its own: edits of its series leave it alone
            step.row.detached = True
    return apply


def cancel_session(office: Office, ref: Any, *, reason: str = "",
                   version: int | None = None) -> dict[str, Any]:
    """Cancel a planned session (one occurrence of a series too: the rest stay)."""
    why = text_field("reason", reason, 500)
    row = _run(office, ref, "cancel", version, apply=_cancel(why, detach=True))
    return get_session(office, row.id)


def reinstate_session(office: Office, ref: Any, *,
                      version: int | None = None) -> dict[str, Any]:
    """Take a cancelled session back to planned."""
    def apply(step: steps.Step) -> None:
        step.row.cancel_reason = ""

    return get_session(office, _run(office, ref, "reinstate", version, apply=apply).id)


# --- series --------------------------------------------------------------------------------


def _series_input(row: TrainingSeries) -> dict[str, Any]:
    return {
        "title": row.title, "topic": row.topic, "kind": row.kind, "rule": row.rule,
        "first_start": row.first_start, "duration_minutes": row.duration_minutes,
        "place": row.place, "organiser": row.organiser, "credit_hours": row.credit_hours,
        "audience": row.audience, "audience_refs": json.loads(row.audience_refs or "[]"),
        "notes": row.notes,
    }


def _planned_instants(office: Office, data: Mapping[str, Any]) -> list[tuple[dt.datetime,
                                                                            dt.datetime]]:
    """(start, end) in naive UTC of every occurrence of a cleaned series."""
    length = dt.timedelta(minutes=data["duration_minutes"])
    return [(rules.to_utc(office, start), rules.to_utc(office, start + length))
            for start in rules.occurrences(data["rule"], data["first_start"])]


def add_series(office: Office, *, title: str, rule: str, first_start: Any,
               duration_minutes: Any, credit_hours: Any, topic: str = "",
               kind: str = "meeting", place: str = "", organiser: str = "",
               audience: str = "all", audience_refs: Any = (),
               notes: str = "") -> dict[str, Any]:
    """A recurring session: the series and one planned session per occurrence of its rule
    (at most ``rules.MAX_OCCURRENCES``), each of which can then be moved or cancelled."""
    access.require(office, "write", SERIES_ENTITY)
    with office.transaction():
        data = rules.clean_series(office, {
            "title": title, "rule": rule, "first_start": first_start,
            "duration_minutes": duration_minutes, "credit_hours": credit_hours,
            "topic": topic, "kind": kind, "place": place, "organiser": organiser,
            "audience": audience, "audience_refs": audience_refs, "notes": notes})
        now = office.now()
        series = TrainingSeries.create(**data, created_at=now, updated_at=now)
        journal.record(office, SERIES_ENTITY, series.id, "create",
                       after=_stored_series(series))
        inherited = {k: data[k] for k in rules.INHERITED}
        for start, end in _planned_instants(office, data):
            row = TrainingSession.create(**inherited, series=series, occurrence=start,
                                         starts_at=start, ends_at=end, state=PLANNED,
                                         created_at=now, updated_at=now)
            journal.record(office, SESSION_ENTITY, row.id, "create",
                           after=_stored_session(row))
    return get_series(office, series.id)


def edit_series(office: Office, ref: Any, *, version: int | None = None,
                **changes: Any) -> dict[str, Any]:
    """Change a series. Its sessions still to come that were neither moved, edited nor
    cancelled on their own follow: they take the new fields, occurrences the new rule no
    longer has are cancelled, new ones are added. Sessions already past, held, or detached
    (moved or cancelled one by one) are left as they are."""
    access.require(office, "write", SERIES_ENTITY, ref)
    for key in changes:
        if key not in rules.SERIES_FIELDS:
            raise ValidationError(key, "error.unknown_field", field=key)
    with office.transaction():
        series = _lock_series(ref)
        versions.check(series, version, SERIES_ENTITY, _stored_series(series), changes,
                       ref=series.id)
        if series.state == ENDED:
            raise InvalidTransition("error.training_series_ended", title=series.title)
        data = rules.clean_series(office, changes, current=_series_input(series))
        before = _stored_series(series)
        for key, value in data.items():
            setattr(series, key, value)
        if _stored_series(series) == before:
            return get_series(office, series.id)
        series.version += 1
        series.updated_at = office.now()
        series.save()
        journal.record(office, SERIES_ENTITY, series.id, "update", before=before,
                       after=_stored_series(series))
        _follow(office, series, data)
    return get_series(office, series.id)


def _follow(office: Office, series: TrainingSeries, data: Mapping[str, Any]) -> None:
    now = office.now()
    wanted = {start: end for start, end in _planned_instants(office, data) if start > now}
    inherited = {k: data[k] for k in rules.INHERITED}
    existing = list(TrainingSession.select().where(TrainingSession.series == series.id,
                                                   TrainingSession.occurrence > now))
    have = set()
    for row in existing:
        have.add(row.occurrence)
        if row.detached or row.state == HELD:
            continue
        if row.occurrence in wanted:
            if row.state == CANCELLED:  # the series had cancelled it; its rule has it again
                row = _run(office, row.id, "reinstate", apply=_cancel("", detach=False))
            _save_session(office, row, {**inherited, "starts_at": row.occurrence,
                                        "ends_at": wanted[row.occurrence]})
        elif row.state == PLANNED:
            _run(office, row.id, "cancel",
                 apply=_cancel(t("training.left_series"), detach=False))
    for start, end in sorted(wanted.items()):
        if start in have:
            continue
        row = TrainingSession.create(**inherited, series=series, occurrence=start,
                                     starts_at=start, ends_at=end, state=PLANNED,
                                     created_at=now, updated_at=now)
        journal.record(office, SESSION_ENTITY, row.id, "create", after=_stored_session(row))


def _refuse_series(row: TrainingSeries, action: str) -> InvalidTransition:
    return InvalidTransition("error.training_series_ended", title=row.title)


SERIES_STEPS = steps.Procedure(
    entity=SERIES_ENTITY, kind="series", model=TrainingSeries,
    transitions=rules.SERIES_TRANSITIONS, find=find_series, snapshot=_stored_series,
    journal_id=lambda row: row.id, refuse=_refuse_series)


def end_series(office: Office, ref: Any, *, reason: str = "",
               version: int | None = None) -> dict[str, Any]:
    """End a series: its sessions still to come that follow it are cancelled."""
    why = text_field("reason", reason, 500)
    with office.transaction():
        series = steps.run_step(office, SERIES_STEPS, ref, "end_series", note=why,
                                version=version)
        for row in TrainingSession.select(TrainingSession.id).where(
                TrainingSession.series == series.id, TrainingSession.state == PLANNED,
                TrainingSession.detached == False,  # noqa: E712 - a peewee condition
                TrainingSession.starts_at > office.now()):
            _run(office, row.id, "cancel",
                 apply=_cancel(why or t("training.series_over"), detach=False))
    return get_series(office, series.id)


# --- attendance ----------------------------------------------------------------------------


def _open_for_attendance(office: Office, row: TrainingSession) -> None:
    """Attendance is for a session that has started and is not cancelled; a planned one
    becomes held (the step ``hold``, journaled)."""
    if row.state == CANCELLED:
        raise InvalidTransition("error.training_cancelled", title=row.title)
    if row.starts_at > office.now():
        raise InvalidTransition("error.training_not_started", title=row.title)
    if row.state == PLANNED:
        _run(office, row.id, "hold", apply=_started)


def _attendance_dict(row: Attendance | None, person: Person) -> dict[str, Any] | None:
    if row is None:
        return None
    return {"person_id": person.id, "person": person.name, "state": row.state,
            "reason": row.reason}


def record_attendance(office: Office, session_ref: Any, people: Iterable[Any], *,
                      state: str = "present", reason: str = "") -> dict[str, Any]:
    """Record ``state`` for each person (a name, pinyin initials, an ID tail, or a
    person id); re-recording changes it. ``excused`` needs a reason. Returns the session
    with its attendance sheet and ``recorded``: the people just recorded."""
    access.require(office, "write", SESSION_ENTITY, session_ref)
    state = choice("state", state, rules.ATTENDANCE_STATES, label="attendance_state")
    why = text_field("reason", reason, 500)
    if state == "excused" and not why:
        raise ValidationError("reason", "error.training_reason_required")
    terms = list(people)
    if not terms:
        raise ValidationError("person", "error.required")
    recorded: list[dict[str, Any]] = []
    with office.transaction():
        row = _lock_session(session_ref)
        persons: list[Person] = []
        for term in terms:
            person = resolve_person(office, term)
            if person.id not in {p.id for p in persons}:
                persons.append(person)
        _open_for_attendance(office, row)
        now = office.now()
        for person in persons:
            current = Attendance.get_or_none(Attendance.session == row.id,
                                             Attendance.person == person.id)
            before = _attendance_dict(current, person)
            if current is None:
                current = Attendance.create(session=row, person=person, state=state,
                                            reason=why, recorded_at=now,
                                            recorded_by=office.operator)
            elif (current.state, current.reason) != (state, why):
                current.state, current.reason = state, why
                current.recorded_at, current.recorded_by = now, office.operator
                current.save()
            else:
                recorded.append({"id": person.id, "name": person.name, "state": state,
                                 "changed": False})
                continue
            journal.record(office, SESSION_ENTITY, row.id, "attendance", before=before,
                           after=_attendance_dict(current, person))
            recorded.append({"id": person.id, "name": person.name, "state": state,
                             "changed": True})
    result = get_session(office, row.id)
    result["recorded"] = recorded
    return result


def checkin(office: Office, session_ref: Any, people: Iterable[Any], *,
            state: str = "present") -> dict[str, Any]:
    """The fast path at the door: check people in as present (or late)."""
    state = choice("state", state, rules.CHECKIN_STATES, label="attendance_state")
    return record_attendance(office, session_ref, people, state=state)


def record_sheet(office: Office, session_ref: Any,
                 sheet: Mapping[int, str | tuple[str, str]]) -> dict[str, Any]:
    """A whole paper sign-in sheet at once: person id -> state (or (state, reason)).
    One journal entry lists the sheet; people already recorded keep their record."""
    access.require(office, "write", SESSION_ENTITY, session_ref)
    with office.transaction():
        row = _lock_session(session_ref)
        clean: dict[int, tuple[str, str]] = {}
        known = dict(Person.select(Person.id, Person.name).where(
            Person.id.in_(list(sheet))).tuples()) if sheet else {}
        for pid, value in sheet.items():
            state, why = (value, "") if isinstance(value, str) else value
            state = choice("state", state, rules.ATTENDANCE_STATES, label="attendance_state")
            why = text_field("reason", why, 500)
            if state == "excused" and not why:
                raise ValidationError("reason", "error.training_reason_required")
            if pid not in known:
                raise ValidationError("person", "error.training_no_person", term=pid)
            clean[pid] = (state, why)
        _open_for_attendance(office, row)
        already = {pid for (pid,) in Attendance.select(Attendance.person).where(
            Attendance.session == row.id).tuples()}
        now = office.now()
        fresh = [{"session": row.id, "person": pid, "state": state, "reason": why,
                  "recorded_at": now, "recorded_by": office.operator}
                 for pid, (state, why) in clean.items() if pid not in already]
        for start in range(0, len(fresh), 200):
            Attendance.insert_many(fresh[start:start + 200]).execute()
        if fresh:
            # The sheet as a clerk reads it: who was present, late… (a reason beside a name).
            listed: dict[str, list[str]] = {}
            for f in fresh:
                name = f"{known[f['person']]}#{f['person']}"
                listed.setdefault(f["state"], []).append(
                    f"{name}（{f['reason']}）" if f["reason"] else name)
            journal.record(office, SESSION_ENTITY, row.id, "attendance_sheet",
                           after={s: listed[s] for s in rules.ATTENDANCE_STATES if s in listed})
    return get_session(office, row.id)
