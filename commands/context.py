"""What the global options decide, and the office they open (lazily: ``--help`` opens nothing)."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import click

from ledger import Clock, Office, open_office
from ledger.config import Settings, load_settings
from ledger.i18n import normalise_language, t


@dataclass
class AppContext:
    db_url: str | None = None
    operator: str | None = None
    config_path: str | None = None
    as_of: str | None = None
    lang: str | None = None
    launch_tui: Callable[[Office], None] | None = None
    _settings: Settings | None = None
    _office: Office | None = None

    def settings(self) -> Settings:
        if self._settings is None:
            path = self.config_path or os.environ.get("JIEDAO_CONFIG")
            settings = load_settings(path, explicit=bool(path))
            # Flags and the environment win over the file; `config show` says which did.
            env_lang = normalise_language(os.environ.get("JIEDAO_LANG"))
            if env_lang:
                settings = settings.with_overrides({"office.language": env_lang}, "JIEDAO_LANG")
            if normalise_language(self.lang):
                settings = settings.with_overrides(
                    {"office.language": normalise_language(self.lang)}, "--lang")
            self._settings = settings
        return self._settings

    def clock(self) -> Clock:
        tz = self.settings()["office.timezone"]
        if self.as_of:
            return Clock.at(self.as_of, tz=tz)
        return Clock(tz=tz)

    def office(self, *, create: bool = False, check: bool = True,
               read_only: bool = False) -> Office:
        if self._office is None:
            self._office = open_office(self.db_url, operator=self.operator, clock=self.clock(),
                                       settings=self.settings(), create=create, check=check,
                                       read_only=read_only)
        return self._office

    def close(self) -> None:
        if self._office is not None:
            self._office.close()
            self._office = None


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError):  # replaced or closed streams
        return False


# What textual-serve sets for the process of each browser tab (``jiedao serve``).
WEB_DRIVER = "textual.drivers.web_driver:WebDriver"


def require_terminal() -> None:
    """Stop (exit 2, one line) unless stdin and stdout are terminals: under cron or a pipe
    the app would draw into stderr for ever. Called before the app (and Textual) loads."""
    if os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER:
        return  # started by ``jiedao serve``: the app draws into the browser through its pipe
    if not (_is_terminal(sys.stdin) and _is_terminal(sys.stdout)):
        click.echo(f"jiedao: {t('error.needs_terminal')}", err=True)
        raise SystemExit(2)


def app_context() -> AppContext:
    return _app(click.get_current_context())


def _app(ctx: click.Context) -> AppContext:
    app = ctx.find_object(AppContext)
    if app is None:  # the root group makes it; a command reached any other way is a bug
        raise RuntimeError("no AppContext: commands run under commands.main")
    return app


def pass_office(f: Callable[..., Any]) -> Callable[..., Any]:
    """Give the command the open office as its first argument."""

    @click.pass_context
    def wrapper(ctx: click.Context, *args: Any, **kwargs: Any) -> Any:
        return ctx.invoke(f, _app(ctx).office(), *args, **kwargs)

    return functools.update_wrapper(wrapper, f)
