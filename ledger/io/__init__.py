"""Batch import and export of every record kind (``jiedao import`` / ``jiedao export``)."""

from ledger.io.export import FORMATS, neutralise, write_export
from ledger.io.importer import MODES, ImportResult, parse_mapping, run_import
from ledger.io.kinds import KINDS, get_kind, kind_names
from ledger.io.readers import FileError

__all__ = ["FORMATS", "KINDS", "MODES", "FileError", "ImportResult", "get_kind", "kind_names",
           "neutralise", "parse_mapping", "run_import", "write_export"]
