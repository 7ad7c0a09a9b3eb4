"""The type checker passes over the code (configuration: [tool.mypy] in pyproject.toml)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(os.environ.get("JIEDAO_SKIP_TYPES") == "1",
                    reason="JIEDAO_SKIP_TYPES=1: the floors job checks behaviour, and types "
                           "are checked against the newest releases")
def test_mypy_finds_no_errors():
    # The package list and every setting come from pyproject.toml, so running `mypy` by hand
    # checks exactly what this test checks. The cache is mypy's own (.mypy_cache).
    result = subprocess.run([sys.executable, "-m", "mypy", "--config-file",
                             str(ROOT / "pyproject.toml")],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
