"""Kinds whose rows go through the area's own use cases, one by one: satisfaction surveys,
training attendance, duty unavailability and shifts.

These tables are small (a year's surveys, a sign-in sheet, a leave list, a month's roster),
so a row is applied by the very function a clerk's command calls — ``add_survey`` /
``edit_survey``, ``record_attendance``, ``add_unavailable``, ``assign`` — and every rule,
check and journal entry is the area's own, with no copy. ``RecordHandler`` applies each row
inside a savepoint while it is read: whatever the use case refuses (a person not eligible at
the post, a double booking, a session that has not started) becomes that row's error and
leaves nothing behind, and the import's all-or-nothing, dry run and ``--skip-invalid`` work
as for every kind (the outer transaction is rolled back unless the whole file is accepted).

A kind here is its columns, how a row's natural key reads, how the stored record is found,
how a row is applied (returning whether it changed anything) and its export rows: a few
lines each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ledger.errors import Conflict, NotFound, ValidationError
from ledger.fields import date_field, text_field
from ledger.io.kinds import Column, Handler, JournalRows, Kind, register
from ledger.models import Person
from ledger.people import mask_id_number, normalise_id_number
from ledger.roster.query import ShiftFilter
from ledger.surveys.query import SurveyFilter
from ledger.training.query import TrainingFilter


@dataclass
class RecordHandler(Handler):
    """Rows applied through the area's use cases (see the module's docstring)."""

    chunk_size: int = 200

    def find(self, key: str) -> Any:
        """The stored record with this key, or None."""
        raise NotImplementedError

    def apply(self, data: dict[str, str], current: Any) -> bool:
        """Add (``current`` None) or change the record through the area's use cases;
        whether anything changed."""
        raise NotImplementedError

    def existing(self, keys: list[str]) -> dict[str, Any]:
        found = {key: self.find(key) for key in keys}
        return {k: v for k, v in found.items() if v is not None}

    def clean(self, data: dict[str, str], current: Any) -> dict[str, Any]:
        with self.office.transaction():  # a savepoint: a refused row leaves nothing behind
            return {"changed": self.apply(data, current)}

    def changed(self, clean: dict[str, Any], current: Any) -> bool:
        return bool(clean["changed"])

    def write(self, added: list[dict[str, Any]],
              updated: list[tuple[Any, dict[str, Any]]]) -> JournalRows:
        return []  # each row was written, and journaled, by the area's use case

    # --- shared by the kinds below ---

    def person(self, data: dict[str, str]) -> Person:
        """The person a row names: by ID number when it has one, else by name (as a clerk
        types it at check-in: ``training.resolve_person``). A masked ID number (an export
        without ``--reveal``) names the person by name, and must match that person's."""
        from ledger.training import resolve_person

        raw = (data.get("id_number") or "").strip()
        name = (data.get("person_name") or "").strip()
        if raw and "*" not in raw:
            number = normalise_id_number(raw)
            row = Person.get_or_none(Person.id_number == number)
            if row is None:
                raise ValidationError("id_number", "error.io.unknown_person", ref=raw)
            if name and name != row.name:
                raise ValidationError("person_name", "error.io.person_mismatch",
                                      name=name, other=row.name)
            return row
        if not name:
            raise ValidationError("person_name", "error.required")
        row = resolve_person(self.office, name, field="person_name")
        if raw and mask_id_number(row.id_number) != raw:
            raise ValidationError("id_number", "error.io.person_mismatch", name=raw,
                                  other=row.name)
        return row


def _day(field: str, value: Any) -> dt.date:
    day = date_field(field, value)
    if day is None:
        raise ValidationError(field, "error.required")
    return day


def _one(rows: list[Any], key: str) -> Any:
    """The one stored record of a key; several (entered twice by hand) cannot be told
    apart by the file: that row is refused."""
    if len(rows) > 1:
        raise Conflict("error.io.key_ambiguous", key=key, count=len(rows))
    return rows[0] if rows else None


# --- satisfaction surveys (natural key: village + day) ------------------------------------

SURVEY_FIELDS = ("surveyed_on", "satisfied", "basically_satisfied", "dissatisfied", "comments")


@dataclass
class SurveyHandler(RecordHandler):
    def key(self, data: dict[str, str]) -> str:
        from ledger.lookups import village_ref

        village = village_ref(data.get("village"), required=True)
        return f"{village.id}|{_day('surveyed_on', data.get('surveyed_on')).isoformat()}"

    def find(self, key: str) -> Any:
        from ledger.models.surveys import SatisfactionSurvey as S

        village, day = key.split("|")
        return list(S.select().where(S.village == int(village),
                                     S.surveyed_on == dt.date.fromisoformat(day)))

    def existing(self, keys: list[str]) -> dict[str, Any]:
        found = {key: self.find(key) for key in keys}
        return {k: v for k, v in found.items() if v}

    def apply(self, data: dict[str, str], current: Any) -> bool:
        from ledger import surveys

        fields = {k: data[k] for k in SURVEY_FIELDS if k in data}
        if current is None:
            surveys.add_survey(self.office, village=data["village"], **fields)
            return True
        row = _one(current, f"{data['village']} {data['surveyed_on']}")
        return surveys.edit_survey(self.office, row.id, **fields)["version"] != row.version

    def export(self, reveal: bool, filters: Any = None) -> Iterator[dict[str, Any]]:
        from ledger import surveys

        for row in surveys.iter_surveys(self.office, filters):
            yield {"village": row["village_code"], **{k: row[k] for k in SURVEY_FIELDS}}


# --- training attendance (natural key: session + person) ----------------------------------

PERSON_COLUMNS = (Column("person_name", ("person_name", "name")),
                  Column("id_number", personal="id_number"))


@dataclass
class AttendanceHandler(RecordHandler):
    def key(self, data: dict[str, str]) -> str:
        from ledger.training import find_session

        ref = (data.get("session") or "").strip().lstrip("#")
        if not ref:
            raise ValidationError("session", "error.required")
        try:
            session = find_session(ref)
        except NotFound:
            raise ValidationError("session", "error.io.unknown_session", ref=ref) from None
        return f"{session.id}|{self.person(data).id}"

    def find(self, key: str) -> Any:
        from ledger.models import Attendance

        session, person = (int(k) for k in key.split("|"))
        return Attendance.get_or_none(Attendance.session == session,
                                      Attendance.person == person)

    def apply(self, data: dict[str, str], current: Any) -> bool:
        from ledger import training

        session, person = (int(k) for k in self.key(data).split("|"))
        done = training.record_attendance(self.office, session, [person],
                                          state=data.get("state") or "present",
                                          reason=data.get("reason") or "")
        return bool(done["recorded"][0]["changed"])

    def export(self, reveal: bool, filters: Any = None) -> Iterator[dict[str, Any]]:
        from ledger import training
        from ledger.models import Attendance

        for session in training.iter_sessions(self.office, filters):
            query = (Attendance.select(Attendance.state, Attendance.reason, Person.name,
                                       Person.id_number)
                     .join(Person, on=Attendance.person == Person.id)
                     .where(Attendance.session == session["id"]).order_by(Attendance.id))
            for state, reason, name, id_number in query.tuples():
                yield {"session": session["id"], "person_name": name,
                       "id_number": id_number or "", "state": state, "reason": reason}


# --- duty unavailability (natural key: person + first day) --------------------------------

UNAVAILABLE_FIELDS = ("date_from", "date_to", "reason", "note")


@dataclass(frozen=True)
class UnavailabilityFilter:
    """The filters of ``roster.list_unavailability`` (periods touching the days)."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    person: Any = None  # a person id


@dataclass
class UnavailabilityHandler(RecordHandler):
    def key(self, data: dict[str, str]) -> str:
        return f"{self.person(data).id}|{_day('date_from', data.get('date_from')).isoformat()}"

    def find(self, key: str) -> Any:
        from ledger.models.roster import Unavailability as U

        person, day = key.split("|")
        return list(U.select().where(U.person == int(person),
                                     U.date_from == dt.date.fromisoformat(day)))

    def existing(self, keys: list[str]) -> dict[str, Any]:
        found = {key: self.find(key) for key in keys}
        return {k: v for k, v in found.items() if v}

    def apply(self, data: dict[str, str], current: Any) -> bool:
        from ledger import roster

        person = self.person(data)
        fields = {k: data.get(k) or None for k in UNAVAILABLE_FIELDS}
        clean = roster.clean_unavailability(self.office, {
            **fields, "person_id": person.id, "staff_id": None})
        clean = {k: clean[k] for k in UNAVAILABLE_FIELDS}
        if current is not None:
            row = _one(current, f"{person.name} {clean['date_from']}")
            if all(getattr(row, k) == clean[k] for k in UNAVAILABLE_FIELDS):
                return False
            # A period has no edit of its own: the changed one is removed and added again
            # (both journaled), through the roster's own use cases.
            roster.remove_unavailable(self.office, row.id)
        roster.add_unavailable(self.office, person.id, **clean)
        return True

    def export(self, reveal: bool, filters: Any = None) -> Iterator[dict[str, Any]]:
        from ledger import roster

        f = filters or UnavailabilityFilter()
        numbers = dict(Person.select(Person.id, Person.id_number).tuples())
        for row in roster.list_unavailability(self.office, date_from=f.date_from,
                                              date_to=f.date_to, person=f.person):
            yield {"person_name": row["person"], "id_number": numbers.get(row["person_id"]) or "",
                   **{k: row[k] for k in UNAVAILABLE_FIELDS}}


# --- duty shifts (natural key: post + day + shift, i.e. the post and its start) ----------

@dataclass
class ShiftHandler(RecordHandler):
    def key(self, data: dict[str, str]) -> str:
        from ledger import roster

        ref = text_field("duty_post", data.get("post"), 20, required=True)
        try:
            post = roster.find_post(ref)
        except NotFound:
            raise ValidationError("duty_post", "error.io.unknown_post", ref=ref) from None
        day = _day("day", data.get("day"))
        name = text_field("shift", data.get("shift"), 20, required=True)
        return f"{post.id}|{day.isoformat()}|{name}"

    def find(self, key: str) -> Any:
        from ledger.models.roster import Shift

        post, day, name = key.split("|", 2)
        return Shift.get_or_none(Shift.post == int(post), Shift.day == dt.date.fromisoformat(day),
                                 Shift.name == name)

    def apply(self, data: dict[str, str], current: Any) -> bool:
        from ledger import roster

        named = any((data.get(k) or "").strip() for k in ("person_name", "id_number"))
        person = self.person(data) if named else None
        if current is not None and current.person_id == (person.id if person else None):
            return False  # as stored: a planned shift stays planned (re-planning may move it)
        post, day, name = self.key(data).split("|", 2)
        roster.assign(self.office, int(post), day, name, person.id if person else None)
        return True

    def export(self, reveal: bool, filters: Any = None) -> Iterator[dict[str, Any]]:
        from ledger import roster

        numbers = dict(Person.select(Person.id, Person.id_number).tuples())
        for row in roster.iter_shifts(self.office, filters):
            yield {"post": row["post"], "day": row["day"], "shift": row["shift"],
                   "person_name": row["person"],
                   "id_number": numbers.get(row["person_id"]) or "" if row["person_id"] else ""}


register(Kind(
    name="surveys", entity="survey", key="village",
    columns=(Column("village", ("village", "village_code")),
             Column("surveyed_on", date=True), Column("satisfied"),
             Column("basically_satisfied"), Column("dissatisfied"), Column("comments")),
    handler=SurveyHandler, filter=SurveyFilter,
))

register(Kind(
    name="attendance", entity="training_session", key="session",
    columns=(Column("session", ("session", "sessions")), *PERSON_COLUMNS,
             Column("state", ("attendance_state", "state"), coded="attendance_state"),
             Column("reason")),
    handler=AttendanceHandler, filter=TrainingFilter,
    aliases={"attendance_state": "state", "person": "person_name"},
))

register(Kind(
    name="unavailability", entity="duty_unavailability", key="date_from",
    columns=(*PERSON_COLUMNS, Column("date_from", date=True), Column("date_to", date=True),
             Column("reason", coded="unavailable_reason"), Column("note")),
    handler=UnavailabilityHandler, filter=UnavailabilityFilter,
    aliases={"person": "person_name"},
))

register(Kind(
    name="shifts", entity="duty_shift", key="shift",
    columns=(Column("post", ("duty_post", "post")), Column("day", date=True),
             Column("shift"), *PERSON_COLUMNS),
    handler=ShiftHandler, filter=ShiftFilter,
    aliases={"duty_post": "post", "person": "person_name", "date": "day"},
))
