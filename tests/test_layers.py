"""The architecture holds: the import contracts, and a fast, Textual-free command path."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold():
    lint = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    result = subprocess.run([lint, "--config", str(ROOT / "pyproject.toml")], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def _modules_after(code: str) -> set[str]:
    probe = code + "\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                         text=True, timeout=60, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_help_and_cron_paths_do_not_import_textual():
    code = ("from commands.main import run\n"
            "import contextlib, io\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    run(['--help'])\n")
    modules = _modules_after(code)
    assert not any(m == "textual" or m.startswith("textual.") for m in modules)
    assert "tui" not in modules


def test_ledger_imports_without_any_face():
    modules = _modules_after("import ledger, ledger.journal, ledger.db")
    assert not {"click", "textual", "commands", "tui"} & modules


HEAVY = ("textual", "tui", "holidays", "pypinyin", "openpyxl", "chinese_calendar")


def test_no_area_loads_heavy_libraries_to_parse_its_command_line():
    """Every area's help, and its list command's, answer without the TUI, the holiday
    library, pinyin or spreadsheets (cron jobs and scripts start as fast as ``--help``)."""
    from commands.main import AREAS

    calls = [[area, "--help"] for area in AREAS] + [
        [area, "list", "--help"] for area in ("villages", "members", "items", "tickets",
                                              "petitions")]
    code = ("from commands.main import run\n"
            "import contextlib, io\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    for args in {calls!r}:\n"
            "        assert run(args) == 0, args\n")
    modules = _modules_after(code)
    loaded = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert not loaded
