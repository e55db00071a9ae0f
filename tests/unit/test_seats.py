"""Seats on the embedded SFU: who keeps one when media never connects (room layer and warden,
with a stand-in for the SFU's peer records; the real thing is in test_host_admission.py)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from client.conference.room import ConferenceRoom, Member, RoomError
from client.protocol.common import ErrorCode
from client.protocol.messages import CoreNotice, Error, MediaState
from client.sfu import seats
from client.sfu.seats import SeatWarden
from tests.unit.test_conference_room import Outbox

ON = MediaState(audio=True, video=True)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


class Peers:
    """What the warden reads of ``SfuMedia``: each member's connections and their state."""

    def __init__(self) -> None:
        self.peers: dict[str, Any] = {}

    def connect(self, member: Member, state: str) -> None:
        pc = SimpleNamespace(pc=SimpleNamespace(connectionState=state))
        self.peers[member.id] = SimpleNamespace(
            member=member, publications={}, subscriptions={("x", "video"): pc}
        )


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(seats, "time", fake)
    return fake


def _room(max_participants: int) -> tuple[ConferenceRoom, Peers, SeatWarden]:
    room = ConferenceRoom("r", "s" * 32, "m" * 32, max_participants=max_participants)
    peers = Peers()
    warden = SeatWarden(room, peers)  # type: ignore[arg-type]
    room.seat_keeper = warden
    return room, peers, warden


async def _enter(room: ConferenceRoom, name: str, moderator: bool = False) -> tuple[Member, Outbox]:
    outbox = Outbox()
    return await room.join(name, ON, outbox, moderator=moderator), outbox


def _errors(outbox: Outbox) -> list[Error]:
    return [
        n.payload
        for n in outbox.notices
        if isinstance(n, CoreNotice) and isinstance(n.payload, Error)
    ]


def test_a_full_room_gives_a_seat_without_media_to_a_newcomer_after_the_grace(
    clock: Clock,
) -> None:
    async def scenario() -> None:
        room, peers, _ = _room(max_participants=3)
        anna, _ = await _enter(room, "Anna")
        peers.connect(anna, "connected")
        ghost, ghost_box = await _enter(room, "Ghost")
        peers.connect(ghost, "new")
        late, _ = await _enter(room, "Late")
        peers.connect(late, "connected")
        with pytest.raises(RoomError) as full:  # the ghost is too young to be given up
            await _enter(room, "Bernd")
        assert full.value.code is ErrorCode.ROOM_FULL
        clock.now += seats.GRACE
        bernd, _ = await _enter(room, "Bernd")
        assert set(room.members) == {anna.id, late.id, bernd.id}
        assert [e.text for e in _errors(ghost_box)] == [seats.DISPLACED_TEXT]
        assert _errors(ghost_box)[0].code is ErrorCode.MEDIA_TIMEOUT
        assert ghost_box.disconnected

    asyncio.run(scenario())


def test_only_a_few_may_wait_for_their_media_and_moderators_are_not_held_back(
    clock: Clock,
) -> None:
    async def scenario() -> None:
        room, peers, _ = _room(max_participants=50)
        for n in range(seats.UNCONNECTED_ALLOWANCE):
            member, _ = await _enter(room, f"Ghost {n}")
            peers.connect(member, "checking")
        with pytest.raises(RoomError) as busy:
            await _enter(room, "Next")
        assert busy.value.code is ErrorCode.RATE_LIMITED and str(busy.value) == seats.BUSY_TEXT
        chair, _ = await _enter(room, "Chair", moderator=True)
        assert chair.id in room.members

    asyncio.run(scenario())


def test_a_seat_without_media_after_the_deadline_is_given_up_and_cannot_be_resumed(
    clock: Clock,
) -> None:
    async def scenario() -> None:
        room, peers, warden = _room(max_participants=50)
        anna, _ = await _enter(room, "Anna")
        peers.connect(anna, "connected")
        ghost, ghost_box = await _enter(room, "Ghost")
        peers.connect(ghost, "checking")
        token = next(
            n.payload.resume_token.get_secret_value()
            for n in ghost_box.notices
            if isinstance(n, CoreNotice) and hasattr(n.payload, "resume_token")
        )
        # A receive-only member with nothing to receive yet keeps its seat.
        quiet, quiet_box = await _enter(room, "Quiet")
        warden.start()
        clock.now += seats.SEAT_DEADLINE + 1
        await asyncio.sleep(seats.SWEEP_EVERY + 0.3)
        warden.stop()
        assert set(room.members) == {anna.id, quiet.id}
        assert [e.text for e in _errors(ghost_box)] == [seats.EXPIRED_TEXT]
        assert _errors(quiet_box) == []
        back = await room.join("Ghost", ON, Outbox(), resume_token=token)
        assert back.id != ghost.id  # a new member, not the old seat taken back

    asyncio.run(scenario())
