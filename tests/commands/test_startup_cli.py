"""Starting ``jiedao`` the ways a new clerk, a script and cron do: the first ``init``, no
terminal, odd global options and arguments, databases that are not (or not yet) ours.

Each refusal is one line, the right exit code, and writes nothing."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from commands.main import run
from ledger import open_office

ROOT = Path(__file__).resolve().parents[2]


def _one_line(err: str) -> str:
    assert "Traceback" not in err and "internal error" not in err, err
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh install: no default database yet (the data directory is empty)."""
    data = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    return data / "jiedao-ledger"


def _tables(path: Path) -> list[str]:
    with sqlite3.connect(path) as raw:
        return [r[0] for r in raw.execute("SELECT name FROM sqlite_master ORDER BY name")]


# --- init --------------------------------------------------------------------------------------

def test_init_on_a_fresh_install_creates_the_default_database(jiedao, home: Path):
    first = jiedao("init")
    assert first.code == 0, first.err
    assert "created" in first.err and "already" not in first.err
    assert (home / "ledger.db").exists()
    again = jiedao("init")
    assert again.code == 1 and "already" in _one_line(again.err)


def test_init_on_an_older_database_refuses_without_upgrading_it(jiedao, tmp_path: Path):
    from playhouse.migrations import Runner

    from ledger import db as dbmod

    path = tmp_path / "old.db"
    database = dbmod.connect(f"sqlite:///{path}", create=True)
    Runner(database, dbmod.MIGRATIONS_DIR, table_name=dbmod.HISTORY_TABLE).up("0001_foundation")
    database.close()
    before = _tables(path)
    result = jiedao("--db", str(path), "init")
    assert result.code == 1 and "already" in _one_line(result.err)
    assert _tables(path) == before


def test_init_example_on_a_fresh_install(jiedao, home: Path, monkeypatch):
    import ledger.sample

    monkeypatch.setattr(ledger.sample, "AREAS", ("members",))  # quick: the villages only
    result = jiedao("init", "--example")
    assert result.code == 0, result.err
    assert "created" in result.err and "sample" in result.err
    villages = json.loads(jiedao("villages", "list", "--json").out)
    assert len(villages) == 9


def test_an_interrupted_init_example_leaves_no_half_sample(jiedao, tmp_path: Path, monkeypatch):
    import ledger.sample.tickets

    def killed(office, rng) -> None:
        raise KeyboardInterrupt  # Ctrl-C part-way, after the members were filled

    url = f"sqlite:///{tmp_path / 'x.db'}"
    with monkeypatch.context() as patch:
        patch.setattr(ledger.sample.tickets, "fill", killed)
        interrupted = jiedao("--db", url, "init", "--example")
    assert interrupted.code == 1 and "aborted" in interrupted.err
    with sqlite3.connect(tmp_path / "x.db") as raw:
        counts = {t: raw.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                  for t in ("village", "person", "service_item", "journal")}
    assert counts == {"village": 0, "person": 0, "service_item": 0, "journal": 0}
    monkeypatch.setattr(ledger.sample, "AREAS", ("members",))
    rerun = jiedao("--db", url, "init", "--example")
    assert rerun.code == 0, rerun.err


# --- no terminal -------------------------------------------------------------------------------

def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIEDAO_")}
    env.update(XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               JIEDAO_LANG="en", **extra)
    return env


@pytest.mark.parametrize(("lang", "words"), [("en", "needs a terminal"), ("zh", "终端")])
def test_the_app_without_a_terminal_says_so_and_stops(tmp_path: Path, lang, words):
    """Under cron: stdin and stdout are not terminals. Before the fix it drew into stderr for
    ever; the timeout is the test's guard against that."""
    probe = ("import sys\n"
             "from commands.main import run\n"
             "from jiedao.entry import launch_tui\n"
             "code = run(sys.argv[1:], launch_tui=launch_tui)\n"
             "assert 'textual' not in sys.modules, 'textual imported'\n"
             "sys.exit(code)\n")
    result = subprocess.run([sys.executable, "-c", probe, "--lang", lang], cwd=ROOT,
                            env=_env(tmp_path), stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert words in _one_line(result.stderr) and result.stdout == ""
    assert not (tmp_path / "data").exists()  # no office opened, no default database made


def test_the_console_entry_without_a_terminal(tmp_path: Path):
    result = subprocess.run([sys.executable, "-m", "jiedao"], cwd=ROOT, env=_env(tmp_path),
                            stdin=subprocess.DEVNULL, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2 and "terminal" in _one_line(result.stderr)


def test_demo_without_a_terminal_builds_nothing_and_stops(jiedao, home: Path):
    opened: list[str] = []
    code = run(["--lang", "en", "demo"], launch_tui=lambda office: opened.append(office.url))
    assert code == 2 and opened == []


def test_with_a_terminal_the_app_opens(jiedao, db_url, monkeypatch):
    class Terminal:
        def isatty(self) -> bool:
            return True

    opened: list[str] = []
    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr(sys, "stdout", Terminal())
    assert run(["--db", db_url], launch_tui=lambda office: opened.append(office.url)) == 0
    assert opened == [db_url]


# --- global options and arguments --------------------------------------------------------------

def test_an_empty_db_is_a_usage_error_not_the_personal_database(jiedao, home: Path):
    result = jiedao("--db", "", "villages", "add", "--name", "东村", "--code", "V01")
    assert result.code == 2 and "--db" in _one_line(result.err)
    assert not home.exists()


@pytest.mark.parametrize(("args", "option"), [
    (("members", "show", "99999999999999999999"), "MEMBER_ID"),
    (("members", "show", "2147483648"), "MEMBER_ID"),
    (("members", "list", "--limit", "99999999999999999999"), "--limit"),
    (("members", "list", "--offset", "9223372036854775808"), "--offset"),
    (("tickets", "list", "--limit", "99999999999999999999"), "--limit"),
    (("tickets", "list", "--offset", "99999999999999999999"), "--offset"),
    (("petitions", "list", "--limit", "99999999999999999999"), "--limit"),
    (("petitions", "list", "--offset", "99999999999999999999"), "--offset"),
    (("petitions", "list", "--due-within", "999999999"), "--due-within"),
    (("audit", "log", "--limit", "99999999999999999999"), "--limit"),
    (("calendar", "add", "2026-01-01", "99999999999"), "DAYS"),
    (("calendar", "show", "3000"), "YEAR"),
    (("members", "report", "--on", "9999-12-31"), "--on"),
    (("tickets", "list", "--from", "0001-01-01"), "--from"),
])
def test_numbers_and_dates_beyond_range_are_usage_errors(jiedao, db_url, args, option):
    result = jiedao("--db", db_url, *args)
    assert result.code == 2
    line = _one_line(result.err)
    assert option in line and ("out" in line or "outside" in line)


@pytest.mark.parametrize("area", ["villages", "items", "tickets", "petitions"])
def test_a_record_id_beyond_range_is_not_found(jiedao, db_url, area):
    result = jiedao("--db", db_url, area, "show", "99999999999999999999")
    assert result.code == 1 and "not found" in _one_line(result.err)


def test_an_as_of_date_beyond_the_calendar(jiedao, db_url):
    result = jiedao("--as-of", "9999-12-31", "--db", db_url, "tickets", "list")
    assert result.code == 1
    assert "9999-12-31" in _one_line(result.err) and "as-of" in result.err


@pytest.mark.parametrize(("args", "name"), [
    (("villages", "add", "--name", "\udcff\udcfe", "--code", "V01"), "--name"),
    (("villages", "add", "--name=许\udcff", "--code", "V01"), "--name"),
    (("villages", "show", "\udce4"), "argument"),
])
def test_arguments_that_are_not_utf8_are_refused(jiedao, db_url, args, name):
    result = jiedao("--db", db_url, *args)
    assert result.code == 2
    line = _one_line(result.err)
    assert name in line and "UTF-8" in line and "\\x" in line
    assert jiedao("--db", db_url, "villages", "list", "--json").out.strip() == "[]"


def test_an_undecodable_environment_variable_is_named(jiedao, db_url, monkeypatch):
    monkeypatch.setenv("JIEDAO_CONFIG", "/tmp/\udcff.toml")
    result = jiedao("--db", db_url, "villages", "list")
    assert result.code == 2 and "JIEDAO_CONFIG" in _one_line(result.err)


def test_undecodable_bytes_from_a_real_command_line(tmp_path: Path, db_url):
    result = subprocess.run([sys.executable, "-m", "jiedao", "--db", db_url, "villages", "add",
                             b"--name", b"\xff\xfe", "--code", "V01"],
                            cwd=ROOT, env=_env(tmp_path), capture_output=True, timeout=60)
    assert result.returncode == 2
    assert b"--name" in result.stderr and b"\\xff\\xfe" in result.stderr
    assert result.stderr.count(b"\n") == 1


@pytest.mark.parametrize(("args", "env", "source"), [
    (("--as", "x" * 101), {}, "--as"),
    ((), {"JIEDAO_OPERATOR": "y" * 200}, "JIEDAO_OPERATOR"),
    (("--as", ""), {}, "--as"),
    (("--as", "王\x1b]0;x\x07"), {}, "--as"),
])
def test_an_operator_the_journal_cannot_hold_is_refused_at_start(jiedao, db_url, monkeypatch,
                                                                 args, env, source):
    with monkeypatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        result = jiedao(*args, "--db", db_url, "villages", "add", "--name", "东村",
                        "--code", "V01")
    assert result.code == 2
    line = _one_line(result.err)
    assert source in line and "operator" in line and "\x1b" not in line
    assert jiedao("--db", db_url, "villages", "list", "--json").out.strip() == "[]"


def test_an_operator_of_the_longest_allowed_length(jiedao, db_url):
    name = "许" * 100
    assert jiedao("--as", name, "--db", db_url, "villages", "add", "--name", "东村",
                  "--code", "V01").code == 0
    log = json.loads(jiedao("--db", db_url, "audit", "log", "--json").out)
    assert [e["operator"] for e in log] == [name]


@pytest.mark.parametrize(("text", "words"), [
    ('[office]\ntimezone = "Mars/Olympus"\n', "line 2"),
    ('[tickets]\nnumber_prefix = "db-"\n', "line 2"),
    ('[petitions]\ncategories = [1, 2]\n', "line 2"),
    ('\n[terms]\nyears_since_2018 = -1\n', "line 3"),
])
def test_bad_settings_are_refused_when_loaded(jiedao, db_url, tmp_path: Path, text, words):
    config = tmp_path / "bad.toml"
    config.write_text(text, encoding="utf-8")
    result = jiedao("--config", str(config), "--db", db_url, "villages", "list")
    assert result.code == 2
    line = _one_line(result.err)
    assert "bad.toml" in line and words in line


# --- databases that are not ours, or not yet, or newer -----------------------------------------

@pytest.fixture
def stranger(tmp_path: Path) -> Path:
    """Someone else's SQLite file, in its own journal mode."""
    path = tmp_path / "accounts.db"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE invoice (id INTEGER PRIMARY KEY, amount REAL)")
        raw.execute("INSERT INTO invoice (amount) VALUES (12.5)")
    return path


@pytest.mark.parametrize("command", [("db", "upgrade"), ("init",), ("init", "--example"),
                                     ("villages", "list")])
def test_a_strangers_database_is_refused_and_left_byte_for_byte(jiedao, stranger: Path,
                                                                 command):
    before = stranger.read_bytes()
    result = jiedao("--db", str(stranger), *command)
    assert result.code == 1
    assert "not a jiedao-ledger database" in _one_line(result.err) and "invoice" in result.err
    assert stranger.read_bytes() == before
    assert _tables(stranger) == ["invoice"]


def test_db_status_on_a_strangers_database(jiedao, stranger: Path):
    before = stranger.read_bytes()
    result = jiedao("--db", str(stranger), "db", "status", "--json")
    assert result.code == 1 and json.loads(result.out)["state"] == "foreign"
    assert stranger.read_bytes() == before


def test_db_status_on_an_empty_file_only_reads(jiedao, tmp_path: Path):
    path = tmp_path / "empty.db"
    path.touch()
    result = jiedao("--db", str(path), "db", "status")
    assert result.code == 1 and "pending" in result.out
    assert path.read_bytes() == b""
    data = json.loads(jiedao("--db", str(path), "db", "status", "--json").out)
    assert data["state"] == "empty" and data["database_version"] == 0
    assert path.read_bytes() == b""


def test_db_status_on_a_fresh_install_makes_no_database(jiedao, home: Path):
    result = jiedao("db", "status")
    assert result.code == 1 and "init" in _one_line(result.err)
    assert not home.exists()


def test_db_status_leaves_our_database_byte_for_byte(jiedao, db_url):
    path = Path(db_url.removeprefix("sqlite:///"))
    before = path.read_bytes()
    assert jiedao("--db", db_url, "db", "status").code == 0
    assert path.read_bytes() == before


@pytest.mark.parametrize("migration", ["9999_from_the_future", "0001_another_branch"])
def test_db_status_on_a_newer_database_says_so(jiedao, db_url, migration):
    path = Path(db_url.removeprefix("sqlite:///"))
    with sqlite3.connect(path) as raw:
        raw.execute("INSERT INTO schema_migration (name, applied) VALUES (?, '2030-01-01')",
                    (migration,))
    before = path.read_bytes()
    status = jiedao("--db", db_url, "db", "status")
    assert status.code == 1
    assert "newer than this program" in status.out and "up to date" not in status.out
    assert migration in status.out
    data = json.loads(jiedao("--db", db_url, "db", "status", "--json").out)
    assert data["state"] == "newer" and data["unknown"] == [migration]
    upgrade = jiedao("--db", db_url, "db", "upgrade")
    assert upgrade.code == 1 and "upgrade jiedao-ledger" in _one_line(upgrade.err)
    use = jiedao("--db", db_url, "villages", "list")
    assert use.code == 1 and "upgrade jiedao-ledger" in _one_line(use.err)
    assert path.read_bytes() == before


def test_the_python_api_refuses_an_empty_url(tmp_path: Path, monkeypatch):
    from ledger.errors import ConfigError

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    with pytest.raises(ConfigError):
        open_office("", operator="script")
