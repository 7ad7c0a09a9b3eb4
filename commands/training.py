"""``jiedao training add|list|show|edit|hold|cancel|reinstate|checkin|attendance|report|export``
and ``jiedao training series add|list|show|edit|end``: training sessions (培训), attendance
(签到) and credit hours (学时)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from commands.context import pass_office
from commands.group import OneLineGroup
from commands.output import (
    TABLE_PAGE,
    Column,
    info,
    print_json,
    print_record,
    print_table,
    stream_json,
)
from commands.params import DATE
from ledger import training as svc
from ledger.i18n import field_label, t, value_label
from ledger.office import Office

KIND = click.Choice(svc.KINDS)
SESSION_STATE = click.Choice(svc.STATES)
AUDIENCE = click.Choice(svc.AUDIENCES)
STATE = click.Choice(svc.ATTENDANCE_STATES)

LIST_COLUMNS: list[Column] = [
    ("id", "id"), ("start", "starts_at"), ("title", "title"), ("kind", "kind", "training_kind"),
    ("place", "place"), ("credit_hours", "credit_hours"),
    ("state", "state", "training_state"), ("attended", "attended"),
]
RECORD: list[Column] = [
    ("id", "id"), ("title", "title"), ("topic", "topic"), ("kind", "kind", "training_kind"),
    ("start", "starts_at"), ("end", "ends_at"), ("place", "place"), ("organiser", "organiser"),
    ("credit_hours", "credit_hours"), ("audience_text", "audience"),
    ("state", "state", "training_state"), ("cancel_reason", "cancel_reason"),
    ("series_title", "series"), ("notes", "notes"), ("version", "version"),
]
SHEET: list[Column] = [
    ("person_id", "id"), ("name", "person_name"), ("village", "village"),
    ("required", "required"), ("state", "attendance_state", "attendance_state"),
    ("reason", "reason"),
]
SERIES_COLUMNS: list[Column] = [
    ("id", "id"), ("title", "title"), ("rule", "rule"), ("first", "first_start"),
    ("credit_hours", "credit_hours"), ("sessions", "sessions"), ("planned", "planned"),
    ("held", "held"), ("cancelled", "cancelled"), ("state", "state", "series_state"),
]
PEOPLE_COLUMNS: list[Column] = [
    ("name", "person_name"), ("village", "village"), ("sessions", "sessions"),
    ("hours", "hours"), ("shortfall", "shortfall"),
]
SESSION_RATES: list[Column] = [
    ("start", "starts_at"), ("title", "title"), ("required", "required"),
    ("attended", "attended"), ("late", "late"), ("excused", "excused"), ("rate", "rate"),
]
VILLAGE_RATES: list[Column] = [
    ("village", "village"), ("expected", "required"), ("attended", "attended"),
    ("rate", "rate"),
]


@click.group(cls=OneLineGroup)
def training() -> None:
    pass


def _local(office: Office, value: dt.datetime | None) -> str:
    return office.clock.to_local(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _for_people(office: Office, row: dict[str, Any]) -> dict[str, Any]:
    audience = value_label("training_audience", row["audience"])
    if row.get("audience_names"):
        audience += "：" + "、".join(row["audience_names"])
    return {**row, "start": _local(office, row["starts_at"]),
            "end": _local(office, row["ends_at"]), "audience_text": audience,
            "credit_hours": f"{row['credit_hours']:g}"}


def _show_session(office: Office, row: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(row)
        return
    print_record(_for_people(office, row), RECORD)
    click.echo("")
    counts = "  ".join(f"{value_label('attendance_state', s)} {n}"
                       for s, n in row["counts"].items())
    click.echo(t("training.sheet_title", required=row["required_count"], counts=counts))
    if row["attendance"]:
        print_table(row["attendance"], SHEET)


def _changed(office: Office, row: dict[str, Any], message: str, as_json: bool) -> None:
    if as_json:
        print_json(row)
        return
    info(t(message, id=row["id"], title=row["title"],
           state=value_label("training_state", row["state"])))


# --- sessions -----------------------------------------------------------------------------

_SESSION_FIELDS = [
    click.option("--topic"),
    click.option("--kind", type=KIND),
    click.option("--place"),
    click.option("--organiser"),
    click.option("--audience", type=AUDIENCE),
    click.option("--for", "audience_refs", multiple=True, metavar="REF"),
    click.option("--notes"),
]


def _options(options: list[Any]) -> Any:
    def wrap(f: Any) -> Any:
        for option in reversed(options):
            f = option(f)
        return f
    return wrap


def _given(options: dict[str, Any]) -> dict[str, Any]:
    """Only the options the clerk gave (an edit changes nothing else)."""
    out = {k: v for k, v in options.items() if v is not None and v != ()}
    if "audience_refs" in out:
        out["audience_refs"] = list(out["audience_refs"])
    return out


@training.command("add")
@click.option("--title", required=True)
@click.option("--start", "starts_at", required=True, metavar="DATETIME")
@click.option("--end", "ends_at", required=True, metavar="DATETIME")
@click.option("--hours", "credit_hours", required=True)
@_options(_SESSION_FIELDS)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def add(office: Office, as_json: bool, **options: Any) -> None:
    row = svc.add_session(office, **_given(options))
    if as_json:
        print_json(row)
        return
    click.echo(row["id"])
    info(t("training.added", id=row["id"], title=row["title"],
           start=_local(office, row["starts_at"])))


@training.command("list", help_params={"page": TABLE_PAGE})
@click.option("--state", type=SESSION_STATE)
# The former name of --state, kept for scripts written before the rename.
@click.option("--status", "state", type=SESSION_STATE, hidden=True)
@click.option("--kind", type=KIND)
@click.option("--series")
@click.option("--from", "date_from", type=DATE)
@click.option("--to", "date_to", type=DATE)
@click.option("--search")
@click.option("--limit", type=click.IntRange(min=0, max=10**9), default=None)
@click.option("--offset", type=click.IntRange(min=0, max=10**12), default=0)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def list_(office: Office, limit: int | None, offset: int, as_json: bool,
          **filters: Any) -> None:
    f = svc.TrainingFilter(**filters)
    if limit is None and not as_json:
        limit = TABLE_PAGE
    rows = svc.iter_sessions(office, f, offset=offset, limit=limit)
    if as_json:
        stream_json(rows)
        return
    shown = [_for_people(office, r) for r in rows]
    print_table(shown, LIST_COLUMNS)
    total = svc.count_sessions(office, f)
    info(t("training.page", first=offset + 1, last=offset + len(shown), total=total)
         if shown else t("training.none"))


@training.command("show")
@click.argument("ref")
@click.option("--json", "as_json", is_flag=True)
@pass_office
def show(office: Office, ref: str, as_json: bool) -> None:
    _show_session(office, svc.get_session(office, ref), as_json)


@training.command("edit")
@click.argument("ref")
@click.option("--version", type=click.IntRange(min=1, max=10**9))
@click.option("--title")
@click.option("--start", "starts_at", metavar="DATETIME")
@click.option("--end", "ends_at", metavar="DATETIME")
@click.option("--hours", "credit_hours")
@_options(_SESSION_FIELDS)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def edit(office: Office, ref: str, version: int | None, as_json: bool,
         **options: Any) -> None:
    row = svc.edit_session(office, ref, version=version, **_given(options))
    _changed(office, row, "training.updated", as_json)


@training.command("hold")
@click.argument("ref")
@click.option("--version", type=click.IntRange(min=1, max=10**9))
@click.option("--json", "as_json", is_flag=True)
@pass_office
def hold(office: Office, ref: str, version: int | None, as_json: bool) -> None:
    _changed(office, svc.hold_session(office, ref, version=version), "training.changed",
             as_json)


@training.command("cancel")
@click.argument("ref")
@click.option("--reason", default="")
@click.option("--version", type=click.IntRange(min=1, max=10**9))
@click.option("--json", "as_json", is_flag=True)
@pass_office
def cancel(office: Office, ref: str, reason: str, version: int | None, as_json: bool) -> None:
    _changed(office, svc.cancel_session(office, ref, reason=reason, version=version),
             "training.changed", as_json)


@training.command("reinstate")
@click.argument("ref")
@click.option("--version", type=click.IntRange(min=1, max=10**9))
@click.option("--json", "as_json", is_flag=True)
@pass_office
def reinstate(office: Office, ref: str, version: int | None, as_json: bool) -> None:
    _changed(office, svc.reinstate_session(office, ref, version=version), "training.changed",
             as_json)


# --- attendance ---------------------------------------------------------------------------

def _recorded(office: Office, row: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(row)
        return
    for person in row["recorded"]:
        info(t("training.recorded" if person["changed"] else "training.unchanged",
               name=person["name"], state=value_label("attendance_state", person["state"]),
               title=row["title"]))


@training.command("checkin")
@click.argument("session")
@click.argument("people", nargs=-1, required=True)
@click.option("--late", is_flag=True)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def checkin(office: Office, session: str, people: tuple[str, ...], late: bool,
            as_json: bool) -> None:
    _recorded(office, svc.checkin(office, session, list(people),
                                  state="late" if late else "present"), as_json)


@training.command("attendance")
@click.argument("session")
@click.argument("people", nargs=-1)
@click.option("--state", type=STATE)
@click.option("--reason", default="")
@click.option("--json", "as_json", is_flag=True)
@pass_office
def attendance(office: Office, session: str, people: tuple[str, ...], state: str | None,
               reason: str, as_json: bool) -> None:
    if not people:
        if state:
            raise click.UsageError(t("training.state_needs_people"))
        row = svc.get_session(office, session)
        if as_json:
            stream_json(row["attendance"])
            return
        _show_session(office, row, False)
        return
    if state is None:
        raise click.UsageError(t("training.people_need_state"))
    _recorded(office, svc.record_attendance(office, session, list(people), state=state,
                                            reason=reason), as_json)


# --- report and export --------------------------------------------------------------------

@training.command("report")
@click.option("--year", type=click.IntRange(2000, 2100))
@click.option("--all", "show_all", is_flag=True)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def report(office: Office, year: int | None, show_all: bool, as_json: bool) -> None:
    data = svc.report(office, year=year)
    if as_json:
        print_json(data)
        return
    totals = data["totals"]
    click.echo(t("training.report_title", year=data["year"], as_of=data["as_of"]))
    click.echo(t("training.report_totals", held=totals["held"], planned=totals["planned"],
                 cancelled=totals["cancelled"], hours=f"{totals['hours_offered']:g}",
                 rate=_percent(totals["rate"])))
    click.echo("")
    click.echo(t("training.report_short", required=f"{data['required_hours']:g}",
                 short=totals["short"], assessed=totals["assessed"]))
    people = data["people"] if show_all else data["short"]
    if people:
        print_table([_hours_row(r) for r in people], PEOPLE_COLUMNS)
    click.echo("")
    click.echo(t("training.by_village"))
    print_table([{**r, "village": r["village"] or t("training.no_village"),
                  "rate": _percent(r["rate"])} for r in data["by_village"]], VILLAGE_RATES)
    click.echo("")
    click.echo(t("training.by_session"))
    print_table([{**r, "start": _local(office, r["starts_at"]), "rate": _percent(r["rate"])}
                 for r in data["by_session"]], SESSION_RATES)


def _percent(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.1%}"


def _hours_row(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "hours": f"{row['hours']:g}", "shortfall": f"{row['shortfall']:g}"}


@training.command("export")
@click.option("--format", "fmt", type=click.Choice(["ics"]), default="ics")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--from", "date_from", type=DATE)
@click.option("--to", "date_to", type=DATE)
@click.option("--state", type=SESSION_STATE)
# The former name of --state, kept for scripts written before the rename.
@click.option("--status", "state", type=SESSION_STATE, hidden=True)
@pass_office
def export(office: Office, fmt: str, out: Path, date_from: dt.date | None,
           date_to: dt.date | None, state: str | None) -> None:
    data, count = svc.ics_bytes(office, svc.TrainingFilter(
        date_from=date_from, date_to=date_to, state=state))
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise click.FileError(str(out), hint=exc.strerror or str(exc)) from None
    info(t("training.exported", count=count, path=str(out)))


# --- series -------------------------------------------------------------------------------

@training.group("series", cls=OneLineGroup)
def series() -> None:
    pass


@series.command("add")
@click.option("--title", required=True)
@click.option("--rule", required=True, metavar="RRULE")
@click.option("--start", "first_start", required=True, metavar="DATETIME")
@click.option("--minutes", "duration_minutes", required=True)
@click.option("--hours", "credit_hours", required=True)
@_options(_SESSION_FIELDS)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def series_add(office: Office, as_json: bool, **options: Any) -> None:
    row = svc.add_series(office, **_given(options))
    if as_json:
        print_json(row)
        return
    click.echo(row["id"])
    info(t("training.series_added", id=row["id"], title=row["title"], count=row["sessions"]))


def _series_for_people(office: Office, row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "first": _local(office, row["first_start"]),
            "credit_hours": f"{row['credit_hours']:g}"}


@series.command("list")
@click.option("--json", "as_json", is_flag=True)
@pass_office
def series_list(office: Office, as_json: bool) -> None:
    rows = svc.list_series(office)
    if as_json:
        stream_json(rows)
        return
    print_table([_series_for_people(office, r) for r in rows], SERIES_COLUMNS)


@series.command("show")
@click.argument("ref")
@click.option("--json", "as_json", is_flag=True)
@pass_office
def series_show(office: Office, ref: str, as_json: bool) -> None:
    row = svc.get_series(office, ref)
    if as_json:
        print_json(row)
        return
    print_record(_series_for_people(office, row), SERIES_COLUMNS)
    click.echo("")
    click.echo(field_label("sessions"))
    print_table([_for_people(office, s) for s in row["session_list"]], LIST_COLUMNS)


@series.command("edit")
@click.argument("ref")
@click.option("--version", type=click.IntRange(min=1, max=10**9))
@click.option("--title")
@click.option("--rule", metavar="RRULE")
@click.option("--start", "first_start", metavar="DATETIME")
@click.option("--minutes", "duration_minutes")
@click.option("--hours", "credit_hours")
@_options(_SESSION_FIELDS)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def series_edit(office: Office, ref: str, version: int | None, as_json: bool,
                **options: Any) -> None:
    row = svc.edit_series(office, ref, version=version, **_given(options))
    if as_json:
        print_json(row)
        return
    info(t("training.series_updated", id=row["id"], title=row["title"]))


@series.command("end")
@click.argument("ref")
@click.option("--reason", default="")
@click.option("--version", type=click.IntRange(min=1, max=10**9))
@click.option("--json", "as_json", is_flag=True)
@pass_office
def series_end(office: Office, ref: str, reason: str, version: int | None,
               as_json: bool) -> None:
    row = svc.end_series(office, ref, reason=reason, version=version)
    if as_json:
        print_json(row)
        return
    info(t("training.series_ended", id=row["id"], title=row["title"]))
