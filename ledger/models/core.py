"""Tables every area uses: the journal and the yearly number sequences."""

from __future__ import annotations

from peewee import AutoField, CharField, DateTimeField, IntegerField, TextField

from ledger.models.base import BaseModel


class JournalEntry(BaseModel):
    id = AutoField()
    at = DateTimeField()  # UTC
    operator = CharField(max_length=100)
    entity = CharField(max_length=40)
    entity_id = CharField(max_length=40)
    action = CharField(max_length=40)
    before = TextField(null=True)  # canonical JSON
    after = TextField(null=True)
    note = TextField(default="")
    prev_hash = CharField(max_length=64)
    hash = CharField(max_length=64)

    class Meta:
        table_name = "journal"
        indexes = ((("entity", "entity_id"), False), (("at",), False))


class JournalKey(BaseModel):
    """Which key chains the journal, and from where (one row, ``ledger.journalkey``).

    ``office`` names this database, so each office finds its own key file; the entries
    after ``keyed_after`` are keyed, chained on ``chained_on`` (the hash of the last unkeyed
    entry); ``seal`` is the key's HMAC of those fields, so they cannot be moved without it.
    """

    office = CharField(max_length=32)
    keyed_after = IntegerField(null=True)
    chained_on = CharField(max_length=64, null=True)
    key_id = CharField(max_length=16, null=True)
    seal = CharField(max_length=64, null=True)

    class Meta:
        table_name = "journal_key"


class NumberSequence(BaseModel):
    """Last readable number handed out for a prefix and year (``DB``, 2026 -> 42)."""

    prefix = CharField(max_length=10)
    year = IntegerField()
    last = IntegerField(default=0)

    class Meta:
        table_name = "number_sequence"
        indexes = ((("prefix", "year"), True),)
