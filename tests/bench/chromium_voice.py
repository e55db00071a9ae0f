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
import subprocess
import sys

from tests.integration.chromium_publisher import (
    CHROMIUM_FLAGS,
    joined_page,
    run_chromium,
)

FLAGS = (
    *(flag for flag in CHROMIUM_FLAGS if flag != "--use-fake-device-for-media-stream"),
    "--autoplay-policy=no-user-gesture-required",
)

SEND = """
(async () => {
  const {next, send, gathered} =
    await window.rundeJoin("Chromium sender", {audio: true, video: false});
  const stream = await navigator.mediaDevices.getUserMedia({audio: true});
  const pc = new RTCPeerConnection();
  for (const track of stream.getTracks()) pc.addTransceiver(track, {direction: "sendonly"});
  await pc.setLocalDescription();
  await gathered(pc);  // no trickle ICE in the protocol
  send("media", {action: "publish", media_session_type: "video", sdp: pc.localDescription.sdp});
  const answer = await next("sdp_answer");
  await pc.setRemoteDescription({type: "answer", sdp: answer.payload.sdp});
  window.rundePc = pc;
  return `sending from ${stream.getAudioTracks()[0].label}`;
})()
"""

RECEIVE = """
(async () => {
  const {next, send, gathered} =
    await window.rundeJoin("Chromium receiver", {audio: true, video: false});
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


def main() -> None:
    link, role, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])

    async def drive(profile: str, chromium: subprocess.Popen[bytes]) -> None:
        async with joined_page(link, profile, chromium) as page:
            print(await page.evaluate(SEND if role == "send" else RECEIVE), flush=True)
            await asyncio.sleep(seconds)

    run_chromium(drive, FLAGS, f"chromium {role}er")


if __name__ == "__main__":
    main()
