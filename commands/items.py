"""``jiedao items list|show|add|edit|retire``: the proxy service catalogue (代办事项)."""

from __future__ import annotations

from typing import Any

import click

from commands.context import pass_office
from commands.group import OneLineGroup
from commands.output import Column, emit, info, print_json, print_record
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


def _for_people(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "limit": svc.time_limit_label(row["time_limit_days"]),
            "fee": row["fee"] or t("item.free")}


@click.group(cls=OneLineGroup)
def items() -> None:
    """The catalogue of proxy service items (代办事项)."""


@items.command("list")
@click.option("--track", type=TRACK, help="resident (为民服务) or project (重点项目).")
@click.option("--level", type=LEVEL, help="Who finally handles it.")
@click.option("--category", help="Only this category.")
@click.option("--search", help="Part of the name, or a code.")
@click.option("--all", "include_retired", is_flag=True, help="Include retired items.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_office
def list_(office: Office, track: str | None, level: str | None, category: str | None,
          search: str | None, include_retired: bool, as_json: bool) -> None:
    """List the items offered (active ones unless --all)."""
    f = svc.ItemFilter(track=track, level=level, category=category, search=search,
                       active=None if include_retired else True)
    rows = svc.list_items(office, f)
    emit(rows if as_json else [_for_people(r) for r in rows], LIST_COLUMNS, as_json,
         footer=None if as_json else t("word.rows", count=len(rows)))


@items.command("show")
@click.argument("ref")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_office
def show(office: Office, ref: str, as_json: bool) -> None:
    """Show one item (REF: id, code or name)."""
    row = svc.get_item(office, ref)
    if as_json:
        print_json(row)
    else:
        print_record(_for_people(row), RECORD)


def _item_options(f: Any, *, required: bool) -> Any:
    for option in reversed([
        click.option("--name", required=required, help="Item name, unique."),
        click.option("--category", required=required, help="Category (社会保障, 社会救助…)."),
        click.option("--level", type=LEVEL, required=required,
                     help="Level of the platform that finally handles it."),
        click.option("--limit", "time_limit_days", type=int, required=required,
                     help="Promised time limit in working days (0 = on the spot)."),
        click.option("--materials", help="Required materials, separated by | or ；."),
        click.option("--fee", help="Fee, if any (empty = free)."),
        click.option("--track", type=TRACK, help="resident (default) or project."),
        click.option("--code", help="Short code (default: next R## or P##)."),
        click.option("--notes", help="Free notes."),
    ]):
        f = option(f)
    return f


def required_item_options(f: Any) -> Any:
    return _item_options(f, required=True)


def optional_item_options(f: Any) -> Any:
    return _item_options(f, required=False)


@items.command("add")
@required_item_options
@click.option("--json", "as_json", is_flag=True, help="Print the new item as JSON.")
@pass_office
def add(office: Office, as_json: bool, **options: Any) -> None:
    """Add an item to the catalogue."""
    row = svc.add_item(office, **{k: v for k, v in options.items() if v is not None})
    if as_json:
        print_json(row)
    else:
        info(t("item.created", code=row["code"], name=row["name"]))


@items.command("edit")
@click.argument("ref")
@optional_item_options
@click.option("--active/--retired", "active", default=None, help="Offer it again, or retire it.")
@click.option("--json", "as_json", is_flag=True, help="Print the item as JSON.")
@pass_office
def edit(office: Office, ref: str, as_json: bool, **options: Any) -> None:
    """Change an item. A new time limit applies to tickets opened from now on."""
    row = svc.edit_item(office, ref, **{k: v for k, v in options.items() if v is not None})
    if as_json:
        print_json(row)
    else:
        info(t("item.updated", code=row["code"], name=row["name"]))


@items.command("retire")
@click.argument("ref")
@click.option("--note", default="", help="Why it is no longer offered.")
@click.option("--json", "as_json", is_flag=True, help="Print the item as JSON.")
@pass_office
def retire(office: Office, ref: str, note: str, as_json: bool) -> None:
    """Stop offering an item; its tickets are kept."""
    row = svc.retire_item(office, ref, note=note)
    if as_json:
        print_json(row)
    else:
        info(t("item.retired", code=row["code"], name=row["name"]))
