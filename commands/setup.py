"""``jiedao init`` and ``jiedao demo``.

The help of every command lives in ``ledger/messages/help.py`` (``help.<area>.<command>``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

from commands.context import AppContext, require_terminal
from commands.helptext import LocalizedCommand
from commands.output import StatusLine, info, status_line
from ledger import open_office, staff
from ledger.i18n import t
from ledger.office import resolve_operator
from ledger.sample.template import copy_sample, template_key
from ledger.setup import initialise

if TYPE_CHECKING:
    from ledger.sample import Progress


@click.command(cls=LocalizedCommand)
@click.option("--example", is_flag=True)
@click.option("--no-roles", "no_roles", is_flag=True)
@click.pass_obj
def init(app: AppContext, example: bool, no_roles: bool) -> None:
    office = app.office(create=True, check=False)
    with status_line(example) as status:
        created = initialise(office, example=example, only_new=True,
                             progress=_building(status))
    if created:
        info(t("db.created", url=office.url))
    if example:
        info(t("db.filled"))  # the sample gives its staff roles, the operator a supervisor's
    elif not no_roles:
        row = staff.first_supervisor(office)
        if row is not None:
            info(t("staff.first_supervisor", name=row["name"]))


def _building(status: StatusLine | None) -> Progress | None:
    """The sample's area being built, on the terminal's status line (the first start of a
    day waits seconds for it)."""
    if status is None:
        return None
    return lambda area, done, total: status.show(t(
        "db.sample_step", area=t(f"sample.area.{area}"), done=done + 1, total=total))


@click.command(cls=LocalizedCommand)
@click.pass_obj
def demo(app: AppContext) -> None:
    if app.launch_tui is not None:
        require_terminal()  # before the sample is built: under cron there is nothing to show
    clock, settings = app.clock(), app.settings()

    def build(path: Path) -> None:
        info(t("db.building_sample"))
        office = open_office("sqlite:///" + str(path), operator=app.operator, clock=clock,
                             settings=settings, create=True, check=False)
        try:
            with status_line() as status:
                initialise(office, example=True, progress=_building(status))
        finally:
            office.close()

    with tempfile.TemporaryDirectory(prefix="jiedao-demo-") as tmp:
        path = Path(tmp) / "demo.db"
        key = template_key(clock=clock, operator=resolve_operator(app.operator),
                           settings=settings)
        copy_sample(path, key=key, build=build)
        url = "sqlite:///" + str(path)
        office = open_office(url, operator=app.operator, clock=clock, settings=settings)
        if app.launch_tui is None:
            info(t("db.created", url=url))
            return
        try:
            app.launch_tui(office)
        finally:
            office.close()
