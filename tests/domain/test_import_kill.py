"""An import killed with SIGKILL leaves the office whole (issue #13, "Crashes and backups").

A bounded run of ``bench/kill_import.py`` (which does the issue's 100,000 rows and ten kills
and prints the figures): a few kills of ``jiedao import members FILE`` spread over the whole
run, and one right after the commit (the child announces it and waits). After each the
database (SQLite: it passes ``integrity_check``) holds none or all of the import's rows, all
of them once the commit was announced, ``db check`` passes, and running the import again
finishes it. On PostgreSQL the killed process is the client: the server rolls back.
"""

from __future__ import annotations

from bench.kill_import import run


def test_an_import_killed_at_random_points_leaves_none_or_all_of_its_rows(db_url, tmp_path):
    backend = "postgresql" if db_url.startswith("postgres") else "sqlite"  # db_url: which one
    rows = 1200
    full, rounds = run(rows, 2, "members", tmp_path, seed=5, on_commit=1, backend=backend,
                       echo=False)
    assert full > 0
    for result in rounds:
        if backend == "sqlite":
            assert result.integrity == "ok"
        assert result.found in (0, rows), f"{result.found} of {rows} rows after a kill"
        assert result.check_ok and result.rerun_check_ok
        assert result.after_rerun == rows
    on_commit = rounds[-1]
    assert on_commit.killed and on_commit.announced and on_commit.found == rows
