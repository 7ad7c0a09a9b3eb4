"""Schema 9: five-step decisions and their steps, satisfaction surveys, and the annual
assessment (schemes, goals, hand scores)."""
# Generated from a schema diff on 2026-12-03 07:33.
from peewee import *

def up(migrator, db):
    class Village(Model):
        class Meta:
            database = db
            table_name = 'village'

    class AssessmentScheme(Model):
        year = IntegerField(unique=True)
        bands = TextField(default='[]')
        notes = TextField(default='')
        version = IntegerField(default=1)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'assessment_scheme'
    db.create_tables([AssessmentScheme])

    class AssessmentGoal(Model):
        scheme = ForeignKeyField(AssessmentScheme, on_delete='CASCADE')
        code = CharField(max_length=30)
        name = CharField(max_length=100)
        scope = CharField(max_length=10)
        villages = TextField(default='[]')
        max_points = CharField(max_length=12)
        method = CharField(max_length=20)
        params = TextField(default='{}')
        position = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'assessment_goal'
            indexes = ((('scheme', 'code'), True),)
    db.create_tables([AssessmentGoal])

    class AssessmentScore(Model):
        goal = ForeignKeyField(AssessmentGoal, on_delete='CASCADE')
        village = ForeignKeyField(Village, on_delete='RESTRICT')
        points = CharField(max_length=12)
        note = TextField()
        scored_by = CharField(max_length=100)
        version = IntegerField(default=1)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'assessment_score'
            indexes = ((('goal', 'village'), True),)
    db.create_tables([AssessmentScore])

    class Decision(Model):
        number = CharField(unique=True, max_length=30)
        village = ForeignKeyField(Village, on_delete='RESTRICT', index=False)
        subject = CharField(max_length=200)
        kind = CharField(max_length=20)
        amount = CharField(null=True, max_length=24)
        proposal = TextField(default='')
        attachments = TextField(default='[]')
        state = CharField(max_length=30)
        proposed_on = DateField()
        last_on = DateField()
        veto_reason = TextField(default='')
        version = IntegerField(default=1)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'decision'
            indexes = ((('village', 'id'), False), (('state', 'id'), False), (('proposed_on',), False))
    db.create_tables([Decision])

    class DecisionStep(Model):
        decision = ForeignKeyField(Decision, on_delete='CASCADE')
        step = CharField(max_length=30)
        outcome = CharField(max_length=20, default='')
        on = DateField()
        meeting = CharField(max_length=20, default='')
        present = IntegerField(null=True)
        entitled = IntegerField(null=True)
        votes_for = IntegerField(null=True)
        votes_against = IntegerField(null=True)
        votes_abstain = IntegerField(null=True)
        place = CharField(max_length=200, default='')
        reason = TextField(default='')
        note = TextField(default='')
        recorder = CharField(max_length=100)
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'decision_step'
            indexes = ((('step', 'on'), False),)
    db.create_tables([DecisionStep])

    class SatisfactionSurvey(Model):
        village = ForeignKeyField(Village, on_delete='RESTRICT', index=False)
        surveyed_on = DateField()
        satisfied = IntegerField()
        basically_satisfied = IntegerField()
        dissatisfied = IntegerField()
        comments = TextField(default='')
        version = IntegerField(default=1)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'satisfaction_survey'
            indexes = ((('village', 'surveyed_on'), False), (('surveyed_on',), False))
    db.create_tables([SatisfactionSurvey])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('satisfaction_survey'))
    migrator.migrate(migrator.drop_table('decision_step'))
    migrator.migrate(migrator.drop_table('decision'))
    migrator.migrate(migrator.drop_table('assessment_score'))
    migrator.migrate(migrator.drop_table('assessment_goal'))
    migrator.migrate(migrator.drop_table('assessment_scheme'))
