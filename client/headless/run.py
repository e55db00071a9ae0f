"""``runde join --headless``: join, do what the command line asks, leave, report."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from client.call.backend import JoinError, ModuleUnavailable, PublishError
from client.call.session import ChatError, ChatProblem
from client.exit_codes import (
    EXIT_CONNECTION_LOST,
    EXIT_JOIN_FAILED,
    EXIT_OK,
    EXIT_REMOVED,
    EXIT_SOURCE_FAILED,
)
from client.headless.participant import HeadlessParticipant, ShareSettings
from client.headless.snapshots import save_video_snapshots
from client.headless.stats import save_screen_snapshot, write_stats
from client.media.background.choice import NO_BACKGROUND_EFFECT, BackgroundChoice
from client.media.screen import ScreenCaptureError
from client.media.sources import OpenedSource, SourceError, open_audio_source, open_video_source
from client.netconfig import NetworkSettings
from client.protocol.link import MeetingLink
from client.protocol.modules import Reaction

logger = logging.getLogger(__name__)

# How long a private message waits for its addressee to be in the meeting.
ADDRESSEE_WAIT_S = 10.0


@dataclass(frozen=True)
class Chat:
    text: str
    to_name: str | None = None  # None: the whole room


@dataclass(frozen=True)
class RaiseHand:
    pass


@dataclass(frozen=True)
class React:
    reaction: Reaction


Action = Chat | RaiseHand | React


@dataclass(frozen=True)
class JoinOptions:
    link: MeetingLink
    name: str
    video: str = "testsrc"
    audio: str = "sine"
    video_codec: str = "VP8"
    duration: float | None = None
    stats_json: Path | None = None
    stats_every: float | None = None
    max_height: int | None = None  # the tallest camera picture to receive (None: any)
    share: ShareSettings | None = None
    screen_snapshot: Path | None = None
    video_snapshot: Path | None = None  # a folder: each remote's last camera picture
    background: BackgroundChoice = NO_BACKGROUND_EFFECT
    reconnect: bool = True  # False: a lost connection ends the run (exit code 5)
    # done in this order once joined
    actions: tuple[Action, ...] = field(default_factory=tuple)


def _fail(code: int, text: str) -> int:
    print(f"runde: {text}", file=sys.stderr)
    return code


def install_stop_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        # Windows has no loop signal handlers: Ctrl+C raises KeyboardInterrupt instead.
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)


def _open_sources(options: JoinOptions) -> list[OpenedSource]:
    sources: list[OpenedSource] = []
    try:
        for source in (open_audio_source(options.audio), open_video_source(options.video)):
            if source is not None:
                sources.append(source)
        if options.background.is_on:
            _add_background(sources, options.background)
    except SourceError:
        for opened in sources:
            opened.stop()
        raise
    return sources


def _add_background(sources: list[OpenedSource], choice: BackgroundChoice) -> None:
    # OpenCV and the model load only for a participant that uses them
    from client.media.background.pictures import BackgroundPictureError
    from client.media.background.segmenter import SegmenterError
    from client.media.background.stage import BackgroundStage
    from client.media.background.track import BackgroundTrack

    video = next((s for s in sources if s.track.kind == "video"), None)
    if video is None:
        raise SourceError("--background needs a camera picture to work on (--video is none)")
    try:
        stage = BackgroundStage(choice, fps=30, on_turned_off=_background_turned_off)
    except (BackgroundPictureError, SegmenterError) as exc:
        raise SourceError(str(exc)) from None
    video.track = BackgroundTrack(video.track, stage)


def _background_turned_off(sentence: str) -> None:
    print(f"runde: {sentence}", file=sys.stderr)


async def join_headless(options: JoinOptions, network: NetworkSettings, started_at: float) -> int:
    """Join, act, stay for ``duration`` (or until stopped), leave; returns the exit code."""
    try:
        sources = _open_sources(options)
    except SourceError as exc:
        return _fail(EXIT_SOURCE_FAILED, str(exc))
    participant = HeadlessParticipant(
        options.link,
        options.name,
        network,
        sources,
        started_at,
        video_codec=options.video_codec,
        share=options.share,
    )
    if not options.reconnect:
        participant.session.never_reconnect()
    if options.max_height is not None:  # sent as soon as we are in
        await participant.session.set_preferred_layer(options.max_height)
    stop = asyncio.Event()
    install_stop_signals(stop)
    try:
        if not await _join_within(participant, options.duration):
            await participant.leave()
            return _fail(
                EXIT_JOIN_FAILED,
                f"could not join the meeting: nobody let you in within {options.duration:g} s",
            )
    except JoinError as exc:
        for opened in sources:
            opened.stop()
        return _fail(EXIT_JOIN_FAILED, f"could not join the meeting: {exc}")
    except (ScreenCaptureError, PublishError) as exc:
        await participant.leave()
        return _fail(EXIT_SOURCE_FAILED, f"cannot share the screen: {exc}")
    except ConnectionError as exc:
        await participant.leave()
        return _fail(EXIT_CONNECTION_LOST, f"lost the connection while joining: {exc}")
    waiters: list[asyncio.Future[object]] = [
        asyncio.ensure_future(stop.wait()),
        asyncio.ensure_future(participant.ended.wait()),
        asyncio.ensure_future(_act(participant, options.actions)),
    ]
    if options.stats_json is not None and options.stats_every:
        waiters.append(
            asyncio.ensure_future(
                _write_periodically(options.stats_json, participant, options.stats_every)
            )
        )
    deadline = time.monotonic() + options.duration if options.duration is not None else None
    pending = set(waiters)
    while pending:
        left = None if deadline is None else max(0.0, deadline - time.monotonic())
        done, pending = await asyncio.wait(
            pending, timeout=left, return_when=asyncio.FIRST_COMPLETED
        )
        # Doing the actions ends nothing; stopping, the meeting's end or the time do.
        if not done or any(w in done for w in waiters[:2]):
            break
    for waiter in waiters:
        waiter.cancel()
    await participant.leave()
    return _finish(participant, options)


async def _join_within(participant: HeadlessParticipant, duration: float | None) -> bool:
    """Join; False when a waiting room kept us waiting longer than ``duration``."""
    joining = asyncio.ensure_future(participant.join())
    while True:
        done, _ = await asyncio.wait([joining], timeout=0.1)
        if done:
            joining.result()  # raises what joining raised
            return True
        waited = participant.waited_so_far()
        if duration is not None and waited is not None and waited > duration:
            joining.cancel()
            await asyncio.gather(joining, return_exceptions=True)
            return False


def _finish(participant: HeadlessParticipant, options: JoinOptions) -> int:
    if options.stats_json is not None:
        _save_stats(options.stats_json, participant)
    if options.screen_snapshot is not None and participant.screen_snapshot is not None:
        save_screen_snapshot(options.screen_snapshot, participant.screen_snapshot)
    if options.video_snapshot is not None:
        save_video_snapshots(
            options.video_snapshot, participant.video_snapshots, participant.stats.names
        )
    if participant.screen_error is not None:
        print(f"runde: {participant.screen_error}", file=sys.stderr)
    end = participant.end
    if end is not None:
        if end.connection_lost:
            off = "" if options.reconnect else "; reconnecting is off (--no-reconnect)"
            print(f"runde: {end.reason}{off}", file=sys.stderr)
            return EXIT_CONNECTION_LOST
        print(f"runde: {end.reason}", file=sys.stderr)
        if end.removed:
            return EXIT_REMOVED
    return EXIT_OK


async def _act(participant: HeadlessParticipant, actions: tuple[Action, ...]) -> None:
    """Each action in order; one that cannot be done is named on stderr, the rest go on."""
    session = participant.session
    for action in actions:
        try:
            match action:
                case Chat(text=text, to_name=None):
                    await session.send_chat(text)
                case Chat(text=text, to_name=name):
                    addressee = await _addressee(participant, name)
                    await session.send_chat(text, addressee)
                case RaiseHand():
                    await session.set_hand(True)
                case React(reaction=reaction):
                    await session.react(reaction)
        except (ChatError, ModuleUnavailable) as exc:
            participant.stats.errors.append(str(exc))
            print(f"runde: {exc}", file=sys.stderr)


async def _addressee(participant: HeadlessParticipant, name: str | None) -> str:
    deadline = time.monotonic() + ADDRESSEE_WAIT_S
    while True:
        found = participant.participant_named(name or "")
        if found is not None:
            return found
        if time.monotonic() > deadline:
            raise ChatError(
                ChatProblem.ADDRESSEE_GONE,
                f"nobody called {name!r} is in the meeting; the message was not sent",
            )
        await asyncio.sleep(0.1)


async def _write_periodically(path: Path, participant: HeadlessParticipant, every: float) -> None:
    while True:
        await asyncio.sleep(every)
        _save_stats(path, participant)


def _save_stats(path: Path, participant: HeadlessParticipant) -> None:
    participant.stats.reconnects = participant.session.reconnects
    if path.exists() and not path.is_file():
        # A device or pipe (/dev/null, /dev/stdout, a FIFO): write into it. Renaming a
        # finished file over it would replace it, as root even /dev/null itself.
        with path.open("w", encoding="utf-8") as out:
            out.write(json.dumps(participant.stats.as_json(), indent=2) + "\n")
        return
    write_stats(path, participant.stats)
