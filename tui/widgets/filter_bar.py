"""A search box and choice filters above a list.

The bar knows nothing of any area: the screen describes its filters and receives their
values as a dict whenever one changes::

    FilterBar(search_placeholder_key="tui.members.search_hint", filters=[
        FilterSpec("village", "field.village", choices=[Choice(v["code"], v["name"]) ...]),
        FilterSpec("education", "field.education", codes=EDUCATION_LEVELS, kind="education"),
    ])

    def on_filter_bar_changed(self, event: FilterBar.Changed) -> None:
        event.values  # {"search": "xsw", "village": "V01", "education": None}

Typing is debounced (a page is fetched once the clerk pauses), choices apply at once.
``/`` focuses the search box from anywhere on the screen (a binding of the screen); Enter
in the box applies the search at once (``Changed.submitted``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Select
from textual.widgets.select import InvalidSelectValueError

from ledger.i18n import t, value_label

DEBOUNCE_SECONDS = 0.3


@dataclass(frozen=True)
class Choice:
    """One option: the value passed to ledger and the text the clerk sees."""

    value: Any
    label: str


def code_choices(rows: Sequence[dict[str, Any]]) -> list[Choice]:
    """Records with a ``code`` and a ``name`` (villages, items) as ``code name`` choices."""
    return [Choice(r["code"], f"{r['code']} {r['name']}") for r in rows]


@dataclass(frozen=True)
class FilterSpec:
    """A choice filter. Options come from ``choices``, or from ``codes`` named through
    ``value_label(kind, code)``. ``default`` is the value selected at first; ``blank_key``
    labels the empty choice ("all") and ``allow_blank=False`` removes it."""

    name: str
    label_key: str
    choices: Sequence[Choice] = field(default_factory=tuple)
    codes: Sequence[str] = field(default_factory=tuple)
    kind: str | None = None
    default: Any = None
    allow_blank: bool = True
    blank_key: str = "tui.filter.all"

    def options(self) -> list[tuple[Text, Any]]:
        # Labels name records clerks typed (a village, an agent): literal, never markup.
        if self.choices:
            return [(Text(c.label), c.value) for c in self.choices]
        return [(Text(value_label(self.kind, c) if self.kind else c), c) for c in self.codes]


class FilterBar(Horizontal):
    """Search input plus one ``Select`` per :class:`FilterSpec`; posts :class:`Changed`."""

    DEFAULT_CSS = """
    FilterBar { height: 1; margin: 0 0 1 0; }
    FilterBar > Input { width: 2fr; min-width: 16; background: $boost; margin: 0 1 0 0; }
    FilterBar > Select { width: 1fr; max-width: 26; margin: 0 1 0 0; }
    """

    class Changed(Message):
        """The filter values changed. ``values`` maps ``search`` and each filter's name to
        its value (``None`` for blank/all)."""

        def __init__(self, bar: FilterBar, values: dict[str, Any], *,
                     submitted: bool = False) -> None:
            super().__init__()
            self.bar = bar
            self.values = values
            self.submitted = submitted
            """True when the clerk pressed Enter: the screen may move focus to its list."""

        @property
        def control(self) -> FilterBar:
            return self.bar

    def __init__(self, filters: Sequence[FilterSpec] = (), *,
                 search_placeholder_key: str = "tui.search_hint", search: bool = True,
                 initial: Mapping[str, Any] | None = None,
                 id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self.filters = list(filters)
        self.initial = dict(initial or {})  # values to start with instead of the defaults
        self._placeholder_key = search_placeholder_key
        self._with_search = search
        self._timer: Timer | None = None
        # What the screen starts with, known before the widgets are: a choice made before
        # the bar's own mount handler ran (a key pressed at once) is still a change, and a
        # Select reporting its initial value is none.
        self._last: dict[str, Any] = {"search": None} if search else {}
        for spec in self.filters:
            self._last[spec.name] = self.initial.get(spec.name, spec.default)

    def compose(self) -> ComposeResult:
        if self._with_search:
            yield Input(placeholder=t(self._placeholder_key), id="filter-search", compact=True)
        for spec in self.filters:
            value = self.initial.get(spec.name, spec.default)
            value = Select.NULL if value is None else value
            yield Select(spec.options(), prompt=f"{t(spec.label_key)}: {t(spec.blank_key)}",
                         allow_blank=spec.allow_blank, value=value, id=f"filter-{spec.name}",
                         tooltip=t(spec.label_key), compact=True)

    @property
    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        if self._with_search:
            text = self.query_one("#filter-search", Input).value.strip()
            values["search"] = text or None
        for spec in self.filters:
            value = self.query_one(f"#filter-{spec.name}", Select).value
            values[spec.name] = None if value is Select.NULL else value
        return values

    def set_values(self, values: Mapping[str, Any]) -> None:
        """Set the filters named in ``values``, every other one back to its default, and
        clear the search; the screen hears of it once (one ``Changed``)."""
        if self._with_search:
            self.query_one("#filter-search", Input).value = ""
        for spec in self.filters:
            value = values.get(spec.name, spec.default)
            select = self.query_one(f"#filter-{spec.name}", Select)
            try:
                select.value = Select.NULL if value is None else value
            except InvalidSelectValueError:  # not among the choices (gone since): all
                select.value = Select.NULL
        if self._timer is not None:
            self._timer.stop()
        self._announce(submitted=True)

    def focus_search(self) -> None:
        if self._with_search:
            self.query_one("#filter-search", Input).focus()

    def _announce(self, submitted: bool = False) -> None:
        self._timer = None
        values = self.values
        if values == self._last and not submitted:
            return
        self._last = values
        self.post_message(self.Changed(self, values, submitted=submitted))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_SECONDS, self._announce)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # Enter applies at once (no waiting for the debounce); the screen moves to its list.
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._announce(submitted=True)

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._announce()
