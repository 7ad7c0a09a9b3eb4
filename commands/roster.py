"""``jiedao roster posts|add-post|eligible|unavailable|plan|assign|swap|today|show|gaps|who|
export``: duty rosters (值班): posts, who is eligible, the rotation, swaps (换班)."""

from __future__ import annotations

import calendar
import datetime as dt
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from commands.context import pass_office
from commands.group import OneLineGroup
from commands.output import (
    Column,
    info,
    json_default,
    line,
    print_json,
    print_record,
    print_table,
    visible,
)
from commands.params import DATE, ID
from ledger import display
from ledger import roster as svc
from ledger.i18n import t
from ledger.office import Office

POST_COLUMNS: list[Column] = [
    ("code", "code"), ("name", "post_name"), ("kind", "kind", "duty_kind"),
    ("village", "village"), ("shift_pattern", "shifts"),
    ("staffed_off_days", "staffed_off_days"), ("eligible_count", "eligible_count"),
]
POST_RECORD: list[Column] = [*POST_COLUMNS[:-1], ("eligible_names", "eligible"),
                             ("notes", "notes"), ("version", "version")]
SHIFT_COLUMNS: list[Column] = [
    ("id", "id"), ("day", "day"), ("post", "duty_post"), ("shift", "shift"),
    ("starts_at", "starts"), ("ends_at", "ends"), ("person", "on_duty"),
    ("source", "source", "shift_source"), ("version", "version"),
]
PLAN_COLUMNS: list[Column] = [
    ("day", "day"), ("shift", "shift"), ("person", "on_duty"),
    ("action", "action", "plan_action"),
]
UNAVAILABLE_COLUMNS: list[Column] = [
    ("id", "id"), ("person", "person"), ("date_from", "date_from"), ("date_to", "date_to"),
    ("reason", "reason", "unavailable_reason"), ("note", "note"),
]


@click.group(cls=OneLineGroup)
def roster() -> None:
    pass


def _stream_json(rows: Iterable[dict[str, Any]]) -> None:
    """A JSON array written as rows arrive."""
    out = sys.stdout
    dumps = json.JSONEncoder(ensure_ascii=False, default=json_default).encode
    out.write("[")
    first = True
    for row in rows:
        out.write(("\n" if first else ",\n") + dumps(row))
        first = False
    out.write("\n]\n" if not first else "]\n")
    out.flush()


def _shifts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**r, "person": r["person"] or t("roster.vacant")} for r in rows]


@roster.command("posts")
@click.option("--json", "as_json", is_flag=True)
@pass_office
def posts(office: Office, as_json: bool) -> None:
    rows = svc.list_posts(office)
    if as_json:
        print_json(rows)
    else:
        print_table(rows, POST_COLUMNS)


def _eligible_name(person: dict[str, Any]) -> str:
    """A member by name; staff marked as staff (and as retired when they left)."""
    if person["kind"] != "staff":
        return str(person["name"])
    marks = t("roster.staff_label") + ("" if person["active"] else
                                       "，" + t("roster.retired_label"))
    return f"{person['name']}（{marks}）"


def _show_post(post: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(post)
        return
    post = {**post, "eligible_names": [_eligible_name(e) for e in post["eligible"]]}
    print_record(post, POST_RECORD)


def _staff_terms(names: Iterable[str]) -> list[str]:
    """Names given with a --staff option, as the roster reads staff only."""
    return [f"staff:{name}" for name in names]


@roster.command("add-post")
@click.option("--code", required=True)
@click.option("--name", required=True)
@click.option("--kind", type=click.Choice(svc.KINDS), default="station")
@click.option("--village")
@click.option("--shifts", required=True, metavar="NAME=HH:MM-HH:MM,…")
@click.option("--staffed-off-days", "staffed_off_days", is_flag=True)
@click.option("--notes", default="")
@click.option("--json", "as_json", is_flag=True)
@pass_office
def add_post(office: Office, as_json: bool, **options: Any) -> None:
    _show_post(svc.add_post(office, **options), as_json)


@roster.command("eligible")
@click.argument("post")
@click.option("--add", "add", multiple=True, metavar="PERSON")
@click.option("--remove", "remove", multiple=True, metavar="PERSON")
@click.option("--add-staff", "add_staff", multiple=True, metavar="NAME")
@click.option("--remove-staff", "remove_staff", multiple=True, metavar="NAME")
@click.option("--json", "as_json", is_flag=True)
@pass_office
def eligible(office: Office, post: str, add: tuple[str, ...], remove: tuple[str, ...],
             add_staff: tuple[str, ...], remove_staff: tuple[str, ...],
             as_json: bool) -> None:
    adding = [*add, *_staff_terms(add_staff)]
    removing = [*remove, *_staff_terms(remove_staff)]
    if adding:
        svc.add_eligible(office, post, adding)
    if removing:
        svc.remove_eligible(office, post, removing)
    _show_post(svc.get_post(office, post), as_json)


@roster.command("unavailable")
@click.option("--person")
@click.option("--staff", "staff")
@click.option("--from", "date_from", type=DATE)
@click.option("--to", "date_to", type=DATE)
@click.option("--reason", type=click.Choice(svc.UNAVAILABLE_REASONS), default="leave")
@click.option("--note", default="")
@click.option("--json", "as_json", is_flag=True)
@pass_office
def unavailable(office: Office, person: str | None, staff: str | None,
                date_from: dt.date | None, date_to: dt.date | None, reason: str, note: str,
                as_json: bool) -> None:
    # With --person or --staff: record a period; otherwise list the periods.
    person = _one_person(person, staff)
    if person:
        row = svc.add_unavailable(office, person, date_from=date_from, date_to=date_to,
                                  reason=reason, note=note)
        if as_json:
            print_json(row)
            return
        print_record(row, UNAVAILABLE_COLUMNS)
        if row["clashes"]:
            info(t("roster.clash_warning", count=len(row["clashes"])))
            print_table(_shifts(row["clashes"]), SHIFT_COLUMNS)
        return
    rows = svc.list_unavailability(office, date_from=date_from, date_to=date_to)
    if as_json:
        print_json(rows)
    else:
        print_table(rows, UNAVAILABLE_COLUMNS)


@roster.command("plan")
@click.argument("post")
@click.option("--from", "date_from", type=DATE, required=True)
@click.option("--to", "date_to", type=DATE, required=True)
@click.option("--dry-run", "dry_run", is_flag=True)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def plan(office: Office, post: str, date_from: dt.date, date_to: dt.date, dry_run: bool,
         as_json: bool) -> None:
    result = svc.plan(office, post, date_from, date_to, dry_run=dry_run)
    if as_json:
        print_json(result)
        return
    print_table(_shifts(result["shifts"]), PLAN_COLUMNS)
    line()
    print_table(result["counts"], [("person", "person"), ("shifts", "shift_count")])
    info(t("roster.dry_run") if dry_run else
         t("roster.planned", written=result["written"], gaps=result["gaps"]))


@roster.command("assign")
@click.argument("post")
@click.argument("day", type=DATE)
@click.argument("shift")
@click.argument("person", required=False, default="")
@click.option("--staff", "staff")
@click.option("--version", "version", type=ID)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def assign(office: Office, post: str, day: dt.date, shift: str, person: str,
           staff: str | None, version: int | None, as_json: bool) -> None:
    row = svc.assign(office, post, day, shift, _one_person(person, staff), version=version)
    if as_json:
        print_json(row)
    else:
        print_record(_shifts([row])[0], SHIFT_COLUMNS)


@roster.command("swap")
@click.argument("first")
@click.argument("second")
@click.option("--reason", required=True)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def swap(office: Office, first: str, second: str, reason: str, as_json: bool) -> None:
    # FIRST and SECOND: shift ids (#12) or POST/DATE/SHIFT (CENTRE/2026-11-27/day).
    done = svc.swap(office, first, second, reason=reason)
    if as_json:
        print_json(done)
        return
    print_table(_shifts([done["first"], done["second"]]), SHIFT_COLUMNS)
    info(t("roster.swapped", first=visible(done["first"]["person"]),
           second=visible(done["second"]["person"])))


def _one_person(person: str | None, staff: str | None) -> str | None:
    """PERSON (member or staff) or --staff NAME (staff only): one of them."""
    if staff is None:
        return person
    if person:
        from ledger.errors import ValidationError

        raise ValidationError("staff", "error.roster_person_and_staff")
    return _staff_terms([staff])[0]


def _print_shifts(rows: list[dict[str, Any]], as_json: bool, empty: str) -> None:
    if as_json:
        print_json(rows)
    elif rows:
        print_table(_shifts(rows), SHIFT_COLUMNS)
    else:
        info(t(empty))


@roster.command("today")
@click.option("--json", "as_json", is_flag=True)
@pass_office
def today(office: Office, as_json: bool) -> None:
    _print_shifts(svc.today(office), as_json, "roster.nobody_today")


@roster.command("who")
@click.argument("day", type=DATE)
@click.argument("time", required=False)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def who(office: Office, day: dt.date, time: str | None, as_json: bool) -> None:
    _print_shifts(svc.who(office, day, time), as_json, "roster.nobody_today")


@roster.command("gaps")
@click.option("--from", "date_from", type=DATE, required=True)
@click.option("--to", "date_to", type=DATE, required=True)
@click.option("--post")
@click.option("--json", "as_json", is_flag=True)
@pass_office
def gaps(office: Office, date_from: dt.date, date_to: dt.date, post: str | None,
         as_json: bool) -> None:
    _print_shifts(svc.gaps(office, date_from, date_to, post=post), as_json, "roster.no_gaps")


@roster.command("show")
@click.option("--week", "span", flag_value="week", default=True)
@click.option("--month", "span", flag_value="month")
@click.option("--date", "day", type=DATE)
@click.option("--post")
@click.option("--json", "as_json", is_flag=True)
@pass_office
def show(office: Office, span: str, day: dt.date | None, post: str | None,
         as_json: bool) -> None:
    # The roster as a grid: a row per post and shift, a column per day.
    day = day or office.today()
    if span == "month":
        start = day.replace(day=1)
        end = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    else:
        start = svc.week_start(day)
        end = start + dt.timedelta(days=6)
    data = svc.grid(office, start, end, post=post)
    if as_json:
        print_json(data)
        return
    columns: list[Column] = [("post", "duty_post"), ("shift", "shift")]
    columns += [(d.isoformat(), "day") for d in data["days"]]
    rows = []
    for p in data["posts"]:
        for r in p["rows"]:
            row: dict[str, Any] = {"post": p["post"]["code"], "shift": r["shift"]}
            for d, c in zip(data["days"], r["cells"], strict=True):
                row[d.isoformat()] = "" if c is None else (c["person"] or "—")
            rows.append(row)
    _grid_table(rows, columns, data["days"])


def _grid_table(rows: list[dict[str, Any]], columns: list[Column],
                days: list[dt.date]) -> None:
    # Day columns are headed by the date itself (field_label would look it up as a field).
    from ledger.i18n import field_label, value_label
    from ledger.workcal import weekday_code

    heads = [field_label(c[1]) for c in columns[:2]] + [
        f"{value_label('weekday', weekday_code(d))} {d.month}/{d.day}" for d in days]
    keys = [c[0] for c in columns]
    body = [[visible(display.text(r.get(k))) for k in keys] for r in rows]
    from commands.output import _pad, width

    sizes = [max([width(h)] + [width(b[i]) for b in body]) for i, h in enumerate(heads)]
    click.echo("  ".join(_pad(h, s) for h, s in zip(heads, sizes, strict=True)).rstrip())
    click.echo("  ".join("-" * s for s in sizes))
    for b in body:
        click.echo("  ".join(_pad(v, s) for v, s in zip(b, sizes, strict=True)).rstrip())


@roster.command("export")
@click.option("--from", "date_from", type=DATE, required=True)
@click.option("--to", "date_to", type=DATE, required=True)
@click.option("--post")
@click.option("--format", "fmt", type=click.Choice(["ics", "xlsx"]), required=True)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@pass_office
def export(office: Office, date_from: dt.date, date_to: dt.date, post: str | None, fmt: str,
           out: Path) -> None:
    make = svc.ics_bytes if fmt == "ics" else svc.xlsx_bytes
    data, count = make(office, date_from, date_to, post=post)
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise click.FileError(str(out), hint=exc.strerror or str(exc)) from None
    info(t("roster.exported", count=count, path=str(out)))
