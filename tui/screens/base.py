"""What every screen of the app shares: the office, workers, header and footer.

    class TicketsScreen(LedgerScreen):
        TITLE_KEY = "tui.screen.tickets"
        BINDINGS = [bind("a", "add", "tui.key.add")]

        def compose_body(self) -> ComposeResult:
            yield FilterBar(...)
            yield PagedTable(...)

A screen never queries the database: it calls ledger through ``self.run_db(call, on_done)``,
which runs the call in a worker thread and shows a ``LedgerError`` as a notification.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header
from textual.worker import Worker

from ledger.errors import LedgerError
from ledger.i18n import t
from tui.bindings import Translated
from tui.dbwork import run_db

if TYPE_CHECKING:
    from ledger.office import Office

T = TypeVar("T")


class LedgerScreen(Translated, Screen[Any]):
    """A full screen of the app: header, ``compose_body()``, footer."""

    TITLE_KEY: ClassVar[str] = ""

    def __init__(self, office: Office, *, name: str | None = None) -> None:
        super().__init__(name=name)
        self.office = office
        if self.TITLE_KEY:
            self.title = t(self.TITLE_KEY)

    def compose(self) -> ComposeResult:
        yield Header()
        yield from self.compose_body()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def run_db(self, call: Callable[[], T], on_done: Callable[[T], Any] | None = None, *,
               on_error: Callable[[LedgerError], Any] | None = None, group: str = "db",
               exclusive: bool = False) -> Worker[None]:
        """Run a ledger call in a worker thread; see :func:`tui.dbwork.run_db`."""
        return run_db(self, call, on_done, on_error=on_error, group=group,
                      exclusive=exclusive)

    def local_time(self, instant: dt.datetime) -> dt.datetime:
        """An aware UTC instant in the office's time zone."""
        return self.office.clock.to_local(instant)
