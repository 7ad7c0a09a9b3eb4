"""Command palette provider: any record by its number, name or id.

Typing ``DB-2026-0042``, ``XF-2026``, ``许少伟``, ``xsw`` or a phone's last digits into the
palette (Ctrl+P) lists the records of every area that match, as each area's own search box
would find them (``ledger.search`` through the area's list function), and Enter opens the
record's detail screen. An area takes part by being a :class:`~tui.screens.base.ListScreen`
in the registry with a search box: nothing to register. Each area gives at most
``PER_AREA`` hits, and the lookups run on the database thread (awaited from a thread, so the
palette keeps answering keys while they run; a newer query cancels the wait for the older).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import Any

from rich.text import Text
from textual.command import Hit, Hits, Provider

from ledger.errors import LedgerError
from ledger.i18n import t
from tui import screens
from tui.screens.base import ListScreen

PER_AREA = 5
MIN_LENGTH = 2  # one character matches half of any table


class RecordsProvider(Provider):
    """Hits for the records whose number, name or id matches what was typed."""

    async def startup(self) -> None:
        office = getattr(self.app, "office", None)
        self._areas: list[tuple[str, ListScreen]] = []
        if office is None:
            return
        for entry, cls in screens.available():
            if issubclass(cls, ListScreen) and cls.SEARCH:
                # Never mounted: only its fetch, filter and detail screen are used.
                self._areas.append((t(entry.title_key), cls(office)))

    def _find(self, text: str) -> list[tuple[str, ListScreen, dict[str, Any]]]:
        found: list[tuple[str, ListScreen, dict[str, Any]]] = []
        for title, area in self._areas:
            try:
                rows = area.find_records(text, PER_AREA)
            except LedgerError:
                continue  # this area cannot read such text (a malformed number): no hits
            found += [(title, area, row) for row in rows]
        return found

    async def search(self, query: str) -> Hits:
        text = query.strip()
        is_id = text.removeprefix("#").isdigit()  # a record id may be one digit
        if (len(text) < MIN_LENGTH and not is_id) or not getattr(self, "_areas", None):
            return
        db_thread = getattr(self.app, "db_thread", None)
        call: Callable[[], list[tuple[str, ListScreen, dict[str, Any]]]] = partial(
            self._find, text)
        found = await asyncio.to_thread(db_thread.call if db_thread else (lambda f: f()),
                                        call)
        matcher = self.matcher(text)
        for title, area, row in found:
            label = f"{title}: {area.record_label(row)}"
            # Every hit matched in ledger (pinyin, a phone's tail): never score it zero.
            score = max(matcher.match(label), 0.5)
            # Names are what clerks typed: literal, never markup.
            yield Hit(score, Text(label), partial(self._open, area, row), text=label,
                      help=t("tui.palette.open"))

    def _open(self, area: ListScreen, row: dict[str, Any]) -> None:
        self.app.push_screen(area.detail_screen(row))
