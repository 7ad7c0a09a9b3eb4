"""Every command's help speaks Simplified Chinese and English, from the one catalogue.

The help of ``jiedao`` and of every command below it (areas, their commands, the step
commands of tickets and petitions) comes from ``help.*`` keys in ``ledger/messages/help.py``;
``commands/helptext.py`` looks them up when ``--help`` is asked.
"""

from __future__ import annotations

import re

import click
import pytest

from commands.helptext import ROOT_KEY, _width, walk
from commands.main import cli
from ledger import i18n

CJK = re.compile(r"[\u4e00-\u9fff]")
# click's own help keys, used whatever the command
GENERAL_KEYS = {"help.usage", "help.options", "help.arguments", "help.opt.help"}


def _tree() -> list[tuple[list[str], click.Command, click.Context]]:
    return list(walk(cli, cli.context_class(cli, info_name="jiedao", **cli.context_settings)))


TREE = _tree()
PATHS = [path for path, _, _ in TREE]


def _documented(cmd: click.Command, ctx: click.Context) -> list[click.Parameter]:
    """The parameters whose help the reader sees: options (arguments have none)."""
    return [p for p in cmd.get_params(ctx) if isinstance(p, click.Option)]


def _flat(text: str) -> str:
    return "".join(text.replace("\b", "").split())


def test_the_walk_reaches_every_area_and_the_step_commands():
    names = {" ".join(p) for p in PATHS}
    assert {"", "init", "demo", "db status", "audit log", "config show", "villages add",
            "members add-post", "items retire", "calendar load", "tickets list",
            "tickets withdraw", "petitions accept", "petitions recompute-deadlines"} <= names


@pytest.mark.parametrize("path", PATHS, ids=[" ".join(p) or "jiedao" for p in PATHS])
def test_help_key_follows_the_command_path(path):
    cmd = dict((tuple(p), c) for p, c, _ in TREE)[tuple(path)]
    assert cmd.help_key == ("help." + ".".join(path) if path else ROOT_KEY)


def test_help_text_lives_only_in_the_catalogue():
    """No docstring or help= left in commands/: the catalogue is the one source."""
    in_code = [(" ".join(path), cmd.help) for path, cmd, _ in TREE if cmd.help]
    in_code += [(" ".join(path), p.name) for path, cmd, ctx in TREE
                for p in cmd.params if getattr(p, "help", None)
                and p.name != "version"]  # click's --version brings its own English
    assert in_code == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_command_and_option_has_help_in_both_languages(lang):
    i18n.set_language(lang)
    catalogue = i18n.catalogue()
    missing = [cmd.help_key for _, cmd, _ in TREE if cmd.help_key not in catalogue]
    missing += [f"{cmd.help_key} {p.name}" for _, cmd, ctx in TREE
                for p in _documented(cmd, ctx) if cmd.param_help(ctx, p) is None]
    assert missing == []
    if lang == "zh":
        english = [(cmd.help_key, p.name) for _, cmd, ctx in TREE for p in _documented(cmd, ctx)
                   if not CJK.search(cmd.param_help(ctx, p) or "")]
        english += [cmd.help_key for _, cmd, _ in TREE if not CJK.search(cmd.full_help())]
        assert english == []


def test_every_help_key_is_used():
    """Each key is what some command, or some parameter, resolves to (no stale fallbacks)."""
    catalogue = i18n.catalogue()
    resolved = set(GENERAL_KEYS)
    for _, cmd, ctx in TREE:
        resolved.update({cmd.help_key, cmd.help_key + ".short"})
        for param in cmd.get_params(ctx):
            resolved.add(next((k for k in cmd.param_keys(ctx, param) if k in catalogue), ""))
    unused = sorted(k for k in catalogue if k.startswith("help.") and k not in resolved)
    assert unused == []


@pytest.mark.parametrize("path", PATHS, ids=[" ".join(p) or "jiedao" for p in PATHS])
def test_help_renders_in_both_languages(jiedao, path):
    zh = jiedao("--lang", "zh", *path, "--help")
    en = jiedao("--lang", "en", *path, "--help")
    assert (zh.code, en.code) == (0, 0), zh.err + en.err
    assert zh.out != en.out
    cmd, ctx = next((c, x) for p, c, x in TREE if p == path)
    for lang, result in (("zh", zh), ("en", en)):
        i18n.set_language(lang)
        shown = _flat(result.out)
        texts = [cmd.full_help()] + [cmd.param_help(ctx, p) or "" for p in _documented(cmd, ctx)]
        assert [t for t in texts if _flat(t) not in shown] == []
        if lang == "zh":
            assert all(CJK.search(t) for t in texts)
            # Chinese lines are wrapped by the columns a terminal gives them
            assert [line for line in result.out.splitlines()
                    if CJK.search(line) and _width(line) > 80] == []


def test_tickets_list_tells_of_overdue_in_chinese(jiedao):
    zh = jiedao("--lang", "zh", "tickets", "list", "--help")
    assert zh.code == 0
    line = next(line for line in zh.out.splitlines() if line.strip().startswith("--overdue"))
    assert "已超过到期日" in line
    assert "列出代办件" in zh.out and "用法:" in zh.out and "选项:" in zh.out
    assert "-h, --help" in zh.out
    en = jiedao("--lang", "en", "tickets", "list", "--help")
    assert "Past the due date" in en.out and "Usage:" in en.out
    # the page size is the command's constant, in both languages
    assert "表格时50行" in _flat(zh.out) and "50inatable" in _flat(en.out)


def test_a_groups_list_of_commands_is_in_chinese(jiedao):
    out = jiedao("--lang", "zh", "tickets", "--help").out
    commands = out.split("命令:")[1].splitlines()
    rows = {line.split()[0]: line for line in commands if line.strip()}
    assert "受理一件代办件" in rows["open"]
    assert "申请人撤回" in rows["withdraw"]
    assert all(CJK.search(row) for row in rows.values())


def test_the_environment_chooses_the_language_of_help(jiedao, monkeypatch):
    monkeypatch.setenv("JIEDAO_LANG", "zh")
    assert "核验哈希链" in jiedao("audit", "--help").out
    monkeypatch.setenv("JIEDAO_LANG", "en")
    assert "hash chain" in jiedao("audit", "--help").out
