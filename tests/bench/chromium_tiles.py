"""Headless Chromium in a busy Runde meeting, as a browser app would be: every camera in a tile.

    python -m tests.bench.chromium_tiles LINK SECONDS [--no-camera]

Run inside a network namespace (Chromium wants a non-loopback address for media, see
``tests/integration/chromium_publisher.py``, whose browser and page this reuses). The page joins
as "Chromium", publishes its fake camera at 1280x720/30 in three simulcast layers (quarter, half
and full size, each capped at the bitrate Runde's own layer of that height gets,
client/media/layer_encoder.py) and its fake microphone, then answers every ``sdp_offer`` the
SFU sends (one per other participant) and shows each in a ``<video>`` of a grid like the
app's stage (client/ui/stage_layout.py: all tiles the same size, ``ceil(sqrt(n))`` columns, its
own camera a tile too) in a 1100x700 window, playing their sound.

For each remote tile the page asks the SFU, once the layout has settled for 400 ms, for
``set_preferred_layer {target, max_height}`` by the app's own rule (client/call/tile_heights.py:
1.5 times the tile's height in device pixels, rounded up to a multiple of 90, at least 180).
Each line on stdin ``{"target": ID, "max_height": N}`` (the benchmark passes on what the app
asked of that participant, from the app's log) replaces that rule for that tile. Asking exactly
what the app asks is the fair comparison: both then receive (and decode) the same layers, so
the CPU each spends is the cost of its own receive, decode and display path, not of the SFU
sending one of them taller pictures.

Prints one JSON line once published, then one a second: per remote (participant id) the
``inbound-rtp`` video frames decoded and frame height, audio packets received, the tile's rows
and what it asked for; the height of each layer it sends and what limits it
(``qualityLimitationReason``); and any error the SFU answered.
Exits 2 with one sentence on failure.
"""

from __future__ import annotations

import asyncio
import json
import queue
import subprocess
import sys
import threading
import time
from typing import Any

from client.media.layer_encoder import bitrate_cap
from tests.integration.chromium_publisher import (
    CHROMIUM_FLAGS,
    DevTools,
    joined_page,
    run_chromium,
)

WINDOW = (1100, 700)  # the app's window in the client benchmark
FLAGS = (
    *CHROMIUM_FLAGS,
    f"--window-size={WINDOW[0]},{WINDOW[1]}",
    "--autoplay-policy=no-user-gesture-required",  # remote sound plays, as in the app
)

JOIN_AND_SHOW = """
(async () => {
  const withCamera = WITH_CAMERA;
  const {next, send, gathered} = await window.rundeJoin(
    "Chromium", {audio: true, video: withCamera});
  document.body.style.cssText = "margin:0;background:#202020;overflow:hidden";
  const grid = document.createElement("div");
  grid.style.cssText = "display:grid;gap:4px;width:100vw;height:100vh;box-sizing:border-box";
  document.body.appendChild(grid);
  const tile = () => {
    const video = document.createElement("video");
    video.autoplay = true;
    video.playsInline = true;
    video.style.cssText = "width:100%;height:100%;min-height:0;object-fit:contain;background:#000";
    grid.appendChild(video);
    return video;
  };
  const tiles = {};
  window.rundeTiles = tiles;
  // What the app asked of the same participant, given by the benchmark: asked from now on.
  window.rundeAsk = (target, maxHeight) => {
    const t = tiles[target];
    if (!t) return false;
    t.mirrored = true;
    if (t.asked !== maxHeight) {
      t.asked = maxHeight;
      send("media", {action: "set_preferred_layer", target, max_height: maxHeight});
    }
    return true;
  };
  window.rundeErrors = [];
  let settle = null;
  // The app's rule (client/call/tile_heights.py), asked once the layout rests for 400 ms.
  const ask = () => {
    for (const [target, t] of Object.entries(tiles)) {
      if (t.mirrored) continue;
      const rows = Math.round(t.video.clientHeight * window.devicePixelRatio);
      const maxHeight = Math.max(180, Math.ceil(rows * 1.5 / 90) * 90);
      if (t.asked !== maxHeight) {
        t.asked = maxHeight;
        send("media", {action: "set_preferred_layer", target, max_height: maxHeight});
      }
    }
  };
  const layout = () => {
    const count = grid.children.length;
    const columns = Math.ceil(Math.sqrt(count));
    const rows = Math.ceil(count / columns);
    grid.style.gridTemplateColumns = `repeat(${columns}, minmax(0, 1fr))`;
    grid.style.gridTemplateRows = `repeat(${rows}, minmax(0, 1fr))`;
    clearTimeout(settle);
    settle = setTimeout(ask, 400);
  };

  const stream = await navigator.mediaDevices.getUserMedia(withCamera
    ? {audio: true, video: {width: 1280, height: 720, frameRate: 30}} : {audio: true});
  const own = tile();
  own.muted = true;
  own.srcObject = stream;
  layout();
  const pc = new RTCPeerConnection();
  pc.addTransceiver(stream.getAudioTracks()[0], {direction: "sendonly"});
  if (withCamera) {
    pc.addTransceiver(stream.getVideoTracks()[0], {direction: "sendonly", sendEncodings: [
      {rid: "l", scaleResolutionDownBy: 4, maxBitrate: LOW_BPS},
      {rid: "m", scaleResolutionDownBy: 2, maxBitrate: MID_BPS},
      {rid: "h", maxBitrate: TOP_BPS}]});
  }
  await pc.setLocalDescription();
  await gathered(pc);
  send("media", {action: "publish", media_session_type: "video", sdp: pc.localDescription.sdp});
  const answer = await next("sdp_answer");
  await pc.setRemoteDescription({type: "answer", sdp: answer.payload.sdp});
  window.rundePc = pc;

  // One waiter on the socket at a time (rundeJoin wakes only the last): offers from now on.
  (async () => {
    for (;;) {
      let offer;
      try {
        offer = await next("sdp_offer");
      } catch (error) {
        window.rundeErrors.push(String(error.message || error));
        continue;
      }
      const {target, media_session_type: kind, sdp} = offer.payload;
      const old = tiles[target];
      if (old) { old.pc.close(); old.video.remove(); }
      const sub = new RTCPeerConnection();
      const shown = new MediaStream();
      const video = tile();
      sub.ontrack = (event) => {
        shown.addTrack(event.track);
        video.srcObject = shown;
        video.play().catch(() => {});
      };
      tiles[target] = {pc: sub, video, asked: null};
      await sub.setRemoteDescription({type: "offer", sdp});
      await sub.setLocalDescription();
      await gathered(sub);
      send("media", {action: "sdp_answer", target, media_session_type: kind,
                     sdp: sub.localDescription.sdp});
      layout();
    }
  })();
  return answer.payload.sdp.includes("a=simulcast:recv") ? "simulcast" : "one layer";
})()
"""

TILE_STATS = """
(async () => {
  const out = {tiles: {}, sent: {}, errors: window.rundeErrors};
  for (const [target, t] of Object.entries(window.rundeTiles)) {
    const quality = t.video.getVideoPlaybackQuality();
    const seen = {frames: 0, height: 0, audio: 0, rows: t.video.clientHeight, asked: t.asked,
                  shown: quality.totalVideoFrames - quality.droppedVideoFrames};
    (await t.pc.getStats()).forEach((s) => {
      if (s.type === "inbound-rtp" && s.kind === "video") {
        seen.frames = s.framesDecoded || 0;
        seen.height = s.frameHeight || 0;
      }
      if (s.type === "inbound-rtp" && s.kind === "audio") seen.audio = s.packetsReceived;
    });
    out.tiles[target] = seen;
  }
  (await window.rundePc.getStats()).forEach((s) => {
    if (s.type === "outbound-rtp" && s.rid)
      out.sent[s.rid] = {height: s.frameHeight || 0, limited: s.qualityLimitationReason};
  });
  return JSON.stringify(out);
})()
"""


def join_and_show(camera: bool = True) -> str:
    """The page script, with each simulcast layer capped like Runde's layer of its height;
    without ``camera`` it sends its microphone only."""
    return (
        JOIN_AND_SHOW.replace("WITH_CAMERA", "true" if camera else "false")
        .replace("LOW_BPS", str(bitrate_cap(180)))
        .replace("MID_BPS", str(bitrate_cap(360)))
        .replace("TOP_BPS", str(bitrate_cap(720)))
    )


def _read_asks(asks: queue.Queue[dict[str, Any]]) -> None:
    for line in sys.stdin:
        if line.strip():
            asks.put(json.loads(line))


async def _report(page: DevTools, seconds: float) -> None:
    """Pass on the asks that came on stdin and print the page's figures, once a second."""
    asks: queue.Queue[dict[str, Any]] = queue.Queue()
    threading.Thread(target=_read_asks, args=(asks,), daemon=True).start()
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        await asyncio.sleep(1.0)
        while not asks.empty():
            ask = asks.get()
            await page.evaluate(
                f"window.rundeAsk({json.dumps(ask['target'])}, {ask['max_height']:d})"
            )
        stats = json.loads(await page.evaluate(TILE_STATS))
        stats["t"] = round(time.monotonic() - started, 1)
        print(json.dumps(stats), flush=True)


def main() -> None:
    link, seconds = sys.argv[1], float(sys.argv[2])
    camera = "--no-camera" not in sys.argv[3:]

    async def drive(profile: str, chromium: subprocess.Popen[bytes]) -> None:
        async with joined_page(link, profile, chromium) as page:
            published = await page.evaluate(join_and_show(camera))
            print(json.dumps({"published": published}), flush=True)
            await _report(page, seconds)

    run_chromium(drive, FLAGS, "chromium tiles")


if __name__ == "__main__":
    main()
