"""Headless Chromium subscribing to the first participant's camera and microphone in a Runde
meeting, reporting what its receiving side knows of the sender.

    python -m tests.integration.chromium_subscriber LINK SECONDS

Run inside the test's network namespace (Chromium wants a non-loopback address for media).
Joins from the host's guest page like ``chromium_publisher.py``, answers the SFU's offer, then
prints one JSON line per second: per kind, the ``remote-outbound-rtp`` statistics Chromium
builds from the sender reports it gets (their NTP time as Unix milliseconds, packets and bytes
the sender says it sent), the page's own clock, and what ``inbound-rtp`` decoded and when
Chromium estimates it plays (``estimatedPlayoutTimestamp``, known only from sender reports).
Exits 2 with one sentence on failure.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from tests.integration.chromium_publisher import (
    JOIN_FUNCTION,
    DevTools,
    _debugger_port,
    _start_chromium,
    _until_loaded,
)

SUBSCRIBE = """
(async () => {
  const {next, send, gathered} = await window.rundeJoin("Chromium", {audio: false, video: false});
  const offer = await next("sdp_offer");
  const pc = new RTCPeerConnection();
  // Played in a (muted) video element, as a page would: Chromium estimates playout only then.
  const shown = new MediaStream();
  const video = document.createElement("video");
  video.muted = true;
  document.body.appendChild(video);
  pc.ontrack = (event) => {
    shown.addTrack(event.track);
    video.srcObject = shown;
    video.play().catch(() => {});
  };
  await pc.setRemoteDescription({type: "offer", sdp: offer.payload.sdp});
  await pc.setLocalDescription();
  await gathered(pc);
  send("media", {action: "sdp_answer", target: offer.payload.target,
                 media_session_type: offer.payload.media_session_type,
                 sdp: pc.localDescription.sdp});
  window.rundePc = pc;
  return "subscribed";
})()
"""

RECEIVING_STATS = """
(async () => {
  const out = {now_ms: Date.now()};
  (await window.rundePc.getStats()).forEach((s) => {
    if (s.type === "remote-outbound-rtp") {
      out[`${s.kind}_sr`] = {ntp_ms: s.remoteTimestamp, packets: s.packetsSent,
                             bytes: s.bytesSent, reports: s.reportsSent};
    }
    if (s.type === "inbound-rtp") {
      out[`${s.kind}_in`] = {packets: s.packetsReceived, frames: s.framesDecoded ?? null,
                             playout_ms: s.estimatedPlayoutTimestamp ?? null};
    }
  });
  return JSON.stringify(out);
})()
"""


async def drive(link: str, seconds: float, profile: str, chromium: subprocess.Popen[bytes]) -> None:
    port = await _debugger_port(Path(profile), chromium)
    async with aiohttp.ClientSession() as http:
        async with http.get(f"http://127.0.0.1:{port}/json/list") as response:
            pages = [p for p in await response.json() if p["type"] == "page"]
        async with http.ws_connect(pages[0]["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            page = DevTools(ws)
            # As in chromium_publisher.py: a test client standing in for a browser app.
            await page.call("Page.setBypassCSP", enabled=True)
            await page.call("Page.navigate", url=link)
            await _until_loaded(page)
            await page.evaluate(JOIN_FUNCTION)
            print(json.dumps({"subscribed": await page.evaluate(SUBSCRIBE)}), flush=True)
            started = time.monotonic()
            while time.monotonic() - started < seconds:
                await asyncio.sleep(1.0)
                stats = json.loads(await page.evaluate(RECEIVING_STATS))
                stats["t"] = round(time.monotonic() - started, 1)
                print(json.dumps(stats), flush=True)


def main() -> None:
    link, seconds = sys.argv[1], float(sys.argv[2])
    try:
        with tempfile.TemporaryDirectory(prefix="runde-chromium-") as profile:
            chromium = _start_chromium(profile, None)
            try:
                asyncio.run(drive(link, seconds, profile, chromium))
            finally:
                chromium.terminate()
                try:
                    chromium.wait(10)
                except subprocess.TimeoutExpired:
                    chromium.kill()
                    chromium.wait()
    except Exception as exc:
        print(f"chromium subscriber: {exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
