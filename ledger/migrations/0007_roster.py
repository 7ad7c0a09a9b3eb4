"""Schema 7: duty rosters (值班): duty posts, who is eligible at each, periods of
unavailability, and the shifts. Numbered 7 by the lead."""
# Generated from a schema diff on 2026-12-03 08:51.
from peewee import *

def up(migrator, db):
    class Person(Model):
        class Meta:
            database = db
            table_name = 'person'

    class Village(Model):
        class Meta:
            database = db
            table_name = 'village'

    class DutyPost(Model):
        code = CharField(unique=True, max_length=20)
        name = CharField(unique=True, max_length=60)
        kind = CharField(max_length=20)
        village = ForeignKeyField(Village, null=True, on_delete='RESTRICT')
        shifts = TextField()
        staffed_off_days = BooleanField(default=False)
        notes = TextField(default='')
        version = IntegerField(default=1)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'duty_post'
    db.create_tables([DutyPost])

    class DutyEligible(Model):
        post = ForeignKeyField(DutyPost, on_delete='CASCADE', index=False)
        person = ForeignKeyField(Person, on_delete='RESTRICT')
        staff_id = IntegerField(null=True)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'duty_eligible'
            indexes = ((('post', 'person'), True),)
    db.create_tables([DutyEligible])

    class Shift(Model):
        post = ForeignKeyField(DutyPost, on_delete='RESTRICT', index=False)
        day = DateField()
        name = CharField(max_length=20)
        starts_at = DateTimeField()
        ends_at = DateTimeField()
        person = ForeignKeyField(Person, null=True, on_delete='RESTRICT')
        staff_id = IntegerField(null=True)
        source = CharField(max_length=10, default='planned')
        version = IntegerField(default=1)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'duty_shift'
            indexes = ((('post', 'day', 'name'), True), (('day', 'starts_at'), False), (('person', 'starts_at'), False))
    db.create_tables([Shift])

    class Unavailability(Model):
        person = ForeignKeyField(Person, on_delete='RESTRICT')
        date_from = DateField()
        date_to = DateField()
        reason = CharField(max_length=20)
        note = TextField(default='')
        version = IntegerField(default=1)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'duty_unavailability'
            indexes = ((('person', 'date_from'), False),)
    db.create_tables([Unavailability])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('duty_unavailability'))
    migrator.migrate(migrator.drop_table('duty_shift'))
    migrator.migrate(migrator.drop_table('duty_eligible'))
    migrator.migrate(migrator.drop_table('duty_post'))
