"""Hostile text: values a user (or a file someone sent) may hold that break naive code —
markup a rich console would parse, escape sequences a terminal would act on, control
characters, very long values, bidirectional marks, emoji and rare CJK, SQL-ish text.

``HOSTILE`` is a plain list of ``(label, value)`` pairs, shared by the domain, command line
and TUI tests (``from hostile import HOSTILE``: pyproject's ``pythonpath`` puts the tests'
folder's parent first, and the tests import their siblings by name, as ``rawdb``).

Every value is stored as typed and shown literally (the command line escapes control
characters, JSON stays valid, the app draws ``rich.text.Text``), except two refusals naming
the field: a NUL (``ledger.fields.no_nul``: PostgreSQL cannot store it) and a value longer
than its field (``LONG``). ``refused(value, max_length)`` says which.
``MALFORMED_UTF8`` are files' bytes that are neither UTF-8 nor GB18030.
"""

from __future__ import annotations

LONG = "长" * 5000 + "x" * 5000  # 10,000 characters, no spaces

HOSTILE: list[tuple[str, str]] = [
    # Rich markup: a console parsing it would style, link or crash ("[/]" closes nothing).
    ("markup", "[bold red]x[/]"),
    ("markup close", "[/]"),
    ("markup link", "[link=file:///etc/passwd]x[/link]"),
    # ANSI escapes: colour, an OSC 8 hyperlink, clear screen.
    ("ansi colour", "\x1b[31mred\x1b[0m"),
    ("ansi link", "\x1b]8;;file:///etc/passwd\x07x\x1b]8;;\x07"),
    ("ansi clear", "\x1b[2J"),
    # Control characters.
    ("carriage return", "a\rb"),
    ("newline", "a\nb"),
    ("nul", "a\x00b"),
    ("delete", "a\x7fb"),
    ("backspace", "a\x08b"),
    ("c1 csi", "a\x9bb"),
    # Very long, no spaces.
    ("long", LONG),
    # Mixed scripts and right-to-left marks.
    ("rtl override", "\u202eevil.exe"),
    ("rtl mark", "名\u200f字"),
    ("arabic chinese", "مرحبا许少伟"),
    # Emoji, a ZWJ sequence, rare CJK (Ext B).
    ("emoji", "😀许"),
    ("emoji zwj", "👨\u200d👩\u200d👧\u200d👦家"),
    ("cjk ext b", "𠀀𪚥"),
    # SQL-ish text and LIKE wildcards.
    ("sql quote", "' OR 1=1 --"),
    ("sql drop", "x'); DROP TABLE person; --"),
    ("percent", "%"),
    ("underscore", "_"),
    ("backslash", "\\"),
    ("double quote", '"x"'),
]


def refused(value: str, max_length: int) -> str | None:
    """The error key a text field of ``max_length`` refuses ``value`` with, or None."""
    if "\x00" in value:
        return "error.nul"
    if len(value.strip()) > max_length:
        return "error.too_long"
    return None


# Bytes of a file that no reader decodes: invalid UTF-8 that GB18030 refuses too.
MALFORMED_UTF8: list[tuple[str, bytes]] = [
    ("lone continuation", "名称,代码\n许庄村,V01\n".encode() + b"\x80\xff,V02\n"),
    ("truncated sequence", "名称,代码\n".encode() + b"\xe8\xae,V03\n\xff\xfe\xfd,V04\n"),
]
