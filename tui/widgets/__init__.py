"""Reusable widgets. Every screen is built from these; see each module's docstring.

- :class:`~tui.widgets.paged_table.PagedTable` — a list that fetches one page at a time.
- :class:`~tui.widgets.filter_bar.FilterBar` — a search box and choice filters.
- :class:`~tui.widgets.detail.DetailView` and :class:`~tui.widgets.timeline.Timeline` —
  a record's fields and its journal.
- :class:`~tui.widgets.form.FormScreen` — add/edit forms that show ledger's validation errors
  beside the field.
- :class:`~tui.widgets.confirm.ConfirmDialog` — yes/no before anything irreversible.
- :class:`~tui.widgets.palette.ActionsProvider` — the command palette lists the screen's
  actions.
"""

from tui.widgets.columns import Column
from tui.widgets.confirm import ConfirmDialog
from tui.widgets.detail import DetailView
from tui.widgets.filter_bar import Choice, FilterBar, FilterSpec
from tui.widgets.form import FieldSpec, Form, FormScreen
from tui.widgets.paged_table import PagedTable, Pager
from tui.widgets.timeline import Timeline

__all__ = [
    "Choice", "Column", "ConfirmDialog", "DetailView", "FieldSpec", "FilterBar", "FilterSpec",
    "Form", "FormScreen", "PagedTable", "Pager", "Timeline",
]
