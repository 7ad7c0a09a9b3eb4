"""What every screen of the app shares: the office, workers, header and footer.

    class TicketsScreen(LedgerScreen):
        TITLE_KEY = "tui.screen.tickets"
        BINDINGS = [bind("a", "add", "tui.key.add")]

        def compose_body(self) -> ComposeResult:
            yield FilterBar(...)
            yield PagedTable(...)

A screen never queries the database: it calls ledger through ``self.run_db(call, on_done)``,
which runs the call in a worker thread and shows a ``LedgerError`` as a notification.

:class:`RecordScreen` is the detail of one record (fields, sections, journal timeline).
``tui/screens/members.py`` is the worked example of a whole area: a list screen
(``FilterBar`` + ``PagedTable``), a ``RecordScreen``, and add/edit/end forms
(``FormScreen``, with a ``ConfirmDialog`` through ``confirm=``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static
from textual.worker import Worker

from ledger import journal
from ledger.errors import LedgerError
from ledger.i18n import t
from tui.bindings import Translated, bind
from tui.dbwork import run_db
from tui.widgets.columns import Column
from tui.widgets.detail import DetailView
from tui.widgets.timeline import Timeline

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


class RecordScreen(LedgerScreen):
    """One record: its fields (a :class:`DetailView`), optional sections, and its journal as
    a :class:`Timeline`. Escape goes back; Ctrl+R reloads.

    Subclasses set ``FIELDS`` (columns of the detail) and ``ENTITY`` (the journal's entity
    name), and implement ``load_record`` (a ledger ``get_X`` call; it runs in a worker).
    Override ``load_history`` to merge related records' journals (a member's terms), and
    ``compose_sections``/``show_sections`` for tables between the fields and the timeline::

        class TicketScreen(RecordScreen):
            FIELDS = [Column("number"), Column("status", kind="ticket_status"), ...]
            ENTITY = "ticket"

            def load_record(self, reveal: bool) -> dict:
                return tickets.get_ticket(self.office, self.record_id, reveal=reveal)
    """

    FIELDS: ClassVar[Sequence[Column]] = ()
    ENTITY: ClassVar[str] = ""

    DEFAULT_CSS = """
    RecordScreen .section { text-style: bold; padding: 1 1 0 1; }
    """

    BINDINGS = [
        bind("escape", "back", "tui.key.back"),
        bind("ctrl+r", "reload", "tui.key.reload"),
    ]

    def __init__(self, office: Office, record_id: Any, *, name: str | None = None) -> None:
        super().__init__(office, name=name)
        self.record_id = record_id
        self.record: dict[str, Any] | None = None
        self.revealed = False

    # -- to override -------------------------------------------------------------------

    def load_record(self, reveal: bool) -> dict[str, Any]:
        """The record dict (runs in a worker thread)."""
        raise NotImplementedError

    def load_history(self, record: dict[str, Any]) -> list[dict[str, Any]]:
        """The journal entries for the timeline (runs in a worker thread)."""
        return journal.history(self.office, self.ENTITY, record.get("id", self.record_id))

    def compose_sections(self) -> ComposeResult:
        """Widgets between the fields and the timeline."""
        yield from ()

    def show_sections(self, record: dict[str, Any]) -> None:
        """Fill the widgets of ``compose_sections`` from the loaded record."""

    def record_title(self, record: dict[str, Any]) -> str:
        """The header's sub-title for the record."""
        return str(record.get("name") or record.get("number") or record.get("id", ""))

    # -- machinery ---------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="record"):
            yield DetailView(self.FIELDS, id="record-fields")
            yield from self.compose_sections()
            yield Static(t("tui.timeline"), classes="section")
            yield Timeline(to_local=self.local_time, id="record-timeline")

    def on_mount(self) -> None:
        self.reload()

    def reload(self, *, reveal: bool = False) -> None:
        """Fetch the record and its journal again (in a worker)."""

        def work() -> tuple[dict[str, Any], list[dict[str, Any]]]:
            record = self.load_record(reveal)
            return record, self.load_history(record)

        self.revealed = reveal
        self.run_db(work, self._show, group="record", exclusive=True)

    def _show(self, loaded: tuple[dict[str, Any], list[dict[str, Any]]]) -> None:
        record, history = loaded
        self.record = record
        self.sub_title = self.record_title(record)
        self.query_one("#record-fields", DetailView).show(record)
        self.show_sections(record)
        self.query_one("#record-timeline", Timeline).set_entries(history, show_entity=True)

    def action_reload(self) -> None:
        self.reload()

    def action_back(self) -> None:
        self.dismiss()
