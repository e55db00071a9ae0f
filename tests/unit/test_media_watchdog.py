"""The media watchdog judges peer connections by their state and by the RTCP they get.

Stand-in peer connections give it the statistics aiortc would (the fields it reads), so
each rule is checked in well under a second; the real path runs in
tests/integration/test_dead_meeting.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from aiortc import RTCPeerConnection

from client.call import media_watchdog
from client.call.media_watchdog import MediaWatchdog

SILENCE_S = 0.3
TICK_S = 0.02


@dataclass
class Stat:
    type: str
    timestamp: datetime
    packetsSent: int = 0  # aiortc's name


@dataclass
class StandInPeerConnection:
    connectionState: str = "connected"  # aiortc's name
    reports: int = 0  # RTCP reports heard so far; None-like when 0
    sent: int = 0
    handlers: dict[str, Callable[[], None]] = field(default_factory=dict)

    def on(self, event: str) -> Callable[[Callable[[], None]], Callable[[], None]]:
        def register(handler: Callable[[], None]) -> Callable[[], None]:
            self.handlers[event] = handler
            return handler

        return register

    def set_state(self, state: str) -> None:
        self.connectionState = state
        self.handlers["connectionstatechange"]()

    async def getStats(self) -> dict[str, Stat]:  # aiortc's name
        now = datetime.now(UTC)
        stats = {"out": Stat("outbound-rtp", now, self.sent)}
        if self.reports:
            heard = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=self.reports)
            stats["in"] = Stat("remote-outbound-rtp", heard)
        return stats

    def __hash__(self) -> int:
        return id(self)


def as_pc(stand_in: StandInPeerConnection) -> RTCPeerConnection:
    return cast(RTCPeerConnection, stand_in)


async def watch_for(
    seconds: float, pc: StandInPeerConnection, each_tick: Callable[[], Any] | None = None
) -> list[str]:
    died: list[str] = []
    watchdog = MediaWatchdog(died.append, silence_s=SILENCE_S, check_every_s=TICK_S)
    watchdog.watch(as_pc(pc), "a test stream")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not died:
        if each_tick is not None:
            each_tick()
        await asyncio.sleep(TICK_S)
    await watchdog.stop()
    return died


def test_reports_that_stop_count_as_dead_media() -> None:
    pc = StandInPeerConnection(reports=1)
    died = asyncio.run(watch_for(2.0, pc))
    assert died == ["no media arrived from the meeting host for 0.3 s"]


def test_reports_that_keep_coming_are_alive() -> None:
    pc = StandInPeerConnection(reports=1)

    def report() -> None:
        pc.reports += 1

    assert asyncio.run(watch_for(1.0, pc, report)) == []


def test_a_connection_that_never_reported_is_not_judged_by_silence() -> None:
    assert asyncio.run(watch_for(1.0, StandInPeerConnection(reports=0))) == []


def test_a_publisher_that_sends_nothing_expects_no_reports() -> None:
    # A camera turned off sends no RTP, so the host has nothing to report on.
    assert asyncio.run(watch_for(1.0, StandInPeerConnection(reports=1, sent=500))) == []


def test_a_publisher_that_sends_but_hears_nothing_is_dead() -> None:
    pc = StandInPeerConnection(reports=1, sent=1)

    def send() -> None:
        pc.sent += 10

    assert asyncio.run(watch_for(2.0, pc, send)) != []


def test_a_failed_connection_is_dead_at_once() -> None:
    async def scenario() -> list[str]:
        died: list[str] = []
        pc = StandInPeerConnection(reports=0)
        watchdog = MediaWatchdog(died.append, silence_s=60, check_every_s=60)
        watchdog.watch(as_pc(pc), "a test stream")
        pc.set_state("failed")
        await watchdog.stop()
        return died

    assert asyncio.run(scenario()) == ["the media connection to the meeting host failed"]


def test_a_connection_the_host_closed_is_dead_unless_forgotten_in_time() -> None:
    closed = StandInPeerConnection(connectionState="closed")
    assert asyncio.run(watch_for(2.0, closed)) == ["the meeting host closed the media connection"]

    async def forgotten() -> list[str]:
        died: list[str] = []
        pc = StandInPeerConnection(connectionState="closed")
        watchdog = MediaWatchdog(died.append, silence_s=SILENCE_S, check_every_s=TICK_S)
        watchdog.watch(as_pc(pc), "a stream that ended")
        await asyncio.sleep(SILENCE_S / 3)
        watchdog.forget(as_pc(pc))  # the signaling said the stream ended
        await asyncio.sleep(SILENCE_S * 3)
        await watchdog.stop()
        return died

    assert asyncio.run(forgotten()) == []


def test_a_process_that_stood_still_starts_counting_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(media_watchdog, "PAUSED_AFTER_S", 0.1)
    pc = StandInPeerConnection(reports=1)
    stood_still = False

    def stand_still_once() -> None:
        nonlocal stood_still
        if not stood_still:
            stood_still = True
            time.sleep(SILENCE_S * 2)  # the whole loop stops, as under SIGSTOP

    died: list[str] = []

    async def scenario() -> float:
        dead = asyncio.Event()
        watchdog = MediaWatchdog(
            lambda reason: (died.append(reason), dead.set()),
            silence_s=SILENCE_S,
            check_every_s=TICK_S,
        )
        watchdog.watch(as_pc(pc), "a test stream")
        await asyncio.sleep(TICK_S * 3)
        stand_still_once()
        resumed = time.monotonic()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(dead.wait(), 2.0)
        await watchdog.stop()
        return time.monotonic() - resumed

    after = asyncio.run(scenario())
    assert died, "silence after the pause still counts"
    assert after >= SILENCE_S, "but only from the end of the pause"
