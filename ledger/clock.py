"""The one clock of ledger. Faces and tests inject a fixed one; nothing else calls now()."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

# The dates the office works with: wide enough for birth dates and far deadlines, narrow
# enough that adding a term, a time limit or a list's "due within" never runs past year 9999
# (Python's last date: an OverflowError deep inside a command instead of a message).
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)
# The most days a count may add to a date (a time limit, "due within N days"): 10 years.
MAX_DAYS = 3660


def check_day(field: str, day: dt.date) -> dt.date:
    """``day`` when it lies between ``EARLIEST`` and ``LATEST``, else a ValidationError."""
    from ledger.errors import ValidationError

    if not EARLIEST <= day <= LATEST:
        raise ValidationError(field, "error.date_out_of_range", value=day.isoformat(),
                              min=EARLIEST.isoformat(), max=LATEST.isoformat())
    return day


@dataclass(frozen=True)
class Clock:
    """Instants are UTC; the office's dates are in its time zone.

    ``fixed`` freezes the clock (``--as-of`` and tests).
    """

    tz: str = "Asia/Shanghai"
    fixed: dt.datetime | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    def now(self) -> dt.datetime:
        if self.fixed is not None:
            return self.fixed.astimezone(dt.UTC)
        return dt.datetime.now(dt.UTC)

    def local_now(self) -> dt.datetime:
        return self.now().astimezone(self.zone)

    def today(self) -> dt.date:
        return self.local_now().date()

    def to_local(self, instant: dt.datetime) -> dt.datetime:
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=dt.UTC)
        return instant.astimezone(self.zone)

    @classmethod
    def at(cls, when: dt.date | dt.datetime | str, tz: str = "Asia/Shanghai") -> Clock:
        """A clock frozen at a date (09:00 local time) or an instant."""
        if isinstance(when, str):
            when = parse_as_of(when)
        check_day("as_of", when.date() if isinstance(when, dt.datetime) else when)
        if not isinstance(when, dt.datetime):
            when = dt.datetime.combine(when, dt.time(9, 0))
        if when.tzinfo is None:
            when = when.replace(tzinfo=ZoneInfo(tz))
        return cls(tz=tz, fixed=when)


def parse_as_of(text: str) -> dt.date | dt.datetime:
    from ledger.errors import ValidationError

    try:
        if "T" in text or " " in text.strip():
            return dt.datetime.fromisoformat(text.strip())
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError("as_of", "error.bad_date", value=text) from None
