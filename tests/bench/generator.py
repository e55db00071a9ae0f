"""Benchmark load generator: several participants in one process, driven over stdin/stdout.

`python -m tests.bench.generator --server runde|janus ...` joins its participants through
:class:`MeetingSession` with the real backend, publishes pre-encoded media and counts what it
receives without decoding; with ``--layer-clips`` each camera goes in layers, as a Runde
camera does. Commands, one per line on stdin: ``status``, ``start`` (open the
measurement window), ``stop`` (close it and report), ``quit``. Each answer is one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import sys
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError

from client import compat
from client.call import events
from client.call.backend import EventSink, JoinError, MeetingBackend
from client.call.janus_backend import JanusBackend
from client.call.session import MeetingSession
from client.call.sfu_backend import SfuBackend
from client.media.receive_path import install_receive_path
from client.netconfig import NetworkSettings, apply_bind_addresses
from client.protocol.link import parse_link
from tests.bench.layered_clips import LayerClips
from tests.bench.media import (
    Clip,
    PacketTrack,
    Probe,
    install_pass_through_decoder,
    install_probe,
    load_clip,
)

logger = logging.getLogger("runde.bench.generator")

BackendFactory = Callable[[EventSink], MeetingBackend]
MAX_PARTICIPANTS = 8  # publishers' clip offsets are spread over this many slots
NO_VIDEO = 0  # the max_height that asks for no video at all


@dataclass
class LoadParticipant:
    """One benchmark participant: publishes the clip, counts frames per remote and kind."""

    name: str
    index: int
    factory: BackendFactory
    clip: Clip
    layer_clips: LayerClips | None = None  # the camera goes in these layers, not the clip
    watch: str | None = None  # when set, the only participant whose video it receives
    frames: dict[str, dict[str, int]] = field(default_factory=dict)  # remote name -> kind -> n
    session: MeetingSession | None = None
    _consumers: set[asyncio.Task[None]] = field(default_factory=set)

    async def join(self) -> None:
        slot = self.index % MAX_PARTICIPANTS
        camera = (
            PacketTrack("video", self.clip.video, slot * len(self.clip.video) // MAX_PARTICIPANTS)
            if self.layer_clips is None
            else self.layer_clips.camera(slot / MAX_PARTICIPANTS)
        )
        tracks: list[MediaStreamTrack] = [
            PacketTrack("audio", self.clip.audio, slot * len(self.clip.audio) // MAX_PARTICIPANTS),
            camera,
        ]
        self.session = MeetingSession(self.factory)
        self.session.subscribe(self._on_event)
        await self.session.join(self.name, tracks)

    async def leave(self) -> None:
        if self.session is not None:
            await self.session.leave()
        for task in list(self._consumers):
            task.cancel()
        await asyncio.gather(*self._consumers, return_exceptions=True)

    def _on_event(self, event: events.MeetingEvent) -> None:
        if isinstance(event, events.RemoteTrackAdded):
            assert self.session is not None
            remote = self.session.participants.get(event.participant_id)
            name = remote.display_name if remote is not None else event.participant_id
            if self.watch is not None and name != self.watch and event.track.kind == "video":
                # no video it does not count: the machine's CPU goes to what is measured
                self._spawn(self.session.set_preferred_layer(NO_VIDEO, event.participant_id))
            self._spawn(self._count(name, event.track))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(work)
        self._consumers.add(task)
        task.add_done_callback(self._consumers.discard)

    async def _count(self, remote: str, track: MediaStreamTrack) -> None:
        counts = self.frames.setdefault(remote, {"audio": 0, "video": 0})
        with contextlib.suppress(MediaStreamError):
            while True:
                await track.recv()
                counts[track.kind] += 1

    def snapshot(self) -> dict[str, dict[str, int]]:
        return {remote: dict(kinds) for remote, kinds in self.frames.items()}


class Generator:
    def __init__(self, participants: list[LoadParticipant], probe: Probe) -> None:
        self.participants = participants
        self.probe = probe
        self._window_start = 0.0
        self._frames_at_start: dict[str, dict[str, dict[str, int]]] = {}

    def status(self) -> dict[str, object]:
        return {"frames": {p.name: p.snapshot() for p in self.participants}}

    def start(self) -> dict[str, object]:
        self.probe.reset()
        self.probe.recording = True
        self._window_start = time.monotonic()
        self._frames_at_start = {p.name: p.snapshot() for p in self.participants}
        return {"started": self._window_start}

    def stop(self) -> dict[str, object]:
        self.probe.recording = False
        end = time.monotonic()
        frames: dict[str, dict[str, dict[str, int]]] = {}
        for participant in self.participants:
            before = self._frames_at_start.get(participant.name, {})
            frames[participant.name] = {
                remote: {
                    kind: count - before.get(remote, {}).get(kind, 0)
                    for kind, count in kinds.items()
                }
                for remote, kinds in participant.snapshot().items()
            }
        return {
            "window": [self._window_start, end],
            "frames": frames,
            "packets": self.probe.packets,
            "sent": [[key, times] for key, times in self.probe.sent.items()],
            "received": self.probe.received,
        }


def _factory(args: argparse.Namespace, network: NetworkSettings) -> BackendFactory:
    if args.server == "runde":
        link = parse_link(args.target)
        return lambda sink: SfuBackend(link, network, sink)
    return lambda sink: JanusBackend(args.target, args.room, network, sink)


def _publish_only(factory: BackendFactory) -> BackendFactory:
    """A participant that sends but ignores the server's offers, so it costs no receive CPU
    (client benchmarks measure one app, not a room full of receiving generators). Fails
    loudly when the backend no longer has the hook, instead of quietly subscribing."""

    def make(sink: EventSink) -> MeetingBackend:
        backend = factory(sink)

        async def ignore(offer: object) -> None:
            return None

        # the SFU backend's subscriptions live in its SfuPeers; Janus subscribes itself
        owner = getattr(backend, "_peers", backend)
        hook = "subscribe" if owner is not backend else "_subscribe"
        if not callable(getattr(owner, hook, None)):
            raise RuntimeError(f"{type(backend).__name__} has no {hook} to switch off")
        setattr(owner, hook, ignore)
        return backend

    return make


def _reply(message: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(message, separators=(",", ":")) + "\n")
    sys.stdout.flush()


async def _commands() -> asyncio.StreamReader:
    reader = asyncio.StreamReader(limit=1 << 20)
    loop = asyncio.get_running_loop()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    return reader


async def run(args: argparse.Namespace) -> int:
    network = NetworkSettings(bind_addresses=(args.bind,))
    clip = load_clip(args.clip)
    layer_clips = LayerClips(args.layer_clips) if args.layer_clips else None
    probe = Probe()
    install_probe(probe)
    # The generator counts packets and never plays them: its participants skip the receive
    # path a meeting session installs (reordering, Opus decoding and concealment for every
    # voice), which would otherwise take the CPU the measured app needs.
    install_receive_path()
    compat.replace_audio_jitter_buffers(None)
    compat.wrap_receiver_decoders(None)
    install_pass_through_decoder()
    factory = _factory(args, network)
    participants = [
        LoadParticipant(
            name,
            index,
            factory if n < args.receivers else _publish_only(factory),
            clip,
            layer_clips,
            args.watch,
        )
        for n, (name, index) in enumerate(
            zip(args.names.split(","), map(int, args.indices.split(",")), strict=True)
        )
    ]
    generator = Generator(participants, probe)
    reader = await _commands()
    try:
        for participant in participants:
            await participant.join()
    except (JoinError, OSError) as exc:
        _reply({"error": f"{exc}"})
        return 1
    _reply({"joined": [p.name for p in participants]})
    handlers = {"status": generator.status, "start": generator.start, "stop": generator.stop}
    try:
        while True:
            line = (await reader.readline()).decode().strip()
            if not line or line == "quit":
                break
            handler = handlers.get(line)
            _reply(handler() if handler is not None else {"error": f"unknown command {line!r}"})
    finally:
        await asyncio.gather(*(p.leave() for p in participants), return_exceptions=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--server", choices=["runde", "janus"], required=True)
    parser.add_argument("--target", required=True, help="meeting link or Janus WebSocket URL")
    parser.add_argument("--room", type=int, default=1234, help="Janus room")
    parser.add_argument("--names", required=True, help="comma-separated display names")
    parser.add_argument("--indices", required=True, help="each participant's global index")
    parser.add_argument("--clip", type=Path, required=True)
    parser.add_argument("--bind", required=True)
    parser.add_argument(
        "--receivers",
        type=int,
        default=MAX_PARTICIPANTS,
        help="only this many of the participants subscribe; the rest only publish",
    )
    parser.add_argument(
        "--layer-clips",
        type=Path,
        nargs="*",
        help="publish the camera in layers, one clip each (tallest first; see layered_clips.py)",
    )
    parser.add_argument(
        "--watch", help="receivers take video only from the participant of this display name"
    )
    parser.add_argument("--log-level", default="warning")
    args = parser.parse_args()
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    apply_bind_addresses([args.bind])
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
