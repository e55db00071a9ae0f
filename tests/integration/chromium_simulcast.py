"""Headless Chromium publishing its fake camera at 1280x720 in three simulcast layers.

    python -m tests.integration.chromium_simulcast LINK SECONDS

Run inside the test's network namespace (see ``chromium_publisher.py``, whose browser and
page this reuses). The page asks for ``sendEncodings`` l (a quarter of the size), m (half)
and h (full), each with a ``maxBitrate``, publishes, and prints one JSON line: whether the
SFU's answer accepted simulcast; then one line per second with each rid's ``outbound-rtp``
frame height, bytes sent, keyframe requests (PLI) received, and whether a receiver report
from the SFU names its SSRC.
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

PUBLISH_SIMULCAST = """
(async () => {
  const {next, send, gathered} = await window.rundeJoin("Chromium", {audio: false, video: true});
  const stream = await navigator.mediaDevices.getUserMedia(
    {audio: false, video: {width: 1280, height: 720, frameRate: 15}});
  const pc = new RTCPeerConnection();
  // Each layer capped, as apps do: uncapped, Chromium gives the lower layers what the top
  // one cannot yet use, and a busy machine's estimate may then never reach the top layer.
  pc.addTransceiver(stream.getVideoTracks()[0], {direction: "sendonly", sendEncodings: [
    {rid: "l", scaleResolutionDownBy: 4, maxBitrate: 100000},
    {rid: "m", scaleResolutionDownBy: 2, maxBitrate: 300000},
    {rid: "h", maxBitrate: 900000}]});
  await pc.setLocalDescription();
  await gathered(pc);
  send("media", {action: "publish", media_session_type: "video", sdp: pc.localDescription.sdp});
  const answer = await next("sdp_answer");
  await pc.setRemoteDescription({type: "answer", sdp: answer.payload.sdp});
  window.rundePc = pc;
  return answer.payload.sdp.includes("a=simulcast:recv") ? "simulcast" : "one layer";
})()
"""

LAYER_STATS = """
(async () => {
  const out = {};
  const stats = await window.rundePc.getStats();
  const reported = new Set();  // outbound-rtp ids the SFU's receiver reports speak of
  stats.forEach((s) => { if (s.type === "remote-inbound-rtp") reported.add(s.localId); });
  stats.forEach((s) => {
    if (s.type === "outbound-rtp" && s.rid)
      out[s.rid] = {height: s.frameHeight || 0, bytes: s.bytesSent, plis: s.pliCount,
                    reported: reported.has(s.id), limited: s.qualityLimitationReason};
  });
  return JSON.stringify({layers: out});
})()
"""


def main() -> None:
    link, seconds = sys.argv[1], float(sys.argv[2])

    async def drive(profile: str, chromium: subprocess.Popen[bytes]) -> None:
        async with joined_page(link, profile, chromium) as page:
            print(json.dumps({"published": await page.evaluate(PUBLISH_SIMULCAST)}), flush=True)
            await print_every_second(page, LAYER_STATS, seconds)

    run_chromium(drive, CHROMIUM_FLAGS, "chromium simulcast publisher")


if __name__ == "__main__":
    main()
