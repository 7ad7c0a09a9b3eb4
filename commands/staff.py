"""``jiedao staff add|list|show|edit|retire|unmatched``."""

from __future__ import annotations

from typing import Any

import click

from commands.context import pass_office
from commands.group import OneLineGroup
from commands.output import (
    TABLE_PAGE,
    Column,
    emit,
    info,
    list_options,
    print_json,
    print_list,
    print_record,
)
from ledger import staff as svc
from ledger.i18n import t
from ledger.office import Office

COLUMNS: list[Column] = [
    ("id", "id"), ("name", "staff_name"), ("post", "post"), ("email", "email"),
    ("language", "language"), ("channels", "channels"), ("role", "role"), ("active", "active"),
]
RECORD: list[Column] = [
    *COLUMNS, ("login", "login"), ("phone", "phone"), ("webhook_url", "webhook_url"),
    ("webhook_kind", "webhook_kind"), ("notes", "notes"), ("version", "version"),
]
UNMATCHED: list[Column] = [("name", "staff_name"), ("tickets", "open_tickets"),
                           ("petitions", "open_petitions"), ("total", "items_total")]


@click.group(cls=OneLineGroup)
def staff() -> None:
    pass


def _fields(f: Any) -> Any:
    f = click.option("--post")(f)
    f = click.option("--phone")(f)
    f = click.option("--email")(f)
    f = click.option("--language", type=click.Choice(svc.LANGUAGES))(f)
    f = click.option("--channels")(f)
    f = click.option("--webhook-url", "webhook_url")(f)
    f = click.option("--webhook-kind", "webhook_kind", type=click.Choice(svc.WEBHOOK_KINDS))(f)
    # "none" takes a role away; only a supervisor changes roles (ledger.access)
    f = click.option("--role", type=click.Choice((*svc.ROLES, "none")))(f)
    f = click.option("--login")(f)
    f = click.option("--notes")(f)
    return f


def _given(options: dict[str, str | None]) -> dict[str, str]:
    given = {k: v for k, v in options.items() if v is not None}
    if given.get("role") == "none":
        given["role"] = ""
    return given


@staff.command("add")
@click.option("--name", required=True)
@_fields
@click.option("--json", "as_json", is_flag=True)
@pass_office
def add(office: Office, as_json: bool, **options: str | None) -> None:
    row = svc.add_staff(office, **_given(options))
    info(t("staff.added", name=row["name"]))
    _show(row, as_json)


@staff.command("list", help_params={"page": TABLE_PAGE})
@click.option("--all", "show_all", is_flag=True)
@click.option("--search")
@click.option("--reveal", is_flag=True)
@list_options
@pass_office
def list_(office: Office, show_all: bool, search: str | None, reveal: bool,
          limit: int | None, offset: int, as_json: bool) -> None:
    f = svc.StaffFilter(active=None if show_all else True, search=search)
    print_list(lambda o, n: svc.iter_staff(office, f, offset=o, limit=n, reveal=reveal),
               lambda: svc.count_staff(office, f), COLUMNS, as_json=as_json,
               offset=offset, limit=limit, revealed=reveal)


@staff.command("show")
@click.argument("ref")
@click.option("--reveal", is_flag=True)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def show(office: Office, ref: str, reveal: bool, as_json: bool) -> None:
    _show(svc.get_staff(office, ref, reveal=reveal), as_json)


@staff.command("edit")
@click.argument("ref")
@click.option("--name")
@_fields
@click.option("--version", type=int)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def edit(office: Office, ref: str, version: int | None, as_json: bool,
         **options: str | None) -> None:
    changes = _given(options)
    row = svc.edit_staff(office, ref, version=version, **changes)
    info(t("staff.updated", name=row["name"]))
    _show(row, as_json)


@staff.command("retire")
@click.argument("ref")
@click.option("--version", type=int)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def retire(office: Office, ref: str, version: int | None, as_json: bool) -> None:
    row = svc.retire_staff(office, ref, version=version)
    info(t("staff.retired", name=row["name"]))
    _show(row, as_json)


@staff.command("unmatched")
@click.option("--json", "as_json", is_flag=True)
@pass_office
def unmatched(office: Office, as_json: bool) -> None:
    emit(svc.match_responsible(office)["unmatched"], UNMATCHED, as_json)


def _show(row: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(row)
    else:
        print_record(row, [c for c in RECORD if c[0] in row])
