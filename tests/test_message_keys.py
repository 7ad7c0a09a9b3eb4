"""One key per error message: two keys whose texts are the same in both languages say the
same thing and should be one (areas share ``error.bad_date``, ``error.required``…)."""

from __future__ import annotations

import importlib
import pkgutil
from collections import defaultdict

import ledger.messages


def test_no_two_error_keys_say_the_same_thing():
    keys_of: dict[tuple[str, str], list[str]] = defaultdict(list)
    for info in pkgutil.iter_modules(ledger.messages.__path__):
        module = importlib.import_module(f"ledger.messages.{info.name}")
        for key, texts in getattr(module, "MESSAGES", {}).items():
            if key.startswith("error."):
                keys_of[tuple(texts)].append(key)
    assert {texts: keys for texts, keys in keys_of.items() if len(keys) > 1} == {}
