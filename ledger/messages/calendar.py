"""Messages of the calendar area: key -> (Simplified Chinese, English)."""

MESSAGES: dict[str, tuple[str, str]] = {}
