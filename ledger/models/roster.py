"""Duty rosters (值班): duty posts, who may stand at each, when people are unavailable, and
the shifts themselves.

Who may be on duty is, for now, a committee member (``Person``). The office's own staff join
when the staff directory (issue #10, ``ledger/models/staff.py``) lands: ``DutyEligible`` and
``Shift`` already reserve a nullable ``staff_id`` column (no foreign key yet) so that change
adds a key and a check, not a table rebuild.

A shift is one named part of a post's day (``day``, ``morning``…); its instants are naive UTC
like every table, its ``day`` the office-local date it belongs to. A shift nobody holds
(``person`` null) is a gap. ``source`` says how its person got there: the planner
(``planned``), a clerk (``manual``) or a swap (``swapped``); re-planning only touches
``planned`` shifts.
"""

from __future__ import annotations

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from ledger.models.base import BaseModel
from ledger.models.members import Person, Village


class DutyPost(BaseModel):
    """A counter someone must staff: the convenience service centre or a village station."""

    id = AutoField()
    code = CharField(max_length=20, unique=True)
    name = CharField(max_length=60, unique=True)
    kind = CharField(max_length=20)  # centre | station
    village = ForeignKeyField(Village, null=True, backref="duty_posts", on_delete="RESTRICT")
    # JSON: [{"name": "day", "start": "08:30", "end": "17:30"}, …] in the office's wall time
    shifts = TextField()
    staffed_off_days = BooleanField(default=False)
    notes = TextField(default="")
    version = IntegerField(default=1)
    created_at = DateTimeField()

    class Meta:
        table_name = "duty_post"


class DutyEligible(BaseModel):
    """A person who may be put on duty at a post."""

    id = AutoField()
    post = ForeignKeyField(DutyPost, backref="eligible", on_delete="CASCADE", index=False)
    person = ForeignKeyField(Person, backref="duty_posts", on_delete="RESTRICT")
    staff_id = IntegerField(null=True)  # reserved for the staff directory (issue #10)
    created_at = DateTimeField()

    class Meta:
        table_name = "duty_eligible"
        indexes = ((("post", "person"), True),)


class Unavailability(BaseModel):
    """A period a person cannot be on duty (leave, training, sickness), both days included."""

    id = AutoField()
    person = ForeignKeyField(Person, backref="unavailable", on_delete="RESTRICT")
    date_from = DateField()
    date_to = DateField()
    reason = CharField(max_length=20)
    note = TextField(default="")
    version = IntegerField(default=1)
    created_at = DateTimeField()

    class Meta:
        table_name = "duty_unavailability"
        indexes = ((("person", "date_from"), False),)


class Shift(BaseModel):
    id = AutoField()
    post = ForeignKeyField(DutyPost, backref="shift_rows", on_delete="RESTRICT", index=False)
    day = DateField()
    name = CharField(max_length=20)  # the pattern's shift name
    starts_at = DateTimeField()
    ends_at = DateTimeField()
    person = ForeignKeyField(Person, null=True, backref="shifts", on_delete="RESTRICT")
    staff_id = IntegerField(null=True)  # reserved for the staff directory (issue #10)
    source = CharField(max_length=10, default="planned")  # planned | manual | swapped
    version = IntegerField(default=1)  # also the .ics SEQUENCE (version - 1)
    created_at = DateTimeField()
    updated_at = DateTimeField()

    class Meta:
        table_name = "duty_shift"
        indexes = (
            (("post", "day", "name"), True),
            (("day", "starts_at"), False),
            (("person", "starts_at"), False),
            (("starts_at", "post", "id"), False),  # the list's order (migration 0013)
        )


MODELS = [DutyPost, DutyEligible, Unavailability, Shift]
