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
    import gc

    # What start-up loads (click, peewee, the ledger) lives as long as the process: no cycle
    # collection while it loads, then it is kept out of the collector's passes, and young
    # objects pile up longer between them. A command building tens of thousands of rows
    # (``remind``, a long list) spent a fifth of its time re-scanning the modules' objects.
    # Only here, in the real process: an in-process caller (the tests) keeps its collector.
    gc.disable()
    from commands.main import run

    gc.freeze()
    gc.set_threshold(10_000, 10, 10)
    gc.enable()
    sys.exit(run(launch_tui=launch_tui))
