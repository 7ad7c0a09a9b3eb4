"""``jiedao tickets open|edit|list|show|assign|advance|return|resume|withdraw|reopen|rate|materials|
report``: proxy tickets (代办件)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import click

from commands.context import pass_office
from commands.group import OneLineGroup
from commands.output import (
    TABLE_PAGE,
    Column,
    info,
    line,
    list_options,
    print_json,
    print_list,
    print_record,
    print_table,
)
from commands.params import DATE, DATETIME, BoundedInt
from commands.steps import step_command
from ledger import display
from ledger import tickets as svc
from ledger.display import PERCENT
from ledger.i18n import field_label, t, value_label
from ledger.office import Office

STATE = click.Choice([*svc.STATES, svc.OPEN])
SATISFACTION = click.Choice(svc.SATISFACTION)

LIST_COLUMNS: list[Column] = [
    ("number", "number"), ("item", "item"), ("applicant_name", "applicant_name"),
    ("village", "village"), ("agent", "agent"), ("received_on", "received_on"),
    ("state", "state", "ticket_state"), ("due", "due_date"),
    ("deadline_state", "deadline_state", "deadline_state"),
]
RECORD: list[Column] = [
    ("number", "number"), ("item", "item"), ("track", "track", "item_track"),
    ("level", "level", "item_level"), ("applicant_name", "applicant_name"),
    ("applicant_phone", "applicant_phone"), ("applicant_id_number", "applicant_id_number"),
    ("village", "village"), ("enterprise", "enterprise"), ("project", "project"),
    ("agent", "agent"), ("received_at", "received_at"), ("state", "state", "ticket_state"),
    ("time_limit_days", "time_limit_days"), ("due", "due_date"),
    ("deadline_state", "deadline_state", "deadline_state"), ("returned_on", "returned_on"),
    ("returned_days", "returned_days"), ("done_on", "done_on"),
    ("working_days_taken", "working_days_taken"), ("on_time", "on_time"),
    ("satisfaction", "satisfaction", "satisfaction"),
    ("satisfaction_comment", "satisfaction_comment"), ("notes", "notes"),
    ("allowed_actions", "allowed_actions", "ticket_action"),
]
HISTORY: list[Column] = [
    ("at", "at"), ("operator", "operator"), ("action", "action", "ticket_action"),
    ("from_state", "from_state", "ticket_state"), ("to_state", "to_state", "ticket_state"),
    ("due_date", "due_date"), ("note", "note"),
]
REPORT: list[Column] = [
    ("label", "name"), ("count", "ticket_count"), ("done", "done"), ("open", "open"),
    ("withdrawn", "withdrawn"), ("on_time_rate", "on_time_rate", PERCENT),
    ("median_working_days", "median_working_days"),
    ("satisfied_share", "satisfied_share", PERCENT),
    ("basically_satisfied_share", "basically_satisfied_share", PERCENT),
    ("dissatisfied_share", "dissatisfied_share", PERCENT), ("overdue", "overdue_now"),
]


@click.group(cls=OneLineGroup)
def tickets() -> None:
    pass


def _for_people(row: Mapping[str, Any]) -> dict[str, Any]:
    return {**row, "due": svc.due_label(row)}


def _changed(office: Office, row: dict[str, Any], action: str, as_json: bool) -> None:
    if as_json:
        print_json(row)
        return
    info(t("ticket.changed", number=row["number"], action=value_label("ticket_action", action),
           state=value_label("ticket_state", row["state"])))
    _warn_materials(row)


def _warn_materials(row: dict[str, Any]) -> None:
    missing = svc.materials_warning(row)
    if missing:
        info(t("ticket.materials_missing", missing=display.join(missing)))


# --- open, show, list ---------------------------------------------------------------------

@tickets.command("open")
@click.option("--item", required=True)
@click.option("--name", "applicant_name", default="")
@click.option("--phone", "applicant_phone", default="")
@click.option("--id-number", "applicant_id_number")
@click.option("--village")
@click.option("--enterprise", default="")
@click.option("--project", default="")
@click.option("--agent", default="")
@click.option("--received", "received_at", type=DATETIME)
@click.option("--materials")
@click.option("--notes", default="")
@click.option("--json", "as_json", is_flag=True)
@pass_office
def open_(office: Office, materials: str | None, as_json: bool, **options: Any) -> None:
    row = svc.open_ticket(office, materials=materials, **options)
    if as_json:
        print_json(row)
        return
    line(row["number"])
    info(t("ticket.opened", number=row["number"], item=row["item"], due=svc.due_label(row)))
    if row["due_provisional"]:
        info(t("ticket.provisional"))
    _warn_materials(row)


@tickets.command("edit")
@click.argument("ref")
@click.option("--name", "applicant_name")
@click.option("--phone", "applicant_phone")
@click.option("--id-number", "applicant_id_number")
@click.option("--village")
@click.option("--enterprise")
@click.option("--project")
@click.option("--notes")
@click.option("--version", type=BoundedInt(1, 2**31 - 1))
@click.option("--json", "as_json", is_flag=True)
@pass_office
def edit(office: Office, ref: str, version: int | None, as_json: bool,
         **changes: str | None) -> None:
    given = {k: v for k, v in changes.items() if v is not None}
    if not given:
        raise click.UsageError(t("ticket.edit_nothing"))
    row = svc.edit_ticket(office, ref, version=version, **given)
    if as_json:
        print_json(row)
        return
    print_record(_for_people(row), RECORD)


@tickets.command("show")
@click.argument("ref")
@click.option("--reveal", is_flag=True)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def show(office: Office, ref: str, reveal: bool, as_json: bool) -> None:
    row = svc.get_ticket(office, ref, reveal=reveal)
    if as_json:
        print_json(row)
        return
    print_record(_for_people(row), RECORD)
    line("")
    line(field_label("materials"))
    for m in row["materials"]:
        line(f"  [{'x' if m['checked'] else ' '}] {m['name']}")
    line("")
    line(field_label("history"))
    print_table(row["history"], HISTORY)


@tickets.command("list", help_params={"page": TABLE_PAGE})
@click.option("--state", type=STATE)
# The former name of --state, kept for scripts written before the rename.
@click.option("--status", "state", type=STATE, hidden=True)
@click.option("--village")
@click.option("--agent")
@click.option("--item")
@click.option("--overdue", is_flag=True)
@click.option("--due-soon", is_flag=True)
@click.option("--from", "received_from", type=DATE)
@click.option("--to", "received_to", type=DATE)
@click.option("--search")
@click.option("--reveal", is_flag=True)
@list_options
@pass_office
def list_(office: Office, limit: int | None, offset: int, reveal: bool, as_json: bool,
          **filters: Any) -> None:
    f = svc.TicketFilter(**filters)
    columns = LIST_COLUMNS + ([("applicant_phone", "applicant_phone")] if reveal else [])
    print_list(lambda o, n: svc.iter_tickets(office, f, offset=o, limit=n, reveal=reveal),
               lambda: svc.count_tickets(office, f), columns, as_json=as_json,
               offset=offset, limit=limit, for_people=_for_people, revealed=reveal)


# --- changes ------------------------------------------------------------------------------

_REF = click.argument("ref")
_NOTE = click.option("--note", default="")
_STEP_OPTIONS = [  # after a step's own parameters, as the last two of its help
    click.option("--at", type=DATETIME),
    click.option("--json", "as_json", is_flag=True),
]


def _step(name: str, call: Any, *params: Any) -> None:
    """``jiedao tickets NAME REF [params…] [--at WHEN] [--json]``; prints what changed."""

    def finish(office: Office, row: dict[str, Any], as_json: bool) -> None:
        _changed(office, row, name, as_json)

    step_command(tickets, name, call, [_REF, *params, *_STEP_OPTIONS], finish)


_step("assign", svc.assign, click.argument("agent"), _NOTE)
_step("advance", svc.advance, _NOTE, click.option("--materials"))
_step("return", svc.return_ticket, click.option("--note", required=True))
_step("resume", svc.resume, _NOTE, click.option("--materials"))
_step("withdraw", svc.withdraw, click.option("--note", default=""))
_step("reopen", svc.reopen, click.option("--note", required=True))
_step("rate", svc.rate, click.argument("satisfaction", type=SATISFACTION),
      click.option("--comment", default=""))


@tickets.command("materials")
@click.argument("ref")
@click.argument("names", nargs=-1, required=True)
@click.option("--uncheck", is_flag=True)
@click.option("--note", default="")
@_STEP_OPTIONS[0]
@_STEP_OPTIONS[1]
@click.option("--version", type=int)
@pass_office
def materials(office: Office, ref: str, names: tuple[str, ...], uncheck: bool, note: str,
              at: Any, as_json: bool, version: int | None) -> None:
    _changed(office, svc.check_materials(office, ref, list(names), checked=not uncheck,
                                         note=note, at=at, version=version),
             "materials", as_json)


# --- report -------------------------------------------------------------------------------

@tickets.command("report")
@click.option("--year", type=int)
@click.option("--month", type=BoundedInt(1, 12))
@click.option("--all-time", is_flag=True)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def report(office: Office, year: int | None, month: int | None, all_time: bool,
           as_json: bool) -> None:
    data = svc.report(office, year=year, month=month, all_time=all_time)
    if as_json:
        print_json(data)
        return
    used = data["period"]
    period = (t("ticket.all_time") if used["all_time"] else
              f"{used['year']}-{used['month']:02d}" if used["month"] else str(used["year"]))
    line(t("ticket.report_title", period=period, as_of=data["as_of"]))
    print_table([_report_row(data["totals"], t("word.total"))], REPORT)
    for dim, title in (("item", "ticket.by_item"), ("agent", "ticket.by_agent"),
                       ("village", "ticket.by_village")):
        line("")
        line(t(title))
        rows = []
        for r in data[f"by_{dim}"]:
            label = f"{r['code']} {r['name']}".strip()
            if not label:
                label = t("ticket.unassigned" if dim == "agent" else "ticket.no_village")
            rows.append(_report_row(r, label))
        print_table(rows, REPORT)


def _report_row(row: dict[str, Any], label: str) -> dict[str, Any]:
    return {**row, "label": label}
