"""The ``jiedao`` click commands: parse arguments, call ledger, print tables or JSON."""
