"""``jiedao petitions register|list|show|accept|decline|assign|extend|reply|request-review|
review|request-rereview|rereview|close|chain|report``.

Petitioners are given on the command line as ``--petitioner`` values, one per person, so a
script can register a petition in one call (see ``jiedao petitions register --help``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import click

from commands.context import pass_office
from commands.group import OneLineGroup
from commands.output import (
    TABLE_PAGE,
    Column,
    emit,
    info,
    line,
    list_options,
    print_json,
    print_list,
    print_record,
    print_table,
)
from commands.params import DATE, DAYS
from commands.steps import step_command
from ledger import display
from ledger import petitions as svc
from ledger.errors import ValidationError
from ledger.i18n import t, value_label
from ledger.office import Office

CHANNEL = click.Choice(svc.CHANNELS)
STATE = click.Choice((*svc.STATES, "open"))

LIST_COLUMNS: list[Column] = [
    ("number", "petition_number"), ("received_on", "petition_received_on"),
    ("channel", "petition_channel", "petition_channel"),
    ("category", "petition_category", "petition_category"), ("village", "petition_village"),
    ("petitioner", "petitioner_name"), ("petitioner_phone", "petitioner_phone"),
    ("state", "petition_state", "petition_state"), ("handler", "petition_handler"),
    ("next_due", "petition_next_due"),
    ("next_due_kind", "petition_next_due_kind", "petition_deadline"),
    ("days_left", "petition_days_left"),
    ("deadline_state", "petition_deadline_state", "petition_deadline_state"),
    ("repeat_of", "petition_repeat_of"),
]
RECORD: list[Column] = [
    ("number", "petition_number"), ("state", "petition_state", "petition_state"),
    ("channel", "petition_channel", "petition_channel"),
    ("received_on", "petition_received_on"),
    ("category", "petition_category", "petition_category"), ("village", "petition_village"),
    ("collective", "petition_collective"), ("group_size", "petition_group_size"),
    ("summary", "petition_summary"), ("demands", "petition_demands"),
    ("registered_by", "petition_registered_by"), ("handler", "petition_handler"),
    ("handler_unit", "petition_handler_unit"), ("attachments", "petition_attachments"),
    ("decline_reason", "petition_reason"), ("forwarded_to", "petition_forwarded_to"),
    ("extension_days", "petition_extension_days"),
    ("extension_approved_by", "petition_approved_by"),
    ("reply_gist", "petition_gist"), ("repeat_of", "petition_repeat_of"),
    ("final", "petition_final"), ("next_due", "petition_next_due"),
    ("days_left", "petition_days_left"),
    ("deadline_state", "petition_deadline_state", "petition_deadline_state"),
]
PEOPLE_COLUMNS: list[Column] = [
    ("name", "petitioner_name"), ("phone", "petitioner_phone"),
    ("id_number", "petitioner_id_number"), ("village", "petitioner_village"),
    ("address", "petitioner_address"), ("representative", "petition_representatives"),
]
DEADLINE_COLUMNS: list[Column] = [
    ("kind", "petition_next_due_kind", "petition_deadline"),
    ("party", "petition_party", "petition_party"), ("due", "petition_due"),
    ("provisional", "petition_provisional"), ("met_on", "petition_met_on"),
    ("state", "petition_deadline_state", "petition_deadline_state"),
    ("days_left", "petition_days_left"),
]
EVENT_COLUMNS: list[Column] = [
    ("on", "petition_on"), ("action", "petition_event_action", "petition_action"),
    ("to_state", "petition_state", "petition_state"), ("operator", "operator"),
    ("note", "note"),
]
CHAIN_COLUMNS: list[Column] = [
    ("number", "petition_number"), ("received_on", "petition_received_on"),
    ("category", "petition_category", "petition_category"), ("village", "petition_village"),
    ("state", "petition_state", "petition_state"), ("final", "petition_final"),
]


class PetitionerSpec(click.ParamType):
    name = "petitioner"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> dict[str, str]:
        if isinstance(value, dict):
            return value
        try:
            return svc.parse_petitioner(str(value))
        except ValidationError as exc:  # a malformed spec is bad usage: exit 2
            self.fail(exc.detail(), param, ctx)


@click.group(cls=OneLineGroup)
def petitions() -> None:
    pass


def _summary_line(row: dict[str, Any]) -> str:
    line = t("petition.done", number=row["number"],
             state=value_label("petition_state", row["state"]))
    if row.get("next_due"):
        kind = value_label("petition_deadline", row["next_due_kind"])
        state = value_label("petition_deadline_state", row["deadline_state"])
        line += f"  {kind} → {svc.next_due_label(row)} ({state})"
    return line


def _print_petition(row: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(row)
        return
    # Steps not taken yet leave empty fields: show only what is on record.
    shown = {**row, "next_due": svc.next_due_label(row) or None}
    print_record(shown, [c for c in RECORD if shown.get(c[0]) not in (None, "", [], 0)
                         or c[0] in ("state", "group_size", "collective", "final")])
    for title, key, columns in (
            ("petition.section.petitioners", "petitioners", PEOPLE_COLUMNS),
            ("petition.section.deadlines", "deadlines", DEADLINE_COLUMNS),
            ("petition.section.timeline", "events", EVENT_COLUMNS),
            ("petition.section.chain", "chain", CHAIN_COLUMNS)):
        if key == "chain" and len(row[key]) < 2:
            continue
        line("")
        line(t(title))
        print_table(row[key], columns)
    if row["allowed_actions"]:
        line("")
        line(t("petition.actions",
               actions=display.labels("petition_action", row["allowed_actions"])))


@petitions.command("register")
@click.option("--channel", type=CHANNEL, required=True)
@click.option("--category", required=True)
@click.option("--summary", required=True)
@click.option("--petitioner", "petitioners", type=PetitionerSpec(), multiple=True,
              required=True, metavar="SPEC")
@click.option("--received", "received_on", type=DATE)
@click.option("--village")
@click.option("--demands", default="")
@click.option("--collective", is_flag=True)
@click.option("--people", "group_size", type=int)
@click.option("--handler", default="")
@click.option("--unit", "handler_unit", default="")
@click.option("--attachment", "attachments", multiple=True)
@click.option("--repeat-of")
@click.option("--note", default="")
@click.option("--json", "as_json", is_flag=True)
@pass_office
def register(office: Office, as_json: bool, **options: Any) -> None:
    options["petitioners"] = list(options["petitioners"])
    row = svc.register(office, **options)
    info(t("petition.registered", number=row["number"]))
    if row["repeat_of"]:
        info(t("petition.repeat_flag", number=row["repeat_of"]))
    if as_json:
        print_json(row)
    else:
        line(_summary_line(row))


@petitions.command("list", help_params={"page": TABLE_PAGE})
@click.option("--state", type=STATE)
@click.option("--village")
@click.option("--category")
@click.option("--channel", type=CHANNEL)
@click.option("--handler")
@click.option("--overdue", is_flag=True)
@click.option("--due-within", "due_within_days", type=DAYS, metavar="N")
@click.option("--repeat/--no-repeat", default=None)
@click.option("--from", "received_from", type=DATE)
@click.option("--to", "received_to", type=DATE)
@click.option("--search")
@click.option("--reveal", is_flag=True)
@list_options
@pass_office
def list_(office: Office, limit: int | None, offset: int, reveal: bool, as_json: bool,
          **filters: Any) -> None:
    f = svc.PetitionFilter(**filters)
    print_list(lambda o, n: svc.iter_petitions(office, f, offset=o, limit=n, reveal=reveal),
               lambda: svc.count_petitions(office, f), LIST_COLUMNS, as_json=as_json,
               offset=offset, limit=limit,
               for_people=lambda r: {**r, "next_due": svc.next_due_label(r)}, revealed=reveal)


def _ref(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.argument("ref", metavar="NUMBER")(f)


@petitions.command("show")
@_ref
@click.option("--reveal", is_flag=True)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def show(office: Office, ref: str, reveal: bool, as_json: bool) -> None:
    _print_petition(svc.get_petition(office, ref, reveal=reveal), as_json)


def _finish(office: Office, row: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(row)
    else:
        line(_summary_line(row))


def _step_command(name: str, action: str, extra: list[Callable[[Any], Any]]) -> None:
    """Define ``jiedao petitions NAME NUMBER [--on DATE] [--note …] [options] [--json]``."""
    step_command(petitions, name, getattr(svc, action), [
        _ref,
        click.option("--on", type=DATE),
        click.option("--note", default=""),
        *extra,
        click.option("--json", "as_json", is_flag=True),
    ], _finish)


_step_command("accept", "accept", [])
_step_command("decline", "decline", [
    click.option("--reason", required=True),
    click.option("--forwarded-to", default=""),
])
_step_command("assign", "assign", [
    click.option("--handler", required=True),
    click.option("--unit", default=""),
])
_step_command("extend", "extend", [
    click.option("--days", type=int, required=True),
    click.option("--reason", required=True),
    click.option("--approved-by", required=True),
])
_step_command("reply", "reply", [
    click.option("--gist", required=True),
])
_step_command("request-review", "request_review", [])
_step_command("review", "review", [
    click.option("--gist", required=True),
])
_step_command("request-rereview", "request_rereview", [])
_step_command("rereview", "rereview", [
    click.option("--gist", required=True),
])
_step_command("close", "close", [])


@petitions.command("recompute-deadlines")
@pass_office
def recompute_deadlines(office: Office) -> None:
    info(t("petition.recomputed", count=svc.recompute_deadlines(office)))


@petitions.command("chain")
@_ref
@click.option("--json", "as_json", is_flag=True)
@pass_office
def chain(office: Office, ref: str, as_json: bool) -> None:
    emit(svc.chain(office, ref), CHAIN_COLUMNS, as_json)


def _percent(value: float | None) -> str:
    return display.percent(value, 0) or "—"


@petitions.command("report")
@click.option("--from", "date_from", type=DATE)
@click.option("--to", "date_to", type=DATE)
@click.option("--village")
@click.option("--json", "as_json", is_flag=True)
@pass_office
def report(office: Office, date_from: dt.date | None, date_to: dt.date | None,
           village: str | None, as_json: bool) -> None:
    out = svc.report(office, date_from=date_from, date_to=date_to, village=village)
    if as_json:
        print_json(out)
        return
    line(t("petition.report.title", date_from=out["date_from"], date_to=out["date_to"],
           total=out["total"], repeats=out["repeats"],
           share=_percent(out["repeat_share"])))
    for title, key, kind in (("petition.report.by_village", "by_village", None),
                             ("petition.report.by_category", "by_category", "petition_category"),
                             ("petition.report.by_channel", "by_channel", "petition_channel")):
        line("")
        line(t(title))
        columns: list[Column] = [("code", "petition_code", kind) if kind
                                 else ("code", "petition_code"), ("count", "petition_count")]
        print_table(out[key], columns)
    line("")
    line(t("petition.report.on_time"))
    rates = [dict(r, rate=_percent(r["rate"])) for r in out["on_time"]]
    print_table(rates, [("kind", "petition_next_due_kind", "petition_deadline"),
                        ("met", "petition_met"), ("late", "petition_late"),
                        ("overdue", "petition_overdue"), ("pending", "petition_pending"),
                        ("rate", "petition_rate")])
    line("")
    line(t("petition.report.monthly"))
    # One column per village, so a village's months read down the page.
    names = [r["village"] for r in sorted(out["trend"], key=lambda r: r["village"])]
    monthly = [{**dict.fromkeys(names, 0), **m["by_village"], "month": m["month"],
                "total": m["total"]}
               for m in out["monthly"]]
    print_table(monthly, [("month", "petition_month"), ("total", "petition_count"),
                          *[(n, n) for n in names]])
    line("")
    halves = out["halves"]
    line(t("petition.report.trend", first="–".join(halves["first"]) or "—",
           second="–".join(halves["second"]) or "—"))
    trend = [dict(r, change_pct=_percent(r["change_pct"]),
                  falling_sharply="▼" if r["falling_sharply"] else "")
             for r in out["trend"]]
    print_table(trend, [("village", "petition_village"), ("first_half", "petition_first_half"),
                        ("second_half", "petition_second_half"),
                        ("change_pct", "petition_change_pct"),
                        ("falling_sharply", "petition_trend")])


