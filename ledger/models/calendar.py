"""The office's own working-day schedules: a loaded year wins over the calendar library.

A year the office loads is stored whole (its holidays and adjusted working days), so the
library's guess for that year is no longer consulted at all.
"""

from __future__ import annotations

from peewee import AutoField, CharField, DateField, DateTimeField, IntegerField

from ledger.models.base import BaseModel


class CalendarYear(BaseModel):
    """One loaded year: where its schedule came from, when and by whom."""

    id = AutoField()
    year = IntegerField(unique=True)
    source = CharField(max_length=300)  # the file name it was loaded from
    loaded_at = DateTimeField()  # UTC
    loaded_by = CharField(max_length=100)

    class Meta:
        table_name = "calendar_year"


class CalendarDay(BaseModel):
    """A day of a loaded year that is not an ordinary weekday or weekend."""

    id = AutoField()
    day = DateField(unique=True)
    kind = CharField(max_length=10)  # "holiday" | "workday" (调休: a weekend day worked)
    name = CharField(max_length=60, default="")

    class Meta:
        table_name = "calendar_day"


MODELS = [CalendarYear, CalendarDay]
