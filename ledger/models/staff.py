"""The office's staff (工作人员): who agents, handlers and the supervisor are, and how they are
reached; and the log of reminders sent to them."""

from __future__ import annotations

from peewee import AutoField, BooleanField, CharField, DateField, DateTimeField, IntegerField

from ledger.models.base import BaseModel


class Staff(BaseModel):
    id = AutoField()
    name = CharField(max_length=60, unique=True)
    post = CharField(max_length=60, default="")  # the post in the office (职务)
    phone = CharField(max_length=20, default="")
    email = CharField(max_length=200, default="")
    language = CharField(max_length=5, default="zh")
    channels = CharField(max_length=40, default="")  # "email,webhook": what reaches them
    webhook_url = CharField(max_length=500, default="")
    webhook_kind = CharField(max_length=20, default="generic")
    active = BooleanField(default=True)
    role = CharField(max_length=20, default="")  # ledger.access: supervisor | clerk | viewer
    login = CharField(max_length=100, default="")  # the login that is this person, if not name
    notes = CharField(max_length=2000, default="")
    version = IntegerField(default=1)  # ledger.versions
    created_at = DateTimeField()
    updated_at = DateTimeField()

    class Meta:
        table_name = "staff"


class ReminderLog(BaseModel):
    """One reminder delivered: an item's deadline told to one person over one channel on one
    day. A later run the same day finds it here and does not repeat it."""

    id = AutoField()
    day = DateField()
    item_kind = CharField(max_length=20)  # ticket | petition
    item_id = IntegerField()
    item_number = CharField(max_length=40, default="")
    person = CharField(max_length=200)  # a staff name, or the supervisor's bare address
    channel = CharField(max_length=20)
    deadline_kind = CharField(max_length=30)
    deadline = DateField(null=True)
    sent_at = DateTimeField()

    class Meta:
        table_name = "reminder_log"
        indexes = ((("day", "item_kind", "item_id", "person", "channel"), False),
                   (("sent_at", "id"), False))
