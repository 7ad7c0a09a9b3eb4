"""`jiedao demo` builds the sample office once a day and copies it at later starts."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ledger.clock import Clock
from ledger.config import load_settings
from ledger.sample.template import copy_sample, template_key


def _fake_build(calls: list[Path]):
    def build(path: Path) -> None:
        calls.append(path)
        connection = sqlite3.connect(path)
        connection.execute("CREATE TABLE village (name TEXT)")
        connection.execute("INSERT INTO village VALUES ('许庄村')")
        connection.commit()
        connection.close()
    return build


def test_the_template_is_built_once_then_copied(tmp_path: Path) -> None:
    calls: list[Path] = []
    build = _fake_build(calls)
    for name in ("one.db", "two.db"):
        copied = copy_sample(tmp_path / name, key="k1", build=build, folder=tmp_path / "cache")
        assert copied
        rows = sqlite3.connect(tmp_path / name).execute("SELECT name FROM village").fetchall()
        assert rows == [("许庄村",)]
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o600
    assert len(calls) == 1
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["sample-k1.db"]


def test_an_unwritable_cache_builds_in_place(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be")
    calls: list[Path] = []
    assert not copy_sample(tmp_path / "demo.db", key="k", build=_fake_build(calls), folder=blocker)
    assert calls == [tmp_path / "demo.db"]


def test_old_templates_are_pruned(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    for n in range(5):
        copy_sample(tmp_path / f"d{n}.db", key=f"k{n}", build=_fake_build([]), folder=folder)
    assert len(list(folder.glob("sample-*.db"))) == 3
    assert (folder / "sample-k4.db").exists()


def test_the_key_follows_the_day_the_operator_and_the_settings() -> None:
    settings = load_settings(None)
    base = template_key(clock=Clock.at("2026-12-03"), operator="王芳", settings=settings)
    assert base == template_key(clock=Clock.at("2026-12-03"), operator="王芳", settings=settings)
    assert base != template_key(clock=Clock.at("2026-12-04"), operator="王芳", settings=settings)
    assert base != template_key(clock=Clock.at("2026-12-03"), operator="李强", settings=settings)
    other = settings.with_overrides({"office.language": "en"}, "test")
    assert base != template_key(clock=Clock.at("2026-12-03"), operator="王芳", settings=other)


def test_demo_builds_the_sample_at_the_first_start_only(jiedao, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    first = jiedao("demo")
    assert first.code == 0, first.err
    assert "building the sample office" in first.err
    templates = list((tmp_path / "xdg-cache").rglob("sample-*.db"))
    assert len(templates) == 1
    villages = sqlite3.connect(templates[0]).execute("SELECT count(*) FROM village").fetchone()
    assert villages == (9,)
    second = jiedao("demo")
    assert second.code == 0, second.err
    assert "building" not in second.err


def test_the_sample_reports_each_area_before_building_it(monkeypatch) -> None:
    import importlib

    from ledger import sample

    built: list[str] = []
    for area in sample.AREAS:
        module = importlib.import_module(f"ledger.sample.{area}")
        monkeypatch.setattr(module, "fill", lambda office, rng, area=area: built.append(area))
    heard: list[tuple[str, int, int]] = []
    sample.fill(None, progress=lambda area, done, total: heard.append((area, done, total)))
    assert built == list(sample.AREAS)
    assert heard == [(area, n, len(sample.AREAS)) for n, area in enumerate(sample.AREAS)]


def test_the_status_line_is_rewritten_in_place_closed_and_only_on_a_terminal(capsys) -> None:
    from commands.output import StatusLine, status_line
    from commands.setup import _building

    status = StatusLine()
    status.end()  # nothing shown yet: no empty line
    building = _building(status)
    assert building is not None
    building("members", 1, 7)
    building("tickets", 2, 7)
    status.end()
    assert capsys.readouterr().err == ("\r\x1b[Ksample office: committee members (2/7)"
                                       "\r\x1b[Ksample office: proxy tickets (3/7)\n")
    with status_line() as none:  # captured stderr is no terminal: a script hears nothing
        assert none is None and _building(none) is None
