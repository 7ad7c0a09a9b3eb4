"""Click parameter types that check what they can before ledger is called (bad usage: exit 2).

Numbers and dates are bounded here by the limits ledger declares (``ledger.db.MAX_ID``,
``ledger.clock``): a number the database cannot hold or a date past the calendar's end is a
one-line usage error naming the option, not an overflow deep inside a command.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from ledger.clock import EARLIEST, LATEST, MAX_DAYS
from ledger.db import MAX_ID
from ledger.i18n import t


class BoundedInt(click.ParamType):
    """A whole number from ``low`` to ``high``, with a translated message naming the option."""

    name = "integer"

    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            text = str(value).strip()
            digits = text.removeprefix("-").removeprefix("+")
            if not (digits.isascii() and digits.isdigit()):
                self.fail(t("error.bad_integer", value=value), param, ctx)
            number = int(text)
        if not self.low <= number <= self.high:
            self.fail(t("error.number_out_of_range", value=number, min=self.low, max=self.high),
                      param, ctx)
        return number

    def __repr__(self) -> str:
        return f"BoundedInt({self.low}, {self.high})"


def _in_range(day: dt.date, value: Any, param: click.Parameter | None,
              ctx: click.Context | None, kind: click.ParamType) -> None:
    if not EARLIEST <= day <= LATEST:
        kind.fail(t("error.date_out_of_range", value=value, min=EARLIEST.isoformat(),
                    max=LATEST.isoformat()), param, ctx)


class DateType(click.ParamType):
    name = "date"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            day = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(t("error.bad_date", value=value), param, ctx)
        _in_range(day, value, param, ctx, self)
        return day


class DateTimeType(click.ParamType):
    """A date and time, or a bare day (a ``date``): ledger decides what time a bare day
    means (a step entered by its day alone), not the face, which would say midnight."""

    name = "datetime"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> dt.datetime | dt.date:
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        try:
            when: dt.datetime | dt.date = (dt.date.fromisoformat(text) if len(text) == 10
                                           else dt.datetime.fromisoformat(text))
        except ValueError:
            self.fail(t("error.bad_datetime", value=value), param, ctx)
        _in_range(when.date() if isinstance(when, dt.datetime) else when, value, param, ctx,
                  self)
        return when


DATE = DateType()
DATETIME = DateTimeType()
ID = BoundedInt(1, MAX_ID)  # a record's internal id
LIMIT = BoundedInt(1, MAX_ID)  # how many rows a list prints
OFFSET = BoundedInt(0, MAX_ID)  # how many rows a list skips
DAYS = BoundedInt(0, MAX_DAYS)  # a count of days added to a date
YEAR = BoundedInt(2000, 2100)  # the year of a plan, a report or a list's filter
