"""Schema 6: training sessions (培训), the series recurring ones come from, and attendance
(签到). Numbered 6 by the lead: 4 and 5 belong to areas built in parallel."""
# Generated from a schema diff on 2026-12-03 07:32.
from peewee import *

def up(migrator, db):
    class Person(Model):
        class Meta:
            database = db
            table_name = 'person'

    class TrainingSeries(Model):
        title = CharField(max_length=100)
        topic = CharField(max_length=200, default='')
        kind = CharField(max_length=20)
        rule = CharField(max_length=300)
        first_start = DateTimeField()
        duration_minutes = IntegerField()
        place = CharField(max_length=100, default='')
        organiser = CharField(max_length=100, default='')
        credit_hours = DecimalField(max_digits=6, decimal_places=2)
        audience = CharField(max_length=20, default='all')
        audience_refs = TextField(default='[]')
        status = CharField(max_length=20, default='active')
        notes = TextField(default='')
        version = IntegerField(default=1)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'training_series'
    db.create_tables([TrainingSeries])

    class TrainingSession(Model):
        series = ForeignKeyField(TrainingSeries, null=True, on_delete='RESTRICT')
        occurrence = DateTimeField(null=True)
        detached = BooleanField(default=False)
        title = CharField(max_length=100)
        topic = CharField(max_length=200, default='')
        kind = CharField(max_length=20)
        starts_at = DateTimeField()
        ends_at = DateTimeField()
        place = CharField(max_length=100, default='')
        organiser = CharField(max_length=100, default='')
        credit_hours = DecimalField(max_digits=6, decimal_places=2)
        audience = CharField(max_length=20, default='all')
        audience_refs = TextField(default='[]')
        status = CharField(max_length=20, default='planned')
        cancel_reason = TextField(default='')
        notes = TextField(default='')
        version = IntegerField(default=1)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'training_session'
            indexes = ((('starts_at', 'id'), False), (('series', 'occurrence'), True), (('status', 'starts_at'), False))
    db.create_tables([TrainingSession])

    class Attendance(Model):
        session = ForeignKeyField(TrainingSession, on_delete='CASCADE', index=False)
        person = ForeignKeyField(Person, on_delete='RESTRICT')
        state = CharField(max_length=10)
        reason = TextField(default='')
        recorded_at = DateTimeField()
        recorded_by = CharField(max_length=100)
        class Meta:
            database = db
            table_name = 'attendance'
            indexes = ((('session', 'person'), True),)
    db.create_tables([Attendance])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('attendance'))
    migrator.migrate(migrator.drop_table('training_session'))
    migrator.migrate(migrator.drop_table('training_series'))
