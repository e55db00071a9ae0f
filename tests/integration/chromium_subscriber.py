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

import json
import subprocess
import sys

from tests.integration.chromium_publisher import (
    CHROMIUM_FLAGS,
    joined_page,
    print_every_second,
    run_chromium,
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


def main() -> None:
    link, seconds = sys.argv[1], float(sys.argv[2])

    async def drive(profile: str, chromium: subprocess.Popen[bytes]) -> None:
        async with joined_page(link, profile, chromium) as page:
            print(json.dumps({"subscribed": await page.evaluate(SUBSCRIBE)}), flush=True)
            await print_every_second(page, RECEIVING_STATS, seconds)

    run_chromium(drive, CHROMIUM_FLAGS, "chromium subscriber")


if __name__ == "__main__":
    main()
