"""What every screen of the app shares: the office, workers, header and footer.

    class DashboardScreen(LedgerScreen):
        TITLE_KEY = "tui.screen.dashboard"
        BINDINGS = [bind("g", "reload", "tui.key.reload")]

        def compose_body(self) -> ComposeResult:
            yield Static(...)

A screen never queries the database: it calls ledger through ``self.run_db(call, on_done)``,
which runs the call in a worker thread and shows a ``LedgerError`` as a notification.

:class:`ListScreen` is an area's list (a ``FilterBar`` over a ``PagedTable``; Enter opens a
record) and :class:`RecordScreen` the detail of one record (fields, sections, journal
timeline): an area's screens declare their columns, filters, fields and actions, and these
two do the rest; :class:`ProcedureScreen` is a record whose procedure's steps are keys (a
ticket, a petition). ``tui/screens/members.py`` is the worked example of a whole area: a
``ListScreen``, a ``RecordScreen``, and add/edit/end forms (``FormScreen``, with a
``ConfirmDialog`` through ``confirm=``).

Textual runs the ``on_mount`` (and every other handler) of each class of a screen, base
classes included: a subclass adds hooks (``compose_sections``, ``load_choices``…) rather
than an ``on_mount`` of its own, or the base's work is done twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header, Select, Static
from textual.worker import Worker

from ledger import villages
from ledger.errors import LedgerError
from ledger.i18n import t, value_label
from ledger.timeline import timeline
from tui.bindings import Translated, bind
from tui.dbwork import run_db
from tui.widgets.areas import AreaBar
from tui.widgets.columns import Column
from tui.widgets.detail import DetailView
from tui.widgets.filter_bar import FilterBar, FilterSpec
from tui.widgets.form import FieldSpec, FormScreen
from tui.widgets.help import HelpScreen
from tui.widgets.paged_table import PagedTable
from tui.widgets.timeline import Timeline

if TYPE_CHECKING:
    from ledger.office import Office

T = TypeVar("T")


class LedgerScreen(Translated, Screen[Any]):
    """A full screen of the app: header, the areas sidebar, ``compose_body()``, footer.

    Every screen has the help (``?``, F1: its keys and the app's) and the sidebar's toggle
    (Ctrl+B). The footer is compact and shows the screen's most used keys; the others are
    ``show=False`` and listed in the help (the key table is in DEVELOPING.md).
    """

    TITLE_KEY: ClassVar[str] = ""

    BINDINGS = [
        bind("question_mark", "help", "tui.key.help", key_display="?"),
        bind("f1", "help", "tui.key.help", show=False),
        bind("ctrl+b", "toggle_areas", "tui.key.areas", show=False),
    ]

    def __init__(self, office: Office, *, name: str | None = None) -> None:
        super().__init__(name=name)
        self.office = office
        self._suspended = False  # see ``returning``
        if self.TITLE_KEY:
            self.title = t(self.TITLE_KEY)

    def compose(self) -> ComposeResult:
        yield Header()
        yield AreaBar()
        yield from self.compose_body()
        yield Footer(compact=True)

    def on_screen_suspend(self) -> None:
        self._suspended = True

    def returning(self) -> bool:
        """Whether the screen is shown again after another one was on top (a dialog, another
        area), once per return: what changed meanwhile may need loading. Not at its first
        showing, which Textual announces twice, the second time perhaps after the first
        load arrived: that would load it again and redraw a table half measured."""
        back, self._suspended = self._suspended, False
        return back

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self))

    def action_toggle_areas(self) -> None:
        # On the app, so every screen shows or hides its bar at once (app.tcss).
        self.app.toggle_class("-areas")

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


def by_id(get: Callable[[int], dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """``[get(id)]`` when ``text`` is a record id (``12`` or ``#12``) that exists, else ``[]``:
    the palette finds a record by its id as the command line names it."""
    digits = text.removeprefix("#")
    if not digits.isdigit():
        return []
    try:
        return [get(int(digits))]
    except LedgerError:
        return []


class ListScreen(LedgerScreen):
    """An area's list: a :class:`FilterBar` (mounted once its choices are loaded) over a
    :class:`PagedTable` that pages from ledger; Enter opens the record, and coming back
    from it reloads the page (an edit or a step taken there shows in the list).

    Subclasses set ``AREA`` (the widgets are ``#AREA-filters``, ``#AREA-filter-bar`` and
    ``#AREA-table``), ``COLUMNS``, ``FILTER`` (the area's ledger filter class, its defaults
    the list's start), ``SEARCH_HINT`` (or ``SEARCH = False`` for a filter with nothing to
    search) and optionally ``PAGE_SIZE`` (by default a page is
    as many rows as the table shows, so only those are fetched), and implement:

    - ``fetch(filters, offset, limit)`` and ``count(filters)``: the ledger list and count;
    - ``load_choices()`` (in a worker) and ``choices_loaded(loaded)``: what the filters and
      forms choose from besides the villages (items, agents…), which every list keeps in
      ``self.villages``;
    - ``filter_specs()``: the bar's filters, and ``filters_from(values)``: its values as
      a ``FILTER``;
    - ``detail_screen(row)``: the screen Enter opens.

    A screen's keys stay its own ``BINDINGS``; every list has ``/`` (search), ``f`` (the
    first filter), Ctrl+R (reload) and Escape (back to the list from the search box or a
    filter: the focus starts on the list, so letters are keys, and arrows move in it), and
    ``toggle_filter`` sets a filter through the bar (so what the bar shows and what the list
    holds agree).
    """

    BINDINGS = [
        bind("slash", "search", "tui.key.search", key_display="/"),
        bind("f", "filter", "tui.key.filter", show=False),
        bind("ctrl+r", "reload", "tui.key.reload", show=False),
        bind("escape", "focus_list", "tui.key.to_list", show=False),
    ]

    AREA: ClassVar[str] = ""
    COLUMNS: ClassVar[Sequence[Column]] = ()
    FILTER: ClassVar[type[Any]] = dict
    SEARCH_HINT: ClassVar[str] = ""
    # What an action on "the row under the cursor" says when there is none (catalogue key).
    NONE_SELECTED: ClassVar[str] = ""
    SEARCH: ClassVar[bool] = True  # False: the area's filter has no search text
    PAGE_SIZE: ClassVar[int | None] = None  # a page is what the table shows (see PagedTable)

    def __init__(self, office: Office, *, name: str | None = None) -> None:
        super().__init__(office, name=name)
        self.filters: Any = self.FILTER()
        self.table = PagedTable(self.COLUMNS, page_size=self.PAGE_SIZE, zone=office.clock,
                                id=f"{self.AREA}-table")
        self._detail_open = False
        self._choices_asked = False
        self.villages: list[dict[str, Any]] = []  # every list filters by village
        self._preset: dict[str, Any] = {}  # filters asked for before the bar was there

    # -- to override -------------------------------------------------------------------

    def fetch(self, filters: Any, offset: int, limit: int) -> list[dict[str, Any]]:
        """One page of rows (runs in a worker thread)."""
        raise NotImplementedError

    def count(self, filters: Any) -> int:
        """How many rows match (runs in a worker thread)."""
        raise NotImplementedError

    def load_choices(self) -> Any:
        """What the area's filters choose from besides the villages, which every list loads
        into ``self.villages`` (runs in a worker thread)."""
        return None

    def choices_loaded(self, loaded: Any) -> None:
        """Keep what ``load_choices`` returned, for ``filter_specs`` and the forms."""

    def filter_specs(self) -> list[FilterSpec]:
        return []

    def filters_from(self, values: dict[str, Any]) -> Any:
        """The filter bar's values as a ``FILTER``."""
        raise NotImplementedError

    def detail_screen(self, row: dict[str, Any]) -> Screen[Any]:
        raise NotImplementedError

    def find_records(self, text: str, limit: int) -> list[dict[str, Any]]:
        """Rows whose number, name… match ``text``, for the command palette (runs on the
        database thread): the list's own search, from the filter's defaults."""
        return self.fetch(self.FILTER(search=text), 0, limit)

    def record_label(self, row: dict[str, Any]) -> str:
        """A row as one line in the palette: its first three columns' texts."""
        texts = (column.text(row, self.office.clock).plain for column in self.COLUMNS[:3])
        return " · ".join(text for text in texts if text)

    # -- machinery ---------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        yield Container(id=f"{self.AREA}-filters", classes="list-filters")
        yield self.table

    def on_mount(self) -> None:
        self.table.set_source(*self._source())
        self.table.focus_table()

    def on_paged_table_loaded(self, event: PagedTable.Loaded) -> None:
        # The filters' choices (villages, items, agents…) load after the first page: the
        # database thread serves calls in order, and on a big table a choice list (distinct
        # agents over a million tickets) would otherwise hold the first page back.
        if not self._choices_asked:
            self._choices_asked = True
            self.run_db(self._load_all_choices, self._choices_loaded)

    def on_screen_resume(self) -> None:
        # Back from a record: what changed there shows in the list. (Not after every
        # dialog or the palette: those report their own changes.)
        if self._detail_open and self.table.is_mounted:
            self._detail_open = False
            self.table.reload()

    def _load_all_choices(self) -> tuple[list[dict[str, Any]], Any]:
        return villages.list_villages(self.office), self.load_choices()

    def _choices_loaded(self, loaded: tuple[list[dict[str, Any]], Any]) -> None:
        self.villages, extra = loaded
        self.choices_loaded(extra)
        # Filters applied before the bar existed (a dashboard figure opened this list) are
        # its starting values, so the bar shows what the list holds.
        specs = self.filter_specs()
        initial = {s.name: self._preset[s.name] for s in specs if self._offered(s)}
        if len(initial) < len([s for s in specs if s.name in self._preset]):
            # A value no longer offered is dropped from the list too: it holds what the bar
            # shows.
            self.filters = self.filters_from(
                {"search": None, **{s.name: s.default for s in specs}, **initial})
            self.table.set_source(*self._source())
        self._preset = {}
        bar = FilterBar(specs, search_placeholder_key=self.SEARCH_HINT, initial=initial,
                        search=self.SEARCH, id=f"{self.AREA}-filter-bar")
        self.query_one(f"#{self.AREA}-filters", Container).mount(bar)

    def _offered(self, spec: FilterSpec) -> bool:
        """Whether a filter asked for before the bar existed is among the bar's choices (one
        that is not, a retired item, leaves that filter at all)."""
        return spec.name in self._preset and (
            self._preset[spec.name] is None
            or self._preset[spec.name] in [value for _label, value in spec.options()])

    def _source(self) -> tuple[Callable[[int, int], list[dict[str, Any]]],
                               Callable[[], int]]:
        filters = self.filters  # the page and the count of the same filters, whatever next
        return (lambda offset, limit: self.fetch(filters, offset, limit),
                lambda: self.count(filters))

    def on_filter_bar_changed(self, event: FilterBar.Changed) -> None:
        self.filters = self.filters_from(event.values)
        self.table.set_source(*self._source())
        if event.submitted:
            self.table.focus_table()

    def on_paged_table_selected(self, event: PagedTable.Selected) -> None:
        self._detail_open = True
        self.app.push_screen(self.detail_screen(event.row))

    def toggle_filter(self, name: str, value: Any) -> None:
        """Set the bar's ``name`` filter to ``value``, or back to all when it is already."""
        bars = self.query(FilterBar)
        if not bars:
            return
        select = bars.first().query_one(f"#filter-{name}", Select)
        select.value = Select.NULL if select.value == value else value

    def apply_filters(self, values: Mapping[str, Any]) -> None:
        """Show exactly ``values`` (filter names to values): every other filter back at its
        default and no search, so the list holds what the figure that opened it counted.
        Through the bar once it is there; before, as the bar's starting values."""
        bars = self.query(FilterBar)
        if bars:
            bars.first().set_values(values)
            return
        self._preset = dict(values)
        defaults = {spec.name: spec.default for spec in self.filter_specs()}
        self.filters = self.filters_from({"search": None, **defaults, **values})
        if self.is_mounted:
            self.table.set_source(*self._source())

    def action_search(self) -> None:
        bars = self.query(FilterBar)
        if bars:
            bars.first().focus_search()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A list with nothing to search (surveys) does not offer the search key.
        return self.SEARCH or action != "search"

    def action_filter(self) -> None:
        # The first choice filter; a list with none (staff) has only its search box.
        selects = self.query(f"#{self.AREA}-filter-bar Select")
        if selects:
            selects.first().focus()
        else:
            self.action_search()

    def action_reload(self) -> None:
        self.table.reload()

    def action_focus_list(self) -> None:
        self.table.focus_table()

    def selected(self) -> dict[str, Any] | None:
        """The record under the cursor, or None after telling the clerk to choose one."""
        row = self.table.current_row
        if row is None:
            self.notify(t(self.NONE_SELECTED), severity="warning")
        return row


class RecordScreen(LedgerScreen):
    """One record: its fields (a :class:`DetailView`), optional sections, and its journal as
    a :class:`Timeline`. Escape goes back; Ctrl+R reloads.

    Subclasses set ``FIELDS`` (columns of the detail) and ``ENTITY`` (the journal's entity
    name), and implement ``load_record`` (a ledger ``get_X`` call; it runs in a worker).
    Override ``load_history`` to merge related records' journals (a member's terms), and
    ``compose_sections``/``show_sections`` for tables between the fields and the timeline::

        class TicketScreen(RecordScreen):
            FIELDS = [Column("number"), Column("state", kind="ticket_state"), ...]
            ENTITY = "ticket"

            def load_record(self, reveal: bool) -> dict:
                return tickets.get_ticket(self.office, self.record_id, reveal=reveal)
    """

    FIELDS: ClassVar[Sequence[Column]] = ()
    ENTITY: ClassVar[str] = ""
    TIMELINE_KEY: ClassVar[str] = "tui.timeline"  # the timeline's heading
    SHOW_ENTITY: ClassVar[bool] = True  # name each entry's record (a member's or a term's)

    DEFAULT_CSS = """
    RecordScreen .section { text-style: bold; padding: 1 1 0 1; }
    """

    BINDINGS = [
        # Escape is back everywhere (the help says so): the footer keeps its room for steps.
        bind("escape", "back", "tui.key.back", show=False),
        bind("ctrl+r", "reload", "tui.key.reload", show=False),
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

    def load_history(self, record: dict[str, Any], reveal: bool) -> list[dict[str, Any]]:
        """The record's timeline, built by ledger (runs in a worker thread); personal data
        in it shows in full once the clerk revealed the record."""
        return timeline(self.office, self.ENTITY, record.get("id", self.record_id),
                        reveal=reveal)

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
            yield Static(Text(t(self.TIMELINE_KEY)), classes="section")
            yield Timeline(id="record-timeline")

    def on_mount(self) -> None:
        self.reload()

    def on_screen_suspend(self) -> None:
        # Left for another area (or popped): what was revealed is masked again, so coming
        # back shows it masked. A dialog on top (a step's form, the help) is not leaving.
        if self.revealed and not isinstance(self.app.screen, ModalScreen):
            self.reload()

    def reload(self, *, reveal: bool = False) -> None:
        """Fetch the record and its journal again (in a worker)."""

        def work() -> tuple[dict[str, Any], list[dict[str, Any]]]:
            record = self.load_record(reveal)
            return record, self.load_history(record, reveal)

        self.revealed = reveal
        self.run_db(work, self._show, group="record", exclusive=True)

    def _show(self, loaded: tuple[dict[str, Any], list[dict[str, Any]]]) -> None:
        record, history = loaded
        self.record = record
        self.sub_title = self.record_title(record)
        # Instants come from ledger in UTC; the clerk reads them in the office's time zone.
        self.query_one("#record-fields", DetailView).show(record, zone=self.office.clock)
        self.show_sections(record)
        self.query_one("#record-timeline", Timeline).set_entries(
            history, show_entity=self.SHOW_ENTITY)
        self.refresh_bindings()  # the steps the record allows now (ProcedureScreen)

    def action_reload(self) -> None:
        self.reload()

    def action_reveal(self) -> None:
        """Personal data in full, in the fields and the timeline alike: ledger journals the
        reveal, and the timeline shows it at once. (A screen that shows personal data binds
        it, as ``r``.)"""
        self.reload(reveal=True)

    def action_back(self) -> None:
        self.dismiss()


class ProcedureScreen(RecordScreen):
    """A record that moves through a procedure's steps (a ticket, a petition). Each step is
    a key (``STEPS``: action -> (key, …); bind ``step('action')``). A step the record's
    ``allowed_actions`` (ledger's rule) do not hold is refused with a notice and no form;
    otherwise its form, then a notice of the result and a reload.

    Subclasses set ``STEPS`` and ``ACTION_KIND`` (the value kind naming the actions) and
    implement ``refusal``, ``step_form`` (built with ``step_screen``) and ``done_message``.

    A step form carries the version of the record the clerk is looking at (its values get
    ``version``): a step on a record someone changed since is refused by ledger
    (``StaleVersion``) and shows the ``ConflictDialog``, as an edit does; reloading there
    takes the new version into the form (what the clerk typed stays) and, once the form
    closes, into this screen.
    """

    STEPS: ClassVar[Mapping[str, tuple[str, Any]]] = {}
    ACTION_KIND: ClassVar[str] = ""

    def __init__(self, office: Office, record_id: Any, *, name: str | None = None) -> None:
        super().__init__(office, record_id, name=name)
        # The footer shows only the steps the record allows now (``check_action``); the key
        # of another step falls through to this hidden binding, which says why not.
        for action, (key, _) in self.STEPS.items():
            self._bindings._add_binding(Binding(key, f"refuse({action!r})", "", show=False))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "step" and parameters:
            record = self.record
            return record is not None and parameters[0] in record["allowed_actions"]
        return True

    def refusal(self, action: str, record: dict[str, Any]) -> str:
        """Why ``action`` cannot be taken now."""
        raise NotImplementedError

    def step_form(self, action: str, record: dict[str, Any]) -> Screen[Any]:
        """The form that asks for the step's details and calls ledger."""
        raise NotImplementedError

    def done_message(self, action: str, result: dict[str, Any]) -> str:
        raise NotImplementedError

    def step_screen(self, title: str, fields: Sequence[FieldSpec],
                    submit: Callable[[dict[str, Any]], dict[str, Any]], *,
                    confirm: Callable[[dict[str, Any]], str | None] | None = None
                    ) -> FormScreen:
        """The form of a step: ``submit`` gets the clerk's values and the version they saw."""
        record = self.record or {}
        return FormScreen(title, fields, submit=submit, confirm=confirm,
                          version=record.get("version"), reload=self._current_version)

    def _current_version(self) -> dict[str, Any]:
        # A step's form holds the step's own details, none of the record's fields: what a
        # reload brings it is the version (runs in a worker; never reveals).
        return {"version": self.load_record(False).get("version")}

    def step_keys(self, actions: Sequence[str], separator: str) -> str:
        """``[a] accept [n] decline``: the allowed steps with their keys (plain text: show
        it through ``Text``, or the brackets are read as markup and vanish)."""
        return separator.join(f"[{self.STEPS[a][0]}] {value_label(self.ACTION_KIND, a)}"
                              for a in actions)

    def action_refuse(self, action: str) -> None:
        if self.record is not None:
            self.notify(self.refusal(action, self.record), severity="warning", markup=False)

    def action_step(self, action: str) -> None:
        record = self.record
        if record is None:
            return
        if action not in record["allowed_actions"]:
            self.action_refuse(action)
            return
        form = self.step_form(action, record)
        self.app.push_screen(form, callback=lambda result: self._stepped(action, result, form))

    def _stepped(self, action: str, result: dict[str, Any] | None,
                 form: Screen[Any] | None = None) -> None:
        if result is None:
            # Cancelled; after a conflict the record changed: show it as it is now.
            seen = (self.record or {}).get("version")
            if isinstance(form, FormScreen) and form.version != seen:
                self.reload(reveal=self.revealed)
            return
        self.notify(self.done_message(action, result), markup=False)
        self.reload(reveal=self.revealed)
