"""Working days in mainland China: statutory holidays and adjusted working days (调休).

Three sources, strongest first:

1. ``loaded``: a year's schedule the office loaded itself (``jiedao calendar load FILE``),
   stored in ``calendar_year``/``calendar_day``. It replaces everything else for that year.
2. ``library``: python-holidays' China calendar for the years whose State Council notice it
   carries. Those are exactly the years listed in its table of substituted days
   (``ChinaStaticHolidays.special_public_holidays``); for them it also knows the weekend days
   that became working days (``weekend_workdays``).
3. ``provisional``: any other year. The library still guesses the statutory days (and moves
   those falling on a weekend), but nobody knows the 调休 yet, so every date computed through
   such a year is marked provisional until the office loads the real schedule.

``calendar_for(office)`` caches one ``WorkCalendar`` per open office and notices a schedule
loaded by another clerk through a one-row query on ``calendar_year``.
"""

from __future__ import annotations

import datetime as dt
import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ledger import access, journal
from ledger.errors import ValidationError
from ledger.models.calendar import CalendarDay, CalendarYear

if TYPE_CHECKING:
    from ledger.office import Office

HOLIDAY = "holiday"
WORKDAY = "workday"
KINDS = (HOLIDAY, WORKDAY)
SOURCES = ("loaded", "library", "provisional")

MIN_YEAR, MAX_YEAR = 1950, 2100
# A loaded year with more holidays than this is a mistake (the real ones have about 30).
MAX_HOLIDAYS = 60


def _published_years() -> frozenset[int]:
    """Years whose official schedule python-holidays carries (it lists their 调休 explicitly)."""
    try:
        from holidays.countries.china import ChinaStaticHolidays

        return frozenset(int(y) for y in ChinaStaticHolidays.special_public_holidays)
    except (ImportError, AttributeError):  # a future release reorganised: trust nothing
        return frozenset()


@dataclass(frozen=True)
class YearDays:
    """The exceptions of one year: holidays on weekdays or weekends, and weekend workdays."""

    year: int
    source: str
    holidays: dict[dt.date, str] = field(default_factory=dict)
    workdays: dict[dt.date, str] = field(default_factory=dict)


def _compute_library_year(year: int, language: str) -> YearDays:
    import holidays

    # The next year is included because a January holiday can be paid for by a December
    # Saturday of the year before (2002's New Year moved work to 2001-12-29).
    cal = holidays.China(years=[year, year + 1], language=language)
    days = {d: str(name) for d, name in cal.items() if d.year == year}
    workdays = {d: "" for d in getattr(cal, "weekend_workdays", ()) if d.year == year}
    source = "library" if year in _published_years() else "provisional"
    return YearDays(year, source, days, workdays)


# --- a file cache of the library's answers --------------------------------------------------
# Importing python-holidays costs about 100 ms (its package imports every country), which
# would triple the start-up of every cron job. Its answers only change when the package
# does, so they are cached per installed version of its China module, in the user's cache
# directory. A missing or unwritable cache only costs time.

def _library_fingerprint() -> str | None:
    import importlib.util
    import os

    spec = importlib.util.find_spec("holidays")
    if spec is None or not spec.submodule_search_locations:
        return None
    china = Path(list(spec.submodule_search_locations)[0]) / "countries" / "china.py"
    try:
        info = os.stat(china)
    except OSError:
        return None
    return f"{info.st_size}-{info.st_mtime_ns}"


def _cache_path(language: str) -> Path | None:
    import os

    fingerprint = _library_fingerprint()
    if fingerprint is None:
        return None
    folder = os.environ.get("JIEDAO_CACHE_DIR")
    if not folder:
        from ledger.paths import cache_dir

        folder = str(cache_dir())
    return Path(folder) / f"workcal-{language}-{fingerprint}.json"


_file_cache: dict[str, dict[str, Any]] = {}


def _read_cache(path: Path) -> dict[str, Any]:
    import json

    key = str(path)
    if key not in _file_cache:
        try:
            _file_cache[key] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            _file_cache[key] = {}
    return _file_cache[key]


def _write_cache(path: Path, data: dict[str, Any]) -> None:
    import json
    import os

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(temp, path)  # atomic: a concurrent reader sees the old or the new file
    except OSError:
        pass


def library_year(year: int, language: str = "zh_CN") -> YearDays:
    """The library's view of ``year`` (its guess when the year is not published)."""
    path = _cache_path(language)
    cached = _read_cache(path).get(str(year)) if path else None
    if cached:
        try:
            return YearDays(
                year, cached["source"],
                {dt.date.fromisoformat(d): n for d, n in cached["holidays"].items()},
                {dt.date.fromisoformat(d): n for d, n in cached["workdays"].items()})
        except (KeyError, TypeError, ValueError):
            pass  # a damaged entry: compute it again
    found = _compute_library_year(year, language)
    if path is not None:
        data = dict(_read_cache(path))
        data[str(year)] = {"source": found.source,
                           "holidays": {d.isoformat(): n for d, n in found.holidays.items()},
                           "workdays": {d.isoformat(): n for d, n in found.workdays.items()}}
        _file_cache[str(path)] = data
        _write_cache(path, data)
    return found


class WorkCalendar:
    """Answers working-day questions; years are computed once, on first use."""

    def __init__(self, loaded: dict[int, YearDays] | None = None) -> None:
        self._years: dict[int, YearDays] = dict(loaded or {})

    def _year(self, year: int) -> YearDays:
        found = self._years.get(year)
        if found is None:
            found = self._years[year] = library_year(year)
        return found

    def year_days(self, year: int) -> YearDays:
        return self._year(year)

    def is_working_day(self, day: dt.date) -> bool:
        year = self._year(day.year)
        if day in year.workdays:
            return True
        if day in year.holidays:
            return False
        return day.weekday() < 5

    def add_working_days(self, start: dt.date, n: int) -> tuple[dt.date, bool]:
        """The ``n``-th working day after ``start`` (not counting ``start``) and whether any
        year passed through is provisional. ``n == 0`` is ``start`` itself (on the spot)."""
        if n < 0:
            raise ValueError("n must not be negative")
        day = start
        provisional = False
        counted = 0
        while counted < n:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
            if not provisional and self.is_provisional(day.year):
                provisional = True
        return day, provisional

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 if end <= start)."""
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def is_provisional(self, year: int) -> bool:
        return self._year(year).source == "provisional"

    def year_source(self, year: int) -> str:
        return self._year(year).source


# --- the per-office cache ------------------------------------------------------------------

_cache: dict[int, tuple[Any, WorkCalendar]] = {}


def _token(office: Office) -> Any:
    """Changes whenever any clerk loads a schedule: (count, latest load)."""
    from peewee import fn

    row = CalendarYear.select(
        fn.COUNT(CalendarYear.id).alias("n"), fn.MAX(CalendarYear.loaded_at).alias("last"),
        fn.MAX(CalendarYear.id).alias("top"),
    ).dicts().get()
    return (row["n"], str(row["last"]), row["top"])


def _load(office: Office) -> WorkCalendar:
    loaded: dict[int, YearDays] = {}
    for y in CalendarYear.select():
        loaded[y.year] = YearDays(y.year, "loaded")
    if loaded:
        for d in CalendarDay.select().order_by(CalendarDay.day):
            year = loaded.get(d.day.year)
            if year is None:  # a day without its year row is ignored, never half-trusted
                continue
            (year.holidays if d.kind == HOLIDAY else year.workdays)[d.day] = d.name
    return WorkCalendar(loaded)


def calendar_for(office: Office) -> WorkCalendar:
    """The office's calendar, cached; rebuilt when a schedule has been loaded since."""
    key = id(office)
    token = _token(office)
    cached = _cache.get(key)
    if cached is not None and cached[0] == token:
        return cached[1]
    if cached is None:
        # Forget the entry when the office goes, so a new office at the same id starts clean.
        weakref.finalize(office, _cache.pop, key, None)
    cal = _load(office)
    _cache[key] = (token, cal)
    return cal


def forget(office: Office) -> None:
    _cache.pop(id(office), None)


# --- schedule files ------------------------------------------------------------------------

@dataclass(frozen=True)
class Schedule:
    year: int
    holidays: dict[dt.date, str]
    workdays: dict[dt.date, str]
    source: str


def _fail(path: str, line: int | str, message: str, **params: Any) -> ValidationError:
    from ledger.i18n import t

    return ValidationError("schedule_file", "error.calendar_bad_line", file=path, line=line,
                           detail=t(message, **params))


def _line_of(text: str, needle: str, default: int | str = "?") -> int | str:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle and needle in line:
            return number
    return default


def _to_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _range(first: dt.date, last: dt.date) -> Iterable[dt.date]:
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def _check_and_build(path: str, text: str, year: int,
                     entries: list[tuple[str, dt.date, str, int | str]]) -> Schedule:
    """Shared rules for both formats. ``entries``: (kind, date, name, line)."""
    holidays: dict[dt.date, str] = {}
    workdays: dict[dt.date, str] = {}
    for kind, day, name, line in entries:
        if day.year != year:
            raise _fail(path, line, "error.calendar_wrong_year", date=day, year=year)
        if len(name) > 60:
            raise _fail(path, line, "error.calendar_name_long")
        if kind == WORKDAY and day.weekday() < 5:
            raise _fail(path, line, "error.calendar_workday_weekday", date=day)
        own, other = (holidays, workdays) if kind == HOLIDAY else (workdays, holidays)
        if day in other:
            raise _fail(path, line, "error.calendar_both", date=day)
        if day in own:
            raise _fail(path, line, "error.calendar_twice", date=day)
        own[day] = name
    if not holidays:
        raise _fail(path, 1, "error.calendar_no_holidays", year=year)
    if len(holidays) > MAX_HOLIDAYS:
        raise _fail(path, 1, "error.calendar_too_many", count=len(holidays), limit=MAX_HOLIDAYS)
    return Schedule(year, holidays, workdays, Path(path).name)


def parse_toml(path: str, text: str) -> Schedule:
    """``year = 2027`` and ``[[holiday]]``/``[[workday]]`` tables, each with ``name`` and
    ``date``, ``dates = [...]`` or ``from``/``to``."""
    import tomllib  # only when a file is loaded: keeps every other command's start-up lean

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise _fail(path, match.group(1) if match else "?", "error.calendar_syntax",
                    detail=str(exc).split(" (at")[0]) from None
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not MIN_YEAR <= year <= MAX_YEAR:
        raise _fail(path, _line_of(text, "year", 1), "error.calendar_year", value=year)
    unknown = sorted(set(data) - {"year", HOLIDAY, WORKDAY})
    if unknown:
        raise _fail(path, _line_of(text, unknown[0]), "error.calendar_unknown_key",
                    key=unknown[0])
    entries: list[tuple[str, dt.date, str, int | str]] = []
    # Tables are numbered in file order, so the n-th [[holiday]] header is its line.
    for kind in KINDS:
        tables = data.get(kind, [])
        if not isinstance(tables, list):
            raise _fail(path, _line_of(text, kind), "error.calendar_not_table", key=kind)
        headers = [n for n, line in enumerate(text.splitlines(), start=1)
                   if line.strip().replace(" ", "") == f"[[{kind}]]"]
        for index, table in enumerate(tables):
            line: int | str = headers[index] if index < len(headers) else "?"
            if not isinstance(table, dict):
                raise _fail(path, line, "error.calendar_not_table", key=kind)
            extra = sorted(set(table) - {"name", "date", "dates", "from", "to"})
            if extra:
                raise _fail(path, line, "error.calendar_unknown_key", key=extra[0])
            name = str(table.get("name", "")).strip()
            raw: list[Any] = []
            if "date" in table:
                raw.append(table["date"])
            if "dates" in table:
                if not isinstance(table["dates"], list):
                    raise _fail(path, line, "error.bad_date", value=table["dates"])
                raw.extend(table["dates"])
            days: list[dt.date] = []
            for value in raw:
                day = _to_date(value)
                if day is None:
                    raise _fail(path, _line_of(text, str(value), line), "error.bad_date",
                                value=value)
                days.append(day)
            if "from" in table or "to" in table:
                first, last = _to_date(table.get("from")), _to_date(table.get("to"))
                if first is None or last is None or last < first:
                    raise _fail(path, line, "error.calendar_bad_range",
                                first=table.get("from"), last=table.get("to"))
                days.extend(_range(first, last))
            if not days:
                raise _fail(path, line, "error.calendar_no_date")
            for day in days:
                entries.append((kind, day, name, _line_of(text, day.isoformat(), line)))
    return _check_and_build(path, text, year, entries)


_KIND_WORDS = {"holiday": HOLIDAY, "休": HOLIDAY, "假": HOLIDAY, "放假": HOLIDAY,
               "workday": WORKDAY, "班": WORKDAY, "上班": WORKDAY}


def parse_csv(path: str, text: str) -> Schedule:
    """``date,kind,name`` rows (kind: holiday/workday, or 休/班); one year per file."""
    import csv
    import io

    reader = csv.reader(io.StringIO(text))
    entries: list[tuple[str, dt.date, str, int | str]] = []
    year: int | None = None
    for row in reader:
        line = reader.line_num
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        if row[0].strip().lower() == "date":  # the header
            continue
        if len(row) < 2:
            raise _fail(path, line, "error.calendar_csv_columns")
        day = _to_date(row[0])
        if day is None:
            raise _fail(path, line, "error.bad_date", value=row[0])
        kind = _KIND_WORDS.get(row[1].strip().lower())
        if kind is None:
            raise _fail(path, line, "error.calendar_bad_kind", value=row[1])
        year = year or day.year
        entries.append((kind, day, row[2].strip() if len(row) > 2 else "", line))
    if year is None:
        raise _fail(path, 1, "error.calendar_empty")
    return _check_and_build(path, text, year, entries)


def read_schedule(path: str | Path) -> Schedule:
    """Parse a schedule file (``.toml`` or ``.csv``); any problem names the file and line."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(name, "-", "error.calendar_unreadable",
                    detail=getattr(exc, "strerror", None) or str(exc)) from None
    if name.lower().endswith(".csv"):
        return parse_csv(name, text)
    return parse_toml(name, text)


# --- use cases -----------------------------------------------------------------------------

def _schedule_dict(year: int, holidays: dict[dt.date, str],
                   workdays: dict[dt.date, str]) -> dict[str, Any]:
    return {
        "year": year,
        "holidays": [{"date": d, "name": n} for d, n in sorted(holidays.items())],
        "workdays": [{"date": d, "name": n} for d, n in sorted(workdays.items())],
    }


def load_schedule(office: Office, path: str | Path) -> dict[str, Any]:
    """Store a year's schedule (replacing an earlier load) and recompute open tickets' due
    dates that pass through that year. All or nothing, journaled."""
    access.require(office, "write", "calendar_year")
    return _store(office, read_schedule(path), "load")


def _store(office: Office, schedule: Schedule, action: str) -> dict[str, Any]:
    """Write ``schedule`` as its year's stored calendar (replacing what was stored), journal
    it as ``action`` and recompute the deadlines that count through it."""
    from ledger import tickets  # tickets depend on the calendar, not the other way round

    with office.transaction():
        old = CalendarYear.get_or_none(CalendarYear.year == schedule.year)
        before = None
        if old is not None:
            old_days = list(CalendarDay.select().where(
                CalendarDay.day.between(dt.date(schedule.year, 1, 1),
                                        dt.date(schedule.year, 12, 31))))
            before = _schedule_dict(
                schedule.year,
                {d.day: d.name for d in old_days if d.kind == HOLIDAY},
                {d.day: d.name for d in old_days if d.kind == WORKDAY})
            before["source"] = old.source
            CalendarDay.delete().where(CalendarDay.id.in_([d.id for d in old_days])).execute()
            old.delete_instance()
        row = CalendarYear.create(year=schedule.year, source=schedule.source[:300],
                                  loaded_at=office.now(), loaded_by=office.operator)
        rows = [{"day": d, "kind": HOLIDAY, "name": n} for d, n in schedule.holidays.items()]
        rows += [{"day": d, "kind": WORKDAY, "name": n} for d, n in schedule.workdays.items()]
        if rows:
            CalendarDay.insert_many(rows).execute()
        after = _schedule_dict(schedule.year, schedule.holidays, schedule.workdays)
        after["source"] = schedule.source
        journal.record(office, "calendar_year", row.year, action, before=before, after=after)
        forget(office)
        try:
            changed = tickets.recompute_due_dates(office, schedule.year)
            petitions_changed = 0
            if office.settings["petitions.day_counting"] == "working":
                from ledger import petitions

                petitions_changed = petitions.recompute_deadlines(office)
        finally:
            # Built inside the transaction: if it rolls back, the next call rebuilds.
            forget(office)
    return {
        "year": schedule.year,
        "source": schedule.source,
        "holidays": len(schedule.holidays),
        "workdays": len(schedule.workdays),
        "replaced": old is not None,
        "tickets_changed": changed,
        "petitions_changed": petitions_changed,
    }


# A year first changed one day at a time (not loaded from a file) is stored under this name.
EDITED = "edited"


def _current(office: Office, year: int) -> Schedule:
    """The year as the office counts it now (stored, or the library's), to change a day of."""
    days = calendar_for(office).year_days(year)
    loaded = CalendarYear.get_or_none(CalendarYear.year == year)
    return Schedule(year, dict(days.holidays), dict(days.workdays),
                    loaded.source if loaded is not None else EDITED)


def set_day(office: Office, day: Any, kind: Any, name: Any = "") -> dict[str, Any]:
    """Make ``day`` a holiday or an adjusted working day (``kind``) named ``name``, in place
    of what it was. A year not stored yet is stored first as the office counts it now (the
    library's days), so one change never drops the rest of the year. Deadlines counting
    through it are recomputed, as after ``load_schedule``."""
    access.require(office, "write", "calendar_year")
    from ledger.fields import choice, date_field, text_field

    when = date_field("date", day)
    if when is None:
        raise ValidationError("date", "error.required")
    if not MIN_YEAR <= when.year <= MAX_YEAR:
        raise ValidationError("date", "error.calendar_year", value=when.year)
    what = choice("kind", kind, KINDS)
    label = text_field("name", name, 60)
    if what == WORKDAY and when.weekday() < 5:
        raise ValidationError("kind", "error.calendar_workday_weekday", date=when)
    current = _current(office, when.year)
    holidays, workdays = current.holidays, current.workdays
    holidays.pop(when, None)
    workdays.pop(when, None)
    (holidays if what == HOLIDAY else workdays)[when] = label
    if len(holidays) > MAX_HOLIDAYS:
        raise ValidationError("date", "error.calendar_too_many", count=len(holidays),
                              limit=MAX_HOLIDAYS)
    result = _store(office, Schedule(when.year, holidays, workdays, current.source), "set_day")
    return {**result, "date": when, "kind": what, "name": label}


def remove_day(office: Office, day: Any) -> dict[str, Any]:
    """``day`` back to an ordinary weekday or weekend day (no longer a holiday or an
    adjusted working day); see ``set_day``."""
    access.require(office, "write", "calendar_year")
    from ledger.fields import date_field

    when = date_field("date", day)
    if when is None:
        raise ValidationError("date", "error.required")
    if not MIN_YEAR <= when.year <= MAX_YEAR:
        raise ValidationError("date", "error.calendar_year", value=when.year)
    current = _current(office, when.year)
    if when not in current.holidays and when not in current.workdays:
        raise ValidationError("date", "error.calendar_no_such_day", date=when)
    current.holidays.pop(when, None)
    current.workdays.pop(when, None)
    result = _store(office, current, "remove_day")
    return {**result, "date": when}


_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def year_schedule(office: Office, year: int, *, language: str | None = None) -> dict[str, Any]:
    """What ``calendar show`` prints: the year's holidays and adjusted working days.

    Holiday names from the library follow ``language`` (default: the current one).
    """
    from ledger.i18n import get_language

    language = language or get_language()
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError("year", "error.calendar_year", value=year)
    cal = calendar_for(office)
    days = cal.year_days(year)
    if days.source != "loaded" and language != "zh":
        days = library_year(year, "en_US")
    loaded = CalendarYear.get_or_none(CalendarYear.year == year)
    out = _schedule_dict(year, days.holidays, days.workdays)
    for entry in out["holidays"] + out["workdays"]:
        entry["weekday"] = weekday_code(entry["date"])
    out["source"] = days.source
    out["provisional"] = days.source == "provisional"
    out["loaded_from"] = loaded.source if loaded else None
    out["loaded_at"] = loaded.loaded_at.replace(tzinfo=dt.UTC) if loaded else None
    out["loaded_by"] = loaded.loaded_by if loaded else None
    out["working_days"] = cal.working_days_between(dt.date(year - 1, 12, 31),
                                                   dt.date(year, 12, 31))
    return out


def weekday_code(day: dt.date) -> str:
    return _WEEKDAYS[day.weekday()]


def day_info(office: Office, day: dt.date) -> dict[str, Any]:
    """Whether ``day`` is a working day, and on whose authority (``calendar day``)."""
    cal = calendar_for(office)
    source = cal.year_source(day.year)
    return {"date": day, "working": cal.is_working_day(day), "weekday": weekday_code(day),
            "source": source, "provisional": source == "provisional"}


def add_days_info(office: Office, start: dt.date, days: int) -> dict[str, Any]:
    """The ``days``-th working day after ``start`` (``calendar add``)."""
    result, provisional = calendar_for(office).add_working_days(start, days)
    return {"start": start, "working_days": days, "date": result, "weekday": weekday_code(result),
            "provisional": provisional}


def loaded_years(office: Office) -> list[dict[str, Any]]:
    return [{"year": y.year, "source": y.source, "loaded_by": y.loaded_by,
             "loaded_at": y.loaded_at.replace(tzinfo=dt.UTC)}
            for y in CalendarYear.select().order_by(CalendarYear.year)]
