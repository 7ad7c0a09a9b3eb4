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
    # Only looks: a status on an empty or a stranger's file leaves it byte for byte.
    office = app.office(check=False, read_only=True)
    st = schema.status(office)
    if as_json:
        print_json({"url": office.url, "state": st.state, "database_version": st.database_version,
                    "code_version": st.code_version, "applied": st.applied,
                    "pending": st.pending, "unknown": st.unknown, "foreign": st.foreign})
    else:
        line(t("db.status", url=office.url, db_version=st.database_version,
               code_version=st.code_version))
        if st.foreign:
            line(t("db.foreign", tables=", ".join(st.foreign[:5])))
        elif st.newer:
            line(t("db.newer", names=", ".join(st.unknown) or "-"))
        elif st.pending:
            line(t("db.pending", names=", ".join(st.pending)))
        else:
            line(t("db.current"))
    if not st.current:
        raise SystemExit(1)


@db.command("upgrade")
@click.pass_obj
def upgrade_cmd(app: AppContext) -> None:
    office = app.office(check=False)
    applied = schema.upgrade(office)
    line(t("db.upgraded", names=", ".join(applied)) if applied else t("db.current"))
