"""The step runner: how a record with a procedure (a ticket, a petition, a decision) takes
one step of it. Every area describes its procedure once (a ``Procedure``) and calls
``run_step`` from each of its step functions; the area keeps only its own rules.

A record's place in its procedure is its ``state`` (a column of that name). The area's
``TRANSITIONS`` table has one shape everywhere::

    TRANSITIONS: dict[str, tuple[tuple[str, ...], Target]]   # action -> (sources, target)

where the target is the state the step leads to, ``None`` when the state stays (an
assignment, a rating), a ``{source: target}`` mapping when it depends on where the record
is (a ticket's ``advance``: received -> in progress -> done), or ``BACK``: the state the
record was in before it entered its current one (a ticket's ``resume`` after a return).

``run_step`` does, inside ONE ``office.transaction()``:

1. find the record (the area's ``find``, ``NotFound`` when unknown) and lock it: ``SELECT …
   FOR UPDATE`` on PostgreSQL, so of two clerks stepping the same record the second waits
   and then sees the first one's step (SQLite's ``BEGIN IMMEDIATE`` already serialises);
2. check the action against the table: a refusal is an ``InvalidTransition`` naming the
   record, the action and the state (``Procedure.refuse`` may give an area's own reason);
3. read when the step happened (``Moments``: instants for tickets, dates for petitions) and
   refuse a moment after the latest allowed (the future) or before the record's last step;
4. take the before-snapshot, let the area's ``apply(step)`` change the row (and refuse with
   its own rules), set the target state, let the area's ``settle`` recompute what follows
   (deadlines), save the changed columns;
5. write the timeline event (``from_state``/``to_state``, operator, action, note) and the
   journal entry (before/after, note).

A refusal at any point raises out of the transaction: nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from peewee import Model

from ledger import journal, versions
from ledger.errors import InvalidTransition, ValidationError
from ledger.i18n import entity_label, value_label
from ledger.office import Office

# The target of a step that goes back to where the record was before its current state.
BACK = "<back>"

Target = str | Mapping[str, str] | None
Transitions = Mapping[str, tuple[tuple[str, ...], Target]]
Moment = TypeVar("Moment", dt.date, dt.datetime)


def allowed_actions(transitions: Transitions, state: str | None) -> list[str]:
    """The actions the table allows from ``state``, in the table's order."""
    return [action for action, (sources, _) in transitions.items() if state in sources]


@dataclass(frozen=True)
class Moments(Generic[Moment]):
    """When a step happened, in the area's own unit (a date or a UTC instant).

    ``read(office, value, last)`` turns what the clerk gave (None: now / today) into a moment,
    raising ``ValidationError`` on ``field`` for a value it cannot read; ``last`` is the
    record's last step (a day alone may be placed after it). ``latest(office)`` is the latest
    moment a step may carry; ``show(office, moment)`` how an error message shows one.
    The refusals are ``ValidationError(field, future_key, date=…)`` and
    ``ValidationError(field, before_key, last=…)``.
    """

    field: str
    read: Callable[[Office, Any, Moment | None], Moment]
    latest: Callable[[Office], Moment]
    show: Callable[[Office, Moment], str]
    future_key: str
    before_key: str
    label: str | None = None  # the field's label when its name reads wrong (ValidationError)


@dataclass
class Step:
    """What ``apply`` and ``settle`` get: the locked row (change it in place), the action,
    when it happened, the state it starts from, the clerk's note and the state it leads to."""

    office: Office
    row: Any
    action: str
    moment: Any
    from_state: str
    note: str
    target: str = ""  # the state the step leads to (the table's answer for this row)

    @property
    def day(self) -> dt.date:
        """The office-local day of the step."""
        if isinstance(self.moment, dt.datetime):
            return self.office.clock.to_local(self.moment).date()
        return self.moment


@dataclass(frozen=True)
class Procedure:
    """One area's procedure, declared once (see the module docstring for the order).

    - ``entity``: the journal's entity and the record's label (``entity.<name>``);
    - ``model``/``event_model``: the record's table (with ``state``) and its timeline table
      (with ``<event_link>`` to the record, ``operator``, ``action``, ``from_state``,
      ``to_state``, ``note``);
    - ``transitions``: the table; ``find(ref)``: the record a step is about (``NotFound``);
    - ``snapshot(row)``: the journal's before/after; ``journal_id(row)``: its entity id;
    - ``last_moment(row)``: the moment of the record's last step (None: none yet);
    - ``event_fields(step)``: the area's own event columns (``at``, ``on``, ``due_date``…);
    - ``refuse(row, action)``: an area's own refusal, or None for the shared one;
    - ``settle(step)``: after the state is set, what follows from it (deadlines);
    - ``initial``: the state a record starts in (``BACK`` without a timeline goes there).
    """

    entity: str
    model: type[Model]
    event_model: type[Model]
    event_link: str
    transitions: Transitions
    moments: Moments[Any]
    find: Callable[[Any], Any]
    snapshot: Callable[[Any], dict[str, Any]]
    journal_id: Callable[[Any], Any]
    last_moment: Callable[[Any], Any]
    event_fields: Callable[[Step], dict[str, Any]]
    refuse: Callable[[Any, str], InvalidTransition | None] = field(
        default=lambda row, action: None)
    settle: Callable[[Step], None] = field(default=lambda step: None)
    initial: str = ""  # where a record starts: BACK's answer when its timeline is missing

    def refusal(self, row: Any, action: str) -> InvalidTransition:
        own = self.refuse(row, action)
        if own is not None:
            return own
        return InvalidTransition(
            "error.step_refused", entity=entity_label(self.entity),
            number=getattr(row, "number", row.id),
            action=value_label(f"{self.entity}_action", action),
            state=value_label(f"{self.entity}_state", row.state))

    def target(self, row: Any, action: str) -> str:
        """The state ``action`` leads ``row`` to (its current one when it stays)."""
        target = self.transitions[action][1]
        if target is None:
            return str(row.state)
        if target == BACK:
            return self._before_current(row)
        if isinstance(target, Mapping):
            return target[row.state]
        return str(target)

    def _before_current(self, row: Any) -> str:
        event: Any = self.event_model  # peewee's columns are attributes type checkers miss
        link = getattr(event, self.event_link)
        last = (event.select(event.from_state)
                .where(link == row.id, event.to_state == row.state,
                       event.from_state != row.state)
                .order_by(event.id.desc()).first())
        if last is None or not last.from_state:
            # A row written without its timeline (an import, a benchmark).
            return self.initial or str(row.state)
        return str(last.from_state)


def run_step(office: Office, procedure: Procedure, ref: Any, action: str, *,
             at: Any = None, note: str = "",
             apply: Callable[[Step], str | None] = lambda step: None,
             version: int | None = None) -> Any:
    """Take step ``action`` of the record ``ref`` (see the module docstring); returns the
    row as stored now. ``at``: when it happened, as the area's ``Moments`` reads it.
    ``apply(step)`` changes ``step.row`` and may return text the timeline shows before the
    clerk's note. Raises ``NotFound``, ``InvalidTransition`` or ``ValidationError`` with
    nothing written. ``version``: the version the clerk saw (``ledger.versions``); a stale
    one is refused, and every step counts as a new version."""
    if action not in procedure.transitions:
        raise KeyError(action)  # a programming error, not a user's
    model: Any = procedure.model
    with office.transaction():
        # Two clerks on one record: the second waits and sees the first's step.
        row = versions.lock(model, procedure.find(ref).id)
        versions.check(row, version, procedure.entity, {}, {},
                       ref=getattr(row, "number", row.id))
        sources, _ = procedure.transitions[action]
        if row.state not in sources:
            raise procedure.refusal(row, action)
        moment = _moment(office, procedure.moments, procedure.last_moment(row), at)
        before = procedure.snapshot(row)
        step = Step(office, row, action, moment, row.state, note,
                    procedure.target(row, action))
        said = apply(step)
        if step.target != row.state:
            row.state = step.target
        procedure.settle(step)
        if "updated_at" in model._meta.fields:
            row.updated_at = office.now()
        if "version" in model._meta.fields:
            versions.bump(row)
        if row.dirty_fields:
            row.save(only=row.dirty_fields)  # an UPDATE of what changed, not of every column
        text = " ".join(x for x in (said or "", note) if x)
        procedure.event_model.create(
            **{procedure.event_link: row.id}, operator=office.operator, action=action,
            from_state=step.from_state, to_state=row.state, note=text,
            **procedure.event_fields(step))
        journal.record(office, procedure.entity, procedure.journal_id(row), action,
                       before=before, after=procedure.snapshot(row), note=text)
    return row


def _moment(office: Office, moments: Moments[Any], last: Any, value: Any) -> Any:
    moment = moments.read(office, value, last)
    if moment > moments.latest(office):
        raise ValidationError(moments.field, moments.future_key, label=moments.label,
                              date=moments.show(office, moment))
    if last is not None and moment < last:
        raise ValidationError(moments.field, moments.before_key, label=moments.label,
                              last=moments.show(office, last))
    return moment
