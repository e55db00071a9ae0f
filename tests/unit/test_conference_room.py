"""The room layer without media: chat, hands, reactions, limits and taking a place back."""

from __future__ import annotations

import asyncio

import pytest

from client.conference import modules
from client.conference.room import ConferenceRoom, Member, Notice, RoomError
from client.protocol.common import ErrorCode
from client.protocol.messages import CoreNotice, JoinSuccess, MediaState, ParticipantJoined
from client.protocol.modules import (
    ChatHistory,
    ChatMessage,
    ChatNotice,
    HandsChanged,
    HandsNotice,
    Reacted,
    Reaction,
    ReactionNotice,
)

MEDIA = MediaState(audio=True, video=False)


class Outbox:
    def __init__(self) -> None:
        self.notices: list[Notice] = []
        self.disconnected = False

    def send(self, notice: Notice) -> None:
        self.notices.append(notice)

    def disconnect(self) -> None:
        self.disconnected = True

    def chat(self) -> list[ChatMessage]:
        found: list[ChatMessage] = []
        for notice in self.notices:
            if isinstance(notice, ChatNotice):
                payload = notice.payload
                found += payload.messages if isinstance(payload, ChatHistory) else [payload]
        return found

    def hands(self) -> list[str]:
        queues = [
            n.payload.queue
            for n in self.notices
            if isinstance(n, HandsNotice) and isinstance(n.payload, HandsChanged)
        ]
        return queues[-1] if queues else []

    def join_success(self) -> JoinSuccess:
        payload = self.notices[0].payload
        assert isinstance(payload, JoinSuccess)
        return payload


async def enter(room: ConferenceRoom, name: str) -> tuple[Member, Outbox]:
    outbox = Outbox()
    return await room.join(name, MEDIA, outbox), outbox


def test_room_messages_reach_everyone_and_private_ones_only_their_two_people() -> None:
    async def scenario() -> None:
        room = ConferenceRoom("r", "s")
        anna, anna_out = await enter(room, "Anna")
        bernd, bernd_out = await enter(room, "Bernd")
        _, clara_out = await enter(room, "Clara")
        modules.send_chat(room, anna, "Guten Morgen", None)
        modules.send_chat(room, anna, "Nur für Bernd", bernd.id)
        assert [m.text for m in anna_out.chat()] == ["Guten Morgen", "Nur für Bernd"]
        assert [m.text for m in bernd_out.chat()] == ["Guten Morgen", "Nur für Bernd"]
        assert [m.text for m in clara_out.chat()] == ["Guten Morgen"]
        private = bernd_out.chat()[1]
        assert (private.sender_name, private.to_name) == ("Anna", "Bernd")

        _, dora_out = await enter(room, "Dora")
        assert [m.text for m in dora_out.chat()] == ["Guten Morgen"], "history without secrets"

    asyncio.run(scenario())


def test_refused_messages_name_the_problem_and_reach_nobody() -> None:
    async def scenario() -> None:
        room = ConferenceRoom("r", "s")
        anna, _ = await enter(room, "Anna")
        _, bernd_out = await enter(room, "Bernd")
        with pytest.raises(RoomError, match="empty"):
            modules.send_chat(room, anna, "   ", None)
        with pytest.raises(RoomError, match="another participant") as unknown:
            modules.send_chat(room, anna, "hallo", "nobody")
        assert unknown.value.code is ErrorCode.UNKNOWN_TARGET
        with pytest.raises(RoomError):
            modules.send_chat(room, anna, "an mich selbst", anna.id)
        sent, refused = 0, []
        for number in range(100):
            try:
                modules.send_chat(room, anna, f"flood {number}", None)
                sent += 1
            except RoomError as exc:
                refused.append(exc)
        assert 1 <= sent <= 12
        assert len(refused) == 100 - sent
        assert all(e.code is ErrorCode.RATE_LIMITED for e in refused)
        assert "too fast" in str(refused[0])
        assert len(bernd_out.chat()) == sent

    asyncio.run(scenario())


def test_hands_keep_their_order_and_lowering_or_leaving_removes_them() -> None:
    async def scenario() -> None:
        room = ConferenceRoom("r", "s")
        anna, anna_out = await enter(room, "Anna")
        bernd, _ = await enter(room, "Bernd")
        clara, _ = await enter(room, "Clara")
        modules.raise_hand(room, bernd, True)
        modules.raise_hand(room, anna, True)
        modules.raise_hand(room, clara, True)
        modules.raise_hand(room, bernd, True)  # a second raise keeps the first place
        assert anna_out.hands() == [bernd.id, anna.id, clara.id]
        modules.raise_hand(room, anna, False)
        assert anna_out.hands() == [bernd.id, clara.id]
        await room.leave(bernd, "left")
        assert anna_out.hands() == [clara.id]
        _, late_out = await enter(room, "Dora")
        assert late_out.hands() == [clara.id], "a late joiner sees the queue"

    asyncio.run(scenario())


def test_reactions_reach_everyone_and_a_flood_is_refused() -> None:
    async def scenario() -> None:
        room = ConferenceRoom("r", "s")
        anna, _ = await enter(room, "Anna")
        _, bernd_out = await enter(room, "Bernd")
        modules.react(room, anna, Reaction.CLAP)
        reacted = [n.payload for n in bernd_out.notices if isinstance(n, ReactionNotice)]
        assert reacted == [Reacted(message="reaction", participant_id=anna.id, reaction="clap")]
        with pytest.raises(RoomError, match="too fast"):
            for _ in range(50):
                modules.react(room, anna, Reaction.HEART)

    asyncio.run(scenario())


def test_a_reconnect_takes_its_place_back_with_its_private_history() -> None:
    async def scenario() -> None:
        room = ConferenceRoom("r", "s")
        anna, anna_out = await enter(room, "Anna")
        bernd, old_out = await enter(room, "Bernd")
        modules.send_chat(room, anna, "privat", bernd.id)
        modules.raise_hand(room, bernd, True)
        token = old_out.join_success().resume_token.get_secret_value()
        new_out = Outbox()
        again = await room.join("Bernd", MEDIA, new_out, token)
        assert again.id == bernd.id
        assert old_out.disconnected, "the dead connection is closed"
        assert [m.text for m in new_out.chat()] == ["privat"]
        assert new_out.hands() == [bernd.id], "the hand keeps its place"
        joined = [
            n
            for n in anna_out.notices
            if isinstance(n, CoreNotice) and isinstance(n.payload, ParticipantJoined)
        ]
        assert len(joined) == 1, "the others saw no second Bernd"
        # The old connection's late leave changes nothing.
        await room.leave(bernd, "disconnected")
        assert bernd.id in room.members
        # A token works once; a guessed one seats a newcomer.
        stranger = await room.join("Mallory", MEDIA, Outbox(), token)
        assert stranger.id != bernd.id

    asyncio.run(scenario())
