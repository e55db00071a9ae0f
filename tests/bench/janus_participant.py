"""A headless participant in a Janus VideoRoom: `python -m tests.bench.janus_participant`.

It is `runde join --headless` with :class:`JanusBackend` in place of the SFU backend: it
publishes test video and audio, decodes everything it receives and writes the same
statistics JSON, plus who it saw leave. Run it inside the Janus test namespace.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import sys
import time
from pathlib import Path
from typing import cast

from client.call import events
from client.call.backend import EventSink, JoinError, MeetingBackend
from client.call.janus_backend import JanusBackend
from client.headless import HeadlessParticipant
from client.media.sources import OpenedSource, open_audio_source, open_video_source
from client.netconfig import NetworkSettings, apply_bind_addresses
from client.protocol.link import MeetingLink

EXIT_JOIN_FAILED = 3


class JanusParticipant(HeadlessParticipant):
    def __init__(
        self,
        url: str,
        room: int,
        pin: str | None,
        name: str,
        network: NetworkSettings,
        sources: list[OpenedSource],
        started_at: float,
    ) -> None:
        self.left: list[str] = []  # names of participants we saw leave
        self.streams_ended: list[str] = []

        def janus(sink: EventSink) -> MeetingBackend:
            return JanusBackend(url, room, network, sink, pin=pin)

        super().__init__(cast(MeetingLink, None), name, network, sources, started_at, backend=janus)

    def _on_event(self, event: events.MeetingEvent) -> None:
        if isinstance(event, events.ParticipantLeft):
            self.left.append(self.stats.names.get(event.participant_id, event.participant_id))
        elif isinstance(event, events.RemoteStreamEnded):
            name = self.stats.names.get(event.participant_id, event.participant_id)
            self.streams_ended.append(name)
        super()._on_event(event)

    def write_stats(self, path: Path) -> None:
        data = {**self.stats.as_json(), "left": self.left, "streams_ended": self.streams_ended}
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


async def run(args: argparse.Namespace, started_at: float) -> int:
    sources = [
        s for s in (open_audio_source(args.audio), open_video_source(args.video)) if s is not None
    ]
    network = NetworkSettings(bind_addresses=(args.bind,))
    participant = JanusParticipant(
        args.url, args.room, args.pin, args.name, network, sources, started_at
    )
    try:
        await participant.join()
    except JoinError as exc:
        for source in sources:
            source.stop()
        print(f"could not join the meeting: {exc}", file=sys.stderr)
        return EXIT_JOIN_FAILED
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(participant.ended.wait(), timeout=args.duration)
    await participant.leave()
    if args.stats_json is not None:
        participant.write_stats(args.stats_json)
    if participant.end is not None:
        print(f"meeting ended: {participant.end.reason}", file=sys.stderr)
        return 5 if participant.end.connection_lost else 0
    return 0


def main() -> int:
    started_at = time.monotonic()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="ws://127.0.0.1:8188")
    parser.add_argument("--room", type=int, required=True)
    parser.add_argument("--pin", default=None)
    parser.add_argument("--name", required=True)
    parser.add_argument("--bind", required=True, help="gather ICE candidates on this address")
    parser.add_argument("--video", default="testsrc")
    parser.add_argument("--audio", default="sine")
    parser.add_argument("--duration", type=float, default=8.0)
    parser.add_argument("--stats-json", type=Path, default=None)
    parser.add_argument("--log-level", default="warning")
    args = parser.parse_args()
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    apply_bind_addresses([args.bind])
    return asyncio.run(run(args, started_at))


if __name__ == "__main__":
    sys.exit(main())
