"""Duty rosters (值班): duty posts, who may stand at each, when people are unavailable, and
the shifts themselves.

Who may be on duty is a committee member (``person``, a ``Person``) or one of the office's
own staff (``staff``, a ``Staff``): eligibility, unavailability and shifts each name one of
the two, never both (a CHECK constraint, and ``ledger.roster.people`` in code, which treats
either as one "person on duty"). A shift naming neither is a gap.

A shift is one named part of a post's day (``day``, ``morning``…); its instants are naive UTC
like every table, its ``day`` the office-local date it belongs to. A shift nobody holds
(``person`` and ``staff`` null) is a gap. ``source`` says how its person got there: the planner
(``planned``), a clerk (``manual``) or a swap (``swapped``); re-planning only touches
``planned`` shifts.
"""

from __future__ import annotations

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    Check,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from ledger.models.base import BaseModel
from ledger.models.members import Person, Village
from ledger.models.staff import Staff

# Exactly one of the two kinds of person (eligibility, unavailability); at most one on a
# shift (none: a gap). Written so SQLite and PostgreSQL read them alike.
ONE_HOLDER = "(person_id IS NULL) <> (staff_id IS NULL)"
AT_MOST_ONE_HOLDER = "person_id IS NULL OR staff_id IS NULL"


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
    person = ForeignKeyField(Person, null=True, backref="duty_posts", on_delete="RESTRICT")
    staff = ForeignKeyField(Staff, null=True, backref="duty_posts", on_delete="RESTRICT")
    created_at = DateTimeField()

    class Meta:
        table_name = "duty_eligible"
        indexes = ((("post", "person"), True), (("post", "staff"), True))
        constraints = [Check(ONE_HOLDER, name="duty_eligible_one_holder")]


class Unavailability(BaseModel):
    """A period a person cannot be on duty (leave, training, sickness), both days included."""

    id = AutoField()
    person = ForeignKeyField(Person, null=True, backref="unavailable", on_delete="RESTRICT")
    staff = ForeignKeyField(Staff, null=True, backref="unavailable", on_delete="RESTRICT",
                            index=False)
    date_from = DateField()
    date_to = DateField()
    reason = CharField(max_length=20)
    note = TextField(default="")
    version = IntegerField(default=1)
    created_at = DateTimeField()

    class Meta:
        table_name = "duty_unavailability"
        indexes = ((("person", "date_from"), False), (("staff", "date_from"), False))
        constraints = [Check(ONE_HOLDER, name="duty_unavailability_one_holder")]


class Shift(BaseModel):
    id = AutoField()
    post = ForeignKeyField(DutyPost, backref="shift_rows", on_delete="RESTRICT", index=False)
    day = DateField()
    name = CharField(max_length=20)  # the pattern's shift name
    starts_at = DateTimeField()
    ends_at = DateTimeField()
    person = ForeignKeyField(Person, null=True, backref="shifts", on_delete="RESTRICT")
    staff = ForeignKeyField(Staff, null=True, backref="shifts", on_delete="RESTRICT",
                            index=False)
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
            (("staff", "starts_at"), False),
            (("starts_at", "post", "id"), False),  # the list's order (migration 0013)
        )
        constraints = [Check(AT_MOST_ONE_HOLDER, name="duty_shift_one_holder")]


MODELS = [DutyPost, DutyEligible, Unavailability, Shift]
