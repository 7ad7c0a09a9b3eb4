"""The Textual face of jiedao-ledger.

Layout:
- ``tui.app``: ``JiedaoApp`` and ``run_app(office)``, the shell (header, footer, screen
  switching, the command palette).
- ``tui.screens``: one module per area; ``tui.screens.SCREENS`` is the registry the shell
  reads.
- ``tui.widgets``: the reusable pieces every screen is built from (paged list, filter bar,
  detail view with the journal timeline, form, confirmation dialog, palette provider).
- ``tui.dbwork``: how screens run ledger calls in worker threads.
- ``tui.bindings``: key bindings whose descriptions come from the message catalogue.

The TUI never touches the database itself: it calls ``ledger`` service functions and shows
the dicts they return.
"""
