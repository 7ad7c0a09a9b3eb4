"""Every message exists in both languages, and every key the code uses is in the catalogue."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ledger import i18n

ROOT = Path(__file__).resolve().parent.parent
# Literal catalogue keys in the code: any "error.*" string, and the key argument of t(),
# the error classes and the label helpers.
KEY_PATTERN = re.compile(
    r"""["'](error\.[a-z0-9_.]+)["']"""
    r"""|\b(?:t|Error|Transition|Conflict|Denied|label)\(\s*(?:[\w.]+\s*,\s*)?["']"""
    r"""([a-z_]+\.[a-z0-9_.]+)["']""")
PLACEHOLDER = re.compile(r"{(\w+)}")


def test_every_message_has_both_languages():
    missing = [key for key, pair in i18n.catalogue().items()
               if len(pair) != 2 or not all(isinstance(s, str) and s.strip() for s in pair)]
    assert missing == [], f"messages without both zh and en: {missing}"


def test_areas_agree_on_shared_labels():
    i18n.catalogue()
    assert i18n.CONFLICTS == [], "keys defined differently in two areas (key, second area)"


def test_both_languages_take_the_same_placeholders():
    mismatched = [key for key, (zh, en) in i18n.catalogue().items()
                  if set(PLACEHOLDER.findall(zh)) != set(PLACEHOLDER.findall(en))]
    assert mismatched == []


def _used_keys() -> dict[str, str]:
    used: dict[str, str] = {}
    for folder in ("ledger", "commands", "tui"):
        for path in (ROOT / folder).rglob("*.py"):
            if "messages" in path.parts or "migrations" in path.parts:
                continue
            for match in KEY_PATTERN.finditer(path.read_text(encoding="utf-8")):
                key = match.group(1) or match.group(2)
                if key.endswith("."):
                    continue  # a prefix that code completes (f"value.{kind}.")
                used.setdefault(key, str(path.relative_to(ROOT)))
    return used


def test_every_key_used_in_code_is_in_the_catalogue():
    catalogue = i18n.catalogue()
    # "field.x" keys are optional (field_label falls back to the name) only if never used
    # literally; a literal use must exist.
    missing = {key: where for key, where in _used_keys().items() if key not in catalogue}
    assert missing == {}, f"keys used in code but not in the catalogue: {missing}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_translation_switches_language(lang):
    i18n.set_language(lang)
    text = i18n.t("error.id_checksum")
    assert ("校验" in text) == (lang == "zh")


def test_locale_picks_the_language(monkeypatch):
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    assert i18n.language_from_locale() == "zh"
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    assert i18n.language_from_locale() == "en"
