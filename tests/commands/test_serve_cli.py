"""``jiedao serve`` refuses to listen beyond this machine unless told (the app has no login)."""

from __future__ import annotations

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
