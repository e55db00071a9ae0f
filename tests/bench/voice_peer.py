"""One participant with the desktop app's audio path and no window, for the mouth-to-ear bench.

    python tests/bench/voice_peer.py LINK NAME SECONDS SOURCE SINK [BIND]

Opens microphone and speakers exactly as the app does (``DesktopMedia``: the default
devices, the shared echo canceller, ``MicrophoneTrack`` and ``AudioPlayout``), joins with the
meeting core and plays every remote voice, for SECONDS. SOURCE and SINK are sound-server
devices, chosen in its settings as a user would pick them in the app. Run as a file, not a
module, so that ``PYTHONPATH`` decides which checkout's ``client`` package it runs (the bench
compares commits); it imports nothing from ``tests``. BIND is the address to gather ICE
candidates on (default 127.0.0.1).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings

from client.call import events
from client.call.connect import backend_for
from client.call.session import MeetingSession
from client.desktop_media import DesktopMedia
from client.media.level_probe import LevelProbeTrack
from client.media.pulse_devices import PREFIX as PULSE_PREFIX
from client.netconfig import NetworkSettings, apply_bind_addresses
from client.protocol.link import parse_link
from client.protocol.messages import MediaSessionType
from client.settings import SettingsStore

LOOPBACK = "127.0.0.1"


async def run(
    link: str, name: str, seconds: float, devices: tuple[str, str], folder: Path, bind: str
) -> None:
    settings = SettingsStore(QSettings(str(folder / "runde.ini"), QSettings.Format.IniFormat))
    source, sink = devices
    settings.update(microphone=f"{PULSE_PREFIX}{source}", speaker=f"{PULSE_PREFIX}{sink}")
    media = DesktopMedia(settings)

    def report(problem: str) -> None:
        print(f"{name}: {problem}", file=sys.stderr, flush=True)

    microphone = media.open_microphone(report)
    playout = media.open_playout(report)
    voices: list[LevelProbeTrack] = []

    def on_event(event: object) -> None:
        if (
            isinstance(event, events.RemoteTrackAdded)
            and event.track.kind == "audio"
            and event.session_type is MediaSessionType.VIDEO
        ):
            voice = LevelProbeTrack(event.track)
            voices.append(voice)
            playout.add_source(event.participant_id, voice)

    network = NetworkSettings(bind_addresses=(bind,))
    session = MeetingSession(backend_for(parse_link(link), network))
    session.subscribe(on_event)
    await session.join(name, [microphone] if microphone is not None else [])
    print(f"{name}: joined", flush=True)
    try:
        await asyncio.sleep(seconds)
    finally:
        print(f"{name}: {playout.stats()}", flush=True)
        await session.leave()
        await playout.close()
        if microphone is not None:
            microphone.stop()


def main() -> None:
    link, name, seconds, source, sink = sys.argv[1:6]
    bind = sys.argv[6] if len(sys.argv) > 6 else LOOPBACK
    apply_bind_addresses([bind])
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(run(link, name, float(seconds), (source, sink), Path(folder), bind))


if __name__ == "__main__":
    main()
