"""``jiedao init`` and ``jiedao demo``.

The help of every command lives in ``ledger/messages/help.py`` (``help.<area>.<command>``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from commands.context import AppContext, require_terminal
from commands.helptext import LocalizedCommand
from commands.output import info
from ledger import open_office
from ledger.i18n import t
from ledger.setup import initialise


@click.command(cls=LocalizedCommand)
@click.option("--example", is_flag=True)
@click.pass_obj
def init(app: AppContext, example: bool) -> None:
    office = app.office(create=True, check=False)
    created = initialise(office, example=example, only_new=True)
    if created:
        info(t("db.created", url=office.url))
    if example:
        info(t("db.filled"))


@click.command(cls=LocalizedCommand)
@click.pass_obj
def demo(app: AppContext) -> None:
    if app.launch_tui is not None:
        require_terminal()  # before the sample is built: under cron there is nothing to show
    with tempfile.TemporaryDirectory(prefix="jiedao-demo-") as tmp:
        url = "sqlite:///" + str(Path(tmp) / "demo.db")
        office = open_office(url, operator=app.operator, clock=app.clock(),
                             settings=app.settings(), create=True, check=False)
        initialise(office, example=True)
        if app.launch_tui is None:
            info(t("db.created", url=url))
            return
        try:
            app.launch_tui(office)
        finally:
            office.close()
