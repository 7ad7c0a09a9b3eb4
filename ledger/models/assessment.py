"""The annual assessment (考核) of each village's two committees: a scheme per year, its
goals, and hand-entered scores (derived scores are computed when the report is made).

Points are decimal text ("7.5"): exact on both databases.
"""

from __future__ import annotations

from peewee import (
    AutoField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from ledger.models.base import BaseModel
from ledger.models.members import Village


class AssessmentScheme(BaseModel):
    """The year's assessment: its goals, and the score bands that decide rewards/penalties."""

    id = AutoField()
    year = IntegerField(unique=True)
    bands = TextField(default="[]")  # JSON [{"min": "90", "grade": …, "consequence": …}]
    notes = TextField(default="")
    version = IntegerField(default=1)
    created_at = DateTimeField()

    class Meta:
        table_name = "assessment_scheme"


class AssessmentGoal(BaseModel):
    id = AutoField()
    scheme = ForeignKeyField(AssessmentScheme, backref="goals", on_delete="CASCADE")
    code = CharField(max_length=30)
    name = CharField(max_length=100)
    scope = CharField(max_length=10)  # common | village
    villages = TextField(default="[]")  # JSON village ids, for a village-specific goal
    max_points = CharField(max_length=12)  # decimal text
    method = CharField(max_length=20)
    params = TextField(default="{}")  # JSON: the method's settings (deduction per petition…)
    position = IntegerField(default=0)

    class Meta:
        table_name = "assessment_goal"
        indexes = ((("scheme", "code"), True),)


class AssessmentScore(BaseModel):
    """A hand score: one village's points on one goal, with the assessor's note."""

    id = AutoField()
    goal = ForeignKeyField(AssessmentGoal, backref="scores", on_delete="CASCADE")
    village = ForeignKeyField(Village, backref="assessment_scores", on_delete="RESTRICT")
    points = CharField(max_length=12)
    note = TextField()
    scored_by = CharField(max_length=100)
    version = IntegerField(default=1)
    updated_at = DateTimeField()

    class Meta:
        table_name = "assessment_score"
        indexes = ((("goal", "village"), True),)


MODELS = [AssessmentScheme, AssessmentGoal, AssessmentScore]
