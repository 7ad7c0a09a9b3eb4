"""Running ``jiedao`` in-process the way the console script does (errors, exit codes)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from commands.main import run


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def jiedao(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
           tmp_path) -> Callable[..., Result]:
    """``jiedao("--db", url, "members", "list")`` -> Result(code, out, err).

    Settings come from an empty file in tmp, the language is English, the operator fixed,
    and the date 2026-11-27 unless a test passes its own ``--as-of``.
    """
    config = tmp_path / "config.toml"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("JIEDAO_CONFIG", str(config))
    monkeypatch.setenv("JIEDAO_LANG", "en")
    monkeypatch.setenv("JIEDAO_OPERATOR", "tester")
    monkeypatch.delenv("JIEDAO_DB", raising=False)

    def call(*args: str) -> Result:
        argv = list(args)
        if "--as-of" not in argv:
            argv = ["--as-of", "2026-11-27T10:00:00+08:00", *argv]
        capsys.readouterr()
        code = run(argv)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return call
