"""Keep the PostgreSQL driver off the start-up path of SQLite commands.

peewee imports psycopg2 (and its ssl) when it is itself imported: about 12 ms of every
`jiedao` start, a third of a cron job's budget, for offices that mostly run SQLite. We import
peewee with the drivers hidden and hand psycopg2 to it when a ``postgresql://`` URL is opened.
This module must be imported before anything imports peewee (``ledger/__init__`` does).
"""

from __future__ import annotations

import importlib
import sys

_HIDDEN = ("psycopg2", "psycopg", "psycopg2cffi")


def import_peewee_without_drivers() -> None:
    if "peewee" in sys.modules:
        return
    saved = {name: sys.modules.get(name) for name in _HIDDEN if name in sys.modules}
    for name in _HIDDEN:
        if name not in saved:
            sys.modules[name] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        importlib.import_module("peewee")
    finally:
        for name in _HIDDEN:
            if name in saved:
                sys.modules[name] = saved[name]  # type: ignore[assignment]
            elif sys.modules.get(name, 0) is None:
                del sys.modules[name]


def enable_postgres() -> None:
    """Give peewee the psycopg2 driver it would have found at import time.

    Raises ImportError when psycopg2 is not installed.
    """
    import peewee

    if getattr(peewee, "psycopg2", None) is not None:
        return
    import psycopg2
    from psycopg2 import extensions
    from psycopg2.extras import Json, register_uuid

    register_uuid()
    peewee.psycopg2 = psycopg2
    peewee.pg_extensions = extensions
    peewee.pg_register_uuid = register_uuid
    peewee.Json_pg2 = Json
    # Set on the adapter class body only when the driver was present at import.
    adapter = peewee.Psycopg2Adapter
    adapter.txn_idle = extensions.TRANSACTION_STATUS_IDLE
    adapter.txn_inerror = extensions.TRANSACTION_STATUS_INERROR
    adapter.txn_unknown = extensions.TRANSACTION_STATUS_UNKNOWN


import_peewee_without_drivers()
