"""The roster as files: an iCalendar (.ics) of the shifts, and an .xlsx week grid to print
and pin up.

- ``.ics``: one event per shift; UIDs are stable (``roster-<shift id>-<office key>@jiedao``,
  the office key as in ``ledger.training.export``) so a re-export updates events in phone
  calendars; SEQUENCE is the shift's version - 1 (a swap or a re-plan bumps it). A gap is
  exported too, titled as one, so a calendar shows what nobody holds.
- ``.xlsx``: one sheet per week (Monday to Sunday), posts × days: a row per shift of each
  post, the person's name in each cell, 空缺 / "vacant" in a gap, blank when the post is not
  staffed that day.

``icalendar`` and ``openpyxl`` are imported inside the functions, never at program start.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from ledger.i18n import t, value_label
from ledger.office import Office
from ledger.roster import rules
from ledger.roster.query import ShiftFilter, grid, iter_shifts, week_start
from ledger.training.export import office_key
from ledger.workcal import weekday_code


def shift_uid(shift_id: int, key: str) -> str:
    return f"roster-{shift_id}-{key}@jiedao"


def ics_bytes(office: Office, date_from: Any, date_to: Any, *,
              post: Any = None) -> tuple[bytes, int]:
    """The calendar of the shifts in the period and how many events it holds."""
    from icalendar import Calendar, Event

    start, end = rules.period(date_from, date_to)
    cal = Calendar()
    cal.add("prodid", "-//jiedao-ledger//roster//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{office.settings['office.name']} {t('roster.calendar_name')}")
    key = office_key()
    stamp = office.now().replace(tzinfo=dt.UTC)
    count = 0
    for s in iter_shifts(office, ShiftFilter(post=post, date_from=start, date_to=end)):
        event = Event()
        event.add("uid", shift_uid(s["id"], key))
        event.add("dtstamp", stamp)
        event.add("sequence", s["sequence"])
        event.add("dtstart", s["starts_at"])
        event.add("dtend", s["ends_at"])
        holder = s["person"] or t("roster.vacant")
        event.add("summary", f"{s['post_name']} {s['shift']}: {holder}")
        event.add("location", s["post_name"])
        event.add("categories", [t("roster.calendar_name")])
        cal.add_component(event)
        count += 1
    return cal.to_ical(), count


def xlsx_bytes(office: Office, date_from: Any, date_to: Any, *,
               post: Any = None) -> tuple[bytes, int]:
    """The week grids of the period as a workbook and how many weeks (sheets) it holds."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    from ledger.io.export import xlsx_row

    start, end = rules.period(date_from, date_to)
    book = Workbook()
    book.remove(book.active)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    gap_fill = PatternFill("solid", fgColor="FFD7D7")
    monday = week_start(start)
    weeks = 0
    while monday <= end:
        sunday = monday + dt.timedelta(days=6)
        data = grid(office, monday, sunday, post=post)
        sheet = book.create_sheet(title=monday.isoformat())
        sheet.append(xlsx_row([f"{office.settings['office.name']} {t('roster.grid_title')} "
                               f"{monday.isoformat()} – {sunday.isoformat()}"]))
        sheet["A1"].font = Font(bold=True, size=14)
        header = [t("field.duty_post"), t("field.shift")] + [
            f"{value_label('weekday', weekday_code(d))} {d.month}/{d.day}" for d in data["days"]]
        sheet.append(header)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
            cell.border = box
        for p in data["posts"]:
            times = {s["name"]: f"{s['start']}–{s['end']}" for s in p["post"]["shifts"]}
            for r in p["rows"]:
                label = f"{r['shift']} {times.get(r['shift'], '')}".strip()
                values = [p["post"]["name"], label]
                for c in r["cells"]:
                    if c is None or not start <= c["day"] <= end:
                        values.append("")
                    else:
                        values.append(c["person"] or t("roster.vacant"))
                sheet.append(xlsx_row(values))
                for cell, c in zip(sheet[sheet.max_row][2:], r["cells"], strict=False):
                    if c is not None and c["gap"] and start <= c["day"] <= end:
                        cell.fill = gap_fill
                for cell in sheet[sheet.max_row]:
                    cell.border = box
                    cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.column_dimensions["A"].width = 22
        sheet.column_dimensions["B"].width = 22
        for col in "CDEFGHI":
            sheet.column_dimensions[col].width = 12
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        weeks += 1
        monday += dt.timedelta(days=7)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), weeks
