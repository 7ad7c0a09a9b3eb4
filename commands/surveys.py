"""``jiedao surveys add|list|show|report``: residents' satisfaction surveys (群众满意度测评)."""

from __future__ import annotations

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
from ledger import surveys as svc
from ledger.display import PERCENT
from ledger.i18n import t
from ledger.office import Office

COLUMNS: list[Column] = [
    ("id", "id"), ("village", "village"), ("surveyed_on", "surveyed_on"),
    ("satisfied", "satisfied"), ("basically_satisfied", "basically_satisfied"),
    ("dissatisfied", "dissatisfied"), ("satisfied_share", "satisfied_pct", PERCENT),
    ("comments", "comments"),
]
RECORD: list[Column] = [
    ("id", "id"), ("village", "village"), ("surveyed_on", "surveyed_on"),
    ("respondents", "respondents"), ("satisfied", "satisfied"),
    ("basically_satisfied", "basically_satisfied"), ("dissatisfied", "dissatisfied"),
    ("satisfied_share", "satisfied_pct", PERCENT),
    ("basically_satisfied_share", "basically_satisfied_pct", PERCENT),
    ("dissatisfied_share", "dissatisfied_pct", PERCENT), ("comments", "comments"),
    ("version", "version"),
]
REPORT: list[Column] = [
    ("village", "village"), ("surveys", "surveys"), ("respondents", "respondents"),
    ("satisfied_share", "satisfied_pct", PERCENT),
    ("basically_satisfied_share", "basically_satisfied_pct", PERCENT),
    ("dissatisfied_share", "dissatisfied_pct", PERCENT), ("score", "satisfaction_score", PERCENT),
]


@click.group(cls=OneLineGroup)
def surveys() -> None:
    pass


@surveys.command("add")
@click.option("--village", required=True)
@click.option("--on", "surveyed_on", type=DATE, required=True)
@click.option("--satisfied", type=int, default=0)
@click.option("--basically", "basically_satisfied", type=int, default=0)
@click.option("--dissatisfied", type=int, default=0)
@click.option("--comments", default="")
@click.option("--json", "as_json", is_flag=True)
@pass_office
def add(office: Office, as_json: bool, **fields: Any) -> None:
    row = svc.add_survey(office, **fields)
    if as_json:
        print_json(row)
        return
    line(str(row["id"]))
    info(t("survey.added", village=row["village"], on=row["surveyed_on"].isoformat(),
           respondents=row["respondents"]))


@surveys.command("list")
@click.option("--village")
@click.option("--year", type=YEAR)
@list_options
@pass_office
def list_(office: Office, limit: int | None, offset: int, as_json: bool,
          **filters: Any) -> None:
    f = svc.SurveyFilter(**filters)
    print_list(lambda o, n: svc.iter_surveys(office, f, offset=o, limit=n),
               lambda: svc.count_surveys(office, f), COLUMNS, as_json=as_json,
               offset=offset, limit=limit)


@surveys.command("show")
@click.argument("ref")
@click.option("--json", "as_json", is_flag=True)
@pass_office
def show(office: Office, ref: str, as_json: bool) -> None:
    row = svc.get_survey(office, ref)
    if as_json:
        print_json(row)
        return
    print_record(row, RECORD)


@surveys.command("report")
@click.option("--year", type=YEAR, required=True)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def report(office: Office, year: int, as_json: bool) -> None:
    data = svc.report(office, year=year)
    if as_json:
        print_json(data)
        return
    print_table(data["villages"], REPORT)
