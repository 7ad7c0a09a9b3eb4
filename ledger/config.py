"""Office settings: defaults, overlaid by a TOML file, overlaid by the environment and flags.

Every key is declared in ``SETTINGS`` with its default and type; an unknown key in the file is
an error that names the file and line. ``Settings.source(key)`` says where a value came from.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ledger.errors import ConfigError

# key -> (default, type, allowed values or None). Later areas add their keys here.
SETTINGS: dict[str, tuple[Any, type, tuple[Any, ...] | None]] = {
    "office.name": ("示范街道办事处", str, None),
    "office.timezone": ("Asia/Shanghai", str, None),
    "office.language": ("", str, ("", "zh", "en")),
    "terms.years_before_2018": (3, int, None),
    "terms.years_since_2018": (5, int, None),
    "tickets.due_soon_working_days": (2, int, None),
    "tickets.number_prefix": ("DB", str, None),
    "petitions.number_prefix": ("XF", str, None),
    "petitions.day_counting": ("calendar", str, ("calendar", "working")),
    "petitions.due_soon_days": (3, int, None),
    "petitions.repeat_window_days": (365, int, None),
    "petitions.categories": (
        ["land_demolition", "resettlement_housing", "village_finances",
         "neighbour_dispute", "social_security", "other"],
        list,
        None,
    ),
    # Credit hours (学时) each member in office should earn a year; 0: no requirement.
    "training.required_hours": (20, int, None),
}


def default_config_path() -> Path:
    from ledger.paths import config_dir

    return config_dir() / "config.toml"


@dataclass
class Settings:
    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    path: Path | None = None

    def __getitem__(self, key: str) -> Any:
        if key in self.values:
            return self.values[key]
        return SETTINGS[key][0]

    def get(self, key: str, default: Any = None) -> Any:
        if key in self.values or key in SETTINGS:
            return self[key]
        return default

    def source(self, key: str) -> str:
        return self.sources.get(key, "default")

    def with_overrides(self, overrides: Mapping[str, Any], source: str) -> Settings:
        values = dict(self.values)
        sources = dict(self.sources)
        for key, value in overrides.items():
            values[key] = _coerce(key, value, source, None)
            sources[key] = source
        return Settings(values, sources, self.path)

    def effective(self) -> list[tuple[str, Any, str]]:
        return [(key, self[key], self.source(key)) for key in SETTINGS]


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = value
    return out


def _line_of(text: str, key: str) -> int:
    """The line where a dotted key is set, for error messages (best effort)."""
    section, _, leaf = key.rpartition(".")
    current = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        head = re.match(r"^\[([^\]]+)\]", stripped)
        if head:
            current = head.group(1).strip()
            if current == key:
                return number
            continue
        if re.match(rf"^\"?{re.escape(leaf)}\"?\s*=", stripped) and current == section:
            return number
        if re.match(rf"^{re.escape(key)}\s*=", stripped):
            return number
    return 0


def _coerce(key: str, value: Any, where: str, line: int | None) -> Any:
    if key not in SETTINGS:
        raise ConfigError("error.config_unknown_key", key=key, where=where, line=line or "?")
    default, kind, allowed = SETTINGS[key]
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if not ok and kind is int and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value, ok = int(value), True
    if not ok or (allowed is not None and value not in allowed):
        raise ConfigError("error.config_bad_value", key=key, where=where, line=line or "?",
                          value=value)
    return value


def load_settings(path: str | os.PathLike[str] | None = None, *,
                  explicit: bool = False) -> Settings:
    """Read the settings file. A missing default file is fine; a missing named one is not."""
    target = Path(path) if path else default_config_path()
    if not target.exists():
        if explicit:
            raise ConfigError("error.config_missing", where=str(target))
        return Settings(path=None)
    import tomllib  # only when there is a file: most cron runs have none

    try:
        text = target.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise ConfigError("error.config_syntax", where=str(target),
                          line=match.group(1) if match else "?",
                          detail=str(exc).split(" (at")[0]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError("error.config_unreadable", where=str(target), detail=str(exc)) from None
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for key, value in _flatten(data).items():
        values[key] = _coerce(key, value, str(target), _line_of(text, key))
        sources[key] = str(target)
    return Settings(values, sources, target)
