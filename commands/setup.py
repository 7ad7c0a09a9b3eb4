"""``jiedao init`` and ``jiedao demo``.

The help of every command lives in ``ledger/messages/help.py`` (``help.<area>.<command>``).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click

from commands.context import AppContext, require_terminal
from commands.helptext import LocalizedCommand
from commands.output import info
from ledger import open_office, staff
from ledger.i18n import t
from ledger.office import resolve_operator
from ledger.sample.template import copy_sample, template_key
from ledger.setup import initialise


@click.command(cls=LocalizedCommand)
@click.option("--example", is_flag=True)
@click.option("--no-roles", "no_roles", is_flag=True)
@click.pass_obj
def init(app: AppContext, example: bool, no_roles: bool) -> None:
    office = app.office(create=True, check=False)
    progress = _sample_progress() if example else None
    try:
        created = initialise(office, example=example, only_new=True, progress=progress)
    finally:
        if progress is not None:
            progress.end()
    if created:
        info(t("db.created", url=office.url))
    if example:
        info(t("db.filled"))  # the sample gives its staff roles, the operator a supervisor's
    elif not no_roles:
        row = staff.first_supervisor(office)
        if row is not None:
            info(t("staff.first_supervisor", name=row["name"]))


class _SampleProgress:
    """The sample's area being built, on one line of stderr rewritten in place (the first
    start of a day waits seconds for it); ``end`` closes the line if one was shown."""

    def __init__(self) -> None:
        self.shown = False

    def __call__(self, area: str, done: int, total: int) -> None:
        text = t("db.sample_step", area=t(f"sample.area.{area}"), done=done + 1, total=total)
        sys.stderr.write(f"\r\x1b[K{text}")  # the line cleared: a shorter name leaves no tail
        sys.stderr.flush()
        self.shown = True

    def end(self) -> None:
        if self.shown:
            sys.stderr.write("\n")
            self.shown = False


def _sample_progress() -> _SampleProgress | None:
    """On a terminal only: in a pipe or under cron, nothing."""
    return _SampleProgress() if sys.stderr.isatty() else None


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
        progress = _sample_progress()
        try:
            initialise(office, example=True, progress=progress)
        finally:
            office.close()
            if progress is not None:
                progress.end()

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
