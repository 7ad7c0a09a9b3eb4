"""``jiedao db check``: is the database whole, and does it still say what the journal says?

Four checks, each run whatever the others found:

* ``integrity``: SQLite's ``PRAGMA integrity_check`` (PostgreSQL checks its pages itself:
  skipped there);
* ``foreign_keys``: rows naming a parent row that is gone (SQLite's ``PRAGMA
  foreign_key_check``; on PostgreSQL the same question asked with a join per foreign key,
  since constraints can be switched off for a session);
* ``journal``: the hash chain (``journal.verify``; a keyed chain whose key is missing is a
  problem, not a pass);
* ``records``: each record's current values against what its journal says they are — the
  ``after`` of its entries applied in order (a step's or an edit's snapshot; a partial one
  such as a duty post's eligibility changes only its own keys). A stored field that differs
  was changed behind the ledger's back (raw SQL, a restored table); a record with no
  journal entry was inserted behind its back; a journaled record that is gone was deleted
  behind its back; one the journal deleted is still there.

Not compared (no journal snapshot of their own): step events of tickets, petitions and
decisions, attendance, duty eligibility, calendar days and years, assessment schemes and
goals, the reminder log and the number sequences. Keys of a snapshot that are not columns
of the record (a village's name beside ``village_id``, a post's code) are shown values,
not stored ones, and are skipped.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

import peewee

from ledger import journal, journalkey
from ledger.i18n import t
from ledger.models import JournalEntry
from ledger.models import assessment as assessment_models
from ledger.models import decisions as decision_models
from ledger.models import members as member_models
from ledger.models import petitions as petition_models
from ledger.models import roster as roster_models
from ledger.models import staff as staff_models
from ledger.models import surveys as survey_models
from ledger.models import tickets as ticket_models
from ledger.models import training as training_models

if TYPE_CHECKING:
    from ledger.office import Office

CHECKS = ("integrity", "foreign_keys", "journal", "records")

# Journal entity -> the table its entries snapshot (entries name a record by its id).
TRACKED: dict[str, type[peewee.Model]] = {
    "village": member_models.Village,
    "member": member_models.Person,
    "election": member_models.Election,
    "term": member_models.Term,
    "item": ticket_models.ServiceItem,
    "ticket": ticket_models.Ticket,
    "petition": petition_models.Petition,
    "training_series": training_models.TrainingSeries,
    "training_session": training_models.TrainingSession,
    "duty_post": roster_models.DutyPost,
    "duty_shift": roster_models.Shift,
    "duty_unavailability": roster_models.Unavailability,
    "staff": staff_models.Staff,
    "decision": decision_models.Decision,
    "survey": survey_models.SatisfactionSurvey,
    "assessment_score": assessment_models.AssessmentScore,
}
# Bookkeeping columns no snapshot is meant to hold.
UNCOMPARED = {"version"}


@dataclass(frozen=True)
class Problem:
    """One finding. ``check`` is one of ``CHECKS``; ``key`` and ``params`` make its message."""

    check: str
    key: str
    entity: str | None = None
    id: str | None = None
    field: str | None = None
    params: dict[str, Any] = dataclasses.field(default_factory=dict)

    def message(self) -> str:
        from ledger.i18n import entity_label, field_label

        extra = dict(self.params)
        if self.entity is not None:
            extra["entity"] = entity_label(self.entity)
        if self.field is not None:
            extra["field"] = field_label(self.field)
        return t(self.key, id=self.id, **extra)


@dataclass
class Report:
    # check -> ok, problems or skipped
    checks: dict[str, str] = dataclasses.field(default_factory=dict)
    problems: list[Problem] = dataclasses.field(default_factory=list)
    journal_entries: int = 0
    records: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "checks": self.checks, "journal_entries": self.journal_entries,
                "records": self.records,
                "problems": [{**asdict(p), "message": p.message()} for p in self.problems]}


def run(office: Office, *, only: tuple[str, ...] = CHECKS) -> Report:
    """Every check of ``only``; the report lists what each found."""
    report = Report()
    steps = {"integrity": _integrity, "foreign_keys": _foreign_keys, "journal": _journal,
             "records": _records}
    for name in CHECKS:
        if name not in only:
            continue
        before = len(report.problems)
        ran = steps[name](office, report)
        report.checks[name] = ("skipped" if not ran
                               else "ok" if len(report.problems) == before else "problems")
    return report


def _integrity(office: Office, report: Report) -> bool:
    if office.is_postgres:
        return False
    rows = office.db.execute_sql("PRAGMA integrity_check").fetchall()
    for (text,) in rows:
        if text != "ok":
            report.problems.append(Problem("integrity", "check.integrity", params={
                "detail": str(text)}))
    return True


def _foreign_keys(office: Office, report: Report) -> bool:
    if not office.is_postgres:
        for table, rowid, parent, _fkid in office.db.execute_sql(
                "PRAGMA foreign_key_check").fetchall():
            report.problems.append(Problem("foreign_keys", "check.foreign_key", params={
                "table": table, "row": rowid, "parent": parent}))
        return True
    from ledger.models import ALL_MODELS

    for model in ALL_MODELS:
        for fk in model._meta.refs:
            parent = fk.rel_model.alias()
            orphans = (model.select(model._meta.primary_key, fk)
                       .join(parent, peewee.JOIN.LEFT_OUTER, on=(fk == parent.id))
                       .where(fk.is_null(False) & parent.id.is_null())
                       .order_by(model._meta.primary_key).tuples())
            for rowid, _ref in orphans:
                report.problems.append(Problem("foreign_keys", "check.foreign_key", params={
                    "table": model._meta.table_name, "row": rowid,
                    "parent": fk.rel_model._meta.table_name}))
    return True


def _journal(office: Office, report: Report) -> bool:
    try:
        result = journal.verify(office)
    except journalkey.JournalKeyError as exc:
        # A keyed chain without its key is not checked, and says so: never "ok".
        report.problems.append(Problem("journal", exc.key, params=dict(exc.params)))
        return True
    report.journal_entries = result.checked
    if not result.ok:
        reason = t(f"audit.reason.{result.reason}")
        if result.bad_id is None:
            report.problems.append(Problem("journal", "check.journal_keying",
                                           params={"reason": reason}))
        else:
            report.problems.append(Problem("journal", "check.journal", id=str(result.bad_id),
                                           params={"reason": reason}))
    return True


_DELETED = object()  # the journal's last word on a record: deleted


def _records(office: Office, report: Report) -> bool:
    for entity, model in TRACKED.items():
        known = _journaled_state(entity)
        columns = _columns(model)
        query = model.select().order_by(model._meta.primary_key)
        seen: set[str] = set()
        for row in query.iterator():
            report.records += 1
            rid = str(row.get_id())
            seen.add(rid)
            state = known.get(rid)
            if state is None:
                report.problems.append(Problem("records", "check.unjournaled", entity, rid))
                continue
            if state is _DELETED:
                report.problems.append(Problem("records", "check.deleted_but_present",
                                               entity, rid))
                continue
            for key, journaled in state.items():
                column = columns.get(key)
                if column is None:
                    continue
                stored = row.__data__.get(column.name)
                if not same(stored, journaled):
                    now = journal.mask_personal({key: stored})[key]
                    said = journal.mask_personal({key: journaled})[key]
                    report.problems.append(Problem(
                        "records", "check.changed", entity, rid, key,
                        params={"stored": _shown(now), "journaled": _shown(said),
                                "journal_id": state.get("\0entry", "")}))
        for rid, state in known.items():
            if rid not in seen and state is not _DELETED:
                report.problems.append(Problem("records", "check.missing", entity, rid))
    return True


def _journaled_state(entity: str) -> dict[str, Any]:
    """Record id -> the fields its journal says it holds now (the ``after`` of each entry
    applied in order), or ``_DELETED``. The entry that last set them is under ``"\\0entry"``."""
    known: dict[str, Any] = {}
    rows = (JournalEntry.select(JournalEntry.id, JournalEntry.entity_id, JournalEntry.action,
                                JournalEntry.after)
            .where(JournalEntry.entity == entity).order_by(JournalEntry.id).tuples())
    for entry_id, entity_id, action, after in rows.iterator():
        if not entity_id.isdigit():
            continue  # "*": a list's reveal, a summary
        if action == "delete" and after is None:
            known[entity_id] = _DELETED
            continue
        if after is None:
            known.setdefault(entity_id, {})  # a reveal: the record is journaled all the same
            continue
        try:
            values = json.loads(after)
        except json.JSONDecodeError:
            continue  # the chain check reports a tampered entry
        if not isinstance(values, dict):
            continue
        state = known.get(entity_id)
        if action == "create" or not isinstance(state, dict):
            state = {}
        state.update(values)
        state["\0entry"] = entry_id
        known[entity_id] = state
    return known


def _columns(model: type[peewee.Model]) -> dict[str, peewee.Field]:
    """Snapshot key -> the column it stands for. A foreign key is compared by its column
    (``village_id``); under its own name (``village``) a snapshot shows a code or a name."""
    out: dict[str, peewee.Field] = {}
    for f in model._meta.sorted_fields:
        if f.name in UNCOMPARED:
            continue
        if isinstance(f, peewee.ForeignKeyField):
            out[f.column_name] = f
        else:
            out[f.name] = f
    return out


def same(stored: Any, journaled: Any) -> bool:
    """Does a stored value equal the value a journal snapshot holds (JSON: dates and
    instants as ISO text, decimals as numbers or text, lists where the column keeps JSON
    text, one item per line or items separated by commas)?"""
    if stored is None or journaled is None:
        return stored == journaled or (stored in ("", []) and journaled in ("", []))
    if isinstance(stored, bool) or isinstance(journaled, bool):
        return (isinstance(stored, bool | int) and isinstance(journaled, bool | int)
                and bool(stored) == bool(journaled))
    if isinstance(stored, Decimal | float) or isinstance(journaled, float):
        try:
            return Decimal(str(stored)) == Decimal(str(journaled))
        except InvalidOperation:
            return False
    if isinstance(stored, dt.datetime):
        return isinstance(journaled, str) and _instant(journaled) == stored.replace(tzinfo=None)
    if isinstance(stored, dt.date):
        return journaled == stored.isoformat()
    if isinstance(stored, str) and isinstance(journaled, list | dict):
        if stored.strip() == "":
            return not journaled
        try:
            return bool(json.loads(stored) == journaled)
        except json.JSONDecodeError:
            # A list kept one item per line (attachments) or comma-separated (channels).
            return isinstance(journaled, list) and (
                stored.split("\n") == journaled
                or [part for part in stored.split(",") if part] == journaled)
    return bool(stored == journaled)


def _instant(text: str) -> dt.datetime | None:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return value
    return journal.canonical(value) or "null"
