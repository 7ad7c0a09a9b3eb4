"""The sample office built from the report (invented people, real structure and figures).

``fill(office)`` loads every area in order; each area's module has ``fill(office, rng)``.
Deterministic: the same seed gives the same office.
"""

from __future__ import annotations

import importlib
import random
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ledger.office import Office

AREAS = ("staff", "members", "tickets", "petitions", "training", "roster", "decisions")


def fill(office: Office, *, seed: int = 2015) -> None:
    rng = random.Random(seed)
    for area in AREAS:
        try:
            module = importlib.import_module(f"ledger.sample.{area}")
        except ModuleNotFoundError as exc:
            if exc.name == f"ledger.sample.{area}":
                continue
            raise
        module.fill(office, rng)
