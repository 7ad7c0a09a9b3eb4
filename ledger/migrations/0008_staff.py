"""Schema 8: the office's staff and the log of reminders sent (issue #10). Numbered 8 by the
lead.

Tickets' ``agent`` and petitions' ``handler`` stay free-text names: this migration cannot
create staff records from nothing (a name says neither post, address nor language), so it
creates none. Names are matched to staff by name when read (``staff.match_responsible``), and
``jiedao staff unmatched`` lists the names no staff record matches — reported, never dropped.
"""
from peewee import *

def up(migrator, db):
    class Staff(Model):
        name = CharField(max_length=60, unique=True)
        post = CharField(max_length=60, default='')
        phone = CharField(max_length=20, default='')
        email = CharField(max_length=200, default='')
        language = CharField(max_length=5, default='zh')
        channels = CharField(max_length=40, default='')
        webhook_url = CharField(max_length=500, default='')
        webhook_kind = CharField(max_length=20, default='generic')
        active = BooleanField(default=True)
        notes = CharField(max_length=2000, default='')
        version = IntegerField(default=1)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'staff'
    db.create_tables([Staff])

    class ReminderLog(Model):
        day = DateField()
        item_kind = CharField(max_length=20)
        item_id = IntegerField()
        item_number = CharField(max_length=40, default='')
        person = CharField(max_length=200)
        channel = CharField(max_length=20)
        deadline_kind = CharField(max_length=30)
        deadline = DateField(null=True)
        sent_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'reminder_log'
            indexes = ((('day', 'item_kind', 'item_id', 'person', 'channel'), False), (('sent_at', 'id'), False))
    db.create_tables([ReminderLog])


def down(migrator, db):
    db.execute_sql('DROP TABLE IF EXISTS reminder_log')
    db.execute_sql('DROP TABLE IF EXISTS staff')
