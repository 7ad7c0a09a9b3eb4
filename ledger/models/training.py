"""Training (培训): sessions, the series that recurring sessions come from, and attendance.

Instants are naive UTC like every table; a series keeps its first start as the office's wall
time (``first_start``), because "the first Monday of each month at 09:00" is a local rule.
Credit hours (学时) are decimals (two places) so that half hours add up exactly.
"""

from __future__ import annotations

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from ledger.models.base import BaseModel
from ledger.models.members import Person


class TrainingSeries(BaseModel):
    """A recurring session: an RRULE and the fields every occurrence starts with."""

    id = AutoField()
    title = CharField(max_length=100)
    topic = CharField(max_length=200, default="")
    kind = CharField(max_length=20)
    rule = CharField(max_length=300)  # RRULE text, "FREQ=MONTHLY;BYDAY=1MO;COUNT=12"
    first_start = DateTimeField()  # office wall time (naive local) of the first occurrence
    duration_minutes = IntegerField()
    place = CharField(max_length=100, default="")
    organiser = CharField(max_length=100, default="")
    credit_hours = DecimalField(max_digits=6, decimal_places=2, auto_round=True)
    audience = CharField(max_length=20, default="all")
    audience_refs = TextField(default="[]")  # JSON: post codes, village ids or person ids
    state = CharField(max_length=20, default="active")  # active | ended
    notes = TextField(default="")
    version = IntegerField(default=1)
    created_at = DateTimeField()
    updated_at = DateTimeField()

    class Meta:
        table_name = "training_series"


class TrainingSession(BaseModel):
    id = AutoField()
    # A session of a series remembers which occurrence it was (the rule's instant, UTC),
    # so re-planning a series knows which occurrences it already has.
    series = ForeignKeyField(TrainingSeries, null=True, backref="sessions",
                             on_delete="RESTRICT")
    occurrence = DateTimeField(null=True)
    # Moved, edited or cancelled on its own: edits of the series leave it alone.
    detached = BooleanField(default=False)
    title = CharField(max_length=100)
    topic = CharField(max_length=200, default="")
    kind = CharField(max_length=20)
    starts_at = DateTimeField()
    ends_at = DateTimeField()
    place = CharField(max_length=100, default="")
    organiser = CharField(max_length=100, default="")
    credit_hours = DecimalField(max_digits=6, decimal_places=2, auto_round=True)
    audience = CharField(max_length=20, default="all")
    audience_refs = TextField(default="[]")
    state = CharField(max_length=20, default="planned")  # planned | held | cancelled
    cancel_reason = TextField(default="")
    notes = TextField(default="")
    version = IntegerField(default=1)  # also the calendar export's SEQUENCE (version - 1)
    created_at = DateTimeField()
    updated_at = DateTimeField()

    class Meta:
        table_name = "training_session"
        indexes = (
            (("starts_at", "id"), False),
            (("series", "occurrence"), True),
            (("state", "starts_at"), False),
        )


class Attendance(BaseModel):
    """One person's attendance at one session (签到): present, late, absent or excused."""

    id = AutoField()
    session = ForeignKeyField(TrainingSession, backref="attendance", on_delete="CASCADE",
                              index=False)
    person = ForeignKeyField(Person, backref="attendance", on_delete="RESTRICT")
    state = CharField(max_length=10)
    reason = TextField(default="")
    recorded_at = DateTimeField()
    recorded_by = CharField(max_length=100)

    class Meta:
        table_name = "attendance"
        indexes = ((("session", "person"), True),)


MODELS = [TrainingSeries, TrainingSession, Attendance]
