"""``jiedao audit verify|checkpoint|log``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from commands.context import pass_office
from commands.group import OneLineGroup
from commands.output import emit, line, print_json
from commands.params import DATE, LIMIT
from ledger import access, checkpoint, journal
from ledger.i18n import t
from ledger.office import Office


@click.group(cls=OneLineGroup)
def audit() -> None:
    pass


@audit.command()
@click.option("--checkpoint", "checkpoint_file",
              type=click.Path(dir_okay=False, path_type=Path))
@pass_office
def verify(office: Office, checkpoint_file: Path | None) -> None:
    # The checkpoint is read first: a file that is not one is a one-line error, not a
    # verification that silently skipped it.
    expected = checkpoint.read(checkpoint_file) if checkpoint_file is not None else None
    result = journal.verify(office)
    broken = not result.ok
    if broken:
        line(t("audit.broken", id=result.bad_id, reason=t(f"audit.reason.{result.reason}")),
             err=True)
    else:
        line(t("audit.ok", count=result.checked))
    if expected is not None:
        found = checkpoint.compare(office, expected)
        params = {"file": str(checkpoint_file), "entries": expected.entries,
                  "now": found.entries}
        if found.ok:
            line(t("audit.checkpoint_ok", **params))
        else:
            line(t(f"audit.checkpoint_{found.reason}", **params), err=True)
            broken = True
    if broken:
        raise SystemExit(1)


@audit.command("checkpoint")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
@pass_office
def checkpoint_cmd(office: Office, file: Path | None, as_json: bool) -> None:
    written = checkpoint.write_for(office, file)
    if as_json:
        print_json(written)
    else:
        line(t("checkpoint.written", file=written["file"], entries=written["entries"],
               hash=written["hash"]))


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
        access.require(office, "reveal", "journal")
        journal.reveal_journal(office, entity=entity, entity_id=entity_id)
    rows = list(journal.entries(office, entity=entity, entity_id=entity_id, since=since,
                                limit=limit, reveal=reveal))
    emit(rows, [("id", "entity_id"), ("at", "at"), ("operator", "operator"),
                ("entity", "entity"), ("entity_id", "entity_id"), ("action", "action"),
                ("note", "note")], as_json)
