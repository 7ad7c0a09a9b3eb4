"""Schema 2: working-day calendar (loaded years), proxy service items, tickets, ticket events."""
from peewee import *

def up(migrator, db):
    class Village(Model):
        class Meta:
            database = db
            table_name = 'village'

    class CalendarDay(Model):
        day = DateField(unique=True)
        kind = CharField(max_length=10)
        name = CharField(max_length=60, default='')
        class Meta:
            database = db
            table_name = 'calendar_day'
    db.create_tables([CalendarDay])

    class CalendarYear(Model):
        year = IntegerField(unique=True)
        source = CharField(max_length=300)
        loaded_at = DateTimeField()
        loaded_by = CharField(max_length=100)
        class Meta:
            database = db
            table_name = 'calendar_year'
    db.create_tables([CalendarYear])

    class ServiceItem(Model):
        code = CharField(unique=True, max_length=20)
        name = CharField(unique=True, max_length=100)
        category = CharField(max_length=40)
        level = CharField(max_length=20)
        time_limit_days = IntegerField()
        materials = TextField(default='[]')
        fee = CharField(max_length=100, default='')
        track = CharField(max_length=10)
        active = BooleanField(default=True)
        notes = TextField(default='')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'service_item'
    db.create_tables([ServiceItem])

    class Ticket(Model):
        number = CharField(unique=True, max_length=30)
        item = ForeignKeyField(ServiceItem, on_delete='RESTRICT', index=False)
        track = CharField(max_length=10)
        applicant_name = CharField(max_length=100)
        applicant_initials = CharField(index=True, max_length=60, default='')
        applicant_pinyin = CharField(max_length=300, default='')
        applicant_id_number = CharField(null=True, max_length=18)
        applicant_phone = CharField(max_length=20, default='')
        village = ForeignKeyField(Village, null=True, on_delete='RESTRICT', index=False)
        enterprise = CharField(max_length=200, default='')
        project = CharField(max_length=200, default='')
        agent = CharField(max_length=60, default='')
        received_at = DateTimeField()
        received_on = DateField()
        status = CharField(max_length=20)
        time_limit_days = IntegerField()
        due_date = DateField()
        due_provisional = BooleanField(default=False)
        running_due = DateField(null=True)
        returned_on = DateField(null=True)
        returned_days = IntegerField(default=0)
        materials = TextField(default='[]')
        done_on = DateField(null=True)
        working_days_taken = IntegerField(null=True)
        on_time = BooleanField(null=True)
        satisfaction = CharField(null=True, max_length=30)
        satisfaction_comment = TextField(default='')
        notes = TextField(default='')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'ticket'
            indexes = ((('running_due', 'id'), False), (('status', 'id'), False), (('received_on',), False), (('village', 'id'), False), (('agent', 'id'), False), (('item', 'id'), False), (('applicant_name',), False))
    db.create_tables([Ticket])

    class TicketEvent(Model):
        ticket = ForeignKeyField(Ticket, on_delete='CASCADE')
        at = DateTimeField()
        operator = CharField(max_length=100)
        action = CharField(max_length=20)
        from_status = CharField(max_length=20, default='')
        to_status = CharField(max_length=20, default='')
        due_date = DateField(null=True)
        note = TextField(default='')
        class Meta:
            database = db
            table_name = 'ticket_event'
    db.create_tables([TicketEvent])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('ticket_event'))
    migrator.migrate(migrator.drop_table('ticket'))
    migrator.migrate(migrator.drop_table('service_item'))
    migrator.migrate(migrator.drop_table('calendar_year'))
    migrator.migrate(migrator.drop_table('calendar_day'))
