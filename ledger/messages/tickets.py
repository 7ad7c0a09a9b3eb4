"""Messages of the tickets area: key -> (Simplified Chinese, English)."""

MESSAGES: dict[str, tuple[str, str]] = {}
