"""``jiedao items list|show|add|edit|retire``: the proxy service catalogue (代办事项)."""

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
    list_options,
    print_json,
    print_list,
    print_record,
)
from ledger import items as svc
from ledger.i18n import t
from ledger.office import Office

LEVEL = click.Choice(svc.LEVELS)
TRACK = click.Choice(svc.TRACKS)

LIST_COLUMNS: list[Column] = [
    ("code", "code"), ("name", "name"), ("category", "category"), ("level", "level", "item_level"),
    ("limit", "time_limit_days"), ("fee", "fee"), ("tickets", "tickets"), ("active", "offered"),
]
RECORD: list[Column] = [
    ("code", "code"), ("name", "name"), ("track", "track", "item_track"),
    ("category", "category"), ("level", "level", "item_level"), ("limit", "time_limit_days"),
    ("materials", "materials"), ("fee", "fee"), ("active", "offered"), ("tickets", "tickets"),
    ("notes", "notes"),
]


def _for_people(row: Mapping[str, Any]) -> dict[str, Any]:
    return {**row, "limit": svc.time_limit_label(row["time_limit_days"]),
            "fee": row["fee"] or t("item.free")}


@click.group(cls=OneLineGroup)
def items() -> None:
    pass


def item_filter(*, track: str | None = None, level: str | None = None,
                category: str | None = None, search: str | None = None,
                include_retired: bool = False) -> svc.ItemFilter:
    """The list's options as its filter (``jiedao export items`` takes the same)."""
    return svc.ItemFilter(track=track, level=level, category=category, search=search,
                          active=None if include_retired else True)


@items.command("list", help_params={"page": TABLE_PAGE})
@click.option("--track", type=TRACK)
@click.option("--level", type=LEVEL)
@click.option("--category")
@click.option("--search")
@click.option("--all", "include_retired", is_flag=True)
@list_options
@pass_office
def list_(office: Office, track: str | None, level: str | None, category: str | None,
          search: str | None, include_retired: bool, limit: int | None, offset: int,
          as_json: bool) -> None:
    f = item_filter(track=track, level=level, category=category, search=search,
                    include_retired=include_retired)
    print_list(lambda o, n: svc.iter_items(office, f, offset=o, limit=n),
               lambda: svc.count_items(office, f), LIST_COLUMNS, as_json=as_json,
               offset=offset, limit=limit, for_people=_for_people)


@items.command("show")
@click.argument("ref")
@click.option("--json", "as_json", is_flag=True)
@pass_office
def show(office: Office, ref: str, as_json: bool) -> None:
    row = svc.get_item(office, ref)
    if as_json:
        print_json(row)
    else:
        print_record(_for_people(row), RECORD)


def _item_options(f: Any, *, required: bool) -> Any:
    for option in reversed([
        click.option("--name", required=required),
        click.option("--category", required=required),
        click.option("--level", type=LEVEL, required=required),
        click.option("--limit", "time_limit_days", type=int, required=required),
        click.option("--materials"),
        click.option("--fee"),
        click.option("--track", type=TRACK),
        click.option("--code"),
        click.option("--notes"),
    ]):
        f = option(f)
    return f


def required_item_options(f: Any) -> Any:
    return _item_options(f, required=True)


def optional_item_options(f: Any) -> Any:
    return _item_options(f, required=False)


@items.command("add")
@required_item_options
@click.option("--json", "as_json", is_flag=True)
@pass_office
def add(office: Office, as_json: bool, **options: Any) -> None:
    row = svc.add_item(office, **{k: v for k, v in options.items() if v is not None})
    if as_json:
        print_json(row)
    else:
        info(t("item.created", code=row["code"], name=row["name"]))


@items.command("edit")
@click.argument("ref")
@optional_item_options
@click.option("--active/--retired", "active", default=None)
@click.option("--version", type=int)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def edit(office: Office, ref: str, as_json: bool, version: int | None, **options: Any) -> None:
    row = svc.edit_item(office, ref, version=version,
                        **{k: v for k, v in options.items() if v is not None})
    if as_json:
        print_json(row)
    else:
        info(t("item.updated", code=row["code"], name=row["name"]))


@items.command("retire")
@click.argument("ref")
@click.option("--note", default="")
@click.option("--version", type=int)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def retire(office: Office, ref: str, note: str, version: int | None, as_json: bool) -> None:
    row = svc.retire_item(office, ref, note=note, version=version)
    if as_json:
        print_json(row)
    else:
        info(t("item.retired", code=row["code"], name=row["name"]))
