"""``jiedao audit verify|checkpoint|log``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from commands.context import pass_office
from commands.group import OneLineGroup
from commands.output import emit, line, print_json
from commands.params import DATE, LIMIT
from ledger import access, checkpoint, journal, journalkey
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
    # A keyed journal without its key (or with another one) is a one-line error, exit 2:
    # the keyed part is not checked, and nothing says it is.
    result = journal.verify(office)
    broken = not result.ok
    reason = t(f"audit.reason.{result.reason}") if broken else ""
    if broken and result.bad_id is None:
        line(t("audit.broken_keying", reason=reason), err=True)
    elif broken:
        line(t("audit.broken", id=result.bad_id, reason=reason), err=True)
    else:
        line(t("audit.ok", count=result.checked))
        if result.keyed_after is None:
            line(t("audit.unkeyed"))
        else:
            line(t("audit.keyed", after=result.keyed_after, key_id=result.key_id,
                   source=result.key_source))
    if expected is not None:
        found = checkpoint.compare(office, expected)
        params = {"file": str(checkpoint_file), "entries": expected.entries,
                  "now": found.entries, "keyed_after": expected.keyed_after,
                  "key_id": expected.key_id}
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


@audit.command("key")
@click.option("--json", "as_json", is_flag=True)
@pass_office
def key_cmd(office: Office, as_json: bool) -> None:
    # A keyed journal whose key is missing or wrong is the same one-line error as verify's.
    with office.transaction():
        shown = journalkey.describe()
    if as_json:
        print_json(shown)
    elif shown["keyed_after"] is None:
        line(t("audit.key_unkeyed", folder=shown["keys_folder"], env=journalkey.ENV))
    else:
        line(t("audit.key_keyed", office=shown["office"], after=shown["keyed_after"],
               key_id=shown["key_id"], source=shown["key_source"]))


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
