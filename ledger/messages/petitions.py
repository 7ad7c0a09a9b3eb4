"""Messages of the petitions area: key -> (Simplified Chinese, English)."""

MESSAGES: dict[str, tuple[str, str]] = {}
