"""Headless Chromium publishing camera and microphone (fake devices) into a Runde meeting.

    python -m tests.integration.chromium_publisher LINK SECONDS [VIDEO.y4m]

Run inside the test's network namespace (Chromium, like Janus, wants a non-loopback address for
media; ENGINEERING.md §3). Opens the host's guest page at LINK, joins and publishes over the
signaling WebSocket from inside that page (the host accepts browser WebSockets only from its
own page), then prints one JSON line per second with what the page's ``getStats()`` says
about the sending side: whether a ``remote-inbound-rtp`` (built from the SFU's receiver
reports) exists and the ``availableOutgoingBitrate`` of the nominated candidate pair.
Driven over the DevTools protocol with aiohttp; exits 2 with one sentence on failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any

import aiohttp
from yarl import URL

CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # The host's certificate is self-signed and pinned by the link's fp=, which a page cannot
    # check; the test trusts it the way the Runde app would after checking the fingerprint.
    "--ignore-certificate-errors",
    "--remote-debugging-port=0",
)

# Defines window.rundeJoin(name, media): joins over the signaling WebSocket from inside the
# page and returns {next, send, gathered} for the media messages that follow.
JOIN_FUNCTION = """
window.rundeJoin = async (name, media) => {
  const secret = new URLSearchParams(location.hash.slice(1)).get("k");
  const room = location.pathname.replace(/^\\/r\\//, "");
  const ws = new WebSocket(`wss://${location.host}/signaling`);
  await new Promise((ok, fail) => {
    ws.onopen = ok;
    ws.onerror = () => fail(new Error("the signaling WebSocket could not connect"));
  });
  const inbox = [];
  let wake = () => {};
  ws.onmessage = (event) => { inbox.push(JSON.parse(event.data)); wake(); };
  const next = async (message) => {
    for (;;) {
      const found = inbox.findIndex((m) => m.payload.message === message
                                           || m.payload.message === "error");
      if (found >= 0) {
        const m = inbox.splice(found, 1)[0];
        if (m.payload.message === "error") throw new Error(m.payload.text);
        return m;
      }
      await new Promise((resolve) => { wake = resolve; });
    }
  };
  const send = (namespace, payload) => ws.send(JSON.stringify({namespace, payload}));
  // No trickle ICE in the protocol: offers and answers carry every candidate.
  const gathered = async (pc) => {
    while (pc.iceGatheringState !== "complete") await new Promise((r) => setTimeout(r, 50));
  };
  send("core", {action: "join", protocol_version: 2, room, secret, display_name: name, media});
  await next("join_success");
  window.rundeSocket = ws;  // keep the connection (and the seat) alive
  return {next, send, gathered};
};
"""

PUBLISH = """
(async () => {
  const {next, send, gathered} = await window.rundeJoin("Chromium", {audio: true, video: true});
  const stream = await navigator.mediaDevices.getUserMedia(
    {audio: true, video: {width: 640, height: 360}});
  const pc = new RTCPeerConnection();
  for (const track of stream.getTracks()) pc.addTransceiver(track, {direction: "sendonly"});
  await pc.setLocalDescription();
  await gathered(pc);
  send("media", {action: "publish", media_session_type: "video", sdp: pc.localDescription.sdp});
  const answer = await next("sdp_answer");
  await pc.setRemoteDescription({type: "answer", sdp: answer.payload.sdp});
  window.rundePc = pc;
  return "published";
})()
"""

SENDING_STATS = """
(async () => {
  const out = {remote_inbound_rtp: false, available_outgoing_kbps: null, bytes_sent: 0,
               transport_cc: window.rundePc.remoteDescription.sdp.includes(" transport-cc")};
  (await window.rundePc.getStats()).forEach((s) => {
    if (s.type === "remote-inbound-rtp") out.remote_inbound_rtp = true;
    if (s.type === "outbound-rtp") out.bytes_sent += s.bytesSent;
    if (s.type === "candidate-pair" && s.nominated && s.availableOutgoingBitrate)
      out.available_outgoing_kbps = Math.round(s.availableOutgoingBitrate / 1000);
  });
  return JSON.stringify(out);
})()
"""


class DevTools:
    """The page's DevTools session: commands with ids, answers matched to them."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        self._socket = socket
        self._ids = itertools.count(1)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        command_id = next(self._ids)
        await self._socket.send_json({"id": command_id, "method": method, "params": params})
        async for message in self._socket:
            data = json.loads(message.data)
            if data.get("id") == command_id:
                if "error" in data:
                    raise RuntimeError(f"{method}: {data['error']}")
                result: dict[str, Any] = data["result"]
                return result
        raise RuntimeError("Chromium closed the DevTools connection")

    async def evaluate(self, expression: str) -> Any:
        result = await self.call(
            "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            exception = details.get("exception", {})
            # a rejection with a plain value has no description, only the value
            text = exception.get("description") or exception.get("value") or details.get("text")
            raise RuntimeError(f"the page failed: {text}")
        return result["result"].get("value")


async def _debugger_port(profile: Path, chromium: subprocess.Popen[bytes]) -> int:
    active = profile / "DevToolsActivePort"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if chromium.poll() is not None:
            raise RuntimeError(f"Chromium exited with code {chromium.returncode}")
        if active.exists() and active.read_text().strip():
            return int(active.read_text().split()[0])
        await asyncio.sleep(0.1)
    raise RuntimeError("Chromium did not open its DevTools port within 30 s")


def _start_chromium(profile: str, flags: Sequence[str]) -> subprocess.Popen[bytes]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise RuntimeError("Chromium is not installed (Debian package chromium)")
    return subprocess.Popen(
        [browser, *flags, f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@contextlib.asynccontextmanager
async def joined_page(
    link: str, profile: str, chromium: subprocess.Popen[bytes]
) -> AsyncIterator[DevTools]:
    """The browser's page on the host's guest page at ``link``, with ``window.rundeJoin``."""
    port = await _debugger_port(Path(profile), chromium)
    async with aiohttp.ClientSession() as http:
        async with http.get(f"http://127.0.0.1:{port}/json/list") as response:
            pages = [p for p in await response.json() if p["type"] == "page"]
        async with http.ws_connect(pages[0]["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            page = DevTools(ws)
            # The guest page's CSP allows no connections of its own; this page is a test
            # client standing in for a browser app, not the guest page's script.
            await page.call("Page.setBypassCSP", enabled=True)
            await _navigate(page, link)
            await page.evaluate(JOIN_FUNCTION)
            yield page


async def print_every_second(page: DevTools, expression: str, seconds: float) -> None:
    """Evaluate ``expression`` (a JSON string) once a second and print it with the time."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        await asyncio.sleep(1.0)
        stats = json.loads(await page.evaluate(expression))
        stats["t"] = round(time.monotonic() - started, 1)
        print(json.dumps(stats), flush=True)


Drive = Callable[[str, subprocess.Popen[bytes]], Coroutine[Any, Any, None]]


def run_chromium(drive: Drive, flags: Sequence[str], who: str) -> None:
    """Start Chromium with ``flags`` and a fresh profile, run ``drive(profile, chromium)``,
    end the browser; a failure exits 2 with one sentence naming ``who`` failed."""
    try:
        with tempfile.TemporaryDirectory(prefix="runde-chromium-") as profile:
            chromium = _start_chromium(profile, flags)
            try:
                asyncio.run(drive(profile, chromium))
            finally:
                chromium.terminate()
                try:
                    chromium.wait(10)
                except subprocess.TimeoutExpired:
                    chromium.kill()
                    chromium.wait()
    except Exception as exc:
        print(f"{who}: {exc}", file=sys.stderr)
        sys.exit(2)


async def _navigate(page: DevTools, link: str) -> None:
    """Open ``link`` and wait until its page (not about:blank, not an error page) has loaded.

    A navigation that fails leaves Chromium on its error page, whose ``document.readyState``
    is "complete" too; so the origin is checked, and a failed attempt is retried a few times
    (a namespace's fresh link may refuse the very first connection)."""
    origin = URL(link).origin()
    problem = "no attempt"
    for _ in range(3):
        result = await page.call("Page.navigate", url=link)
        if result.get("errorText"):
            problem = result["errorText"]
            await asyncio.sleep(1.0)
            continue
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            state = await page.evaluate("[location.origin, document.readyState].join(' ')")
            if state == f"{origin} complete":
                return
            await asyncio.sleep(0.1)
        problem = "it did not finish within 20 s"
    raise RuntimeError(f"the guest page did not load: {problem}")


def main() -> None:
    link, seconds = sys.argv[1], float(sys.argv[2])
    video = sys.argv[3] if len(sys.argv) > 3 else None
    fake_video = [f"--use-file-for-fake-video-capture={video}"] if video else []

    async def drive(profile: str, chromium: subprocess.Popen[bytes]) -> None:
        async with joined_page(link, profile, chromium) as page:
            print(json.dumps({"published": await page.evaluate(PUBLISH)}), flush=True)
            await print_every_second(page, SENDING_STATS, seconds)

    run_chromium(drive, [*CHROMIUM_FLAGS, *fake_video], "chromium publisher")


if __name__ == "__main__":
    main()
