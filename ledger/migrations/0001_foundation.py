"""Schema 1: the journal, number sequences, villages, people, elections, terms."""
from peewee import *

def up(migrator, db):
    class Village(Model):
        code = CharField(unique=True, max_length=20)
        name = CharField(unique=True, max_length=60)
        relocation_status = CharField(max_length=30, default='not_affected')
        notes = TextField(default='')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'village'
    db.create_tables([Village])

    class Election(Model):
        village = ForeignKeyField(Village, on_delete='RESTRICT')
        held_on = DateField()
        term_years = IntegerField()
        notes = TextField(default='')
        class Meta:
            database = db
            table_name = 'election'
            indexes = ((('village', 'held_on'), True),)
    db.create_tables([Election])

    class JournalEntry(Model):
        at = DateTimeField()
        operator = CharField(max_length=100)
        entity = CharField(max_length=40)
        entity_id = CharField(max_length=40)
        action = CharField(max_length=40)
        before = TextField(null=True)
        after = TextField(null=True)
        note = TextField(default='')
        prev_hash = CharField(max_length=64)
        hash = CharField(max_length=64)
        class Meta:
            database = db
            table_name = 'journal'
            indexes = ((('entity', 'entity_id'), False), (('at',), False))
    db.create_tables([JournalEntry])

    class NumberSequence(Model):
        prefix = CharField(max_length=10)
        year = IntegerField()
        last = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'number_sequence'
            indexes = ((('prefix', 'year'), True),)
    db.create_tables([NumberSequence])

    class Person(Model):
        name = CharField(index=True, max_length=60)
        name_initials = CharField(index=True, max_length=60)
        name_pinyin = CharField(max_length=200, default='')
        gender = CharField(max_length=10, default='')
        birth_date = DateField(null=True)
        id_number = CharField(unique=True, null=True, max_length=18)
        phone = CharField(max_length=20, default='')
        education = CharField(max_length=30, default='')
        political_status = CharField(max_length=30, default='')
        college_graduate_official = BooleanField(default=False)
        village = ForeignKeyField(Village, null=True, on_delete='RESTRICT')
        notes = TextField(default='')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'person'
    db.create_tables([Person])

    class Term(Model):
        person = ForeignKeyField(Person, on_delete='RESTRICT')
        village = ForeignKeyField(Village, on_delete='RESTRICT')
        election = ForeignKeyField(Election, null=True, on_delete='RESTRICT')
        post = CharField(max_length=30)
        started_on = DateField()
        ends_on = DateField(null=True)
        ended_on = DateField(index=True, null=True)
        end_reason = TextField(default='')
        class Meta:
            database = db
            table_name = 'term'
            indexes = ((('village', 'post'), False),)
    db.create_tables([Term])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('term'))
    migrator.migrate(migrator.drop_table('person'))
    migrator.migrate(migrator.drop_table('number_sequence'))
    migrator.migrate(migrator.drop_table('journal'))
    migrator.migrate(migrator.drop_table('election'))
    migrator.migrate(migrator.drop_table('village'))
