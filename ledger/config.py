"""Office settings: defaults, overlaid by a TOML file, overlaid by the environment and flags.

Every key is declared in ``SETTINGS`` with its default, type and check; an unknown key or a
bad value in the file is an error that names the file and line, when the settings are loaded
(not later, in the middle of some command). ``Settings.source(key)`` says where a value came
from.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ledger.errors import ConfigError

# A check returns None when the value is fine, else (message key, params) for the error.
Problem = tuple[str, dict[str, Any]] | None
Check = Callable[[Any], Problem]

# Yearly numbers are PREFIX-YYYY-NNNN and found by that shape (``tickets.find_ticket``): a
# prefix it would not match makes every number unfindable.
NUMBER_PREFIX_RE = re.compile(r"[A-Z]{1,10}")
TEXT_MAX = 100
LONG_TEXT_MAX = 1000


@dataclass(frozen=True)
class Between:
    """An integer from ``low`` to ``high``: a number outside is a typo, not a policy."""

    low: int
    high: int

    def __call__(self, value: Any) -> Problem:
        if not self.low <= value <= self.high:
            return "error.config_out_of_range", {"min": self.low, "max": self.high}
        return None


def is_timezone(value: Any) -> Problem:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return "error.config_bad_timezone", {}
    return None


def is_number_prefix(value: Any) -> Problem:
    if not NUMBER_PREFIX_RE.fullmatch(value):
        return "error.config_bad_prefix", {}
    return None


def _clean_text(value: Any, *, longest: int = TEXT_MAX, blank: bool = False) -> bool:
    return (isinstance(value, str) and (blank or bool(value.strip())) and len(value) <= longest
            and not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in value))


def is_text(value: Any) -> Problem:
    """A name: not blank, not long, no control characters (it is printed on every report)."""
    return None if _clean_text(value) else ("error.config_bad_text", {"max": TEXT_MAX})


def is_plain_text(value: Any) -> Problem:
    """Any text without control characters (a host name, a path); blank is allowed."""
    if _clean_text(value, longest=LONG_TEXT_MAX, blank=True):
        return None
    return "error.config_bad_plain_text", {"max": LONG_TEXT_MAX}


def is_text_list(value: Any) -> Problem:
    """A non-empty list of distinct texts (codes people choose from)."""
    if (not value or not all(_clean_text(v) for v in value)
            or len({v.strip() for v in value}) != len(value)):
        return "error.config_bad_list", {"max": TEXT_MAX}
    return None


REMIND_CHANNELS = ("stdout", "email", "webhook")


def is_channel_list(value: Any) -> Problem:
    """Reminder channels: distinct names among ``REMIND_CHANNELS`` (an unknown one is a
    configuration error, found before anything is sent)."""
    if (not value or not all(isinstance(v, str) and v in REMIND_CHANNELS for v in value)
            or len(set(value)) != len(value)):
        return "error.config_bad_channels", {"choices": ", ".join(REMIND_CHANNELS)}
    return None


def is_env_name(value: Any) -> Problem:
    """An environment variable's name (blank: none)."""
    if value == "" or re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,99}", value):
        return None
    return "error.config_bad_env_name", {}


# The app's keys (written by its settings screen), named once for the faces.
APP_LANGUAGE = "tui.language"
APP_THEME = "tui.theme"
THEME_NAME_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")


def is_theme_name(value: Any) -> Problem:
    """A colour theme's name as the app knows them (``textual-dark``); blank: the default.
    A name the app does not have is not an error: it starts with its default."""
    if value == "" or THEME_NAME_RE.fullmatch(value):
        return None
    return "error.config_bad_theme", {}


# What a key declared without a check of its own must satisfy, by type: a backstop against
# absurd values. Declare a ``Between`` (or another check) for a key with a range of its own.
DEFAULT_CHECKS: dict[type, Check] = {int: Between(0, 100_000), str: is_plain_text,
                                     list: is_text_list}

# key -> (default, type, allowed values, a check, or None for the type's default check).
# Later areas add their keys here.
SETTINGS: dict[str, tuple[Any, type, tuple[Any, ...] | Check | None]] = {
    "office.name": ("示范街道办事处", str, is_text),
    "office.timezone": ("Asia/Shanghai", str, is_timezone),
    "office.language": ("", str, ("", "zh", "en")),
    "terms.years_before_2018": (3, int, Between(1, 10)),
    "terms.years_since_2018": (5, int, Between(1, 10)),
    "tickets.due_soon_working_days": (2, int, Between(0, 60)),
    "tickets.number_prefix": ("DB", str, is_number_prefix),
    "petitions.number_prefix": ("XF", str, is_number_prefix),
    "petitions.day_counting": ("calendar", str, ("calendar", "working")),
    "petitions.due_soon_days": (3, int, Between(0, 60)),
    "petitions.repeat_window_days": (365, int, Between(1, 3650)),
    "petitions.categories": (
        ["land_demolition", "resettlement_housing", "village_finances",
         "neighbour_dispute", "social_security", "other"],
        list,
        None,
    ),
    # Credit hours (学时) each member in office should earn a year; 0: no requirement.
    "training.required_hours": (20, int, Between(0, 1000)),
    # Reminders (jiedao remind): what is told, to whom, over which channels.
    "remind.channels": (["stdout"], list, is_channel_list),
    "remind.lead_working_days": (2, int, Between(0, 60)),
    "remind.escalate_after_working_days": (3, int, Between(0, 250)),
    "remind.supervisor": ("", str, is_plain_text),  # a staff id or name, or an email address
    "remind.email.host": ("", str, is_plain_text),
    "remind.email.port": (587, int, Between(1, 65535)),
    "remind.email.security": ("starttls", str, ("starttls", "tls", "none")),
    "remind.email.username": ("", str, is_plain_text),
    # The NAME of the environment variable holding the password: never the password itself.
    "remind.email.password_env": ("", str, is_env_name),
    "remind.email.sender": ("", str, is_plain_text),
    "remind.email.timeout_seconds": (30, int, Between(1, 600)),
    "remind.webhook.timeout_seconds": (10, int, Between(1, 600)),
    # The app's own choices, made on its settings screen (blank: the locale's language, the
    # default theme). --lang and JIEDAO_LANG still win over tui.language.
    "tui.language": ("", str, ("", "zh", "en")),
    "tui.theme": ("", str, is_theme_name),
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


def _shown(value: Any) -> str:
    """A value as the file would spell it, control characters escaped, cut short."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:59] + "…"


def _coerce(key: str, value: Any, where: str, line: int | None) -> Any:
    if key not in SETTINGS:
        raise ConfigError("error.config_unknown_key", key=key, where=where, line=line or "?")
    default, kind, rule = SETTINGS[key]
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if not ok and kind is int and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value, ok = int(value), True
    if not ok or (isinstance(rule, tuple) and value not in rule):
        raise ConfigError("error.config_bad_value", key=key, where=where, line=line or "?",
                          value=_shown(value))
    if isinstance(rule, tuple):
        return value
    check = rule if rule is not None else DEFAULT_CHECKS.get(kind)
    problem = check(value) if check is not None else None
    if problem is not None:
        message, params = problem
        raise ConfigError(message, key=key, where=where, line=line or "?", value=_shown(value),
                          **params)
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


def save_settings(updates: Mapping[str, Any], path: str | os.PathLike[str] | None = None
                  ) -> Path:
    """Write ``updates`` (declared keys, checked as when read) into the settings file ``path``
    (default: the user's), keeping everything else in it, comments included. Returns the file.

    Each key's line is replaced where the file sets it, else added under its table (the
    table is added at the end when missing). The new text must read back with exactly the
    old values plus the updates, or nothing is written; the file is replaced atomically and
    stays private (0600): it may name a mail server's user.
    """
    import tomllib

    target = Path(path) if path else default_config_path()
    values = {key: _coerce(key, value, str(target), None) for key, value in updates.items()}
    try:
        old = target.read_text(encoding="utf-8") if target.exists() else ""
        before = _flatten(tomllib.loads(old))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError("error.config_unreadable", where=str(target), detail=str(exc)) from None
    text = old
    for key, value in values.items():
        text = _with_value(text, key, value)
    try:
        after = _flatten(tomllib.loads(text))
    except tomllib.TOMLDecodeError:
        after = None
    if after != {**before, **values}:
        raise ConfigError("error.config_not_saved", where=str(target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, target)
    except OSError as exc:
        raise ConfigError("error.config_unwritable", where=str(target), detail=str(exc)) from None
    return target


def _with_value(text: str, key: str, value: Any) -> str:
    """``text`` with ``key`` set to ``value`` (a TOML line), by the rules of save_settings."""
    table, _, leaf = key.rpartition(".")
    rendered = json.dumps(value, ensure_ascii=False)  # a JSON string or number is TOML too
    lines = text.splitlines()
    number = _line_of(text, key)
    if number and not lines[number - 1].lstrip().startswith("["):
        spelled = key if lines[number - 1].lstrip().startswith(key) else leaf
        lines[number - 1] = f"{spelled} = {rendered}"
        return "\n".join(lines) + "\n"
    for index, line in enumerate(lines):
        if re.fullmatch(rf"\s*\[\s*{re.escape(table)}\s*\]\s*(#.*)?", line):
            lines.insert(index + 1, f"{leaf} = {rendered}")
            return "\n".join(lines) + "\n"
    head = text.rstrip("\n") + "\n\n" if text.strip() else ""
    return f"{head}[{table}]\n{leaf} = {rendered}\n"
