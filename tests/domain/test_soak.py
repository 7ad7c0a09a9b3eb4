"""Several writers on one office at once lose nothing and never meet "database is locked"
(issue #13): a bounded run of ``bench/soak.py`` (which does the issue's 50,000 rows for up
to a minute and prints the figures). A clerk in the TUI (Pilot) and a second clerk edit the
same members, ``jiedao remind`` runs every second and ``jiedao import members`` adds rows,
all at once; then every saved edit is the journaled change from the version its clerk saw
(none lost), the chain verifies, ``db check`` passes and the counts add up."""

from __future__ import annotations

from bench.soak import soak


def test_clerks_reminders_and_an_import_at_once_lose_nothing(db_url, tmp_path):
    backend = "postgresql" if db_url.startswith("postgres") else "sqlite"
    figures = soak(db_url, tmp_path, backend=backend, rows=1000, seconds=2.0,
                   import_after=0.5, tail=0.5, limit=120.0)
    assert figures.problems() == [], "\n".join(figures.lines())
    assert figures.locked == 0 and figures.lost == []
    assert figures.members_added == 1000 and figures.tui.saved
