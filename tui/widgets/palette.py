"""Command palette provider: every action the current screen offers, by its footer name.

The palette (Ctrl+P) lists the bindings active where it was opened that the app itself
declares — made with :func:`tui.bindings.bind` or ``Translated.add_binding`` on a screen, the
app (screen switching) or a widget — including those hidden from the footer, so every action is
reachable by typing part of its name. Textual's own keys (cursor moves, copy, focus) are
left out: they are not actions of the records. Nothing to register: a screen's ``BINDINGS``
are its actions. The app lists this provider in ``COMMANDS``.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.bindings import Translated

# Actions that make no sense from the palette (the palette itself, leaving it).
_SKIP = {"command_palette", "app.command_palette", "help_quit", "app.help_quit"}


class ActionsProvider(Provider):
    """Hits for the active bindings of the screen the palette was opened from."""

    def _actions(self) -> Iterator[tuple[str, str, object]]:
        seen: set[tuple[str, str]] = set()
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if binding.system or binding.action in _SKIP or not binding.description:
                continue
            if not active.enabled or not isinstance(active.node, Translated):
                continue
            if (binding.key, binding.action) not in active.node.own_bindings:
                continue
            ident = (binding.action, binding.description)
            if ident in seen:
                continue
            seen.add(ident)
            shown_key = binding.key_display or self.app.get_key_display(binding)
            callback = partial(self.app.run_action, binding.action, active.node)
            yield binding.description, shown_key or key, callback

    async def discover(self) -> Hits:
        for description, key, callback in sorted(self._actions(), key=lambda a: a[0]):
            yield DiscoveryHit(description, callback, help=key)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for description, key, callback in self._actions():
            score = matcher.match(description)
            if score > 0:
                yield Hit(score, matcher.highlight(description), callback,  # type: ignore[arg-type]
                          help=key)
