"""``jiedao config show``."""

from __future__ import annotations

import click

from commands.context import AppContext
from commands.group import OneLineGroup
from commands.output import emit, info
from ledger.i18n import t


@click.group(cls=OneLineGroup)
def config() -> None:
    pass


@config.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def show(app: AppContext, as_json: bool) -> None:
    settings = app.settings()
    rows = [{"key": k, "value": v, "source": s} for k, v, s in settings.effective()]
    if not as_json:
        info(t("config.file", path=settings.path) if settings.path else t("config.none"))
    emit(rows, [("key", "key"), ("value", "value"), ("source", "source")], as_json)
