"""Schema 3: petitions, their petitioners and the procedure's timeline (petition_event)."""
# Generated from a schema diff on 2026-11-29 13:06.
from peewee import *

def up(migrator, db):
    class Village(Model):
        class Meta:
            database = db
            table_name = 'village'

    class Petition(Model):
        number = CharField(unique=True, max_length=20)
        channel = CharField(max_length=20)
        received_on = DateField(index=True)
        category = CharField(index=True, max_length=30)
        village = ForeignKeyField(Village, null=True, on_delete='RESTRICT')
        summary = TextField()
        demands = TextField(default='')
        collective = BooleanField(default=False)
        group_size = IntegerField(default=1)
        state = CharField(max_length=20)
        registered_by = CharField(max_length=100)
        handler = CharField(index=True, max_length=60, default='')
        handler_unit = CharField(max_length=100, default='')
        attachments = TextField(default='')
        accepted_on = DateField(null=True)
        declined_on = DateField(null=True)
        decline_reason = TextField(default='')
        forwarded_to = CharField(max_length=100, default='')
        extension_days = IntegerField(default=0)
        extension_reason = TextField(default='')
        extension_approved_by = CharField(max_length=60, default='')
        replied_on = DateField(null=True)
        reply_gist = TextField(default='')
        review_requested_on = DateField(null=True)
        reviewed_on = DateField(null=True)
        review_gist = TextField(default='')
        rereview_requested_on = DateField(null=True)
        rereviewed_on = DateField(null=True)
        rereview_gist = TextField(default='')
        closed_on = DateField(null=True)
        repeat_of = ForeignKeyField('self', null=True, on_delete='RESTRICT')
        next_due = DateField(null=True)
        next_due_kind = CharField(null=True, max_length=20)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'petition'
            indexes = ((('next_due', 'state'), False), (('village', 'received_on'), False), (('state', 'received_on'), False))
    db.create_tables([Petition])

    class Petitioner(Model):
        petition = ForeignKeyField(Petition, on_delete='CASCADE')
        position = IntegerField(default=0)
        name = CharField(max_length=60)
        phone = CharField(max_length=20, default='')
        id_number = CharField(index=True, null=True, max_length=18)
        address = CharField(max_length=200, default='')
        village = ForeignKeyField(Village, null=True, on_delete='RESTRICT')
        representative = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'petitioner'
            indexes = ((('name', 'phone'), False),)
    db.create_tables([Petitioner])

    class PetitionEvent(Model):
        petition = ForeignKeyField(Petition, on_delete='CASCADE')
        at = DateTimeField()
        on = DateField()
        action = CharField(max_length=30)
        from_state = CharField(max_length=20, default='')
        to_state = CharField(max_length=20, default='')
        operator = CharField(max_length=100)
        note = TextField(default='')
        class Meta:
            database = db
            table_name = 'petition_event'
    db.create_tables([PetitionEvent])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('petition_event'))
    migrator.migrate(migrator.drop_table('petitioner'))
    migrator.migrate(migrator.drop_table('petition'))
