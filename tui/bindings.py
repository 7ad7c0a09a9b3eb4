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


def translate_bindings(bindings: BindingsMap) -> BindingsMap:
    """A copy of ``bindings`` with catalogue-key descriptions translated."""
    keys: dict[str, list[Binding]] = {}
    for key, items in bindings.key_to_bindings.items():
        keys[key] = [
            dataclasses.replace(b, description=t(b.description)) if _is_key(b.description) else b
            for b in items
        ]
    return BindingsMap.from_keys(keys)


class Translated:
    """Mixin: translate this node's binding descriptions when it is constructed."""

    _bindings: BindingsMap

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._bindings = translate_bindings(self._bindings)
