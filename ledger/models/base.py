"""The model base. Every table binds to one proxy that ``ledger.db`` points at the open office.

Conventions: instants are naive UTC ``DateTimeField``s; dates are ``DateField``s; coded values
are short ``CharField``s whose codes are listed in the owning service module.
"""

from __future__ import annotations

from peewee import DatabaseProxy, Model

database_proxy = DatabaseProxy()


class BaseModel(Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False
