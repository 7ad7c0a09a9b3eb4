"""``jiedao serve``: the same app in a browser, through textual-serve.

textual-serve starts one ``jiedao`` process per browser tab, with the web driver in place
of a terminal, and relays its screen over a websocket. It has no login of its own while the
records hold personal data: it listens on loopback unless ``--public`` says otherwise (then
a reverse proxy with authentication belongs in front; see the README).

The page works without internet access: our template (``commands/web/index.html``) loads
textual.js, xterm's CSS and the Roboto Mono fonts from the copies textual-serve ships,
where its own template fetches the font from Google. Nothing here contacts the internet.
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import sys
from pathlib import Path
from typing import Any

import click

from commands.context import AppContext
from commands.helptext import LocalizedCommand
from commands.params import BoundedInt
from ledger import i18n
from ledger.i18n import t

TEMPLATES = Path(__file__).with_name("web")
# Texts of the page around the terminal, in the served language.
PAGE_TEXTS = ("serve.page.start", "serve.page.ended", "serve.page.restart")


def is_loopback(host: str) -> bool:
    """True for a name or address only this machine reaches (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def served_command(app: AppContext, operator: str) -> str:
    """The command line each browser tab runs: ``jiedao`` with this run's global options.

    The database travels in ``JIEDAO_DB`` (set by :func:`serve`), not as an argument, so a
    password in its URL does not show in the process list. ``-P`` keeps the working directory
    off ``sys.path``: a folder named ``ledger`` where the server was started is not imported.
    """
    argv = [sys.executable, "-P", "-m", "jiedao", "--as", operator]
    if app.config_path:
        argv += ["--config", app.config_path]
    if app.lang:
        argv += ["--lang", app.lang]
    if app.as_of:
        argv += ["--as-of", app.as_of]
    return shlex.join(argv)


@click.command(cls=LocalizedCommand)
@click.option("--host", default="127.0.0.1", metavar="HOST")
@click.option("--port", type=BoundedInt(1, 65535), default=8000, metavar="N")
@click.option("--public", is_flag=True)
@click.pass_obj
def serve(app: AppContext, host: str, port: int, public: bool) -> None:
    if not is_loopback(host):
        if not public:
            click.echo(f"jiedao: {t('serve.not_loopback', host=host)}", err=True)
            raise SystemExit(2)
        click.echo(f"jiedao: {t('serve.public_warning', host=host)}", err=True)
    # Opened once here, so a wrong URL or an old schema is one line now, not a broken tab.
    office = app.office()
    url, operator = office.url, office.operator
    app.close()
    os.environ["JIEDAO_DB"] = url
    server = _server(served_command(app, operator), host, port)
    try:
        server.serve()
    except OSError as exc:  # the port taken, an address not of this machine
        click.echo(f"jiedao: {t('serve.cannot_listen', host=host, port=port, detail=exc)}",
                   err=True)
        raise SystemExit(1) from None


def _server(command: str, host: str, port: int) -> Any:
    # textual-serve (and aiohttp under it) only when serving: --help stays fast.
    import aiohttp_jinja2
    from aiohttp import web
    from textual_serve.server import Server, to_int

    class LedgerServer(Server):
        """textual-serve's server with our page: local assets, texts from the catalogue."""

        async def on_startup(self, app: web.Application) -> None:
            self.console.print(t("serve.listening", url=self.public_url), highlight=False,
                               markup=False)

        async def handle_index(self, request: web.Request) -> web.Response:
            context = {
                "lang": "zh-CN" if i18n.get_language() == "zh" else "en",
                "title": t("tui.app.title"),
                "font_size": to_int(request.query.get("fontsize", "16"), 16),
                "texts": {key.rsplit(".", 1)[1]: t(key) for key in PAGE_TEXTS},
            }
            return aiohttp_jinja2.render_template("index.html", request, context)

    return LedgerServer(command, host=host, port=port, title=t("tui.app.title"),
                        templates_path=TEMPLATES)
