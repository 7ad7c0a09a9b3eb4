"""``jiedao remind`` (cron's command) and ``jiedao remind log``.

Exit codes: 0 all delivered or nothing due; 1 a delivery failed (one stderr line each) or
another run holds the lock; 2 a configuration error found before anything was sent. Kept
light at start-up: no Textual, and the mail and HTTP modules only when a channel needs them.

What is printed: the stdout channel's digests on stdout (that *is* their delivery: cron mails
them), or the run as JSON with ``--json``, or what would be sent with ``--dry-run``; then
status lines on stderr (what was delivered, names that match no staff member), which
``--quiet`` leaves out; failures on stderr always.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from commands.context import pass_office
from commands.group import OneLineGroup
from commands.output import Column, emit, info, line, print_json_document
from commands.params import DATE
from ledger import display
from ledger import remind as svc
from ledger.i18n import t
from ledger.office import Office

LOG_COLUMNS: list[Column] = [
    ("day", "day"), ("item_number", "number"), ("person", "person"), ("channel", "channel"),
    ("deadline_kind", "deadline_kind"), ("deadline", "deadline"),
]


class RemindGroup(OneLineGroup):
    """``jiedao remind`` runs the reminders; ``jiedao remind log`` lists what was sent."""


@click.group(cls=RemindGroup, invoke_without_command=True)
@click.option("--dry-run", "dry_run", is_flag=True)
@click.option("--force", is_flag=True)
@click.option("--json", "as_json", is_flag=True)
@click.option("--quiet", is_flag=True)
@click.pass_context
def remind(ctx: click.Context, dry_run: bool, force: bool, as_json: bool, quiet: bool) -> None:
    if ctx.invoked_subcommand is None:
        ctx.invoke(_run, dry_run=dry_run, force=force, as_json=as_json, quiet=quiet)


@pass_office
def _run(office: Office, dry_run: bool, force: bool, as_json: bool, quiet: bool) -> None:
    printed: list[str] = []

    def to_stdout(text: str) -> None:
        if as_json:
            return  # the JSON printed below carries every digest
        if printed:
            line()
        printed.append(text)
        # The digest's own lines: splitlines() would also break at a CR or other separator
        # inside a stored name, printing half of it on a line of its own.
        for row in text.split("\n"):
            line(row)

    with svc.run_lock(svc.lock_path(office)):
        # The stdout channel is a delivery like any other, recorded as sent: --quiet must
        # not swallow it, only the status lines below.
        result = svc.remind(office, dry_run=dry_run, force=force, stdout=to_stdout,
                            texts=not as_json)
    if as_json:
        # A morning's reminders can be tens of thousands of items: one line each.
        print_json_document(result, depth=4)
    elif dry_run:
        _show_dry_run(result)
    if not quiet:
        _status(result)
    for failure in result["failures"]:
        line(t("remind.failed", person=failure["person"],
               channel=failure["channel"] or "—", error=failure["error"]), err=True)
    if result["failures"]:
        sys.exit(1)


def _status(result: dict[str, Any]) -> None:
    """One line on what the run did (nothing when nothing was due or only failures, which
    have their own lines), one on the names that match no staff member."""
    people = [p for p in result["recipients"] if p["deliveries"]]
    if people:
        done = [(p, d) for p in people for d in p["deliveries"]]
        if result["dry_run"]:
            info(t("remind.summary.dry_run", people=len(people),
                   items=sum(len(p["items"]) for p in people)))
        else:
            sent = [d for _, d in done if d["status"] == "sent"]
            skipped = sum(1 for _, d in done if d["status"] == "skipped")
            if sent or skipped:  # failures have their own lines
                info(t("remind.summary", people=len({p["name"] for p, d in done
                                                     if d["status"] == "sent"}),
                       deliveries=len(sent), items=sum(d["items"] for d in sent),
                       skipped=skipped))
    if result["unmatched"]:
        info(t("remind.unmatched", names=display.join(result["unmatched"])))


def _show_dry_run(result: dict[str, Any]) -> None:
    first = True
    for person in result["recipients"]:
        for delivery in person["deliveries"]:
            if delivery["status"] != "dry_run":
                continue
            if not first:
                line()
            first = False
            line(t("remind.would_send", channel=delivery["channel"], name=person["name"]))
            for row in delivery["text"].split("\n"):  # not splitlines(): see _run
                line(row)


@remind.command("log")
@click.option("--since", type=DATE)
@click.option("--json", "as_json", is_flag=True)
@pass_office
def log(office: Office, since: Any, as_json: bool) -> None:
    emit(list(svc.iter_log(office, since=since)), LOG_COLUMNS, as_json)
