"""Villages, people, elections and the posts people hold on the two committees."""

from __future__ import annotations

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from ledger.models.base import BaseModel


class Village(BaseModel):
    id = AutoField()
    code = CharField(max_length=20, unique=True)
    name = CharField(max_length=60, unique=True)
    relocation_status = CharField(max_length=30, default="not_affected")
    notes = TextField(default="")
    created_at = DateTimeField()
    version = IntegerField(default=1)  # ledger.versions: bumped on every change

    class Meta:
        table_name = "village"


class Person(BaseModel):
    id = AutoField()
    name = CharField(max_length=60, index=True)
    name_initials = CharField(max_length=60, index=True)  # pinyin initials, "xsw"
    name_pinyin = CharField(max_length=200, default="")
    gender = CharField(max_length=10, default="")
    birth_date = DateField(null=True)
    id_number = CharField(max_length=18, null=True, unique=True)
    phone = CharField(max_length=20, default="")
    education = CharField(max_length=30, default="")
    political_status = CharField(max_length=30, default="")
    college_graduate_official = BooleanField(default=False)
    village = ForeignKeyField(Village, null=True, backref="people", on_delete="RESTRICT")
    notes = TextField(default="")
    created_at = DateTimeField()
    version = IntegerField(default=1)  # ledger.versions: bumped on every change

    class Meta:
        table_name = "person"


class Election(BaseModel):
    id = AutoField()
    village = ForeignKeyField(Village, backref="elections", on_delete="RESTRICT")
    held_on = DateField()
    term_years = IntegerField()
    notes = TextField(default="")

    class Meta:
        table_name = "election"
        indexes = ((("village", "held_on"), True),)


class Term(BaseModel):
    """One post held by one person, from an election until it ends; history is kept."""

    id = AutoField()
    person = ForeignKeyField(Person, backref="terms", on_delete="RESTRICT")
    village = ForeignKeyField(Village, backref="terms", on_delete="RESTRICT")
    election = ForeignKeyField(Election, null=True, backref="terms", on_delete="RESTRICT")
    post = CharField(max_length=30)
    started_on = DateField()
    ends_on = DateField(null=True)  # when the term is due to end
    ended_on = DateField(null=True, index=True)  # when it actually ended; null while active
    end_reason = TextField(default="")
    version = IntegerField(default=1)  # ledger.versions: bumped on every change

    class Meta:
        table_name = "term"
        indexes = ((("village", "post"), False),)
