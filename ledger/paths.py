"""Where settings, data and caches live: the platform's conventions (platformdirs).

On Linux and the BSDs the XDG rules are read directly: importing platformdirs costs a few
milliseconds on every start of every cron job, for three environment lookups.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "jiedao-ledger"


def _xdg(variable: str, fallback: str) -> Path:
    value = os.environ.get(variable, "").strip()
    base = Path(value) if value and os.path.isabs(value) else Path.home() / fallback
    return base / APP


def _posix() -> bool:
    return sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd"))


def config_dir() -> Path:
    if _posix():
        return _xdg("XDG_CONFIG_HOME", ".config")
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP))


def data_dir() -> Path:
    if _posix():
        return _xdg("XDG_DATA_HOME", ".local/share")
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP))


def cache_dir() -> Path:
    if _posix():
        return _xdg("XDG_CACHE_HOME", ".cache")
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP))
