"""One message catalogue, Simplified Chinese and English.

Each area keeps its messages in ``ledger/messages/<area>.py`` as
``MESSAGES = {key: (zh, en)}``; this module merges them. Keys:
``error.*`` errors, ``field.*`` field labels, ``entity.*`` record kinds,
``value.<kind>.<code>`` names of coded values, anything else free text.
"""

from __future__ import annotations

import importlib
import locale
import os
from functools import cache
from typing import Any

LANGUAGES = ("zh", "en")
AREAS = ("core", "members", "calendar", "tickets", "petitions", "training", "roster", "staff",
         "decisions", "surveys", "assessment", "tui", "help", "io", "backup", "reports")

_language = "en"
CONFLICTS: list[tuple[str, str]] = []


@cache
def catalogue() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for area in AREAS:
        module = importlib.import_module(f"ledger.messages.{area}")
        for key, value in module.MESSAGES.items():
            if key in merged and merged[key] != value:
                # Areas may share a label (field.name) only if they agree on its wording;
                # tests/test_i18n.py fails on a disagreement, the program keeps the first.
                CONFLICTS.append((key, area))
                continue
            merged[key] = value
    return merged


def normalise_language(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().lower().replace("-", "_")
    if value.startswith("zh"):
        return "zh"
    if value.startswith("en") or value in ("c", "posix"):
        return "en"
    return None


def language_from_locale() -> str | None:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        lang = normalise_language(os.environ.get(var))
        if lang:
            return lang
    try:
        return normalise_language(locale.getlocale()[0])
    except ValueError:
        return None


def set_language(lang: str) -> None:
    global _language
    norm = normalise_language(lang)
    if norm is None:
        from ledger.errors import ConfigError

        raise ConfigError("error.bad_language", value=lang)
    _language = norm


def get_language() -> str:
    return _language


def t(key: str, /, **params: Any) -> str:
    """The message ``key`` in the current language, formatted with ``params``.

    An unknown key shows itself, so a missing message is visible rather than fatal.
    """
    entry = catalogue().get(key)
    if entry is None:
        return key
    text = entry[0] if _language == "zh" else entry[1]
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def field_label(field: str) -> str:
    key = f"field.{field}"
    return t(key) if key in catalogue() else field


def entity_label(entity: str) -> str:
    key = f"entity.{entity}"
    return t(key) if key in catalogue() else entity


def value_label(kind: str, code: str | None) -> str:
    """The display name of a coded value, e.g. ``value_label("education", "bachelor")``."""
    if code is None:
        return ""
    key = f"value.{kind}.{code}"
    return t(key) if key in catalogue() else code
