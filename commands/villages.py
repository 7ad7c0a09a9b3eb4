"""``jiedao villages add|list|show|edit``."""

from __future__ import annotations

from typing import Any

import click

from commands.context import pass_office
from commands.group import OneLineGroup
from commands.output import (
    TABLE_PAGE,
    Column,
    info,
    list_options,
    print_json,
    print_list,
    print_record,
)
from ledger import villages as svc
from ledger.i18n import t
from ledger.office import Office

COLUMNS: list[Column] = [
    ("code", "code"), ("name", "name"), ("relocation_status", "relocation_status",
                                         "relocation_status"),
    ("active_members", "active_members"),
]
RECORD: list[Column] = [
    ("id", "id"), *COLUMNS, ("people", "people"), ("notes", "notes"),
]



STATUS = click.Choice(svc.RELOCATION_STATUSES)


@click.group(cls=OneLineGroup)
def villages() -> None:
    pass


@villages.command("add")
@click.option("--name", required=True)
@click.option("--code", required=True)
@click.option("--status", "relocation_status", type=STATUS, default="not_affected",
              show_default=True)
@click.option("--notes", default="")
@click.option("--json", "as_json", is_flag=True)
@pass_office
def add(office: Office, name: str, code: str, relocation_status: str, notes: str,
        as_json: bool) -> None:
    row = svc.add_village(office, name=name, code=code, relocation_status=relocation_status,
                              notes=notes)
    info(t("villages.added", name=row["name"], code=row["code"]))
    _show(row, as_json)


@villages.command("list", help_params={"page": TABLE_PAGE})
@list_options
@pass_office
def list_(office: Office, limit: int | None, offset: int, as_json: bool) -> None:
    print_list(lambda o, n: svc.iter_villages(office, offset=o, limit=n),
               lambda: svc.count_villages(office), COLUMNS, as_json=as_json, offset=offset,
               limit=limit)


@villages.command("show")
@click.argument("ref")
@click.option("--json", "as_json", is_flag=True)
@pass_office
def show(office: Office, ref: str, as_json: bool) -> None:
    _show(svc.get_village(office, ref), as_json)


@villages.command("edit")
@click.argument("ref")
@click.option("--name")
@click.option("--code")
@click.option("--status", "relocation_status", type=STATUS)
@click.option("--notes")
@click.option("--version", type=int)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def edit(office: Office, ref: str, as_json: bool, version: int | None,
         **options: str | None) -> None:
    changes = {k: v for k, v in options.items() if v is not None}
    row = svc.edit_village(office, ref, version=version, **changes)
    info(t("villages.updated", name=row["name"], code=row["code"]))
    _show(svc.get_village(office, row["id"]), as_json)


def _show(row: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(row)
    else:
        print_record(row, [c for c in RECORD if c[0] in row])
