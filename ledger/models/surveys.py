"""Residents' satisfaction surveys (群众满意度测评) of a village's service."""

from __future__ import annotations

from peewee import (
    AutoField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from ledger.models.base import BaseModel
from ledger.models.members import Village


class SatisfactionSurvey(BaseModel):
    """One survey of a village's service: respondents counted per answer."""

    id = AutoField()
    village = ForeignKeyField(Village, backref="surveys", on_delete="RESTRICT", index=False)
    surveyed_on = DateField()
    satisfied = IntegerField()
    basically_satisfied = IntegerField()
    dissatisfied = IntegerField()
    comments = TextField(default="")
    version = IntegerField(default=1)
    created_at = DateTimeField()

    class Meta:
        table_name = "satisfaction_survey"
        indexes = ((("village", "surveyed_on"), False), (("surveyed_on",), False))


MODELS = [SatisfactionSurvey]
