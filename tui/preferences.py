"""The clerk's choices for the app (language, theme): read at start, saved when changed.

They live in the settings file as ``tui.language`` and ``tui.theme`` (``ledger.config``
checks them like every key). A language given on the command line (``--lang``,
``JIEDAO_LANG``) wins over the saved one: it was asked for this very start.
"""

from __future__ import annotations

from typing import Any

from ledger import i18n
from ledger.config import APP_LANGUAGE, APP_THEME, Settings, save_settings
from ledger.office import Office

# Where an explicit language comes from (``commands.context.AppContext.settings``).
EXPLICIT_LANGUAGE = ("--lang", "JIEDAO_LANG")


def language_is_explicit(settings: Settings) -> bool:
    return settings.source("office.language") in EXPLICIT_LANGUAGE


def apply_language(settings: Settings) -> None:
    """Switch to the saved language, unless this start named one."""
    saved = settings[APP_LANGUAGE]
    if saved and not language_is_explicit(settings):
        i18n.set_language(saved)


KEYS = {"language": APP_LANGUAGE, "theme": APP_THEME}


def save(office: Office, **values: Any) -> None:
    """Save each keyword (``language``, ``theme``) into the settings file in use (the
    user's own when none was read), and keep the office's settings in step.
    A bad value or an unwritable file raises ``ConfigError``."""
    updates = {KEYS[name]: value for name, value in values.items()}
    path = save_settings(updates, office.settings.path)
    settings = office.settings.with_overrides(updates, str(path))
    settings.path = path
    office.settings = settings
