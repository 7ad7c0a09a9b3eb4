"""``jiedao import KIND FILE`` and ``jiedao export KIND``: batch files of every record kind.

The work is ``ledger.io``'s; this turns options into a call and the result into lines. The
readers and writers (openpyxl, charset-normalizer) load only when a command runs.

``jiedao export KIND`` is one command per kind, and a kind whose area has a list takes that
list command's own filter options (the same option objects: ``export tickets --state open
--village V01 --overdue`` is ``tickets list`` with the same options), turned into the list's
frozen filter, so the export is the list's own query.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import click

from commands.context import pass_office
from commands.group import OneLineGroup
from commands.helptext import LocalizedCommand
from commands.output import info, line, print_json, status_line, visible
from commands.params import DATE
from ledger.i18n import t
from ledger.office import Office

# The kinds ``ledger.io`` knows (tests/commands/test_io_cli.py checks the two agree).
KIND_NAMES = ("villages", "members", "items", "tickets", "petitions", "surveys", "attendance",
              "unavailability", "shifts")
KINDS = click.Choice(KIND_NAMES)


@click.command("import", cls=LocalizedCommand)
@click.argument("kind", type=KINDS)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--mode", type=click.Choice(["insert", "upsert"]), default="upsert",
              show_default=True)
@click.option("--dry-run", is_flag=True)
@click.option("--skip-invalid", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--encoding")
@click.option("--delimiter")
@click.option("--sheet")
@click.option("--map", "mapping", multiple=True)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def import_(office: Office, kind: str, file: Path, mode: str, dry_run: bool,
            skip_invalid: Path | None, encoding: str | None, delimiter: str | None,
            sheet: str | None, mapping: tuple[str, ...], as_json: bool) -> None:
    from ledger import io

    with status_line() as status:  # a counter of the rows read, on a terminal only
        result = io.run_import(
            office, kind, file, mode=mode, dry_run=dry_run, skip_invalid=skip_invalid,
            encoding=encoding, delimiter=delimiter, sheet=sheet,
            mapping=io.parse_mapping(mapping),
            progress=None if status is None else
            lambda done: status.show(t("io.progress", rows=done)))
    for text in result.error_lines():
        line(text, err=True)
    if as_json:
        print_json(result.as_dict())
    key = ("io.summary.dry_run" if dry_run else
           "io.summary" if result.written else "io.summary.nothing")
    info(t(key, added=result.added, updated=result.updated, unchanged=result.unchanged,
           rejected=result.rejected, seconds=f"{result.seconds:.2f}"))
    if skip_invalid and result.rejected:
        info(t("io.rejects_written", file=str(skip_invalid)))
    if result.error_count and not (skip_invalid and result.written):
        sys.exit(1)


# kind -> the list command whose filter options its export takes ("module:group list").
LISTS = {"members": "commands.members:members", "items": "commands.items:items",
         "tickets": "commands.tickets:tickets", "petitions": "commands.petitions:petitions",
         "surveys": "commands.surveys:surveys", "attendance": "commands.training:training"}
# Lists whose options are not the filter's fields: the function the list builds it with.
FILTER_OF = {"members": "commands.members:member_filter", "items": "commands.items:item_filter"}
# Kinds whose area lists them without a list command of their own (the roster shows shifts
# as a week grid; ``roster unavailable`` lists periods by their days): the filter's options.
OWN_FILTERS: dict[str, list[click.Option]] = {
    "shifts": [click.Option(["--post"]), click.Option(["--from", "date_from"], type=DATE),
               click.Option(["--to", "date_to"], type=DATE),
               click.Option(["--gaps"], is_flag=True)],
    "unavailability": [click.Option(["--from", "date_from"], type=DATE),
                       click.Option(["--to", "date_to"], type=DATE)],
}
NOT_FILTERS = ("limit", "offset", "as_json", "reveal")


def _filter_params(kind: str) -> tuple[list[click.Parameter], click.Command | None]:
    """The kind's filter options and the list command they come from."""
    if kind in OWN_FILTERS:
        return list(OWN_FILTERS[kind]), None
    if kind not in LISTS:
        return [], None
    module, group = LISTS[kind].split(":")
    listing = getattr(importlib.import_module(module), group).commands["list"]
    return [p for p in listing.params if p.name not in NOT_FILTERS], listing


class _ExportCommand(LocalizedCommand):
    """An export whose filter options are a list command's: their help is that list's."""

    listing: click.Command | None = None

    def param_keys(self, ctx: click.Context, param: click.Parameter) -> Iterator[str]:
        keys = list(super().param_keys(ctx, param))
        if self.listing is not None and keys != ["help.opt.help"]:
            # After the export's own keys, the list's (the help every command shares last).
            theirs = self.listing.param_keys(ctx, param)  # type: ignore[attr-defined]
            keys = keys[:-1] + [k for k in theirs if k not in keys] + keys[-1:]
        yield from keys


class ShownOnTerminal:
    """Standard output while a person reads it: what a terminal would act on in a stored
    value (an escape sequence, a carriage return, a bidi mark) is shown as an escape; the
    line ends stay. Piped to a file or a program, an export is written as stored."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        parts = _LINE_END.split(text)
        self.stream.write("".join(p if p in ("\n", "\r\n") else visible(p) for p in parts))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()


_LINE_END = re.compile(r"(\r?\n)")


def _export_command(kind: str) -> click.Command:
    filters, listing = _filter_params(kind)
    names = {p.name for p in filters}

    def run(office: Office, fmt: str, out: Path | None, reveal: bool, encoding: str,
            **options: Any) -> None:
        from ledger import io

        if fmt == "xlsx" and out is None:
            raise click.UsageError(t("io.xlsx_needs_out"))
        given = {k: v for k, v in options.items() if k in names}
        if kind in FILTER_OF:
            module, name = FILTER_OF[kind].split(":")
            f = getattr(importlib.import_module(module), name)(**given)
        else:
            chosen = io.get_kind(kind).filter
            f = chosen(**given) if chosen else None
        target: Any = out if out is not None else sys.stdout
        if out is None and sys.stdout.isatty():
            target = ShownOnTerminal(sys.stdout)
        count = io.write_export(office, kind, fmt, target, reveal=reveal, encoding=encoding,
                                filters=f)
        if out is not None:
            info(t("io.exported", count=count, file=str(out)))

    params: list[click.Parameter] = [
        *filters,
        click.Option(["--format", "fmt"], type=click.Choice(["csv", "xlsx", "json"]),
                     default="csv", show_default=True),
        click.Option(["--out"], type=click.Path(dir_okay=False, path_type=Path)),
        click.Option(["--reveal"], is_flag=True),
        click.Option(["--encoding"], default="utf-8-sig", show_default=True),
    ]
    callback: Callable[..., Any] = pass_office(run)
    command = _ExportCommand(kind, callback=callback, params=params)
    command.listing = listing
    return command


@click.group("export", cls=OneLineGroup)
def export() -> None:
    pass


for _kind in KIND_NAMES:
    export.add_command(_export_command(_kind))
