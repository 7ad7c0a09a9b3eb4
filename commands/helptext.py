"""Help text from the catalogue: every command, option and argument speaks the chosen language.

click renders help only when ``--help`` is asked, after ``commands.main.run`` has chosen the
language, so the text is looked up at that moment. Keys follow the command's path below
``jiedao`` (the root itself is ``help.jiedao``):

    help.<area>                        an area's group (``jiedao tickets --help``)
    help.<area>.<command>              a command's help; its first sentence is the line in the
                                       group's list of commands
    help.<area>.<command>.short        that line, when the first sentence will not do
    help.<area>.<command>.opt.<name>   an option's help (<name>: the parameter's name)
    help.<area>.<command>.arg.<name>   an argument's help (optional)

An option's key falls back to its group's (``help.<area>.opt.<name>``), then to
``help.opt.<name>``, so options every command shares (``--json``) are written once.
A command's ``help_params`` fill ``{placeholders}`` in its texts.

Commands get this by being a ``LocalizedCommand`` (``@group.command`` on a
``LocalizedGroup`` makes one) and carry no docstring or ``help=`` of their own.
"""

from __future__ import annotations

import copy
import inspect
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import click

from ledger.i18n import catalogue, get_language, t

ROOT_KEY = "help.jiedao"
# click's own shortening of an English help (private since 8.5, public and deprecated there)
# (Any: which of the two exists, and how it is typed, depends on the installed click).
_click_short_help: Any = (getattr(click.utils, "_make_default_short_help", None)
                          or click.utils.make_default_short_help)
_SENTENCE_ENDS = ("。", "；", "！", "？")


def _width(text: str) -> int:
    """Columns a terminal gives ``text`` (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _is_wide(text: str) -> bool:
    return any(unicodedata.east_asian_width(c) in "WF" for c in text)


# Chinese lines break between any two characters, but not before closing punctuation.
_TOKEN = re.compile(r"\s+|[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+|.")
_NO_LINE_START = set("，。、；：？！）》」』")
_NO_LINE_END = set("（《「『")


def _wrap(text: str, width: int) -> list[str]:
    """``text`` (one paragraph) in lines of at most ``width`` columns, counted as a terminal
    counts them; a word longer than a line gets a line of its own."""
    tokens: list[str] = []
    for token in _TOKEN.findall(re.sub(r"\s*\n\s*", " ", text.strip())):
        if tokens and (token[0] in _NO_LINE_START or tokens[-1][-1] in _NO_LINE_END):
            tokens[-1] += token
        else:
            tokens.append(token)
    lines, line = [], ""
    for token in tokens:
        if line and _width(line.rstrip() + token) > width and not token.isspace():
            lines.append(line.rstrip())
            line = ""
        if line or not token.isspace():
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _wrap_paragraphs(text: str, width: int, indent: str) -> str:
    """click's paragraph rules (a paragraph after a ``\\b`` line is kept as written) with
    ``_wrap`` for the lines."""
    out = []
    for paragraph in text.split("\n\n"):
        lines = paragraph.splitlines()
        if lines and lines[0].strip() == "\b":
            out.append("\n".join(indent + line for line in lines[1:]))
        else:
            out.append("\n".join(indent + line
                                  for line in _wrap(paragraph, width - len(indent))))
    return "\n\n".join(out)


class HelpFormatter(click.HelpFormatter):
    """click's formatter, wrapping Chinese text by the columns it takes on a terminal."""

    def write_text(self, text: str) -> None:
        if not _is_wide(text):
            super().write_text(text)
            return
        self.write(_wrap_paragraphs(text, self.width, " " * self.current_indent) + "\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30,
                 col_spacing: int = 2) -> None:
        rows = list(rows)
        if not any(_is_wide(second) for _, second in rows):
            super().write_dl(rows, col_max, col_spacing)
            return
        first_col = min(max(len(first) for first, _ in rows), col_max) + col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if len(first) <= first_col - col_spacing:
                self.write(" " * (first_col - len(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            width = max(self.width - first_col - 2, 10)
            lines = (_wrap(second, width) if _is_wide(second) else
                     click.formatting.wrap_text(second, width, preserve_paragraphs=True)
                     .splitlines()) or [""]
            pad = " " * (first_col + self.current_indent)
            self.write("\n".join([lines[0], *(pad + line for line in lines[1:])]) + "\n")


class HelpContext(click.Context):
    formatter_class = HelpFormatter


def _shorten(text: str, limit: int) -> str:
    if _width(text) <= limit:
        return text
    out, used = "", 0
    for char in text:
        used += _width(char)
        if used > limit - 1:
            break
        out += char
    return out.rstrip() + "…"


class _Localized:
    """What ``LocalizedCommand`` and ``LocalizedGroup`` share (a mixin over click.Command)."""

    context_class: type[click.Context] = HelpContext

    help_key: str
    help_params: Mapping[str, Any]
    params: list[click.Parameter]

    def _text(self, key: str) -> str | None:
        if key not in catalogue():
            return None
        return t(key, **self.help_params)

    def param_keys(self, ctx: click.Context, param: click.Parameter) -> Iterator[str]:
        """The keys tried, most specific first, for an option's (or argument's) help."""
        if param is self.get_help_option(ctx):  # type: ignore[attr-defined]
            yield "help.opt.help"
            return
        kind = "arg" if isinstance(param, click.Argument) else "opt"
        parts = self.help_key.split(".")
        while parts:
            yield ".".join([*parts, kind, str(param.name)])
            parts.pop()

    def param_help(self, ctx: click.Context, param: click.Parameter) -> str | None:
        for key in self.param_keys(ctx, param):
            text = self._text(key)
            if text is not None:
                return text
        return None

    def _localized(self, ctx: click.Context, param: click.Parameter) -> click.Parameter:
        text = self.param_help(ctx, param)
        if text is None:
            return param
        shown = copy.copy(param)  # the command keeps its own; help is only rendered
        shown.help = text
        return shown

    # --- the pieces of click.Command's help, in the chosen language ---------------------

    def full_help(self) -> str:
        text = self._text(self.help_key)
        if text is None:  # not in the catalogue (yet): the command's own docstring
            return inspect.cleandoc(self.help or "")  # type: ignore[attr-defined]
        return text

    def get_short_help_str(self, limit: int = 45) -> str:
        short = self._text(self.help_key + ".short")
        if short is not None:
            return _shorten(short, limit)
        text = self.full_help()
        if get_language() == "zh":
            return _shorten(_first_sentence(text), limit)
        return str(_click_short_help(text, limit))

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=t("help.usage") + " ")

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        text = self.full_help()
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(text)

    def format_arguments(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        args = [self._localized(ctx, p) for p in self.get_params(ctx)  # type: ignore[attr-defined]
                if isinstance(p, click.Argument)]
        if any(getattr(arg, "help", None) is not None for arg in args):  # click >= 8.5
            with formatter.section(t("help.arguments")):
                formatter.write_dl([arg.get_help_record(ctx) for arg in args])  # type: ignore

    def format_own_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            if isinstance(param, click.Argument):
                continue
            record = self._localized(ctx, param).get_help_record(ctx)
            if record is not None:
                rows.append(record)
        if rows:
            with formatter.section(t("help.options")):
                formatter.write_dl(rows)


def _first_sentence(text: str) -> str:
    """A Chinese text's first sentence (up to 。 or ； outside brackets), on one line."""
    paragraph = " ".join(text.partition("\n\n")[0].replace("\b", "").split())
    depth = 0
    for i, char in enumerate(paragraph):
        depth += (char in "（(") - (char in "）)")
        if depth == 0 and char in _SENTENCE_ENDS:
            return paragraph[:i]
    return paragraph


class LocalizedCommand(_Localized, click.Command):
    """A command whose help comes from the catalogue (``help.<area>.<command>…``)."""

    def __init__(self, name: str | None, *args: Any,
                 help_params: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(name, *args, **kwargs)
        self.help_key = f"help.{name}"
        self.help_params = dict(help_params or {})

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self.format_own_options(ctx, formatter)


class LocalizedGroup(_Localized, click.Group):
    """A group whose help, and whose commands' help, come from the catalogue."""

    command_class = LocalizedCommand

    def __init__(self, name: str | None = None, *args: Any,
                 help_params: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(name, *args, **kwargs)
        self.help_key = f"help.{name}"
        self.help_params = dict(help_params or {})

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        super().add_command(cmd, name)
        _rekey(cmd, f"{self.help_key}.{name or cmd.name}")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self.format_own_options(ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        names = self.list_commands(ctx)
        width = max((len(n) for n in names), default=0)
        for name in names:
            cmd = self.get_command(ctx, name)
            if cmd is None or cmd.hidden:
                continue
            rows.append((name, cmd.get_short_help_str(formatter.width - 6 - width)))
        if rows:
            with formatter.section(t("cli.commands")):
                formatter.write_dl(rows)


def _rekey(cmd: click.Command, key: str) -> None:
    if isinstance(cmd, _Localized):
        cmd.help_key = key
    if isinstance(cmd, click.Group):
        for name, sub in cmd.commands.items():
            _rekey(sub, f"{key}.{name}")


def walk(cmd: click.Command, ctx: click.Context
         ) -> Iterator[tuple[list[str], click.Command, click.Context]]:
    """Every command below ``cmd`` (itself first) with its path of names and a context for it
    (a child of ``ctx``, so it inherits the help option's names): for the tests."""
    yield ctx.command_path.split()[1:], cmd, ctx
    if isinstance(cmd, click.Group):
        for name in cmd.list_commands(ctx):
            sub = cmd.get_command(ctx, name)
            if sub is not None:
                yield from walk(sub, sub.context_class(sub, parent=ctx, info_name=name,
                                                        **sub.context_settings))
