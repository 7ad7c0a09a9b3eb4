"""``jiedao calendar show|load|years|day|add``: the working-day calendar (含调休)."""

from __future__ import annotations

import datetime as dt

import click

from commands.context import pass_office
from commands.group import OneLineGroup
from commands.output import Column, emit, info, line, print_json, print_table
from commands.params import DATE, DAYS, BoundedInt
from ledger import display, workcal
from ledger.i18n import t, value_label
from ledger.office import Office


@click.group(cls=OneLineGroup)
def calendar() -> None:
    pass


@calendar.command("show")
@click.argument("year", type=BoundedInt(workcal.MIN_YEAR, workcal.MAX_YEAR))
@click.option("--json", "as_json", is_flag=True)
@pass_office
def show(office: Office, year: int, as_json: bool) -> None:
    data = workcal.year_schedule(office, year)
    if as_json:
        print_json(data)
        return
    line(t("calendar.header", year=year,
           source=value_label("calendar_source", data["source"]),
           working_days=data["working_days"]))
    if data["loaded_from"]:
        line(t("calendar.loaded_from", source=data["loaded_from"],
               at=display.datetime_text(data["loaded_at"], office.clock),
               by=data["loaded_by"]))
    columns: list[Column] = [("date", "date"), ("weekday", "weekday", "weekday"), ("name", "name")]
    line("")
    line(t("calendar.holidays"))
    print_table(data["holidays"], columns)
    line("")
    line(t("calendar.workdays"))
    if data["workdays"]:
        rows = [{**w, "name": w["name"] or value_label("calendar_kind", "workday")}
                for w in data["workdays"]]
        print_table(rows, columns)
    else:
        line(t("calendar.no_workdays"))


@calendar.command("load")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True)
@pass_office
def load(office: Office, file: str, as_json: bool) -> None:
    result = workcal.load_schedule(office, file)
    if as_json:
        print_json(result)
        return
    info(t("calendar.loaded", year=result["year"], holidays=result["holidays"],
           workdays=result["workdays"]))
    if result["replaced"]:
        info(t("calendar.replaced", year=result["year"]))
    info(t("calendar.tickets_changed", count=result["tickets_changed"]))
    if result["petitions_changed"]:
        info(t("calendar.petitions_changed", count=result["petitions_changed"]))


@calendar.command("years")
@click.option("--json", "as_json", is_flag=True)
@pass_office
def years(office: Office, as_json: bool) -> None:
    rows = workcal.loaded_years(office)
    emit(rows, [("year", "year"), ("source", "loaded_from"), ("loaded_at", "loaded_at"),
                ("loaded_by", "loaded_by")], as_json)


@calendar.command("day")
@click.argument("day", type=DATE)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def day(office: Office, day: dt.date, as_json: bool) -> None:
    info_ = workcal.day_info(office, day)
    if as_json:
        print_json(info_)
        return
    line(t("calendar.is_working" if info_["working"] else "calendar.is_rest", date=day,
           weekday=value_label("weekday", info_["weekday"])))
    if info_["provisional"]:
        line(t("calendar.provisional_note"))


@calendar.command("add")
@click.argument("start", type=DATE)
@click.argument("days", type=DAYS)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def add(office: Office, start: dt.date, days: int, as_json: bool) -> None:
    result = workcal.add_days_info(office, start, days)
    if as_json:
        print_json(result)
        return
    line(t("calendar.add_result", start=start, n=days, date=result["date"],
           weekday=value_label("weekday", result["weekday"])))
    if result["provisional"]:
        line(t("calendar.provisional_note"))
