"""Domain errors. Faces show ``err.message()``: one translated line, never a traceback."""

from __future__ import annotations

from typing import Any


class LedgerError(Exception):
    """Base of every error a user can cause. ``key`` names a catalogue message."""

    exit_code = 1

    def __init__(self, key: str, /, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self) -> str:
        from ledger.i18n import t

        return t(self.key, **self.params)

    def __str__(self) -> str:
        return self.message()


class ValidationError(LedgerError):
    """A value a user gave is wrong. ``field`` is the field's code name (``id_number``)."""

    def __init__(self, field: str, key: str, /, *, label: str | None = None,
                 **params: Any) -> None:
        super().__init__(key, **params)
        self.field = field
        # The label to show when the field's code name reads wrong for this record
        # ("name" is 名称 for a village or an item, 姓名 for a person).
        self.label = label or field

    def message(self) -> str:
        from ledger.i18n import field_label, t

        return t("error.field", field=field_label(self.label), detail=t(self.key, **self.params))

    def detail(self) -> str:
        """The message without the field name, for a form that shows it beside the field."""
        from ledger.i18n import t

        return t(self.key, **self.params)


class NotFound(LedgerError):
    def __init__(self, entity: str, ref: Any) -> None:
        super().__init__("error.not_found", entity=entity, ref=ref)

    def message(self) -> str:
        from ledger.i18n import entity_label, t

        return t("error.not_found", entity=entity_label(self.params["entity"]),
                 ref=self.params["ref"])


class InvalidTransition(LedgerError):
    """A state change the rules refuse: ``key`` says why."""


class Conflict(LedgerError):
    """The change clashes with what is stored (a duplicate, a concurrent edit)."""


class StaleVersion(Conflict):
    """An edit based on a version of the record that is no longer the stored one
    (``ledger.versions.check``). ``changes`` says, per field, what is stored now (``theirs``)
    and what the clerk wants (``yours``): ``[{"field", "theirs", "yours"}]``; a face shows
    both values."""

    def __init__(self, entity: str, ref: Any, *, yours: int, theirs: int,
                 changes: list[dict[str, Any]]) -> None:
        super().__init__("error.stale_version", entity=entity, ref=ref, yours=yours,
                         theirs=theirs)
        self.entity = entity
        self.ref = ref
        self.version = theirs
        self.seen_version = yours
        self.changes = changes

    def message(self) -> str:
        from ledger.i18n import entity_label, field_label, t
        from ledger.versions import shown

        parts = [t("error.stale_version.change", field=field_label(c["field"]),
                   theirs=shown(c["theirs"]), yours=shown(c["yours"])) for c in self.changes]
        return t("error.stale_version", entity=entity_label(self.entity), ref=self.ref,
                 yours=self.seen_version, theirs=self.version,
                 changes=t("error.stale_version.sep").join(parts)
                 or t("error.stale_version.no_fields"))


class StorageError(LedgerError):
    """The database cannot be opened or used."""


class SchemaError(LedgerError):
    """The database's schema version does not match the code."""


class ConfigError(LedgerError):
    """The settings file is malformed: a usage error."""

    exit_code = 2



class Unsupported(LedgerError):
    """The command does not apply to this kind of database (``jiedao backup`` on
    PostgreSQL, whose own tools do it): a usage error, exit 2, the message says what to use."""

    exit_code = 2
