"""``jiedao serve`` refuses to listen beyond this machine unless told (the app has no login)."""

from __future__ import annotations

import shlex

import pytest

from commands.serve import is_loopback, served_command


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "office.example"])
def test_a_host_other_machines_reach_is_refused_without_public(jiedao, host):
    result = jiedao("serve", "--host", host, "--port", "8123")
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert f"refusing to serve on {host}" in result.err and "--public" in result.err
    assert result.out == ""


def test_loopback_names():
    assert all(map(is_loopback, ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"]))
    assert not any(map(is_loopback, ["0.0.0.0", "::", "10.0.0.1", "example.org", ""]))


def test_the_served_command_carries_the_global_options_but_not_the_database():
    from commands.context import AppContext

    app = AppContext(db_url="postgresql://clerk:secret@db/office", operator="ignored",
                     config_path="/etc/jiedao.toml", lang="zh", as_of="2026-11-27")
    command = served_command(app, "王 芳")
    assert "secret" not in command and "postgresql" not in command
    assert command.endswith(
        "-P -m jiedao --as '王 芳' --config /etc/jiedao.toml --lang zh --as-of 2026-11-27")


class FakeServer:
    def __init__(self, error: OSError | None = None) -> None:
        self.error = error
        self.args: tuple[str, str, int] | None = None

    def __call__(self, command: str, host: str, port: int) -> FakeServer:
        self.args = (command, host, port)
        return self

    def serve(self) -> None:
        if self.error is not None:
            raise self.error


def test_public_serves_others_with_a_warning_on_the_same_database(jiedao, db_url, monkeypatch):
    import os

    fake = FakeServer()
    monkeypatch.setattr("commands.serve._server", fake)
    result = jiedao("--db", db_url, "--as", "王芳", "serve", "--host", "0.0.0.0", "--public",
                    "--port", "8123")
    assert result.code == 0, result.err
    assert result.err.startswith("jiedao: warning: serving on 0.0.0.0")
    assert fake.args is not None
    command, host, port = fake.args
    assert (host, port) == ("0.0.0.0", 8123)
    assert shlex.split(command)[1:] == ["-P", "-m", "jiedao", "--as", "王芳",
                                        "--as-of", "2026-11-27T10:00:00+08:00"]
    assert os.environ["JIEDAO_DB"] == db_url  # the tabs open this very database


def test_a_port_in_use_is_one_line(jiedao, db_url, monkeypatch):
    monkeypatch.setattr("commands.serve._server",
                        FakeServer(OSError(98, "address already in use")))
    result = jiedao("--db", db_url, "serve", "--port", "8123")
    assert result.code == 1
    assert result.err.count("\n") == 1 and "cannot listen on 127.0.0.1:8123" in result.err


def test_a_database_that_cannot_open_stops_before_serving(jiedao, tmp_path, monkeypatch):
    fake = FakeServer()
    monkeypatch.setattr("commands.serve._server", fake)
    result = jiedao("--db", f"sqlite:///{tmp_path}/missing/office.db", "serve")
    assert result.code != 0 and fake.args is None
    assert result.err.count("\n") == 1
