"""``jiedao``: the command line, which opens the TUI when given no command."""

from __future__ import annotations

import sys
from typing import Any


def launch_tui(office: Any) -> None:
    from tui.app import run_app  # imported only when the app opens: --help stays fast

    run_app(office)


def main() -> None:
    from commands.main import run

    sys.exit(run(launch_tui=launch_tui))
