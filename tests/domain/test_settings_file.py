"""Saving settings (the app's language and theme) into the settings file, and what the
settings screen tells about the database in use."""

from __future__ import annotations

import stat
import tomllib

import pytest

from ledger import display, schema
from ledger.config import load_settings, save_settings
from ledger.errors import ConfigError


def test_saving_keeps_the_rest_of_the_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('# the office\n[office]\nname = "东城街道"  # ours\n\n'
                    '[tui]\ntheme = "textual-dark"\n', encoding="utf-8")
    save_settings({"tui.language": "zh", "tui.theme": "nord"}, path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith('# the office\n[office]\nname = "东城街道"  # ours\n')
    settings = load_settings(path)
    assert (settings["tui.language"], settings["tui.theme"]) == ("zh", "nord")
    assert settings["office.name"] == "东城街道"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_saving_creates_the_file_and_its_table(tmp_path):
    path = tmp_path / "new" / "config.toml"
    save_settings({"tui.language": "en"}, path)
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {"tui": {"language": "en"}}
    path.write_text('office.name = "甲"\n[remind]\nchannels = ["stdout"]\n', encoding="utf-8")
    save_settings({"tui.theme": "textual-light"}, path)
    save_settings({"tui.theme": "gruvbox"}, path)
    settings = load_settings(path)
    assert settings["tui.theme"] == "gruvbox" and settings["office.name"] == "甲"
    assert settings["remind.channels"] == ["stdout"]


@pytest.mark.parametrize("key, value", [("tui.language", "fr"), ("tui.theme", "Bad Theme!"),
                                        ("tui.nope", "x"), ("tui.theme", 3)])
def test_a_bad_value_is_refused_and_nothing_written(tmp_path, key, value):
    path = tmp_path / "config.toml"
    path.write_text("[tui]\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        save_settings({key: value}, path)
    assert path.read_text(encoding="utf-8") == "[tui]\n"


def test_a_file_the_edit_would_break_is_left_alone(tmp_path):
    path = tmp_path / "config.toml"
    original = 'tui = { language = "en" }\n'  # an inline table: no line to replace
    path.write_text(original, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        save_settings({"tui.language": "zh"}, path)
    assert caught.value.key == "error.config_not_saved"
    assert path.read_text(encoding="utf-8") == original


def test_the_database_in_use(office):
    info = schema.about(office)
    assert info["database_version"] == info["code_version"] > 0
    assert info["state"] == "current"
    assert info["size"] > 0
    assert info["backend"] == ("postgresql" if office.is_postgres else "sqlite")
    assert display.byte_size(info["size"]).endswith(("KB", "MB"))


def test_the_url_shown_has_no_password(office, monkeypatch):
    monkeypatch.setattr(office, "url", "postgresql://clerk:s3cret@db.example/office"
                        if office.is_postgres else office.url)
    shown = schema.about(office)["url"]
    assert "s3cret" not in shown
    if office.is_postgres:
        assert shown == "postgresql://clerk:***@db.example/office"


def test_byte_sizes():
    assert [display.byte_size(n) for n in (None, 0, 512, 1536, 5 * 1024**3)] == [
        "", "0 B", "512 B", "1.5 KB", "5.0 GB"]
