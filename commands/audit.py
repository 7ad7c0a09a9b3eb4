"""``jiedao audit verify|log``."""

from __future__ import annotations

import datetime as dt

import click

from commands.context import pass_office
from commands.group import OneLineGroup
from commands.output import emit, line
from commands.params import DATE, LIMIT
from ledger import journal
from ledger.i18n import t
from ledger.office import Office


@click.group(cls=OneLineGroup)
def audit() -> None:
    pass


@audit.command()
@pass_office
def verify(office: Office) -> None:
    result = journal.verify(office)
    if result.ok:
        line(t("audit.ok", count=result.checked))
        return
    line(t("audit.broken", id=result.bad_id, reason=t(f"audit.reason.{result.reason}")),
         err=True)
    raise SystemExit(1)


@audit.command("log")
@click.option("--entity")
@click.option("--id", "entity_id")
@click.option("--since", type=DATE)
@click.option("--limit", type=LIMIT, default=None)
@click.option("--reveal", is_flag=True)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def log(office: Office, entity: str | None, entity_id: str | None, since: dt.date | None,
        limit: int | None, reveal: bool, as_json: bool) -> None:
    if reveal:
        journal.reveal_journal(office, entity=entity, entity_id=entity_id)
    rows = list(journal.entries(office, entity=entity, entity_id=entity_id, since=since,
                                limit=limit, reveal=reveal))
    emit(rows, [("id", "entity_id"), ("at", "at"), ("operator", "operator"),
                ("entity", "entity"), ("entity_id", "entity_id"), ("action", "action"),
                ("note", "note")], as_json)
