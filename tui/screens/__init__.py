"""The registry of the app's screens.

Each area adds one line to ``SCREENS`` and one module; the shell gives every entry an
app-wide key (or none past F11), a command palette entry and a place on the dashboard. A
module that does not exist fails loudly when its screen is built. A screen's module is
imported when its screen is first built, not when the app starts, so the first frame waits
for none of them (the app imports the rest in the background once the dashboard is painted:
``JiedaoApp.prepare``).
Conventions for a screen module:

- the class named in the entry subclasses :class:`tui.screens.base.LedgerScreen` and is
  built as ``cls(office)``;
- it reads the office's data only through ``ledger`` functions run with
  :func:`tui.dbwork.run_db` (``self.run_db(...)``);
- its title is ``t(title_key)``; its keys are ``BINDINGS`` made with
  :func:`tui.bindings.bind`, and the command palette lists them by themselves.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from textual.screen import Screen


@dataclass(frozen=True)
class ScreenEntry:
    """One screen of the app: ``key`` is its mode name, ``binding`` its app-wide key (empty:
    none, the palette and the dashboard reach it), ``quick`` its letter on the dashboard
    (default: the key's first letter)."""

    key: str
    module: str
    cls: str
    title_key: str
    binding: str
    quick: str = ""

    @property
    def quick_key(self) -> str:
        return self.quick or self.key[0]


SCREENS: tuple[ScreenEntry, ...] = (
    ScreenEntry("dashboard", "tui.screens.dashboard", "DashboardScreen",
                "tui.screen.dashboard", "f2"),
    ScreenEntry("members", "tui.screens.members", "MembersScreen", "tui.screen.members", "f3"),
    ScreenEntry("tickets", "tui.screens.tickets", "TicketsScreen", "tui.screen.tickets", "f4"),
    ScreenEntry("petitions", "tui.screens.petitions", "PetitionsScreen",
                "tui.screen.petitions", "f5"),
    ScreenEntry("training", "tui.screens.training", "TrainingScreen", "tui.screen.training",
                "f6", quick="n"),  # t is the tickets'

    ScreenEntry("staff", "tui.screens.staff", "StaffScreen", "tui.screen.staff", "f7"),
    ScreenEntry("roster", "tui.screens.roster", "RosterScreen", "tui.screen.roster", "f8"),
    ScreenEntry("decisions", "tui.screens.decisions", "DecisionsScreen",
                "tui.screen.decisions", "f9"),
    ScreenEntry("assessment", "tui.screens.assessment", "AssessmentScreen",
                "tui.screen.assessment", "f10"),
    # Past F10 the function keys run out (and terminals take F11 for full screen), so the
    # screens after the first nine are reached like the others through the palette and the
    # dashboard's letters, with F11 where the terminal lets it through.
    ScreenEntry("surveys", "tui.screens.surveys", "SurveysScreen", "tui.screen.surveys",
                "f11", quick="u"),
    ScreenEntry("reports", "tui.screens.reports", "ReportsScreen", "tui.screen.reports", "",
                quick="b"),
    ScreenEntry("villages", "tui.screens.villages", "VillagesScreen", "tui.screen.villages", ""),
    ScreenEntry("items", "tui.screens.items", "ItemsScreen", "tui.screen.items", ""),
    ScreenEntry("calendar", "tui.screens.calendar", "CalendarScreen", "tui.screen.calendar",
                ""),
    ScreenEntry("settings", "tui.screens.settings", "SettingsScreen", "tui.screen.settings",
                "f12", quick="o"),
)


def load(entry: ScreenEntry) -> type[Screen]:
    """The entry's screen class (its module is imported when first shown)."""
    screen_class: type[Screen] = getattr(importlib.import_module(entry.module), entry.cls)
    return screen_class


def available() -> list[tuple[ScreenEntry, type[Screen]]]:
    """Every registered screen with its class, in registry order (imports every module)."""
    return [(entry, load(entry)) for entry in SCREENS]
