"""``jiedao serve`` end to end: a real server process, a real headless Chromium.

The browser test reads the terminal xterm draws (onto a canvas, so the page's DOM holds no
text): a script given to the page before its own captures each xterm ``Terminal`` as it is
built, and the test reads the terminal's buffer until the dashboard's title is there.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import aiohttp
import pytest
from browser import chromium, find_chromium

ROOT = Path(__file__).resolve().parents[2]

# Given to the page before textual.js: xterm's Terminal sets ``_addonManager`` in its
# constructor, so a setter of that name on Object.prototype sees every terminal built.
CAPTURE = """
window.__terminals = [];
Object.defineProperty(Object.prototype, "_addonManager", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "_addonManager", {value, writable: true, configurable: true});
    window.__terminals.push(this);
  },
});
"""
READ_SCREEN = """(() => {
  const terminal = window.__terminals.find((t) => t.buffer && t.buffer.active);
  if (!terminal) return null;
  const buffer = terminal.buffer.active, lines = [];
  for (let i = 0; i < buffer.length; i++) {
    const line = buffer.getLine(i);
    if (line) lines.push(line.translateToString(true));
  }
  return lines.join("\\n");
})()"""


@dataclass
class Served:
    origin: str
    process: subprocess.Popen[bytes]
    log: Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def served(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """``jiedao --lang zh serve`` on a free port, on a copy of the empty office."""
    home = tmp_path_factory.mktemp("serve")
    database = home / "office.db"
    shutil.copy(sqlite_template, database)
    config = home / "config.toml"
    config.write_text("", encoding="utf-8")
    env = {**os.environ, "JIEDAO_CONFIG": str(config), "XDG_CONFIG_HOME": str(home / "config"),
           "XDG_CACHE_HOME": str(home / "cache"), "XDG_DATA_HOME": str(home / "data"),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT),
                                                       os.environ.get("PYTHONPATH")]))}
    env.pop("JIEDAO_LANG", None)
    env.pop("JIEDAO_DB", None)
    port = _free_port()
    log = home / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "jiedao", "--db", f"sqlite:///{database}", "--lang", "zh",
             "--as", "tester", "--as-of", "2026-11-27", "serve", "--port", str(port)],
            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_for_port(port, process, log)
        yield Served(f"http://127.0.0.1:{port}", process, log)
    finally:
        # The server and the app processes it started for each tab: one process group.
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"jiedao serve exited: {log.read_text(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), 1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("jiedao serve did not listen")


async def _fetch(session: aiohttp.ClientSession, url: str) -> str:
    async with session.get(url) as reply:
        assert reply.status == 200, url
        return (await reply.read()).decode("utf-8", errors="replace")


def _external(text: str, origin: str) -> set[str]:
    """The http(s) URLs in ``text`` that are not ``origin``, comments aside (xterm.css
    credits term.js in one; a comment is never fetched)."""
    text = re.sub(r"/\*.*?\*/|<!--.*?-->", "", text, flags=re.S)
    found = re.findall(r"https?://[^\s\"'<>()]+", text)
    return {url for url in found if not url.startswith(origin + "/") and url != origin}


def test_nothing_the_server_sends_points_outside(served):
    async def scenario() -> None:
        async with aiohttp.ClientSession() as session:
            page = await _fetch(session, served.origin + "/")
            assert _external(page, served.origin) == set()
            assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page)
            assets += re.findall(r"""url\(["']?([^"')]+)["']?\)""", page)
            assert any(a.endswith("textual.js") for a in assets)
            assert any(a.endswith("xterm.css") for a in assets)
            for asset in assets:
                url = urljoin(served.origin + "/", asset)
                assert url.startswith(served.origin + "/static/"), asset
                if url.endswith((".js", ".css")):
                    body = await _fetch(session, url)
                    assert _external(body, served.origin) == set(), asset
                    for inner in re.findall(r"""url\(["']?([^"')]+)["']?\)""", body):
                        if not inner.startswith("data:"):
                            assert urljoin(url, inner).startswith(served.origin + "/"), inner
                else:
                    await _fetch(session, url)

    asyncio.run(scenario())


def test_a_browser_shows_the_dashboard_from_this_server_alone(served):
    executable = find_chromium()
    if executable is None:
        pytest.skip("no chromium on this machine (.ci/run installs Debian's: "
                    "apt-get install chromium)")

    async def scenario() -> None:
        async with chromium(executable) as page:
            await page.send("Network.enable")
            await page.send("Page.enable")
            await page.send("Page.addScriptToEvaluateOnNewDocument", source=CAPTURE)
            await page.send("Page.navigate", url=served.origin + "/")
            screen = ""
            deadline = time.monotonic() + 120  # a bound for a busy machine, not a goal
            while time.monotonic() < deadline:
                screen = await page.evaluate(READ_SCREEN) or ""
                if "概览" in screen:
                    break
                await asyncio.sleep(0.5)
            # The dashboard's title, in the language given to serve: the served app runs
            # with this command line's options.
            assert "概览" in screen, f"{screen!r}\n{served.log.read_text(errors='replace')}"
            assert "两委成员" in screen  # its keys panel, drawn below the title
            origins = {re.sub(r"^(\w+://[^/]+).*", r"\1", url) for url in page.requests}
            local = {served.origin, served.origin.replace("http:", "ws:")}
            assert origins and origins <= local, page.requests

    asyncio.run(scenario())
