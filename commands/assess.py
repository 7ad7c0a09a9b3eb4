"""``jiedao assess scheme|show|goal|bands|score|report``: the annual assessment (考核) of
each village's two committees."""

from __future__ import annotations

from typing import Any

import click

from commands.context import pass_office
from commands.group import OneLineGroup
from commands.output import Column, cell, info, line, print_json, print_table
from commands.params import YEAR
from ledger import assessment as svc
from ledger.i18n import field_label, t, value_label
from ledger.office import Office

GOALS: list[Column] = [
    ("code", "code"), ("name", "name"), ("scope", "scope", "assess_scope"),
    ("max", "max_points"), ("method", "method", "assess_method"), ("villages", "villages"),
]
BANDS: list[Column] = [
    ("min", "min_points"), ("grade", "grade", "assess_grade"), ("consequence", "consequence"),
]


@click.group(cls=OneLineGroup)
def assess() -> None:
    pass


def _show_scheme(data: dict[str, Any]) -> None:
    print_table([{**g, "max": svc.show_number(g["max_points"])} for g in data["goals"]], GOALS)
    line("")
    print_table(data["bands"], BANDS)


@assess.command("scheme")
@click.option("--year", type=YEAR, required=True)
@click.option("--notes", default="")
@click.option("--json", "as_json", is_flag=True)
@pass_office
def scheme(office: Office, year: int, notes: str, as_json: bool) -> None:
    data = svc.create_scheme(office, year, notes=notes)
    if as_json:
        print_json(data)
        return
    _show_scheme(data)
    info(t("assess.scheme_created", year=year, goals=len(data["goals"])))


@assess.command("show")
@click.option("--year", type=YEAR, required=True)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def show(office: Office, year: int, as_json: bool) -> None:
    data = svc.get_scheme(office, year)
    if as_json:
        print_json(data)
        return
    _show_scheme(data)


def _params(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise click.BadParameter(t("assess.param_form", value=pair), param_hint="--param")
        out[key.strip()] = value.strip()
    return out


@assess.command("goal")
@click.option("--year", type=YEAR, required=True)
@click.option("--code", required=True)
@click.option("--name", required=True)
@click.option("--points", "max_points", required=True)
@click.option("--method", type=click.Choice(svc.METHODS), default="hand", show_default=True)
@click.option("--scope", type=click.Choice(svc.SCOPES), default="common", show_default=True)
@click.option("--village", "villages", multiple=True)
@click.option("--param", "params", multiple=True)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def goal(office: Office, year: int, villages: tuple[str, ...], params: tuple[str, ...],
         as_json: bool, **fields: Any) -> None:
    data = svc.add_goal(office, year, villages=list(villages), params=_params(params), **fields)
    if as_json:
        print_json(data)
        return
    _show_scheme(data)


@assess.command("bands")
@click.option("--year", type=YEAR, required=True)
@click.option("--band", "bands", multiple=True, required=True)
@click.option("--version", type=int)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def bands(office: Office, year: int, bands: tuple[str, ...], version: int | None,
          as_json: bool) -> None:
    data = svc.set_bands(office, year, list(bands), version=version)
    if as_json:
        print_json(data)
        return
    print_table(data["bands"], BANDS)


@assess.command("score")
@click.option("--year", type=YEAR, required=True)
@click.option("--village", required=True)
@click.option("--goal", required=True)
@click.option("--points", required=True)
@click.option("--note", required=True)
@click.option("--version", type=int)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def score(office: Office, as_json: bool, **fields: Any) -> None:
    data = svc.score(office, **fields)
    if as_json:
        print_json(data)
        return
    info(t("assess.scored", village=data["village"], goal=data["goal"],
           points=data["points"], max=svc.show_number(data["max_points"])))


@assess.command("report")
@click.option("--year", type=YEAR, required=True)
@click.option("--xlsx", "xlsx", type=click.Path(dir_okay=False, writable=True))
@click.option("--json", "as_json", is_flag=True)
@pass_office
def report(office: Office, year: int, xlsx: str | None, as_json: bool) -> None:
    data = svc.report(office, year=year)
    if xlsx:
        from ledger.assessment.export import write_xlsx

        write_xlsx(data, xlsx)
        info(t("assess.exported", path=xlsx))
    if as_json:
        print_json(data)
        return
    goals = data["scheme"]["goals"]
    columns: list[Column] = [("rank", "rank"), ("village", "village"),
                             *((f"g_{g['code']}", f"G{i}") for i, g in enumerate(goals, 1)),
                             ("total", "total_points"), ("grade", "grade", "assess_grade"),
                             ("consequence", "consequence")]
    rows = []
    for row in data["villages"]:
        out = {"rank": row["rank"], "village": row["village"],
               "total": svc.show_number(row["total"]), "grade": row["grade"],
               "consequence": row["consequence"]}
        for goal in row["goals"]:
            out[f"g_{goal['code']}"] = (svc.show_number(goal["points"]) if goal["applies"]
                                        else "-")
        rows.append(out)
    line(t("assess.report_title", year=data["year"]))
    for i, g in enumerate(goals, 1):
        line(f"  G{i} {cell(g['code'])}: {cell(g['name'])} "
             f"({svc.show_number(g['max_points'])}, "
             f"{value_label('assess_method', g['method'])})")
    line("")
    print_table(rows, columns)
    line("")
    line(t("assess.derivations"))
    for row in data["villages"]:
        for goal in row["goals"]:
            if goal["inputs"] is None:
                continue
            facts = ", ".join(f"{field_label(k)} {v}" for k, v in goal["inputs"].items())
            line(f"  {cell(row['village'])} {cell(goal['code'])}: {facts}; "
                 f"{goal['formula']}")
    if data["missing_hand_scores"]:
        info(t("assess.missing", count=len(data["missing_hand_scores"])))
