"""The demo's sample office, built once and copied at every start.

Building the sample takes seconds (and far longer on a busy machine); a clerk trying the
app should not watch a blank screen for that. The first `jiedao demo` of a day builds it
into the cache folder as a clean single file (``VACUUM INTO``); later starts copy that
file. The template's name is a digest of everything the sample depends on — the office's
date, the operator, the settings, and the code of ``ledger`` itself — so a change to any
of them builds a new one, and a stale template is never shown.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

from ledger import paths
from ledger.clock import Clock
from ledger.config import Settings

KEEP = 3  # templates kept in the cache folder; older ones (other days, other code) go


def template_key(*, clock: Clock, operator: str, settings: Settings) -> str:
    digest = hashlib.sha256()
    digest.update(clock.today().isoformat().encode())
    digest.update(b"\0" + operator.encode())
    digest.update(b"\0" + repr([(key, value) for key, value, _ in settings.effective()]).encode())
    root = Path(__file__).resolve().parent.parent
    for path in sorted(root.rglob("*.py")):
        stat = path.stat()
        digest.update(f"\0{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:24]


def copy_sample(target: Path, *, key: str, build: Callable[[Path], None],
                folder: Path | None = None) -> bool:
    """Put the sample office in ``target`` (a new SQLite file); True when it was copied.

    ``build(path)`` makes the sample in a new file at ``path``. When the cache folder
    cannot be written, the sample is built in place: slower, never wrong.
    """
    folder = folder or paths.cache_dir() / "demo"
    template = folder / f"sample-{key}.db"
    if not template.exists():
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            _make_template(template, build)
        except OSError:
            build(target)
            return False
    shutil.copyfile(template, target)
    os.chmod(target, 0o600)
    return True


def _make_template(template: Path, build: Callable[[Path], None]) -> None:
    with tempfile.TemporaryDirectory(dir=template.parent) as tmp:
        scratch = Path(tmp) / "build.db"
        build(scratch)
        packed = Path(tmp) / "packed.db"
        connection = sqlite3.connect(scratch)
        try:
            # One file, no WAL beside it: safe to copy while nothing has it open.
            connection.execute("VACUUM INTO ?", (str(packed),))
        finally:
            connection.close()
        os.chmod(packed, 0o600)
        os.replace(packed, template)  # atomic: two demos starting at once both see a whole file
    _prune(template.parent, keep=template)


def _prune(folder: Path, *, keep: Path) -> None:
    others = sorted((p for p in folder.glob("sample-*.db") if p != keep),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    for old in others[KEEP - 1:]:
        try:
            old.unlink()
        except OSError:
            pass
