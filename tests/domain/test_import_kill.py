"""An import killed with SIGKILL leaves the office whole (issue #13, "Crashes and backups").

A bounded run of ``bench/kill_import.py`` (which does the issue's 100,000 rows and ten kills
and prints the figures): a few kills of ``python -m jiedao import members FILE`` at random
points. After each the SQLite file passes ``integrity_check``, holds none or all of the
import's rows, ``db check`` passes, and running the import again finishes it.
"""

from __future__ import annotations

import pytest

from bench.kill_import import run


@pytest.mark.sqlite_only("SIGKILL of a subprocess writing a SQLite file, then its integrity_check")
def test_an_import_killed_at_random_points_leaves_none_or_all_of_its_rows(tmp_path):
    rows = 1200
    # The later half of the run, where the rows are being written and committed.
    full, rounds = run(rows, 3, "members", tmp_path, seed=5, low=0.5, echo=False)
    assert full > 0
    for result in rounds:
        assert result.integrity == "ok"
        assert result.found in (0, rows), f"{result.found} of {rows} rows after a kill"
        assert result.check_ok and result.rerun_check_ok
        assert result.after_rerun == rows
