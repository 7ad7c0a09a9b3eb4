"""``jiedao members add|list|show|edit|end-term|add-post|report``."""

from __future__ import annotations

import datetime as dt
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
from commands.params import DATE, ID
from ledger import members as svc
from ledger.i18n import field_label, t, value_label
from ledger.office import Office

POST = click.Choice(svc.POSTS)
EDUCATION = click.Choice(svc.EDUCATION_LEVELS)
POLITICAL = click.Choice(svc.POLITICAL_STATUSES)
GENDER = click.Choice(svc.GENDERS)

LIST_COLUMNS: list[Column] = [
    ("id", "id"), ("name", "person_name"), ("village", "village"), ("posts", "posts", "post"),
    ("gender", "gender", "gender"), ("age", "age"), ("education", "education", "education"),
    ("political_status", "political_status", "political_status"),
    ("college_graduate_official", "college_graduate_official"), ("phone", "phone"),
    ("id_number", "id_number"),
]
RECORD: list[Column] = [
    ("id", "id"), ("name", "person_name"), ("village", "village"), ("posts", "posts", "post"),
    ("gender", "gender", "gender"), ("birth_date", "birth_date"), ("age", "age"),
    ("id_number", "id_number"), ("phone", "phone"), ("education", "education", "education"),
    ("political_status", "political_status", "political_status"),
    ("college_graduate_official", "college_graduate_official"), ("active", "active"),
    ("notes", "notes"),
]
TERM_COLUMNS: list[Column] = [
    ("post", "post", "post"), ("village", "village"), ("election_date", "election_date"),
    ("started_on", "started_on"), ("ends_on", "ends_on"), ("ended_on", "ended_on"),
    ("end_reason", "end_reason"), ("active", "active"),
]


@click.group(cls=OneLineGroup)
def members() -> None:
    pass


def person_options(f: Any) -> Any:
    """Options shared by ``add`` and ``edit``."""
    for option in reversed([
        click.option("--id-number"),
        click.option("--gender", type=GENDER),
        click.option("--birth-date", type=DATE),
        click.option("--phone"),
        click.option("--education", type=EDUCATION),
        click.option("--political-status", type=POLITICAL),
        click.option("--notes"),
    ]):
        f = option(f)
    return f


@members.command("add")
@click.option("--name", required=True)
@click.option("--village", required=True)
@click.option("--post", type=POST, required=True)
@person_options
@click.option("--official", "college_graduate_official", is_flag=True)
@click.option("--election-date", type=DATE)
@click.option("--started-on", type=DATE)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def add(office: Office, as_json: bool, **options: Any) -> None:
    values = {k: v for k, v in options.items() if v is not None}
    row = svc.add_member(office, **values)
    info(t("members.added", name=row["name"], id=row["id"]))
    _show(row, as_json)


def member_filter(*, village: str | None = None, post: str | None = None,
                  education: str | None = None, active: bool = True, former: bool = False,
                  search: str | None = None) -> svc.MemberFilter:
    """The list's options as its filter (``jiedao export members`` takes the same)."""
    return svc.MemberFilter(village=village, post=post, education=education,
                            active=False if former else (True if active else None),
                            search=search)


@members.command("list", help_params={"page": TABLE_PAGE})
@click.option("--village")
@click.option("--post", type=POST)
@click.option("--education", type=EDUCATION)
@click.option("--active/--all", "active", default=True, show_default=True)
@click.option("--former", is_flag=True)
@click.option("--search")
@click.option("--reveal", is_flag=True)
@list_options
@pass_office
def list_(office: Office, village: str | None, post: str | None, education: str | None,
          active: bool, former: bool, search: str | None, limit: int | None, offset: int,
          reveal: bool, as_json: bool) -> None:
    filters = member_filter(village=village, post=post, education=education, active=active,
                            former=former, search=search)
    print_list(lambda o, n: svc.iter_members(office, filters, offset=o, limit=n, reveal=reveal),
               lambda: svc.count_members(office, filters), LIST_COLUMNS, as_json=as_json,
               offset=offset, limit=limit, revealed=reveal)


@members.command("show")
@click.argument("member_id", type=ID)
@click.option("--reveal", is_flag=True)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def show(office: Office, member_id: int, reveal: bool, as_json: bool) -> None:
    _show(svc.get_member(office, member_id, reveal=reveal), as_json)


@members.command("edit")
@click.argument("member_id", type=ID)
@click.option("--name")
@click.option("--village")
@person_options
@click.option("--official/--not-official", "college_graduate_official", default=None)
@click.option("--version", type=int)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def edit(office: Office, member_id: int, as_json: bool, version: int | None,
         **options: Any) -> None:
    changes = {k: v for k, v in options.items() if v is not None}
    row = svc.edit_member(office, member_id, version=version, **changes)
    info(t("members.updated", name=row["name"], id=row["id"]))
    _show(row, as_json)


@members.command("end-term")
@click.argument("member_id", type=ID)
@click.option("--post", type=POST)
@click.option("--on", "ended_on", type=DATE)
@click.option("--reason", default="")
@click.option("--json", "as_json", is_flag=True)
@pass_office
def end_term(office: Office, member_id: int, post: str | None, ended_on: dt.date | None,
             reason: str, as_json: bool) -> None:
    row = svc.end_term(office, member_id, post=post, ended_on=ended_on, reason=reason)
    info(t("members.ended", name=row["name"]))
    _show(row, as_json)


@members.command("add-post")
@click.argument("member_id", type=ID)
@click.option("--post", type=POST, required=True)
@click.option("--election-date", type=DATE)
@click.option("--started-on", type=DATE)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def add_post(office: Office, member_id: int, post: str, election_date: dt.date | None,
             started_on: dt.date | None, as_json: bool) -> None:
    row = svc.add_post(office, member_id, post=post, election_date=election_date,
                       started_on=started_on)
    info(t("members.post_added", name=row["name"], post=value_label("post", post)))
    _show(row, as_json)


@members.command("report")
@click.option("--village")
@click.option("--on", "as_of", type=DATE)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def report(office: Office, village: str | None, as_of: dt.date | None, as_json: bool) -> None:
    data = svc.report(office, village=village, as_of=as_of)
    if as_json:
        print_json(data)
        return
    whole = data["office"]
    line(t("report.title", as_of=data["as_of"].isoformat()))
    line(t("report.summary", total=whole["total"], party=whole["party_members"],
           age=_one_decimal(whole["average_age"]), both=whole["one_person_both_posts"]))
    line("")
    line(t("report.education"))
    rows: list[dict[str, Any]] = [{"group": g, "count": n}
                                  for g, n in svc.shown_education(whole["education"])]
    rows.append({"group": "bachelor_or_higher_officials",
                 "count": whole["bachelor_or_higher_officials"]})
    for row in rows:
        row["label"] = (value_label("education_group", row["group"])
                        if row["group"] in whole["education"] else field_label(row["group"]))
    print_table(rows, [("label", "education"), ("count", "count")])
    line("")
    line(t("report.posts"))
    print_table([{"post": p, "count": n} for p, n in whole["posts"].items()],
                [("post", "post", "post"), ("count", "count")])
    line("")
    line(t("report.by_village"))
    table = [{**v, **v["education"], "average_age": _one_decimal(v["average_age"])}
             for v in data["villages"]]
    print_table(table, [
        ("code", "code"), ("name", "name"), ("relocation_status", "relocation_status",
                                             "relocation_status"),
        ("total", "total"), ("bachelor_or_higher", "bachelor_or_higher"),
        ("bachelor_or_higher_officials", "bachelor_or_higher_officials"),
        ("associate", "associate"), ("senior_secondary", "senior_secondary"),
        ("junior_secondary", "junior_secondary"), ("party_members", "party_members"),
        ("average_age", "average_age"), ("one_person_both_posts", "one_person_both_posts"),
    ], footer=None)


def _one_decimal(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _show(row: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(row)
        return
    print_record(row, RECORD)
    if row.get("terms"):
        line("")
        print_table(row["terms"], TERM_COLUMNS)
