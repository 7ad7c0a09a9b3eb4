"""The ``jiedao`` group: global options, lazily loaded areas, one-line errors and exit codes.

Exit codes: 0 success, 1 a refused or failed operation, 2 bad usage (click's own, bad settings).
Area modules are imported only when their command runs, so ``jiedao --help`` and cron stay fast.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from collections.abc import Callable
from typing import Any

import click

from commands.context import AppContext, require_terminal
from commands.helptext import ROOT_KEY, LocalizedGroup
from commands.output import line, visible
from ledger import i18n
from ledger.db import parse_url
from ledger.errors import LedgerError
from ledger.office import resolve_operator

# command name -> "module:attribute", imported when the command runs (start-up stays fast).
AREAS: dict[str, str] = {
    "init": "commands.setup:init",
    "demo": "commands.setup:demo",
    "db": "commands.db:db",
    "audit": "commands.audit:audit",
    "backup": "commands.backup:backup",
    "restore": "commands.backup:restore",
    "config": "commands.config:config",
    "villages": "commands.villages:villages",
    "members": "commands.members:members",
    "items": "commands.items:items",
    "calendar": "commands.calendar:calendar",
    "tickets": "commands.tickets:tickets",
    "petitions": "commands.petitions:petitions",
    "training": "commands.training:training",
    "roster": "commands.roster:roster",
    "staff": "commands.staff:staff",
    "remind": "commands.remind:remind",
    "import": "commands.io:import_",
    "export": "commands.io:export",
    "decisions": "commands.decisions:decisions",
    "surveys": "commands.surveys:surveys",
    "assess": "commands.assess:assess",
    "serve": "commands.serve:serve",
}



def _choose_language(flag: str | None) -> None:
    lang = i18n.normalise_language(flag or os.environ.get("JIEDAO_LANG"))
    if flag and lang is None:
        raise click.BadParameter(f"{flag!r}: zh | en", param_hint="--lang")
    i18n.set_language(lang or i18n.language_from_locale() or "zh")


class LazyGroup(LocalizedGroup):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.help_key = ROOT_KEY

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = [n for n, target in AREAS.items()
                 if importlib.util.find_spec(target.split(":")[0]) is not None]
        return sorted(set(names) | set(self.commands))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.commands:
            return self.commands[name]
        target = AREAS.get(name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        if importlib.util.find_spec(module_name) is None:
            return None
        command: click.Command = getattr(importlib.import_module(module_name), attr)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Short help from the catalogue, so listing areas imports none of them.
        rows = [(n, i18n.t(f"cli.help.{n}")) for n in self.list_commands(ctx)]
        if rows:
            with formatter.section(i18n.t("cli.commands")):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db_url", metavar="URL")
@click.option("--as", "operator", metavar="NAME")
@click.option("--config", "config_path", metavar="FILE")
@click.option("--lang", metavar="zh|en")
@click.option("--as-of", "as_of", metavar="DATE")
@click.version_option(package_name="jiedao-ledger")
@click.pass_context
def cli(ctx: click.Context, db_url: str | None, operator: str | None, config_path: str | None,
        lang: str | None, as_of: str | None) -> None:
    # Help: help.jiedao in ledger/messages/help.py, like every command's.
    launcher = ctx.obj.launch_tui if isinstance(ctx.obj, AppContext) else None
    app = AppContext(db_url=db_url, operator=operator, config_path=config_path, as_of=as_of,
                     lang=lang, launch_tui=launcher)
    ctx.obj = app
    ctx.call_on_close(app.close)
    _choose_language(lang)
    if lang is None and not os.environ.get("JIEDAO_LANG"):
        configured = app.settings()["office.language"]
        if configured:
            _choose_language(configured)
    # Refused at start, not after the clerk typed a record in: an empty --db (which would
    # otherwise mean the personal default database) and an operator the journal cannot hold.
    if db_url is not None:
        parse_url(db_url)
    app.operator = resolve_operator(operator)
    if ctx.invoked_subcommand is None:
        if app.launch_tui is None:
            click.echo(ctx.get_help())
            return
        require_terminal()
        app.launch_tui(app.office())


def _early_lang(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def _escaped(char: str) -> str:
    """A lone surrogate as the byte it stands for (``\\xff``), other characters as they are."""
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}" if 0xD800 <= code < 0xE000 else char


def _undecodable(argv: list[str]) -> str | None:
    """A message for the first argument (or ``JIEDAO_*`` variable) that is not valid UTF-8,
    naming its option.

    Python hands such bytes over as lone surrogates; stored, they would fail at the database,
    printed, at the terminal (a traceback either way).
    """
    for i, arg in enumerate(argv):
        if not any(0xD800 <= ord(c) < 0xE000 for c in arg):
            continue
        if arg.startswith("-") and "=" in arg:
            name, arg = arg.split("=", 1)
        elif i > 0 and argv[i - 1].startswith("-"):
            name = argv[i - 1]
        else:
            name = i18n.t("cli.argument", n=i + 1)
        shown = "".join(_escaped(c) for c in arg)
        return i18n.t("error.bad_encoding", name=name, value=shown)
    for variable in ("JIEDAO_DB", "JIEDAO_CONFIG", "JIEDAO_OPERATOR", "JIEDAO_LANG"):
        value = os.environ.get(variable, "")
        if any(0xD800 <= ord(c) < 0xE000 for c in value):
            return i18n.t("error.bad_encoding", name=variable,
                          value="".join(_escaped(c) for c in value))
    return None


def run(args: list[str] | None = None, *, launch_tui: Callable[..., Any] | None = None,
        standalone: bool = True) -> int:
    """Run the command line; every user-caused error becomes one line and an exit code."""
    argv = list(sys.argv[1:] if args is None else args)
    try:
        # --help is answered before the group's callback runs: pick the language first.
        _choose_language(_early_lang(argv))
    except click.BadParameter:
        i18n.set_language(i18n.language_from_locale() or "zh")
    undecodable = _undecodable(argv)
    if undecodable:
        click.echo(f"jiedao: {undecodable}", err=True)
        return 2
    try:
        cli.main(args=argv, prog_name="jiedao", standalone_mode=False,
                 obj=AppContext(launch_tui=launch_tui))
        return 0
    except LedgerError as err:
        line(f"jiedao: {err.message()}", err=True)  # it may quote a bad value
        return err.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except SystemExit as exc:  # a command's own exit status (audit verify, db status)
        return exc.code if isinstance(exc.code, int) else 1
    except click.Abort:
        click.echo(f"jiedao: {i18n.t('cli.aborted')}", err=True)
        return 1
    except click.ClickException as exc:
        exc.message = visible(exc.message)  # type: ignore[misc]  # a bad value quoted as typed
        exc.show()
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo(f"jiedao: {i18n.t('error.interrupted')}", err=True)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the last line of defence against a traceback
        if os.environ.get("JIEDAO_DEBUG"):
            raise
        line(f"jiedao: {i18n.t('error.internal', detail=f'{type(exc).__name__}: {exc}')}"
             " (JIEDAO_DEBUG=1)", err=True)
        return 1


def main() -> None:
    sys.exit(run())
