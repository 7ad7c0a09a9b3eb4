"""``jiedao decisions propose|step|veto|publish|list|show|report``: five-step decisions
(五步决策法) for major village affairs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import click

from commands.context import pass_office
from commands.group import OneLineGroup
from commands.output import (
    Column,
    info,
    line,
    list_options,
    print_json,
    print_list,
    print_record,
    print_table,
)
from commands.params import DATE, YEAR
from ledger import decisions as svc
from ledger.i18n import t, value_label
from ledger.office import Office

# step 4's approval is a step like the others; its veto has a command of its own
STEP_CHOICES = click.Choice(["committees_deliberation", "party_members_review",
                             "subdistrict_review", "villagers_resolution"])

LIST_COLUMNS: list[Column] = [
    ("number", "number"), ("village", "village"), ("subject", "subject"),
    ("kind", "kind", "decision_kind"), ("amount", "amount"), ("proposed_on", "proposed_on"),
    ("progress_label", "progress"), ("state", "decision_state", "decision_state"),
    ("last_on", "last_on"),
]
RECORD: list[Column] = [
    ("number", "number"), ("village", "village"), ("subject", "subject"),
    ("kind", "kind", "decision_kind"), ("amount", "amount"), ("proposal", "proposal"),
    ("attachments", "attachments"), ("state", "decision_state", "decision_state"),
    ("progress_label", "progress"), ("proposed_on", "proposed_on"), ("last_on", "last_on"),
    ("veto_reason", "veto_reason"), ("version", "version"),
    ("allowed_actions", "next_steps", "decision_action"),
]
STAGES: list[Column] = [
    ("stage", "step", "decision_step"), ("status", "stage_status", "decision_stage_status"),
    ("on", "on"), ("summary", "meeting_record"),
]
STEPS: list[Column] = [
    ("on", "on"), ("step", "step", "decision_step"), ("outcome", "stage_status",
                                                     "decision_outcome"),
    ("summary", "meeting_record"), ("note", "note"), ("recorder", "recorder"),
]
REPORT: list[Column] = [
    ("village", "village"), ("proposed", "proposed"), ("vetoed", "vetoed"),
    ("resolved", "resolved"), ("resolution_published", "resolution_published"),
    ("results_published", "results_published"),
]


def meeting_options(f: Any) -> Any:
    for option in reversed((
        click.option("--present", type=int),
        click.option("--entitled", type=int),
        click.option("--for", "votes_for", type=int),
        click.option("--against", "votes_against", type=int),
        click.option("--abstain", "votes_abstain", type=int),
    )):
        f = option(f)
    return f


def _people(row: Mapping[str, Any]) -> dict[str, Any]:
    return {**row, "progress_label": t("decision.progress", done=row["progress"], total=7)}


def _changed(row: dict[str, Any], action: str, as_json: bool) -> None:
    if as_json:
        print_json(row)
        return
    line(row["number"])
    info(t("decision.changed", number=row["number"],
           step=value_label("decision_action", action),
           state=value_label("decision_state", row["state"])))


@click.group(cls=OneLineGroup)
def decisions() -> None:
    pass


@decisions.command("propose")
@click.option("--village", required=True)
@click.option("--subject", required=True)
@click.option("--proposal", required=True)
@click.option("--kind", type=click.Choice(svc.KINDS), default="other", show_default=True)
@click.option("--amount")
@click.option("--attachment", "attachments", multiple=True)
@click.option("--on", type=DATE)
@meeting_options
@click.option("--note", default="")
@click.option("--json", "as_json", is_flag=True)
@pass_office
def propose(office: Office, attachments: tuple[str, ...], on: Any, as_json: bool,
            **options: Any) -> None:
    row = svc.propose(office, attachments=list(attachments), on=on,
                      **options)
    _changed(row, "branch_proposal", as_json)


@decisions.command("step")
@click.argument("ref")
@click.argument("step", type=STEP_CHOICES)
@click.option("--on", type=DATE)
@meeting_options
@click.option("--meeting", type=click.Choice(svc.MEETINGS))
@click.option("--note", default="")
@click.option("--version", type=int)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def step(office: Office, ref: str, step: str, on: Any, as_json: bool, **options: Any) -> None:
    row = svc.take_step(office, ref, step, on=on, **options)
    _changed(row, step, as_json)


@decisions.command("veto")
@click.argument("ref")
@click.option("--reason", required=True)
@click.option("--on", type=DATE)
@click.option("--note", default="")
@click.option("--version", type=int)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def veto(office: Office, ref: str, on: Any, as_json: bool, **options: Any) -> None:
    row = svc.veto(office, ref, on=on, **options)
    _changed(row, "veto", as_json)


@decisions.command("publish")
@click.argument("ref")
@click.argument("what", type=click.Choice(list(svc.PUBLISH)))
@click.option("--place", required=True)
@click.option("--on", type=DATE)
@click.option("--note", default="")
@click.option("--version", type=int)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def publish(office: Office, ref: str, what: str, on: Any, as_json: bool,
            **options: Any) -> None:
    row = svc.publish(office, ref, what, on=on, **options)
    _changed(row, svc.PUBLISH[what], as_json)


@decisions.command("list")
@click.option("--village")
@click.option("--state", type=click.Choice([*svc.STATES, svc.WAITING]))
@click.option("--kind", type=click.Choice(svc.KINDS))
@click.option("--vetoed", is_flag=True)
@click.option("--waiting", is_flag=True)
@click.option("--year", type=YEAR)
@click.option("--search")
@list_options
@pass_office
def list_(office: Office, limit: int | None, offset: int, as_json: bool,
          **filters: Any) -> None:
    f = svc.DecisionFilter(**filters)
    print_list(lambda o, n: svc.iter_decisions(office, f, offset=o, limit=n),
               lambda: svc.count_decisions(office, f), LIST_COLUMNS, as_json=as_json,
               offset=offset, limit=limit, for_people=_people)


@decisions.command("show")
@click.argument("ref")
@click.option("--json", "as_json", is_flag=True)
@pass_office
def show(office: Office, ref: str, as_json: bool) -> None:
    row = svc.get_decision(office, ref)
    if as_json:
        print_json(row)
        return
    print_record(_people(row), RECORD)
    line("")
    print_table(row["stages"], STAGES)
    line("")
    print_table([{**s, "summary": svc.step_summary(s)} for s in row["steps"]], STEPS)


@decisions.command("report")
@click.option("--year", type=YEAR, required=True)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def report(office: Office, year: int, as_json: bool) -> None:
    data = svc.report(office, year=year)
    if as_json:
        print_json(data)
        return
    print_table(data["villages"], REPORT)
