"""Petitions (信访件), their petitioners and the timeline of the procedure.

The dates of each step are columns of ``petition`` (not only events) because deadlines,
on-time rates and the overdue list are computed from them; ``next_due``/``next_due_kind``
hold the office's next open deadline so an overdue list is one indexed SQL query.
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
from ledger.models.members import Village
from ledger.models.staff import Staff


class Petition(BaseModel):
    id = AutoField()
    number = CharField(max_length=20, unique=True)  # XF-2026-0007
    channel = CharField(max_length=20)
    received_on = DateField(index=True)
    category = CharField(max_length=30, index=True)
    village = ForeignKeyField(Village, null=True, backref="petitions", on_delete="RESTRICT")
    summary = TextField()
    demands = TextField(default="")
    collective = BooleanField(default=False)
    group_size = IntegerField(default=1)  # people who came (a group visit: more than the reps)
    state = CharField(max_length=20)
    registered_by = CharField(max_length=100)
    handler = CharField(max_length=60, default="", index=True)  # the name as written
    # The handler's staff record (column handler_id; NULL: nobody yet, or a name written
    # before the staff directory that matches no staff record). lazy_load=False: reading the
    # attribute gives the id, never a query (``petition_fields`` reads it from a batch
    # import's plain rows too).
    handler_staff = ForeignKeyField(Staff, column_name="handler_id", null=True, backref="+",
                                    on_delete="RESTRICT", index=False, lazy_load=False)
    handler_unit = CharField(max_length=100, default="")
    attachments = TextField(default="")  # one path or note per line
    # the procedure's dates and what was decided
    accepted_on = DateField(null=True)
    declined_on = DateField(null=True)
    decline_reason = TextField(default="")
    forwarded_to = CharField(max_length=100, default="")
    extension_days = IntegerField(default=0)
    extension_reason = TextField(default="")
    extension_approved_by = CharField(max_length=60, default="")
    replied_on = DateField(null=True)
    reply_gist = TextField(default="")
    review_requested_on = DateField(null=True)
    reviewed_on = DateField(null=True)
    review_gist = TextField(default="")
    rereview_requested_on = DateField(null=True)
    rereviewed_on = DateField(null=True)
    rereview_gist = TextField(default="")
    closed_on = DateField(null=True)
    repeat_of = ForeignKeyField("self", null=True, backref="repeats", on_delete="RESTRICT")
    next_due = DateField(null=True)
    next_due_kind = CharField(max_length=20, null=True)
    created_at = DateTimeField()
    updated_at = DateTimeField()
    version = IntegerField(default=1)  # ledger.versions: bumped on every change

    class Meta:
        table_name = "petition"
        indexes = (
            (("next_due", "id"), False),  # the deadline lists' order (migration 0013)
            (("village", "received_on"), False),
            (("state", "received_on"), False),
            (("state", "village"), False),  # the dashboard's open petitions per village (0017)
            (("handler_staff", "id"), False),  # a staff member's petitions
        )


class Petitioner(BaseModel):
    """One person on a petition; in a group visit, one of its (at most 5) representatives."""

    id = AutoField()
    petition = ForeignKeyField(Petition, backref="petitioners", on_delete="CASCADE")
    position = IntegerField(default=0)
    name = CharField(max_length=60)
    # Pinyin of the name, for the search box (ledger.search): initials "xsw", full "xushaowei".
    name_initials = CharField(max_length=60, default="")
    name_pinyin = CharField(max_length=300, default="")
    phone = CharField(max_length=20, default="")
    id_number = CharField(max_length=18, null=True, index=True)
    address = CharField(max_length=200, default="")
    village = ForeignKeyField(Village, null=True, backref="petitioners", on_delete="RESTRICT")
    representative = BooleanField(default=False)

    class Meta:
        table_name = "petitioner"
        indexes = ((("name", "phone"), False),)


class PetitionEvent(BaseModel):
    """One step of the procedure, for the timeline (the journal holds the full before/after)."""

    id = AutoField()
    petition = ForeignKeyField(Petition, backref="events", on_delete="CASCADE")
    at = DateTimeField()  # UTC, when it was recorded
    on = DateField()  # the day the step took effect
    action = CharField(max_length=30)
    from_state = CharField(max_length=20, default="")
    to_state = CharField(max_length=20, default="")
    operator = CharField(max_length=100)
    note = TextField(default="")

    class Meta:
        table_name = "petition_event"


MODELS = [Petition, Petitioner, PetitionEvent]
