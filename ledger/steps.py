"""The step runner: how a record with a procedure (a ticket, a petition, a decision, a
training session or series) takes one step of it. Every area describes its procedure once
(a ``Procedure``) and calls ``run_step`` from each of its step functions; the area keeps
only its own rules.

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
2. check the version the clerk saw (``ledger.versions``: a stale one names the state now and
   the one the step would lead to), then the action against the table: a refusal is an
   ``InvalidTransition`` naming the record, the action and the state (``Procedure.refuse``
   may give an area's own reason);
3. read when the step happened (``Moments``: instants for tickets, dates for petitions and
   decisions; none for training, whose steps happen when they are recorded) and refuse a
   moment after the latest allowed (the future) or before the record's last step;
4. take the before-snapshot, let the area's ``apply(step)`` change the row (and refuse with
   its own rules), set the target state, let the area's ``settle`` recompute what follows
   (deadlines), save the changed columns;
5. write the timeline event, if the area keeps one (``from_state``/``to_state``, operator,
   action, note, the area's own columns), and the journal entry (before/after, note).

A refusal at any point raises out of the transaction: nothing is written. One exception is
an attempt that is itself a fact to keep: a meeting held that could not decide (no quorum,
not passed) was still held. ``apply`` then calls ``step.refuse(error, record=…)``: the record
stays as it was, the event is written with the area's columns (``step.refused`` set), the
journal gets a ``refused`` entry (``after``: the record plus the refusal's key and params),
the transaction commits, and the error is raised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from peewee import Model

from ledger import access, journal, versions
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


# The columns every timeline event gets from the runner, by their usual names.
EVENT_COLUMNS: Mapping[str, str] = {name: name for name in (
    "operator", "action", "from_state", "to_state", "note")}


@dataclass
class Step:
    """What ``apply`` and ``settle`` get: the locked row (change it in place), the action,
    when it happened, the state it starts from, the clerk's note and the state it leads to.
    ``apply`` may add columns of the timeline event it works out (``event``: a meeting's
    counts) and may ``refuse`` an attempt that is kept as refused."""

    office: Office
    row: Any
    action: str
    moment: Any
    from_state: str
    note: str
    target: str = ""  # the state the step leads to (the table's answer for this row)
    event: dict[str, Any] = field(default_factory=dict)
    refused: InvalidTransition | None = None
    refused_record: dict[str, Any] = field(default_factory=dict)

    def refuse(self, error: InvalidTransition, *, record: Mapping[str, Any]) -> None:
        """The attempt failed on its merits but happened (a meeting without a quorum): keep
        it as refused (see the module docstring) and raise ``error`` once it is written.
        ``record``: what the journal keeps of the attempt."""
        self.refused = error
        self.refused_record = dict(record)

    @property
    def day(self) -> dt.date:
        """The office-local day of the step."""
        if isinstance(self.moment, dt.datetime):
            return self.office.clock.to_local(self.moment).date()
        return self.moment


@dataclass(frozen=True, kw_only=True)
class Procedure:
    """One area's procedure, declared once (see the module docstring for the order).

    - ``entity``: the journal's entity and the record's label (``entity.<name>``);
      ``kind``: the prefix of the value kinds of its actions and states
      (``value.<kind>_action.<code>``, ``value.<kind>_state.<code>``; the entity when blank);
    - ``model``: the record's table (with ``state``); ``event_model``: its timeline table
      (with ``<event_link>`` to the record and the shared columns ``event_columns`` names:
      ``operator``, ``action``, ``from_state``, ``to_state``, ``note`` unless the table calls
      them otherwise or leaves them to ``event_fields``), None when the record's journal is
      its timeline (training);
    - ``transitions``: the table; ``find(ref)``: the record a step is about (``NotFound``);
    - ``snapshot(row)``: the journal's before/after; ``journal_id(row)``: its entity id;
    - ``moments``: how a step's moment is read (None: the step happens now, as recorded);
      ``last_moment(row)``: the moment of the record's last step (None: none yet);
    - ``event_fields(step)``: the area's own event columns (``at``, ``on``, ``due_date``…);
    - ``refuse(row, action)``: an area's own refusal, or None for the shared one;
    - ``settle(step)``: after the state is set, what follows from it (deadlines);
    - ``initial``: the state a record starts in (``BACK`` without a timeline goes there).
    """

    entity: str
    model: type[Model]
    transitions: Transitions
    find: Callable[[Any], Any]
    snapshot: Callable[[Any], dict[str, Any]]
    journal_id: Callable[[Any], Any]
    kind: str = ""
    event_model: type[Model] | None = None
    event_link: str = ""
    event_columns: Mapping[str, str] = field(default_factory=lambda: dict(EVENT_COLUMNS))
    moments: Moments[Any] | None = None
    last_moment: Callable[[Any], Any] = field(default=lambda row: None)
    event_fields: Callable[[Step], dict[str, Any]] = field(default=lambda step: {})
    refuse: Callable[[Any, str], InvalidTransition | None] = field(
        default=lambda row, action: None)
    settle: Callable[[Step], None] = field(default=lambda step: None)
    initial: str = ""  # where a record starts: BACK's answer when its timeline is missing

    def __post_init__(self) -> None:
        # BACK reads the timeline's from_state/to_state: a table without them cannot go back.
        if any(target == BACK for _, target in self.transitions.values()) and (
                self.event_model is None
                or not {"from_state", "to_state"} <= set(self.event_columns)):
            raise ValueError(f"{self.entity}: BACK needs a timeline with from/to states")

    def refusal(self, row: Any, action: str) -> InvalidTransition:
        own = self.refuse(row, action)
        if own is not None:
            return own
        kind = self.kind or self.entity
        return InvalidTransition(
            "error.step_refused", entity=entity_label(self.entity),
            number=getattr(row, "number", row.id),
            action=value_label(f"{kind}_action", action),
            state=value_label(f"{kind}_state", row.state))

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
        source = getattr(event, self.event_columns["from_state"])
        last = (event.select(source)
                .where(link == row.id, getattr(event, self.event_columns["to_state"])
                       == row.state, source != row.state)
                .order_by(event.id.desc()).tuples().first())
        if last is None or not last[0]:
            # A row written without its timeline (an import, a benchmark).
            return self.initial or str(row.state)
        return str(last[0])

    def wanted(self, action: str) -> dict[str, Any]:
        """What a step asks of the record, for a stale version's message: the state it
        leads to when the table names one."""
        target = self.transitions[action][1]
        return {"state": target} if isinstance(target, str) and target != BACK else {}


def run_step(office: Office, procedure: Procedure, ref: Any, action: str, *,
             at: Any = None, note: str = "",
             apply: Callable[[Step], str | None] = lambda step: None,
             version: int | None = None) -> Any:
    """Take step ``action`` of the record ``ref`` (see the module docstring); returns the
    row as stored now. ``at``: when it happened, as the area's ``Moments`` reads it.
    ``apply(step)`` changes ``step.row`` and may return text the timeline shows before the
    clerk's note. Raises ``NotFound``, ``InvalidTransition`` or ``ValidationError`` with
    nothing written (and ``step.refuse``'s error once the refused attempt is written).
    ``version``: the version the clerk saw (``ledger.versions``); a stale one is refused,
    and every step counts as a new version."""
    if action not in procedure.transitions:
        raise KeyError(action)  # a programming error, not a user's
    if procedure.moments is None and at is not None:
        raise TypeError(f"{procedure.entity} steps happen when recorded: no moment")
    model: Any = procedure.model
    access.require(office, access.step_action(procedure.entity, action), procedure.entity,
                   lambda: procedure.journal_id(procedure.find(ref)))
    with office.transaction():
        # Two clerks on one record: the second waits and sees the first's step.
        row = versions.lock(model, procedure.find(ref).id)
        versions.check(row, version, procedure.entity, {"state": row.state},
                       procedure.wanted(action), ref=getattr(row, "number", row.id))
        sources, _ = procedure.transitions[action]
        if row.state not in sources:
            raise procedure.refusal(row, action)
        moment = (office.now() if procedure.moments is None else
                  _moment(office, procedure.moments, procedure.last_moment(row), at))
        before = procedure.snapshot(row)
        step = Step(office, row, action, moment, row.state, note,
                    procedure.target(row, action))
        said = apply(step)
        text = " ".join(x for x in (said or "", note) if x)
        if step.refused is None:
            if step.target != row.state:
                row.state = step.target
            procedure.settle(step)
            if "updated_at" in model._meta.fields:
                row.updated_at = office.now()
            if "version" in model._meta.fields:
                versions.bump(row)
            if row.dirty_fields:
                row.save(only=row.dirty_fields)  # an UPDATE of what changed, not every column
        _write_event(procedure, step, text)
        if step.refused is None:
            journal.record(office, procedure.entity, procedure.journal_id(row), action,
                           before=before, after=procedure.snapshot(row), note=text)
        else:
            journal.record(office, procedure.entity, procedure.journal_id(row), "refused",
                           after={**step.refused_record, "refusal": step.refused.key,
                                  "refusal_params": step.refused.params}, note=text)
    if step.refused is not None:
        raise step.refused  # the attempt is written: the step itself was not taken
    return row


def _write_event(procedure: Procedure, step: Step, text: str) -> None:
    """The step's row in the area's timeline table (none for a record whose journal is its
    timeline)."""
    if procedure.event_model is None:
        return
    shared = {"operator": step.office.operator, "action": step.action,
              "from_state": step.from_state, "to_state": step.row.state, "note": text}
    names = procedure.event_columns
    columns = {procedure.event_link: step.row.id,
               **{names[k]: v for k, v in shared.items() if k in names}}
    columns.update(procedure.event_fields(step))
    columns.update(step.event)  # what apply worked out wins over the declared columns
    procedure.event_model.create(**columns)


def _moment(office: Office, moments: Moments[Any], last: Any, value: Any) -> Any:
    moment = moments.read(office, value, last)
    if moment > moments.latest(office):
        raise ValidationError(moments.field, moments.future_key, label=moments.label,
                              date=moments.show(office, moment))
    if last is not None and moment < last:
        raise ValidationError(moments.field, moments.before_key, label=moments.label,
                              last=moments.show(office, last))
    return moment
