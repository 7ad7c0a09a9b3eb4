"""Messages of the members area: key -> (Simplified Chinese, English)."""

MESSAGES: dict[str, tuple[str, str]] = {}
