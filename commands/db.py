"""``jiedao db status|upgrade``."""

from __future__ import annotations

import click

from commands.context import AppContext
from commands.group import OneLineGroup
from commands.output import line, print_json
from ledger import schema
from ledger.i18n import t


@click.group(cls=OneLineGroup)
def db() -> None:
    pass


@db.command("status")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def status_cmd(app: AppContext, as_json: bool) -> None:
    office = app.office(check=False)
    st = schema.status(office)
    if as_json:
        print_json({"url": office.url, "database_version": st.database_version,
                    "code_version": st.code_version, "applied": st.applied,
                    "pending": st.pending})
    else:
        line(t("db.status", url=office.url, db_version=st.database_version,
               code_version=st.code_version))
        line(t("db.pending", names=", ".join(st.pending)) if st.pending else t("db.current"))
    if not st.current:
        raise SystemExit(1)


@db.command("upgrade")
@click.pass_obj
def upgrade_cmd(app: AppContext) -> None:
    office = app.office(check=False)
    applied = schema.upgrade(office)
    line(t("db.upgraded", names=", ".join(applied)) if applied else t("db.current"))
