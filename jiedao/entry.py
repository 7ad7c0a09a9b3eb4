"""``jiedao``: the command line, which opens the TUI when given no command."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ledger.office import Office


def launch_tui(office: Office) -> None:
    from tui.app import run_app  # imported only when the app opens: --help stays fast

    run_app(office)


def main() -> None:
    from commands.main import run

    sys.exit(run(launch_tui=launch_tui))
