"""A list that pages from the database: only the visible page of rows is ever fetched.

Textual's ``DataTable`` measures every cell it is given (about 0.9 s for 10,000 rows), so
:class:`PagedTable` gives it one page at a time. The screen supplies two callables that run
in a worker thread::

    table = PagedTable(
        columns=[Column("name"), Column("education", kind="education")],
        fetch=lambda offset, limit: members.list_members(office, filters, offset=offset,
                                                         limit=limit),
        count=lambda: members.count_members(office, filters),
    )

and calls ``table.set_source(fetch, count)`` when the filters change. A million rows open as
fast as a hundred: one ``count`` and one ``fetch(offset, limit)`` per page shown.
``page_size=None`` makes a page exactly as many rows as the table shows (and follows the
terminal's size), so only visible rows are fetched and PageDown turns one screenful.

Keys: ↑/↓ move (and cross into the neighbouring page), PageUp/PageDown change page,
Home/End (or Ctrl+Home/Ctrl+End) jump to the first/last page, Enter opens the row
(posts :class:`PagedTable.Selected`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Static

from ledger.display import Zone
from ledger.i18n import t
from tui.dbwork import run_db
from tui.widgets.columns import Column

Fetch = Callable[[int, int], Sequence[dict[str, Any]]]
Count = Callable[[], int]

DEFAULT_PAGE_SIZE = 50
MIN_AUTO_PAGE = 5
RESIZE_SETTLE_SECONDS = 0.2


@dataclass
class Pager:
    """Which page of ``total`` rows is shown. Pure arithmetic, no Textual, no database."""

    page_size: int = DEFAULT_PAGE_SIZE
    offset: int = 0
    total: int = 0

    def __post_init__(self) -> None:
        if self.page_size < 1:
            raise ValueError("page_size must be positive")

    @property
    def last_offset(self) -> int:
        """The offset of the last page (0 when there are no rows)."""
        if self.total <= 0:
            return 0
        return (self.total - 1) // self.page_size * self.page_size

    @property
    def page(self) -> int:
        return self.offset // self.page_size + 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_previous(self) -> bool:
        return self.offset > 0

    @property
    def has_next(self) -> bool:
        return self.offset + self.page_size < self.total

    def clamp(self, offset: int) -> int:
        """``offset`` aligned to a page start and kept inside the rows that exist."""
        offset = max(0, offset) // self.page_size * self.page_size
        return min(offset, self.last_offset)

    def first_row(self, shown: int) -> int:
        return self.offset + 1 if shown else 0

    def last_row(self, shown: int) -> int:
        return self.offset + shown

    def status(self, shown: int) -> str:
        if self.total == 0:
            return t("tui.rows.none")
        return t("tui.rows", first=self.first_row(shown), last=self.last_row(shown),
                 total=self.total, page=self.page, pages=self.pages)


class _PageDataTable(DataTable[Text]):
    """A DataTable whose paging keys move between database pages instead of scrolling."""

    def __init__(self, owner: PagedTable, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._owner = owner

    def action_page_up(self) -> None:
        self._owner.previous_page()

    def action_page_down(self) -> None:
        self._owner.next_page()

    def action_scroll_home(self) -> None:
        self._owner.first_page()

    def action_scroll_top(self) -> None:
        self._owner.first_page()

    def action_scroll_end(self) -> None:
        self._owner.last_page()

    def action_scroll_bottom(self) -> None:
        self._owner.last_page()

    def action_cursor_up(self) -> None:
        if self.cursor_row <= 0 and self._owner.pager.has_previous:
            self._owner.previous_page(cursor="last")
        else:
            super().action_cursor_up()

    def action_cursor_down(self) -> None:
        if self.cursor_row >= self.row_count - 1 and self._owner.pager.has_next:
            self._owner.next_page()
        else:
            super().action_cursor_down()


class PagedTable(Vertical):
    """A page of rows from ``fetch(offset, limit)`` and a "rows N–M of T" line."""

    DEFAULT_CSS = """
    PagedTable { height: 1fr; }
    PagedTable > DataTable { height: 1fr; }
    PagedTable > .paged-status { height: 1; color: $text-muted; padding: 0 1; }
    """

    class Selected(Message):
        """Enter (or a click) on a row: ``row`` is the record dict."""

        def __init__(self, table: PagedTable, row: dict[str, Any]) -> None:
            super().__init__()
            self.table = table
            self.row = row

        @property
        def control(self) -> PagedTable:
            return self.table

    class Loaded(Message):
        """A page arrived: ``total`` rows match, ``rows`` are shown."""

        def __init__(self, table: PagedTable, total: int, rows: list[dict[str, Any]]) -> None:
            super().__init__()
            self.table = table
            self.total = total
            self.rows = rows

        @property
        def control(self) -> PagedTable:
            return self.table

    def __init__(
        self,
        columns: Sequence[Column],
        fetch: Fetch | None = None,
        count: Count | None = None,
        *,
        page_size: int | None = DEFAULT_PAGE_SIZE,
        row_key: str = "id",
        zone: Zone = None,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's own parameter name
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns = list(columns)
        # page_size=None: a page is as many rows as the table shows (follows resizes), so
        # only the visible rows are fetched and PageDown moves by one screenful.
        self.auto_page_size = page_size is None
        self.pager = Pager(page_size=page_size or DEFAULT_PAGE_SIZE)
        self._sized = not self.auto_page_size
        self._resize_timer: Timer | None = None
        self.row_key = row_key
        self.zone = zone  # where the rows' instants are shown (the office's clock)
        self._fetch = fetch
        self._count = count
        self._rows: list[dict[str, Any]] = []
        self._generation = 0
        self._shown_generation = 0
        self._pending_cursor: str | int | None = None
        self._select_key: Any = None
        self.table = _PageDataTable(self, cursor_type="row", zebra_stripes=True)

    def compose(self) -> ComposeResult:
        yield self.table
        yield Static("", classes="paged-status")

    def on_mount(self) -> None:
        for column in self.columns:
            self.table.add_column(Text(column.label), key=column.key, width=column.width)
        if self._fetch is not None:
            self.reload()

    # -- page size follows the table's height (page_size=None) -------------------------

    def _visible_rows(self) -> int:
        # Of this widget's lines, the status takes one, the table's header one, and a
        # horizontal scrollbar may take another.
        return max(MIN_AUTO_PAGE, self.size.height - 3)

    def on_resize(self) -> None:
        if not self.auto_page_size or self.size.height <= 0:
            return
        if not self._sized:
            self._sized = True
            self.pager.page_size = self._visible_rows()
            if self._fetch is not None:
                self.reload()
            return
        # Dragging a window edge sends many resizes: refetch once it settles.
        if self._resize_timer is not None:
            self._resize_timer.stop()
        self._resize_timer = self.set_timer(RESIZE_SETTLE_SECONDS, self._apply_resize)

    def _apply_resize(self) -> None:
        self._resize_timer = None
        rows = self._visible_rows()
        if rows == self.pager.page_size:
            return
        first = self.pager.offset
        self.pager.page_size = rows
        self.pager.offset = first // rows * rows  # the page holding the old first row
        self.reload()

    # -- what is shown -----------------------------------------------------------------

    @property
    def settled(self) -> bool:
        """The page asked for last is on screen, at the size the table now has (no load or
        resize pending): what a test or a screenshot may look at."""
        return (self._generation == self._shown_generation and self._resize_timer is None
                and (not self.auto_page_size or not self._sized
                     or self.pager.page_size == self._visible_rows()))

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The record dicts of the page on screen."""
        return list(self._rows)

    @property
    def current_row(self) -> dict[str, Any] | None:
        """The record under the cursor, if any."""
        index = self.table.cursor_row
        if 0 <= index < len(self._rows):
            return self._rows[index]
        return None

    def focus_table(self) -> None:
        self.table.focus()

    # -- loading -----------------------------------------------------------------------

    def set_source(self, fetch: Fetch, count: Count, *, keep_page: bool = False) -> None:
        """New callables (new filters): show their first page, or the same page."""
        self._fetch = fetch
        self._count = count
        if not keep_page:
            self.pager.offset = 0
        self.reload()

    def reload(self, *, select: Any = None) -> None:
        """Fetch the current page again; ``select`` puts the cursor on the row with that key."""
        if self._select_key is None or select is not None:
            self._select_key = select
        self._load(self.pager.offset)

    def next_page(self) -> None:
        if self.pager.has_next:
            self._load(self.pager.offset + self.pager.page_size, cursor=0, recount=False)

    def previous_page(self, cursor: str | int = 0) -> None:
        if self.pager.has_previous:
            self._load(self.pager.offset - self.pager.page_size, cursor=cursor,
                       recount=False)

    def first_page(self) -> None:
        self._load(0, cursor=0, recount=False)

    def last_page(self) -> None:
        self._load(self.pager.last_offset, cursor="last", recount=False)

    def _load(self, offset: int, *, cursor: str | int | None = None,
              recount: bool = True) -> None:
        """Show the page at ``offset``. A page turn (``recount=False``) keeps the total the
        last load counted: counting a million rows again costs more than the page itself, and
        a reload, a new filter or coming back to the list counts afresh."""
        fetch, count = self._fetch, self._count
        if fetch is None or count is None or not self._sized:
            return  # an automatic page size waits for the first layout (on_resize)
        self._generation += 1
        generation = self._generation
        self._pending_cursor = cursor
        page_size = self.pager.page_size
        self.query_one(".paged-status", Static).update(Text(t("tui.loading")))

        known = self.pager.total if not recount and self.pager.total > 0 else None

        def work() -> tuple[int, int, list[dict[str, Any]]]:
            total = count() if known is None else known
            pager = Pager(page_size=page_size, total=total)
            start = pager.clamp(offset)
            rows = list(fetch(start, page_size)) if total else []
            if known is not None and not rows and start > 0:
                # Rows have gone since the count: clamp against a fresh one.
                total = count()
                start = Pager(page_size=page_size, total=total).clamp(offset)
                rows = list(fetch(start, page_size)) if total else []
            return total, start, rows

        run_db(self, work, lambda result: self._show(generation, *result),
               group=f"paged-{id(self)}", exclusive=True)

    def _show(self, generation: int, total: int, offset: int, rows: list[dict[str, Any]]) -> None:
        if generation != self._generation:
            return  # a newer page was asked for meanwhile
        self._shown_generation = generation
        self.pager.total = total
        self.pager.offset = offset
        self._rows = rows
        previous_cursor = self.table.cursor_row
        self.table.clear()
        for index, row in enumerate(rows):
            key = row.get(self.row_key, offset + index)
            self.table.add_row(*(c.text(row, self.zone) for c in self.columns), key=str(key))
        self.query_one(".paged-status", Static).update(Text(self.pager.status(len(rows))))
        if rows:
            self.table.move_cursor(row=self._cursor_target(previous_cursor), animate=False)
        self.post_message(self.Loaded(self, total, rows))

    def _cursor_target(self, previous: int) -> int:
        if self._select_key is not None:
            wanted, self._select_key = self._select_key, None
            for index, row in enumerate(self._rows):
                if row.get(self.row_key) == wanted:
                    return index
        cursor = self._pending_cursor
        if cursor == "last":
            return len(self._rows) - 1
        if isinstance(cursor, int):
            return min(cursor, len(self._rows) - 1)
        return min(max(previous, 0), len(self._rows) - 1)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self.current_row
        if row is not None:
            self.post_message(self.Selected(self, row))
