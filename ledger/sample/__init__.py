"""The sample office built from the report (invented people, real structure and figures).

``fill(office)`` loads every area in order; each area's module has ``fill(office, rng)``.
Deterministic: the same seed gives the same office. ``progress(area, done, total)`` hears of
each area before it is loaded (a face shows it: the whole takes seconds).
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ledger.office import Office

AREAS = ("staff", "members", "tickets", "petitions", "training", "roster", "decisions")

Progress = Callable[[str, int, int], None]


def fill(office: Office, *, seed: int = 2015, progress: Progress | None = None) -> None:
    rng = random.Random(seed)
    for done, area in enumerate(AREAS):
        if progress is not None:
            progress(area, done, len(AREAS))
        try:
            module = importlib.import_module(f"ledger.sample.{area}")
        except ModuleNotFoundError as exc:
            if exc.name == f"ledger.sample.{area}":
                continue
            raise
        module.fill(office, rng)
