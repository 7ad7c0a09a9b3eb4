"""jiedao-ledger's domain layer: the only package that knows the database.

Faces (the ``jiedao`` commands, the TUI) and scripts call the service modules with an
``Office`` from ``open_office``; each service function is one use case in one transaction.
"""

from ledger import _driver  # noqa: F401, I001  (first: peewee without the PostgreSQL driver)
from ledger.clock import Clock
from ledger.errors import (
    Conflict,
    InvalidTransition,
    LedgerError,
    NotFound,
    SchemaError,
    StorageError,
    ValidationError,
)
from ledger.office import Office, open_office

__all__ = [
    "Clock",
    "Conflict",
    "InvalidTransition",
    "LedgerError",
    "NotFound",
    "Office",
    "SchemaError",
    "StorageError",
    "ValidationError",
    "open_office",
]
