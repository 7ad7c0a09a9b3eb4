"""Messages of the TUI's own chrome (titles, bindings): key -> (Simplified Chinese, English)."""

MESSAGES: dict[str, tuple[str, str]] = {}
