"""Text users typed reaches the terminal as text: control characters (an escape sequence that
retitles the window, a CR or newline that splits a table row) are shown as escapes in
tables, records, info lines and error lines; JSON stays valid and gives the value back
exactly; markup-looking text, CJK (𠀀) and emoji are printed as they are."""

from __future__ import annotations

import json

import pytest

from commands.output import json_safe, visible

HOSTILE = ["[/]", "[bold red]x[/]", "[link=http://x]a[/]", "\x1b]0;pwn\a", "a\rb\nc",
           "长" * 60, "😀𠀀家", "\u202eevil"]
# Characters a terminal acts on: none may be printed raw.
RAW = ("\x1b", "\a", "\r", "\u202e")


def raw_free(text: str) -> bool:
    return not any(c in text for c in RAW)


@pytest.fixture
def office_url(jiedao, db_url: str) -> str:
    assert jiedao("--db", db_url, "villages", "add", "--name", "许庄村", "--code", "V01").code == 0
    assert jiedao("--db", db_url, "items", "add", "--code", "R11", "--name", "护理补贴",
                  "--category", "残疾人服务", "--level", "district", "--limit", "20",
                  "--materials", "身份证|户口簿").code == 0
    return db_url


def test_visible_escapes_controls_and_keeps_ordinary_text():
    assert visible("\x1b]0;pwn\a") == "\\x1b]0;pwn\\x07"
    assert visible("a\rb\nc\td") == "a\\rb\\nc\\td"
    assert visible("\u202eevil\x9b") == "\\u202eevil\\x9b"
    for text in ("许少伟", "[bold red]x[/]", "😀𠀀", "a, b、c", ""):
        assert visible(text) == text
    # JSON keeps its own layout; what json.dumps leaves raw is escaped, the value unchanged.
    dumped = json.dumps({"n": "a\x9bb\u202ec\n"}, ensure_ascii=False, indent=2)
    assert raw_free(json_safe(dumped)) and "\x9b" not in json_safe(dumped)
    assert json.loads(json_safe(dumped)) == {"n": "a\x9bb\u202ec\n"}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_member_name_is_printed_literally(jiedao, office_url, name):
    added = jiedao("--db", office_url, "members", "add", "--name", name, "--village", "V01",
                   "--post", "committee_member", "--json")
    assert added.code == 0, added.err
    member = json.loads(added.out)
    assert member["name"] == name  # stored as typed
    listed = jiedao("--db", office_url, "members", "list")
    shown = jiedao("--db", office_url, "members", "show", str(member["id"]))
    for result in (listed, shown):
        assert result.code == 0, result.err
        assert raw_free(result.out) and raw_free(result.err)
        assert visible(name) in result.out
    # One table row per member: a newline in a name does not split it.
    assert len(listed.out.rstrip("\n").splitlines()) == 3  # header, rule, the member
    as_json = jiedao("--db", office_url, "members", "show", str(member["id"]), "--json")
    assert raw_free(as_json.out) and json.loads(as_json.out)["name"] == name
    edited = jiedao("--db", office_url, "members", "edit", str(member["id"]), "--notes", "n")
    assert edited.code == 0 and raw_free(edited.err)  # "updated <name>" on stderr
    assert visible(name) in edited.err


def test_a_ticket_applicant_is_printed_literally(jiedao, office_url):
    name = "\x1b]0;pwn\a[bold red]x[/]\r\n𠀀"
    opened = jiedao("--db", office_url, "tickets", "open", "--item", "R11", "--name", name,
                    "--village", "V01", "--materials", "all", "--json")
    assert opened.code == 0, opened.err
    number = json.loads(opened.out)["number"]
    for args in (("tickets", "list"), ("tickets", "show", number)):
        result = jiedao("--db", office_url, *args)
        assert result.code == 0, result.err
        assert raw_free(result.out) and visible(name) in result.out
    streamed = jiedao("--db", office_url, "tickets", "list", "--json")
    assert raw_free(streamed.out) and json.loads(streamed.out)[0]["applicant_name"] == name


def test_a_petition_summary_is_printed_literally(jiedao, office_url):
    summary = "a\rb\nc \x1b[2J [link=http://x]a[/] 😀"
    registered = jiedao("--db", office_url, "petitions", "register", "--channel", "visit",
                        "--category", "other", "--summary", summary, "--petitioner",
                        "[/]", "--json")
    assert registered.code == 0, registered.err
    number = json.loads(registered.out)["number"]
    shown = jiedao("--db", office_url, "petitions", "show", number)
    assert shown.code == 0, shown.err
    assert raw_free(shown.out) and visible(summary) in shown.out and "[/]" in shown.out


def test_an_error_line_quoting_a_bad_value_shows_its_controls(jiedao, office_url):
    bad = "\x1b]0;pwn\a\nV9"
    result = jiedao("--db", office_url, "members", "add", "--name", "张三", "--village", bad,
                    "--post", "committee_member")
    assert result.code == 1
    assert raw_free(result.err) and result.err.count("\n") == 1  # one line
    assert visible(bad) in result.err
    missing = jiedao("--db", office_url, "tickets", "show", "\x1b[2J")
    assert missing.code == 1 and raw_free(missing.err) and missing.err.count("\n") == 1
