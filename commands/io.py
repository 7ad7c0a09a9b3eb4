"""``jiedao import KIND FILE`` and ``jiedao export KIND``: batch files of every record kind.

The work is ``ledger.io``'s; this turns options into a call and the result into lines. The
readers and writers (openpyxl, charset-normalizer) load only when a command runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from commands.context import pass_office
from commands.helptext import LocalizedCommand
from commands.output import info, line, print_json
from ledger.i18n import t
from ledger.office import Office

KINDS = click.Choice(["villages", "members", "items", "petitions"])


def _progress_bar() -> object | None:
    """A counter on stderr when it is a terminal; nothing under cron or in a pipe."""
    if not sys.stderr.isatty():
        return None

    def show(done: int) -> None:
        sys.stderr.write(f"\r{t('io.progress', rows=done)}")
        sys.stderr.flush()

    return show


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

    progress = _progress_bar()
    result = io.run_import(office, kind, file, mode=mode, dry_run=dry_run,
                           skip_invalid=skip_invalid, encoding=encoding, delimiter=delimiter,
                           sheet=sheet, mapping=io.parse_mapping(mapping),
                           progress=progress)  # type: ignore[arg-type]
    if progress is not None:
        sys.stderr.write("\n")
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


@click.command("export", cls=LocalizedCommand)
@click.argument("kind", type=KINDS)
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), default="csv",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--reveal", is_flag=True)
@click.option("--encoding", default="utf-8-sig", show_default=True)
@pass_office
def export(office: Office, kind: str, fmt: str, out: Path | None, reveal: bool,
           encoding: str) -> None:
    from ledger import io

    if fmt == "xlsx" and out is None:
        raise click.UsageError(t("io.xlsx_needs_out"))
    target = out if out is not None else sys.stdout
    count = io.write_export(office, kind, fmt, target, reveal=reveal,
                            encoding=encoding)
    if out is not None:
        info(t("io.exported", count=count, file=str(out)))
