"""The client meeting session in this process, against a real headless host."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import pytest

from client.call import events
from client.call.sfu_backend import SfuBackend
from client.call.signaling import SignalingClient
from client.headless import HeadlessParticipant
from client.media.sources import open_audio_source, open_video_source
from client.netconfig import NetworkSettings, apply_bind_addresses
from client.protocol.link import parse_link
from client.protocol.messages import CoreRequest, Leave, MediaState
from tests.helpers import LOOPBACK, HostProcess, until

NETWORK = NetworkSettings(bind_addresses=(LOOPBACK,))


@pytest.fixture(autouse=True)
def loopback_ice() -> None:
    apply_bind_addresses([LOOPBACK])


def participant(
    link: str, name: str, video: bool = True, codec: str = "VP8"
) -> HeadlessParticipant:
    sources = [open_audio_source("sine")]
    if video:
        sources.append(open_video_source("testsrc"))
    return HeadlessParticipant(
        parse_link(link), name, NETWORK, [s for s in sources if s], time.monotonic(), codec
    )


def run(coro: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(coro())


def video_from(receiver: HeadlessParticipant, sender: HeadlessParticipant) -> int:
    sender_id = sender.session.participant_id
    counts = receiver.stats.counts.get(sender_id or "")
    return counts.video_frames if counts else 0


def test_leave_and_rejoin(host: HostProcess) -> None:
    async def scenario() -> None:
        anna, bernd = participant(host.link, "Anna"), participant(host.link, "Bernd")
        seen: list[events.MeetingEvent] = []
        anna.session.subscribe(seen.append)
        await anna.join()
        await bernd.join()
        await until(lambda: video_from(anna, bernd) > 5, 10)
        first_id = bernd.session.participant_id
        await bernd.leave()
        await until(lambda: first_id not in anna.session.participants, 5)
        assert any(
            isinstance(e, events.ParticipantLeft) and e.participant_id == first_id for e in seen
        )

        bernd_again = participant(host.link, "Bernd")
        await bernd_again.join()
        await until(lambda: video_from(anna, bernd_again) > 5, 10)
        await until(lambda: video_from(bernd_again, anna) > 5, 10)
        assert [p.display_name for p in anna.session.participants.values()] == ["Bernd"]
        await bernd_again.leave()
        await anna.leave()

    run(scenario)


def test_mute_state_reaches_the_others(host: HostProcess) -> None:
    async def scenario() -> None:
        anna, bernd = participant(host.link, "Anna"), participant(host.link, "Bernd")
        await anna.join()
        await bernd.join()
        anna_id = anna.session.participant_id or ""
        await until(lambda: anna_id in bernd.session.participants, 5)
        assert bernd.session.participants[anna_id].media.audio is True
        await anna.session.set_media(audio=False, video=True)
        await until(lambda: bernd.session.participants[anna_id].media.audio is False, 5)
        assert bernd.session.participants[anna_id].media.video is True
        await anna.leave()
        await bernd.leave()

    run(scenario)


def test_audio_only_participant(host: HostProcess) -> None:
    async def scenario() -> None:
        anna = participant(host.link, "Anna", video=False)
        bernd = participant(host.link, "Bernd")
        await anna.join()
        await bernd.join()
        await until(lambda: video_from(anna, bernd) > 5, 10)
        anna_id = anna.session.participant_id or ""
        await until(lambda: bernd.stats.counts.get(anna_id) is not None, 10)
        await until(lambda: bernd.stats.counts[anna_id].audio_frames > 50, 10)
        assert bernd.stats.counts[anna_id].video_frames == 0
        await anna.leave()
        await bernd.leave()

    run(scenario)


def test_h264_is_negotiated_and_forwarded(host: HostProcess) -> None:
    async def scenario() -> None:
        anna = participant(host.link, "Anna", codec="H264")
        bernd = participant(host.link, "Bernd")
        await anna.join()
        await bernd.join()
        await until(lambda: video_from(bernd, anna) > 10, 10)
        await until(lambda: video_from(anna, bernd) > 10, 10)
        publishing = next(iter(anna.session._backend._peers.publishing.values()))  # type: ignore[attr-defined]
        video = next(t for t in publishing.getTransceivers() if t.kind == "video")
        assert video._codecs[0].mimeType == "video/H264"
        await anna.leave()
        await bernd.leave()

    run(scenario)


def test_sending_after_the_host_closed_names_the_problem(host: HostProcess) -> None:
    """A request on a connection the host has closed is a ConnectionError with a sentence
    (the headless command then exits 5 with it), not an aiohttp internals traceback."""

    async def scenario() -> None:
        client = await SignalingClient.connect(parse_link(host.link))
        host.stop()
        while await client.receive() is not None:  # the host's goodbye, then the close
            pass
        with pytest.raises(ConnectionError, match="the meeting host closed the connection"):
            await client.send(CoreRequest(namespace="core", payload=Leave(action="leave")))
        await client.close()

    run(scenario)


def test_a_second_leave_waits_until_the_connection_is_closed(host: HostProcess) -> None:
    """The app's leave and the reader noticing a lost host can overlap; whichever returns
    first, the connection is closed by then (else the process ends with it still open)."""

    async def scenario() -> None:
        backend = SfuBackend(parse_link(host.link), NETWORK, lambda _: None)
        await backend.join("Anna", MediaState(audio=False, video=False))
        assert backend.connected
        leaves = [asyncio.ensure_future(backend.leave()) for _ in range(2)]
        await asyncio.wait(leaves, return_when=asyncio.FIRST_COMPLETED)
        assert not backend.connected
        await asyncio.gather(*leaves)

    run(scenario)
