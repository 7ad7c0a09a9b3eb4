"""Click parameter types that check what they can before ledger is called (bad usage: exit 2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from ledger.i18n import t


class DateType(click.ParamType):
    name = "date"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(t("error.bad_date", value=value), param, ctx)


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
            if len(text) == 10:
                return dt.date.fromisoformat(text)
            return dt.datetime.fromisoformat(text)
        except ValueError:
            self.fail(t("error.bad_datetime", value=value), param, ctx)


DATE = DateType()
DATETIME = DateTimeType()
