"""``jiedao remind`` as cron runs it: real mail to an SMTP server on 127.0.0.1 (aiosmtpd),
real webhooks to an HTTP server on 127.0.0.1, the log and dedup, retries, exit codes, the
lock, dry runs and --as-of. Today is 2026-11-27 (conftest)."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from rawdb import run_sql

from ledger import open_office, remind

AS_OF = ["--as-of", "2026-11-27T10:00:00+08:00"]


class Inbox:
    """An SMTP server on 127.0.0.1 keeping the messages it received."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[email.message.EmailMessage] = []
        # aiosmtpd checks its server by connecting to the port it was given: it needs a
        # real one, not 0. Ask the system for a free port.
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append(email.message_from_bytes(envelope.content,
                                                      policy=email.policy.default))
        return "250 OK"


@pytest.fixture
def inbox():
    box = Inbox()
    box.controller.start()
    yield box
    box.controller.stop()


class Hook:
    """An HTTP server on 127.0.0.1 keeping the JSON it was posted; answers ``status``."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, dict]] = []
        self.status = 200
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                length = int(self.headers["Content-Length"])
                hook.posts.append((self.path, json.loads(self.rfile.read(length))))
                self.send_response(hook.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"errcode": 0}')

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)


@pytest.fixture
def hook():
    h = Hook()
    h.thread.start()
    yield h
    h.server.shutdown()
    h.server.server_close()


@pytest.fixture
def office_url(jiedao, db_url, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    ok = [
        ["staff", "add", "--name", "王芳"],
        ["staff", "add", "--name", "陈静"],
        ["items", "add", "--code", "R11", "--name", "重度残疾人护理补贴", "--category", "残疾",
         "--level", "district", "--limit", "20", "--materials", "身份证"],
        ["items", "add", "--code", "R13", "--name", "城乡低保", "--category", "救助",
         "--level", "district", "--limit", "15", "--materials", "身份证"],
        # due 11-30 (soon), agent 王芳
        ["tickets", "open", "--item", "R11", "--name", "许桂兰", "--agent", "王芳",
         "--received", "2026-11-02 09:00", "--materials", "all"],
        # due 11-23: 4 working days overdue, escalated; agent 陈静
        ["tickets", "open", "--item", "R13", "--name", "李四", "--agent", "陈静",
         "--received", "2026-11-02 09:00", "--materials", "all"],
    ]
    for args in ok:
        result = jiedao("--db", db_url, *args)
        assert result.code == 0, result.err
    return db_url


def configure(tmp_path: Path, text: str) -> None:
    (tmp_path / "config.toml").write_text(text, encoding="utf-8")


def staff_set(jiedao, url, name, *args):
    """Give a staff member of the fixture (王芳, 陈静) their channels and language."""
    result = jiedao("--db", url, "staff", "edit", name, *args)
    assert result.code == 0, result.err


def test_stdout_digest_then_nothing_the_same_day_unless_forced(jiedao, office_url, tmp_path):
    configure(tmp_path, '[remind]\nsupervisor = "陈静"\n')
    staff_set(jiedao, office_url, "王芳")
    staff_set(jiedao, office_url, "陈静", "--language", "zh")
    first = jiedao("--db", office_url, "remind")
    assert first.code == 0, first.err
    # Each person's digest in their language (王芳's default is Chinese).
    assert "王芳（2026-11-27）：超期 0 件，临期 1 件" in first.out
    assert "DB-2026-0002" in first.out and "陈静" in first.out
    again = jiedao("--db", office_url, "remind")
    assert (again.code, again.out) == (0, "")
    forced = jiedao("--db", office_url, "remind", "--force")
    assert "DB-2026-0001" in forced.out
    log = jiedao("--db", office_url, "remind", "log", "--json")
    rows = json.loads(log.out)
    assert {(r["person"], r["item_number"], r["channel"]) for r in rows} == {
        ("王芳", "DB-2026-0001", "stdout"), ("陈静", "DB-2026-0002", "stdout")}
    assert len(rows) == 4  # the forced run sent (and logged) both again
    assert json.loads(jiedao("--db", office_url, "remind", "log", "--since", "2026-11-28",
                             "--json").out) == []


def test_nothing_due_prints_nothing_and_exits_0(jiedao, db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    result = jiedao("--db", db_url, "remind")
    assert (result.code, result.out, result.err) == (0, "", "")


def test_email_reaches_a_real_smtp_server_in_each_persons_language(
        jiedao, office_url, tmp_path, inbox, monkeypatch):
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "secret")
    configure(tmp_path, f"""[remind]
channels = ["email"]
supervisor = "boss@example.cn"
[remind.email]
host = "127.0.0.1"
port = {inbox.port}
security = "none"
sender = "ledger@example.cn"
""")
    staff_set(jiedao, office_url, "王芳", "--email", "wf@example.cn",
              "--channels", "email", "--language", "zh")
    staff_set(jiedao, office_url, "陈静", "--email", "cj@example.cn",
              "--channels", "email", "--language", "en")
    result = jiedao("--db", office_url, "remind")
    assert result.code == 0, result.err
    by_to = {m["To"]: m for m in inbox.messages}
    assert set(by_to) == {"wf@example.cn", "cj@example.cn", "boss@example.cn"}
    assert "超期 0 件，临期 1 件" in by_to["wf@example.cn"]["Subject"]
    assert "DB-2026-0001" in by_to["wf@example.cn"].get_content()
    assert "1 overdue, 0 due soon" in by_to["cj@example.cn"]["Subject"]
    assert "DB-2026-0002" in by_to["boss@example.cn"].get_content()  # escalated
    assert jiedao("--db", office_url, "remind").code == 0
    assert len(inbox.messages) == 3  # not told twice in a day


def test_webhooks_in_the_robot_formats_and_retry_after_a_failure(
        jiedao, office_url, tmp_path, hook):
    configure(tmp_path, '[remind]\nchannels = ["webhook"]\nsupervisor = "陈静"\n')
    staff_set(jiedao, office_url, "王芳", "--channels", "webhook",
              "--webhook-url", f"{hook.url}/wecom", "--webhook-kind", "wecom")
    staff_set(jiedao, office_url, "陈静", "--channels", "webhook",
              "--webhook-url", f"{hook.url}/ding", "--webhook-kind", "dingtalk")
    hook.status = 500
    failed = jiedao("--db", office_url, "remind")
    assert failed.code == 1
    assert failed.err.count("\n") == 2 and "HTTP 500" in failed.err  # one line each
    assert json.loads(jiedao("--db", office_url, "remind", "log", "--json").out) == []
    hook.status = 200
    hook.posts.clear()
    retried = jiedao("--db", office_url, "remind")
    assert retried.code == 0, retried.err
    posts = dict(hook.posts)
    assert posts["/wecom"]["msgtype"] == "text"
    assert "DB-2026-0001" in posts["/wecom"]["text"]["content"]
    assert posts["/ding"]["msgtype"] == "text" and posts["/ding"]["at"]["isAtAll"] is False
    assert "DB-2026-0002" in posts["/ding"]["text"]["content"]


def test_one_failure_does_not_stop_the_others(jiedao, office_url, tmp_path, hook):
    configure(tmp_path, '[remind]\nchannels = ["webhook"]\nsupervisor = "陈静"\n')
    staff_set(jiedao, office_url, "王芳", "--channels", "webhook",
              "--webhook-url", "http://127.0.0.1:9/closed")
    staff_set(jiedao, office_url, "陈静", "--channels", "webhook",
              "--webhook-url", f"{hook.url}/generic")
    result = jiedao("--db", office_url, "remind")
    assert result.code == 1 and "王芳" in result.err and "陈静" not in result.err
    (path, body), = hook.posts
    assert body["recipient"] == "陈静" and body["items"][0]["reason"] == "responsible"
    people = {r["person"] for r in json.loads(
        jiedao("--db", office_url, "remind", "log", "--json").out)}
    assert people == {"陈静"}


@pytest.mark.parametrize("config", [
    '[remind]\nchannels = ["sms"]\n',
    '[remind]\nchannels = ["email"]\n[remind.email]\nhost = "127.0.0.1"\nsender = "a@b.cn"\n'
    'username = "u"\npassword_env = "JIEDAO_TEST_NO_SUCH_VARIABLE"\n',
    '[remind]\nsupervisor = "nobody"\n',
])
def test_config_errors_exit_2_before_anything_is_sent(jiedao, office_url, tmp_path, config):
    configure(tmp_path, config)
    result = jiedao("--db", office_url, "remind")
    assert result.code == 2 and result.out == ""
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    configure(tmp_path, "")
    assert json.loads(jiedao("--db", office_url, "remind", "log", "--json").out) == []


def test_a_second_run_meanwhile_exits_at_once(jiedao, office_url, tmp_path):
    configure(tmp_path, '[remind]\nsupervisor = "boss@example.cn"\n')
    office = open_office(office_url, operator="cron")
    try:
        with remind.run_lock(remind.lock_path(office)):
            result = jiedao("--db", office_url, "remind")
    finally:
        office.close()
    assert result.code == 1 and "another reminder run" in result.err
    assert result.out == ""
    assert jiedao("--db", office_url, "remind").code == 0  # released


def test_dry_run_sends_and_records_nothing(jiedao, office_url, tmp_path, hook):
    configure(tmp_path, '[remind]\nchannels = ["webhook"]\nsupervisor = "王芳"\n')
    staff_set(jiedao, office_url, "王芳", "--channels", "webhook",
              "--webhook-url", f"{hook.url}/x")
    staff_set(jiedao, office_url, "陈静", "--channels", "webhook",
              "--webhook-url", f"{hook.url}/y")
    dry = jiedao("--db", office_url, "remind", "--dry-run")
    assert dry.code == 0 and "would send over webhook to 王芳" in dry.out
    as_json = json.loads(jiedao("--db", office_url, "remind", "--dry-run", "--json").out)
    assert as_json["dry_run"] is True
    assert hook.posts == []
    assert json.loads(jiedao("--db", office_url, "remind", "log", "--json").out) == []


def test_as_of_evaluates_another_day(jiedao, office_url, tmp_path):
    configure(tmp_path, '[remind]\nsupervisor = "boss@example.cn"\n')
    early = json.loads(jiedao("--as-of", "2026-11-02", "--db", office_url, "remind",
                              "--json").out)
    assert early["recipients"] == []  # nothing due yet on the day they were received
    later = json.loads(jiedao("--as-of", "2026-11-30", "--db", office_url, "remind",
                              "--json").out)
    people = {p["name"]: p for p in later["recipients"]}
    assert {n: [(i["number"], i["state"], i["reason"]) for i in p["items"]]
            for n, p in people.items()} == {
        "王芳": [("DB-2026-0001", "due_soon", "responsible")],
        "陈静": [("DB-2026-0002", "overdue", "responsible")],
        "boss@example.cn": [("DB-2026-0002", "overdue", "escalated")]}
    assert later["day"] == "2026-11-30"


def test_quiet_keeps_the_stdout_digest_and_drops_only_the_status_lines(jiedao, office_url,
                                                                       tmp_path):
    configure(tmp_path, '[remind]\nsupervisor = "boss@example.cn"\n')
    quiet = jiedao("--db", office_url, "remind", "--quiet")
    # The digest on stdout is the delivery (cron mails it) and is logged as sent: it prints.
    assert quiet.code == 0 and quiet.err == ""
    assert "DB-2026-0001" in quiet.out and "DB-2026-0002" in quiet.out
    logged = json.loads(jiedao("--db", office_url, "remind", "log", "--json").out)
    assert {r["channel"] for r in logged} == {"stdout"} and len(logged) == 3
    # Told already today: nothing at all.
    again = jiedao("--db", office_url, "remind", "--quiet")
    assert (again.code, again.out, again.err) == (0, "", "")
    # Without --quiet, a status line on stderr says what the run did.
    loud = jiedao("--db", office_url, "remind", "--force")
    assert "DB-2026-0001" in loud.out
    assert "reminders delivered to 3 people: 3 deliveries, 3 items" in loud.err


def test_quiet_with_mail_prints_nothing_unless_a_delivery_fails(jiedao, office_url, tmp_path,
                                                                inbox):
    configure(tmp_path, f"""[remind]
channels = ["email"]
supervisor = "boss@example.cn"
[remind.email]
host = "127.0.0.1"
port = {inbox.port}
security = "none"
sender = "ledger@example.cn"
""")
    staff_set(jiedao, office_url, "王芳", "--email", "wf@example.cn", "--channels", "email")
    failed = jiedao("--db", office_url, "remind", "--quiet")  # 陈静 has no address
    assert failed.code == 1 and failed.out == ""
    assert failed.err.count("\n") == 1 and "陈静" in failed.err
    staff_set(jiedao, office_url, "陈静", "--email", "cj@example.cn", "--channels", "email")
    done = jiedao("--db", office_url, "remind", "--quiet")
    assert (done.code, done.out, done.err) == (0, "", "")
    assert {m["To"] for m in inbox.messages} == {"wf@example.cn", "cj@example.cn",
                                                 "boss@example.cn"}


def test_names_matching_no_staff_member_are_reported(jiedao, office_url, tmp_path):
    configure(tmp_path, '[remind]\nsupervisor = "boss@example.cn"\n')
    # A name written before the staff directory, that matched nobody on upgrade.
    run_sql(office_url, "UPDATE ticket SET agent = '张丽', agent_id = NULL "
            "WHERE number = 'DB-2026-0001'")
    result = jiedao("--db", office_url, "remind", "--dry-run")
    assert result.code == 0
    assert "match no staff member" in result.err and "张丽" in result.err
    assert "张丽" not in jiedao("--db", office_url, "remind", "--dry-run", "--quiet").err


def test_staff_commands_and_unmatched(jiedao, office_url):
    added = jiedao("--db", office_url, "staff", "add", "--name", "李明", "--post", "代办员",
                   "--json")
    assert added.code == 0 and json.loads(added.out)["post"] == "代办员"
    shown = json.loads(jiedao("--db", office_url, "staff", "show", "李明", "--json").out)
    assert shown["post"] == "代办员" and shown["version"] == 1
    edited = jiedao("--db", office_url, "staff", "edit", "李明", "--post", "主任",
                    "--version", "1", "--json")
    assert json.loads(edited.out)["version"] == 2
    stale = jiedao("--db", office_url, "staff", "edit", "李明", "--post", "x", "--version", "1")
    assert stale.code == 1
    bad = jiedao("--db", office_url, "staff", "add", "--name", "甲", "--email", "nope")
    assert bad.code == 1 and bad.err.count("\n") == 1 and "email" in bad.err
    assert json.loads(jiedao("--db", office_url, "staff", "unmatched", "--json").out) == []
    run_sql(office_url, "UPDATE ticket SET agent = '张丽', agent_id = NULL "
            "WHERE number = 'DB-2026-0002'")
    unmatched = json.loads(jiedao("--db", office_url, "staff", "unmatched", "--json").out)
    assert unmatched == [{"name": "张丽", "tickets": 1, "petitions": 0, "total": 1}]
    table = jiedao("--db", office_url, "staff", "unmatched")
    assert "张丽" in table.out and "open tickets" in table.out
    # Adding the person links the tickets written under the name.
    assert jiedao("--db", office_url, "staff", "add", "--name", "张丽").code == 0
    assert json.loads(jiedao("--db", office_url, "staff", "unmatched", "--json").out) == []
    listed = json.loads(jiedao("--db", office_url, "tickets", "list", "--agent", "张丽",
                               "--json").out)
    assert [t["number"] for t in listed] == ["DB-2026-0002"]
    assert jiedao("--db", office_url, "staff", "retire", "李明").code == 0
    names = [r["name"] for r in json.loads(
        jiedao("--db", office_url, "staff", "list", "--json").out)]
    assert names == ["张丽", "王芳", "陈静"]  # in name order


def test_agents_must_be_active_staff_members(jiedao, office_url):
    unknown = jiedao("--db", office_url, "tickets", "assign", "DB-2026-0001", "赵刚")
    assert unknown.code == 1 and unknown.err.count("\n") == 1
    assert "no such staff member: 赵刚" in unknown.err
    assert jiedao("--db", office_url, "staff", "retire", "陈静").code == 0
    retired = jiedao("--db", office_url, "tickets", "assign", "DB-2026-0001", "陈静")
    assert retired.code == 1 and "has retired" in retired.err
    moved = jiedao("--db", office_url, "tickets", "assign", "DB-2026-0001", "王芳", "--json")
    assert moved.code == 0 and json.loads(moved.out)["agent"] == "王芳"


def test_remind_starts_light(db_url, tmp_path):
    """Cron's command imports neither Textual nor the mail and HTTP modules it does not use."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    probe = ("import sys\n"
             "from commands.main import run\n"
             "from jiedao.entry import launch_tui\n"
             "code = run(sys.argv[1:], launch_tui=launch_tui)\n"
             "heavy = {'textual', 'smtplib', 'urllib.request'} & set(sys.modules)\n"
             "assert not heavy, heavy\n"
             "sys.exit(code)\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIEDAO_")}
    env.update(XDG_CACHE_HOME=str(tmp_path / "cache"), XDG_CONFIG_HOME=str(tmp_path / "cfg"),
               JIEDAO_LANG="en")
    result = subprocess.run([sys.executable, "-c", probe, "--db", db_url, "remind"], cwd=root,
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
