"""The proxy service catalogue (代办事项), proxy tickets (代办件) and their event history.

Deadlines are stored (``due_date``, ``due_provisional``) rather than computed on read, so
"overdue" and "due soon" are plain indexed range queries even on a million tickets.
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
from ledger.models.calendar import CalendarDay, CalendarYear
from ledger.models.members import Village
from ledger.models.staff import Staff


class ServiceItem(BaseModel):
    id = AutoField()
    code = CharField(max_length=20, unique=True)  # short reference for scripts: "R01", "P03"
    name = CharField(max_length=100, unique=True)
    category = CharField(max_length=40)
    level = CharField(max_length=20)  # city | district | subdistrict: who finally handles it
    time_limit_days = IntegerField()  # promised working days; 0 = on the spot
    materials = TextField(default="[]")  # JSON list of the required materials
    fee = CharField(max_length=100, default="")  # "" = free of charge
    track = CharField(max_length=10)  # resident | project
    active = BooleanField(default=True)
    notes = TextField(default="")
    created_at = DateTimeField()
    version = IntegerField(default=1)  # ledger.versions: bumped on every change

    class Meta:
        table_name = "service_item"


# The catalogue's order, project items first (migration 0013): a descending key, which
# Meta.indexes cannot spell.
ServiceItem.add_index(ServiceItem.track.desc(), ServiceItem.code, name="service_item_track_code")


class Ticket(BaseModel):
    id = AutoField()
    number = CharField(max_length=30, unique=True)  # DB-2026-0042
    # Indexed together with id below, so no separate foreign-key index.
    item = ForeignKeyField(ServiceItem, backref="tickets", on_delete="RESTRICT", index=False)
    track = CharField(max_length=10)  # copied from the item when opened
    applicant_name = CharField(max_length=100)
    applicant_initials = CharField(max_length=60, default="", index=True)  # pinyin initials
    applicant_pinyin = CharField(max_length=300, default="")
    applicant_id_number = CharField(max_length=18, null=True)
    applicant_phone = CharField(max_length=20, default="")
    village = ForeignKeyField(Village, null=True, backref="tickets", on_delete="RESTRICT",
                              index=False)
    enterprise = CharField(max_length=200, default="")  # key projects: the enterprise
    project = CharField(max_length=200, default="")  # key projects: the project's name
    agent = CharField(max_length=60, default="")  # the proxy agent's name as written
    # The agent's staff record (column agent_id; NULL: nobody, or a name written before the
    # staff directory that matches no staff record). lazy_load=False: reading the attribute
    # gives the id, never a query.
    agent_staff = ForeignKeyField(Staff, column_name="agent_id", null=True, backref="+",
                                  on_delete="RESTRICT", index=False, lazy_load=False)
    received_at = DateTimeField()  # UTC
    received_on = DateField()  # the office-local date the clock starts from
    state = CharField(max_length=20)  # where it is in its procedure (tickets.rules)
    time_limit_days = IntegerField()  # the item's limit when the ticket was opened
    due_date = DateField()
    due_provisional = BooleanField(default=False)
    # The due date while the clock runs (received, in progress), else NULL: overdue and due
    # soon become one index range scan, already in due-date order, whatever the table size.
    running_due = DateField(null=True)
    returned_on = DateField(null=True)  # start of the current return (clock stopped)
    returned_days = IntegerField(default=0)  # working days spent returned, closed periods
    materials = TextField(default="[]")  # JSON [{"name": …, "checked": bool}]
    done_on = DateField(null=True)
    working_days_taken = IntegerField(null=True)  # clock time to done, returns excluded
    on_time = BooleanField(null=True)
    satisfaction = CharField(max_length=30, null=True)
    satisfaction_comment = TextField(default="")
    notes = TextField(default="")
    created_at = DateTimeField()
    updated_at = DateTimeField()
    version = IntegerField(default=1)  # ledger.versions: bumped on every change

    class Meta:
        table_name = "ticket"
        # Each filter's index ends in id, so a page in id order needs no sort.
        indexes = (
            (("running_due", "id"), False),  # overdue / due soon
            (("state", "id"), False),
            (("state", "village"), False),  # the dashboard's open tickets per village (0017)
            (("received_on",), False),  # date ranges, reports by year and month
            (("village", "id"), False),
            (("agent", "id"), False),
            (("agent_staff", "id"), False),  # a staff member's tickets, in id order
            (("item", "id"), False),
            (("applicant_name",), False),
        )


class TicketEvent(BaseModel):
    """One step of a ticket's timeline (the journal holds the full before/after too)."""

    id = AutoField()
    ticket = ForeignKeyField(Ticket, backref="events", on_delete="CASCADE")
    at = DateTimeField()  # UTC
    operator = CharField(max_length=100)
    action = CharField(max_length=20)
    from_state = CharField(max_length=20, default="")
    to_state = CharField(max_length=20, default="")
    due_date = DateField(null=True)  # the due date after this step
    note = TextField(default="")

    class Meta:
        table_name = "ticket_event"


MODELS = [CalendarYear, CalendarDay, ServiceItem, Ticket, TicketEvent]
