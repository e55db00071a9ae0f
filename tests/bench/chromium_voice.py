"""Headless Chromium as a voice participant in a Runde meeting, for the mouth-to-ear bench.

    python -m tests.bench.chromium_voice LINK send|receive SECONDS

``send`` joins and publishes its microphone; ``receive`` joins, answers the host's offers and
plays what arrives through an ``<audio>`` element. Both use the real sound devices Chromium
finds (the bench points them at its PulseAudio server with ``PULSE_SOURCE``/``PULSE_SINK``),
with Chromium's own audio processing left at its defaults. Run inside a network namespace
with a non-loopback address (Chromium wants one for media; ENGINEERING.md §3). Driven over
the DevTools protocol like ``tests/integration/chromium_publisher.py``.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import aiohttp

from tests.integration.chromium_publisher import (
    CHROMIUM_FLAGS,
    DevTools,
    _debugger_port,
    _until_loaded,
)

FLAGS = (
    *(flag for flag in CHROMIUM_FLAGS if flag != "--use-fake-device-for-media-stream"),
    "--autoplay-policy=no-user-gesture-required",
)

JOIN = """
window.rundeJoin = async (name) => {
  const secret = new URLSearchParams(location.hash.slice(1)).get("k");
  const room = location.pathname.replace(/^\\/r\\//, "");
  const ws = new WebSocket(`wss://${location.host}/signaling`);
  await new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = () => fail("websocket"); });
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
  const gathered = async (pc) => {
    while (pc.iceGatheringState !== "complete") await new Promise((r) => setTimeout(r, 50));
  };
  send("core", {action: "join", protocol_version: 2, room, secret, display_name: name,
                media: {audio: true, video: false}});
  await next("join_success");
  window.rundeSocket = ws;  // keep the connection (and the seat) alive
  return {next, send, gathered};
};
"""

SEND = """
(async () => {
  const {next, send, gathered} = await window.rundeJoin("Chromium sender");
  const stream = await navigator.mediaDevices.getUserMedia({audio: true});
  const pc = new RTCPeerConnection();
  for (const track of stream.getTracks()) pc.addTransceiver(track, {direction: "sendonly"});
  await pc.setLocalDescription();
  await gathered(pc);  // no trickle ICE in the protocol
  send("media", {action: "publish", media_session_type: "video", sdp: pc.localDescription.sdp});
  const answer = await next("sdp_answer");
  await pc.setRemoteDescription({type: "answer", sdp: answer.payload.sdp});
  window.rundePc = pc;
  return "sending";
})()
"""

RECEIVE = """
(async () => {
  const {next, send, gathered} = await window.rundeJoin("Chromium receiver");
  window.rundePcs = [];
  (async () => {
    for (;;) {
      const offer = (await next("sdp_offer")).payload;
      const pc = new RTCPeerConnection();
      window.rundePcs.push(pc);
      pc.ontrack = (event) => {
        const audio = new Audio();
        audio.srcObject = event.streams[0] || new MediaStream([event.track]);
        document.body.appendChild(audio);
        audio.play();
      };
      await pc.setRemoteDescription({type: "offer", sdp: offer.sdp});
      await pc.setLocalDescription();
      await gathered(pc);
      send("media", {action: "sdp_answer", target: offer.target,
                     media_session_type: offer.media_session_type,
                     sdp: pc.localDescription.sdp});
    }
  })();
  return "receiving";
})()
"""


async def drive(
    link: str, role: str, seconds: float, profile: str, browser: subprocess.Popen[bytes]
) -> None:
    port = await _debugger_port(Path(profile), browser)
    async with aiohttp.ClientSession() as http:
        async with http.get(f"http://127.0.0.1:{port}/json/list") as response:
            pages = [p for p in await response.json() if p["type"] == "page"]
        async with http.ws_connect(pages[0]["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            page = DevTools(ws)
            await page.call("Page.setBypassCSP", enabled=True)  # a test client, see there
            await page.call("Page.navigate", url=link)
            await _until_loaded(page)
            await page.evaluate(JOIN)
            print(await page.evaluate(SEND if role == "send" else RECEIVE), flush=True)
            await asyncio.sleep(seconds)


def main() -> None:
    link, role, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        sys.exit("Chromium is not installed (Debian package chromium)")
    with tempfile.TemporaryDirectory(prefix="runde-chromium-") as profile:
        browser = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            asyncio.run(drive(link, role, seconds, profile, browser))
        finally:
            browser.terminate()
            try:
                browser.wait(10)
            except subprocess.TimeoutExpired:
                browser.kill()
                browser.wait()


if __name__ == "__main__":
    main()
