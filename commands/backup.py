"""``jiedao backup [FILE]`` and ``jiedao restore FILE``: thin over ``ledger.backup``.

Exit codes: 0 done; 1 refused or failed (nothing changed); 2 on PostgreSQL, whose own tools
(``pg_dump``/``pg_restore``) do this — the message says how.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from commands.context import AppContext
from commands.helptext import LocalizedCommand
from commands.output import info, line, print_json
from ledger import backup as backups
from ledger.i18n import t


@click.command("backup", cls=LocalizedCommand)
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
@click.option("--quiet", is_flag=True)
@click.pass_obj
def backup(app: AppContext, file: Path | None, as_json: bool, quiet: bool) -> None:
    result = backups.backup(app.office(), file)
    if as_json:
        print_json(result)
        return
    if quiet:  # cron mails what is printed: only a failure (on stderr) should reach anyone
        return
    line(t("backup.done", file=result["file"], bytes=result["bytes"],
           entries=result["entries"], seconds=result["seconds"]))
    info(t("backup.checkpoint", file=result["checkpoint"]))


@click.command("restore", cls=LocalizedCommand)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def restore(app: AppContext, file: Path, yes: bool, as_json: bool) -> None:
    # Any schema: a backup may bring back an office an upgrade went wrong on.
    office = app.office(check=False)

    def ask(found: dict[str, Any]) -> None:
        if not yes:
            click.confirm(t("restore.confirm", file=found["file"], target=found["target"],
                            schema=found["schema"], entries=found["entries"]),
                          abort=True, err=True)

    result = backups.restore(office, file, confirm=ask)
    if as_json:
        print_json(result)
        return
    line(t("restore.done", file=result["file"], target=result["target"],
           entries=result["entries"]))
    if result["older"]:
        line(t("restore.upgraded", schema=result["schema"], code_version=result["code_version"]))
    if result["saved_as"]:
        line(t("restore.saved", file=result["saved_as"]))
