"""The model base. Every table binds to one proxy that ``ledger.db`` points at the open office.

Conventions: instants are naive UTC ``DateTimeField``s; dates are ``DateField``s; coded values
are short ``CharField``s whose codes are listed in the owning service module.
"""

from __future__ import annotations

import threading
from typing import Any

from peewee import DatabaseProxy, Model


class OfficeDatabaseProxy(DatabaseProxy):
    """A proxy with a per-thread binding over a process-wide default.

    A process normally has one office; opening another in a thread (a second clerk in a test,
    a background job) binds that thread only, so two offices never swap databases under each
    other. Threads with no binding of their own (the TUI's workers) use the latest default.
    """

    __slots__ = ("_local", "_default")

    def __init__(self) -> None:
        object.__setattr__(self, "_local", threading.local())
        object.__setattr__(self, "_default", None)
        object.__setattr__(self, "_callbacks", [])

    @property
    def obj(self) -> Any:
        return getattr(self._local, "db", None) or self._default

    def initialize(self, obj: Any) -> None:
        object.__setattr__(self, "_default", obj)
        self._local.db = obj
        for callback in self._callbacks:
            callback(obj)

    def bind_thread(self, obj: Any) -> None:
        self._local.db = obj


database_proxy = OfficeDatabaseProxy()


class BaseModel(Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False
