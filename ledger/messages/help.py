"""Help text of the ``jiedao`` commands and options: key -> (Simplified Chinese, English)."""

MESSAGES: dict[str, tuple[str, str]] = {}
