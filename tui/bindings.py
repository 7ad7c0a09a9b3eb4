"""Key bindings whose descriptions come from the message catalogue.

Textual reads ``BINDINGS`` when a class is created, before the command line has chosen the
language, so a binding's description is written as a catalogue key (``"tui.key.add"``) and
translated when the node is built. Use :class:`Translated` as the first base of a screen,
widget or app and write bindings with :func:`bind`::

    class TicketsScreen(Translated, LedgerScreen):
        BINDINGS = [bind("a", "add", "tui.key.add")]
"""

from __future__ import annotations

import dataclasses
from typing import Any

from textual.binding import Binding, BindingsMap

from ledger.i18n import t


def bind(key: str, action: str, description_key: str, *, show: bool = True,
         priority: bool = False, key_display: str | None = None) -> Binding:
    """A binding whose description is the catalogue key ``description_key``."""
    return Binding(key, action, description_key, show=show, priority=priority,
                   key_display=key_display)


def _is_key(text: str) -> bool:
    return text.startswith("tui.")


def translate_bindings(bindings: BindingsMap) -> tuple[BindingsMap, set[tuple[str, str]]]:
    """A copy of ``bindings`` with catalogue-key descriptions translated, and the
    ``(key, action)`` pairs that were translated (the app's own actions)."""
    keys: dict[str, list[Binding]] = {}
    ours: set[tuple[str, str]] = set()
    for key, items in bindings.key_to_bindings.items():
        keys[key] = []
        for b in items:
            if _is_key(b.description):
                b = dataclasses.replace(b, description=t(b.description))
                ours.add((b.key, b.action))
            keys[key].append(b)
    return BindingsMap.from_keys(keys), ours


class Translated:
    """Mixin: translate this node's binding descriptions when it is constructed.

    ``own_bindings`` remembers which bindings are the app's own actions (as opposed to
    Textual's defaults such as focus-next): the command palette lists those.
    """

    _bindings: BindingsMap

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._bindings, self.own_bindings = translate_bindings(self._bindings)

    def retranslate(self) -> None:
        """Translate the class's bindings again (after a language switch); bindings added
        at run time are gone and must be added again."""
        merged = type(self)._merged_bindings  # type: ignore[attr-defined]
        self._bindings, self.own_bindings = translate_bindings(
            merged.copy() if merged is not None else BindingsMap())

    def add_binding(self, key: str, action: str, description: str, *, show: bool = True
                    ) -> None:
        """Bind ``key`` at run time (``description`` already translated)."""
        self._bindings._add_binding(Binding(key, action, description, show=show))
        self.own_bindings.add((key, action))
