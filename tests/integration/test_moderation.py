"""Moderation against a real headless host: `runde moderate` as an operator runs it,
participants in this process (real WebRTC on 127.0.0.1) and raw connections as an attacker."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import aiohttp
import pytest

from client.call.backend import JoinError
from client.call.events import SessionState
from client.headless import HeadlessParticipant
from client.media.sources import open_audio_source
from client.netconfig import NetworkSettings, apply_bind_addresses
from client.protocol import PROTOCOL_VERSION
from client.protocol.link import MeetingLink, parse_link
from client.protocol.moderation import AllowMicrophone
from tests.helpers import (
    LOOPBACK,
    HostProcess,
    finish,
    read_stats,
    start_host,
    start_participant,
    until,
    wait_for,
)

NETWORK = NetworkSettings(bind_addresses=(LOOPBACK,))


@pytest.fixture(autouse=True)
def loopback_ice() -> None:
    apply_bind_addresses([LOOPBACK])


@pytest.fixture
def waiting_host() -> Iterator[HostProcess]:
    process = start_host("--waiting-room")
    yield process
    process.stop()


def speaker(link: MeetingLink | str, name: str) -> HeadlessParticipant:
    """A participant with a tone and no camera: moderation is about people, not pictures."""
    parsed = parse_link(link) if isinstance(link, str) else link
    sources = [s for s in [open_audio_source("sine")] if s is not None]
    return HeadlessParticipant(parsed, name, NETWORK, sources, time.monotonic())


async def moderate(link: str, *words: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "client",
        "moderate",
        link,
        *words,
        "--bind",
        LOOPBACK,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def audio_on(observer: HeadlessParticipant, who: HeadlessParticipant) -> bool | None:
    remote = observer.session.participants.get(who.session.participant_id or "")
    return remote.media.audio if remote is not None else None


def audio_frames(observer: HeadlessParticipant, who: HeadlessParticipant) -> int:
    counts = observer.stats.counts.get(who.session.participant_id or "")
    return counts.audio_frames if counts else 0


def run(scenario: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(asyncio.wait_for(scenario(), 150))  # type: ignore[arg-type]


def test_a_moderator_mutes_locks_removes_renews_and_ends(host: HostProcess) -> None:
    async def scenario() -> None:
        anna, bernd, clara = (speaker(host.link, n) for n in ("Anna", "Bernd", "Clara"))
        chair = speaker(host.moderator_link, "Vorsitz")
        people = [anna, bernd, clara, chair]
        try:
            for who in people:
                await who.join()
            await until(lambda: audio_frames(clara, anna) > 20, 10, "Anna heard")

            code, _, err = await moderate(host.moderator_link, "mute-all")
            assert code == 0, err
            await until(lambda: audio_on(clara, anna) is False, 5, "Anna muted for Clara")
            assert audio_on(clara, bernd) is False and audio_on(anna, chair) is True
            assert anna.session.media.audio is False and anna.stats.muted_by_moderator == 1

            # Unmuting is anyone's right until microphones are locked.
            await bernd.session.set_media(True, False)
            await until(lambda: audio_on(clara, bernd) is True, 5, "Bernd unmuted himself")
            code, _, err = await moderate(host.moderator_link, "lock-microphones")
            assert code == 0, err
            await until(lambda: audio_on(clara, bernd) is False, 5, "locking mutes Bernd")
            await anna.session.set_media(True, False)
            await until(lambda: anna.stats.muted_by_moderator == 2, 5, "Anna told why")
            assert any("microphones are locked" in e for e in anna.stats.errors)
            assert anna.session.media.audio is False and audio_on(clara, anna) is False
            # Her sound goes nowhere, whatever her client still sends.
            before = audio_frames(clara, anna)
            await asyncio.sleep(1.5)
            assert audio_frames(clara, anna) - before < 10
            # The one a moderator allows may speak.
            assert anna.session.participant_id is not None
            await chair.session.moderate(
                AllowMicrophone(
                    action="allow_microphone", target=anna.session.participant_id, allowed=True
                )
            )
            await anna.session.set_media(True, False)
            await until(lambda: audio_on(clara, anna) is True, 5, "Anna may speak")
            await until(lambda: audio_frames(clara, anna) > before + 30, 5, "and is heard")

            code, _, err = await moderate(host.moderator_link, "remove", "Bernd")
            assert code == 0, err
            await until(lambda: bernd.end is not None, 5, "Bernd removed")
            assert bernd.end is not None and bernd.end.removed
            assert "removed from the meeting" in bernd.end.reason
            await until(lambda: len(clara.session.participants) == 2, 5, "Bernd gone")

            code, _, err = await moderate(host.moderator_link, "lock")
            assert code == 0, err
            dora = speaker(host.link, "Dora")
            with pytest.raises(JoinError, match="the meeting is locked"):
                await dora.join()
            code, _, _ = await moderate(host.moderator_link, "unlock")
            assert code == 0
            await dora.join()
            people.append(dora)

            code, new_link, err = await moderate(host.moderator_link, "renew-link")
            assert code == 0, err
            new_link = new_link.strip()
            assert new_link != host.link and "m=" not in new_link
            stale = speaker(host.link, "Eve")
            with pytest.raises(JoinError, match="does not exist or its secret is wrong"):
                await stale.join()
            eve = speaker(new_link, "Eve")
            await eve.join()
            people.append(eve)
            assert clara.end is None and len(clara.session.participants) == 4

            code, _, err = await moderate(host.moderator_link, "end")
            assert code == 0, err
            for who in (anna, clara, dora, eve, chair):
                await until(lambda who=who: who.end is not None, 5, f"{who.stats.name} told")
                assert who.end is not None and "ended the meeting" in who.end.reason
        finally:
            for who in people:
                await who.leave()

    run(scenario)
    assert host.process.wait(10) == 0, "a meeting a moderator ended ends the headless host"


def test_participant_links_can_moderate_nothing(host: HostProcess, tmp_path: Path) -> None:
    link = parse_link(host.link)
    every_action = [
        {"action": "mute", "target": "x"},
        {"action": "mute_all"},
        {"action": "lock_microphones", "locked": True},
        {"action": "allow_microphone", "target": "x", "allowed": True},
        {"action": "request_camera_off", "target": "x"},
        {"action": "stop_screen_share", "target": "x"},
        {"action": "remove", "target": "x"},
        {"action": "lock", "locked": True},
        {"action": "renew_link"},
        {"action": "waiting_room", "enabled": True},
        {"action": "admit", "target": "x"},
        {"action": "admit_all"},
        {"action": "deny", "target": "x"},
        {"action": "rename", "target": "x", "display_name": "Chef"},
        {"action": "lower_all_hands"},
        {"action": "set_role", "target": "x", "role": "moderator"},
        {"action": "end_meeting"},
    ]

    async def scenario() -> None:
        anna = speaker(host.link, "Anna")
        await anna.join()
        target = anna.session.participant_id
        try:
            async with aiohttp.ClientSession() as http:
                ws = await http.ws_connect(
                    link.signaling_url, ssl=aiohttp.Fingerprint(link.fingerprint)
                )
                await ws.send_str(_join_frame(link, "Mallory"))
                codes = []
                for payload in every_action:
                    if "target" in payload:
                        payload = {**payload, "target": target}
                    await ws.send_str(json.dumps({"namespace": "moderation", "payload": payload}))
                while len(codes) < len(every_action):
                    message = await ws.receive_json(timeout=5)
                    if message["payload"].get("message") == "error":
                        codes.append(message["payload"]["code"])
                assert codes == ["forbidden"] * len(every_action)
                await ws.close()
            await asyncio.sleep(0.5)
            assert anna.end is None and anna.session.media.audio is True
            assert anna.stats.muted_by_moderator == 0
            assert anna.session.moderation.rules.locked is False
        finally:
            await anna.leave()
        # The meeting is neither locked nor ended: a newcomer still walks in.
        bernd = speaker(host.link, "Bernd")
        await bernd.join()
        await bernd.leave()

    run(scenario)


def _join_frame(link: MeetingLink, name: str) -> str:
    payload = {
        "action": "join",
        "protocol_version": PROTOCOL_VERSION,
        "room": link.room,
        "secret": link.secret,
        "display_name": name,
    }
    return json.dumps({"namespace": "core", "payload": payload})


def test_the_waiting_room_tells_a_newcomer_nothing_until_admitted(
    waiting_host: HostProcess, tmp_path: Path
) -> None:
    link = parse_link(waiting_host.link)
    chair_stats = tmp_path / "Vorsitz.json"
    chair = start_participant(
        waiting_host.moderator_link,
        "Vorsitz",
        chair_stats,
        40.0,
        "--chat",
        "Willkommen",
        "--stats-every",
        "0.3",
    )
    assert wait_for(lambda: chair_stats.exists() or chair.poll() is not None, 20)

    async def scenario() -> None:
        async with aiohttp.ClientSession() as http:
            ws = await http.ws_connect(
                link.signaling_url, ssl=aiohttp.Fingerprint(link.fingerprint)
            )
            await ws.send_str(_join_frame(link, "Gast"))
            first = await ws.receive_json(timeout=5)
            assert first["payload"] == {"message": "waiting"}
            with pytest.raises(TimeoutError):  # nothing else: no list, no chat, no offers
                await ws.receive_json(timeout=2)
            await ws.send_str(
                json.dumps(
                    {"namespace": "chat", "payload": {"action": "send_message", "text": "x"}}
                )
            )
            refused = await ws.receive_json(timeout=5)
            assert refused["payload"]["code"] == "not_joined"
            code, _, err = await moderate(waiting_host.moderator_link, "admit", "Gast")
            assert code == 0, err
            seen = []
            while not any(m["payload"].get("message") == "sdp_offer" for m in seen):
                seen.append(await ws.receive_json(timeout=10))
            kinds = [m["payload"].get("message") for m in seen]
            assert kinds[0] == "join_success" and "chat_history" in kinds
            history = next(m for m in seen if m["payload"].get("message") == "chat_history")
            assert [c["text"] for c in history["payload"]["messages"]] == ["Willkommen"]
            await ws.close()

    run(scenario)

    stats = tmp_path / "Anna.json"
    anna = start_participant(waiting_host.link, "Anna", stats, 20.0, "--video", "none")
    bernd = start_participant(waiting_host.link, "Bernd", tmp_path / "B.json", 20.0)
    assert wait_for(lambda: _waits(waiting_host, "Anna") and _waits(waiting_host, "Bernd"), 20)
    time.sleep(1.0)
    assert asyncio.run(moderate(waiting_host.moderator_link, "admit", "Anna"))[0] == 0
    assert asyncio.run(moderate(waiting_host.moderator_link, "deny", "Bernd"))[0] == 0
    code, err = finish(bernd)
    assert code == 3, err
    assert "a moderator did not let you into the meeting" in err
    code, err = finish(anna)
    assert code == 0, err
    anna_stats = read_stats(stats)
    assert anna_stats["waited_s"] is not None and anna_stats["waited_s"] >= 1.0
    assert anna_stats["remotes"]["Vorsitz"]["audio_frames"] > 50, "admitted: she hears the room"
    assert [m["text"] for m in anna_stats["chat"]] == ["Willkommen"]
    chair.terminate()
    finish(chair)


def _waits(host: HostProcess, name: str) -> bool:
    """Asks the host who waits, as a moderator would (admitting nobody)."""
    waiting = asyncio.run(_waiting_names(host.moderator_link))
    return name in waiting


async def _waiting_names(moderator_link: str) -> list[str]:
    from client.call.session import MeetingSession
    from client.call.sfu_backend import SfuBackend
    from client.protocol.messages import MediaState

    link = parse_link(moderator_link)
    session = MeetingSession(
        lambda sink: SfuBackend(link, NETWORK, sink, moderation_only=True), reconnect_attempts=0
    )
    await session.join("check", [], MediaState(audio=False, video=False))
    await asyncio.sleep(0.3)
    names = [name for _, name in session.moderation.waiting]
    await session.leave()
    return names


def test_moderator_links_never_wait_and_a_participant_link_cannot_moderate(
    waiting_host: HostProcess,
) -> None:
    async def scenario() -> None:
        chair = speaker(waiting_host.moderator_link, "Vorsitz")
        await chair.join()
        assert chair.session.state is SessionState.JOINED
        assert chair.session.moderation.moderates
        code, _, err = await moderate(waiting_host.link, "end")
        assert code == 2 and "moderator link" in err
        forged = dataclasses.replace(
            parse_link(waiting_host.moderator_link), moderator_secret="x" * 32
        )
        code, _, err = await moderate(forged.to_text(), "end")
        assert code == 3 and "secret is wrong" in err
        assert chair.end is None
        await chair.leave()

    run(scenario)
