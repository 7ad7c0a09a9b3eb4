"""Five-step decisions (五步决策法, built on 四议两公开) and the steps each has taken.

Money is kept as decimal text ("12000.00"): exact on both databases, never summed in SQL.
"""

from __future__ import annotations

from peewee import (
    AutoField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from ledger.models.base import BaseModel
from ledger.models.members import Village


class Decision(BaseModel):
    """A major village affair going through the five steps and the two disclosures."""

    id = AutoField()
    number = CharField(max_length=30, unique=True)  # JC-2026-0007
    village = ForeignKeyField(Village, backref="decisions", on_delete="RESTRICT", index=False)
    subject = CharField(max_length=200)
    kind = CharField(max_length=20)
    amount = CharField(max_length=24, null=True)  # decimal text, yuan
    proposal = TextField(default="")
    attachments = TextField(default="[]")  # JSON list of names or paths
    state = CharField(max_length=30)
    proposed_on = DateField()  # step 1's date
    last_on = DateField()  # the latest step's date: the next may not precede it
    veto_reason = TextField(default="")
    version = IntegerField(default=1)
    created_at = DateTimeField()
    updated_at = DateTimeField()

    class Meta:
        table_name = "decision"
        indexes = (
            (("village", "id"), False),
            (("state", "id"), False),
            (("proposed_on",), False),
        )


class DecisionStep(BaseModel):
    """One step taken (the record's timeline): its date, the meeting and who recorded it."""

    id = AutoField()
    decision = ForeignKeyField(Decision, backref="steps", on_delete="CASCADE")
    step = CharField(max_length=30)
    outcome = CharField(max_length=20, default="")  # approved | vetoed | passed | published
    on = DateField()
    meeting = CharField(max_length=20, default="")  # villagers' meeting kind at step 5
    present = IntegerField(null=True)
    entitled = IntegerField(null=True)
    votes_for = IntegerField(null=True)
    votes_against = IntegerField(null=True)
    votes_abstain = IntegerField(null=True)
    place = CharField(max_length=200, default="")  # where a disclosure was posted
    reason = TextField(default="")  # the policy reason of a veto
    note = TextField(default="")
    recorder = CharField(max_length=100)  # the operator
    at = DateTimeField()  # UTC, when it was recorded

    class Meta:
        table_name = "decision_step"
        indexes = ((("step", "on"), False),)


MODELS = [Decision, DecisionStep]
