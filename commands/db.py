"""``jiedao db status|upgrade|check``."""

from __future__ import annotations

import click

from commands.context import AppContext
from commands.group import OneLineGroup
from commands.output import info, line, print_json
from ledger import check, schema
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


# Lines of problems a terminal gets; --json has them all.
SHOWN_PROBLEMS = 200


@db.command("check")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def check_cmd(app: AppContext, as_json: bool) -> None:
    report = check.run(app.office())
    if as_json:
        print_json(report.as_dict())
    else:
        for name, status in report.checks.items():
            info(t("check.line", name=t(f"check.name.{name}"), status=t(f"check.status.{status}")))
        for problem in report.problems[:SHOWN_PROBLEMS]:
            line(problem.message())
        if len(report.problems) > SHOWN_PROBLEMS:
            line(t("check.more", count=len(report.problems) - SHOWN_PROBLEMS))
        if report.ok:
            line(t("check.ok", entries=report.journal_entries, records=report.records))
        else:
            info(t("check.found", count=len(report.problems)))
    if not report.ok:
        raise SystemExit(1)
