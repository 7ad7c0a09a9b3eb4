"""Settings, data and cache folders follow the platform's rules (XDG on Linux)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ledger import paths


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG rules are Linux's")
def test_xdg_variables_and_their_fallbacks(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_DATA_HOME", "relative/is/ignored")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert paths.config_dir() == tmp_path / "cfg" / "jiedao-ledger"
    assert paths.data_dir() == tmp_path / "home" / ".local/share" / "jiedao-ledger"
    assert paths.cache_dir() == tmp_path / "home" / ".cache" / "jiedao-ledger"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG rules are Linux's")
def test_the_same_answers_as_platformdirs(monkeypatch, tmp_path: Path):
    import platformdirs

    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    assert str(paths.config_dir()) == platformdirs.user_config_dir("jiedao-ledger")
    assert str(paths.data_dir()) == platformdirs.user_data_dir("jiedao-ledger")
    assert str(paths.cache_dir()) == platformdirs.user_cache_dir("jiedao-ledger")
