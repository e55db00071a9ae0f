"""Seats are for people whose media connects: signaling-only connections cannot fill a room.

A member holds its seat once one of its media connections (a publication, or for a
receive-only member a subscription) is connected. Until then it may keep the seat for
:data:`SEAT_DEADLINE` seconds after it had something to connect; only
:data:`UNCONNECTED_ALLOWANCE` such newcomers may wait at once, and when the room is full the
oldest of them gives its seat to the next person. Moderators are never evicted.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

from client.conference.room import ConferenceRoom, Member, RoomError
from client.protocol.common import ErrorCode
from client.protocol.messages import CoreNotice, Error
from client.protocol.moderation import Role
from client.sfu.room import SfuMedia

logger = logging.getLogger(__name__)

SEAT_DEADLINE = 20.0
UNCONNECTED_ALLOWANCE = 10
# A newcomer this young is still setting up its media: it is not given up for another.
GRACE = 3.0
SWEEP_EVERY = 1.0

EXPIRED_TEXT = (
    f"your media did not connect within {SEAT_DEADLINE:.0f} seconds, so your seat was given up"
)
DISPLACED_TEXT = (
    "the meeting is full and your media had not connected, so your seat went to someone else"
)
BUSY_TEXT = "too many people are joining at once; try again in a few seconds"


@dataclass(eq=False)
class _Seat:
    member: Member
    joined_at: float
    duty_since: float | None = None  # since when it had a media connection to make
    proven: bool = False  # a media connection connected once: the seat is its own


class SeatWarden:
    """The :class:`~client.conference.room.SeatKeeper` of one room on the embedded SFU."""

    def __init__(self, conference: ConferenceRoom, media: SfuMedia) -> None:
        self._conference = conference
        self._media = media
        self._seats: dict[str, _Seat] = {}
        self._sweeper: asyncio.Task[None] | None = None
        self.evicted = 0

    def start(self) -> None:
        self._sweeper = asyncio.ensure_future(self._sweep_forever())

    def stop(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            self._sweeper = None

    def _media_of(self, member: Member) -> tuple[bool, bool]:
        """(a media connection is connected, there is any media connection to make)."""
        peer = self._media.peers.get(member.id)
        if peer is None or peer.member is not member:
            return False, False
        connections = [p.pc for p in peer.publications.values()]
        connections += [s.pc for s in peer.subscriptions.values()]
        return any(pc.connectionState == "connected" for pc in connections), bool(connections)

    def _refresh(self, now: float) -> list[_Seat]:
        """Bring the records up to date; returns the members still unproven, oldest first."""
        members = self._conference.members
        self._seats = {
            member_id: seat
            for member_id, seat in self._seats.items()
            if members.get(member_id) is seat.member
        }
        for member in members.values():
            seat = self._seats.get(member.id)
            if seat is None:
                seat = self._seats[member.id] = _Seat(member, now)
            if seat.proven or member.role is Role.MODERATOR:
                continue
            connected, duty = self._media_of(member)
            seat.proven = connected
            if duty and seat.duty_since is None:
                seat.duty_since = now
        unproven = [
            s for s in self._seats.values() if not s.proven and s.member.role is not Role.MODERATOR
        ]
        return sorted(unproven, key=lambda s: s.joined_at)

    async def make_room(self, room: ConferenceRoom, moderator: bool) -> None:
        now = time.monotonic()
        unproven = self._refresh(now)
        waiting = [s for s in unproven if s.duty_since is not None]
        full = len(room.members) >= room.max_participants
        # A moderator (who has the moderator secret) is never told to come back later.
        crowded = len(waiting) >= UNCONNECTED_ALLOWANCE and not moderator
        if not full and not crowded:
            return
        candidates = [s for s in (unproven if full else waiting) if now - s.joined_at >= GRACE]
        if candidates:
            await self._evict(candidates[0], DISPLACED_TEXT)
        elif crowded and not full:
            raise RoomError(BUSY_TEXT, ErrorCode.RATE_LIMITED)
        # Still full: the room refuses the newcomer with its own sentence.

    async def _sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(SWEEP_EVERY)
            now = time.monotonic()
            try:
                for seat in self._refresh(now):
                    if seat.duty_since is not None and now - seat.duty_since > SEAT_DEADLINE:
                        await self._evict(seat, EXPIRED_TEXT)
            except Exception:  # one bad pass must not end the deadline for good
                logger.exception("checking the room's seats failed")

    async def _evict(self, seat: _Seat, text: str) -> None:
        member = seat.member
        self._seats.pop(member.id, None)
        self.evicted += 1
        logger.info("giving up the seat of %s: its media never connected", member.id)
        member.outbox.send(
            CoreNotice(payload=Error(message="error", code=ErrorCode.MEDIA_TIMEOUT, text=text))
        )
        await self._conference.leave(member, "timeout")
        # A resume token would seat it again past the allowance: it joins anew, or not at all.
        self._conference.forget_resume_tokens(member.id)
        member.outbox.disconnect()
