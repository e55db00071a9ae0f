"""A meeting room: who is in it, what they publish, and who receives what."""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
from dataclasses import dataclass, field
from typing import Literal, Protocol

from client.netconfig import NetworkSettings
from client.protocol import PROTOCOL_VERSION
from client.protocol.messages import (
    CoreNotice,
    ErrorCode,
    JoinSuccess,
    MediaNotice,
    MediaSessionType,
    MediaState,
    MediaStateChanged,
    MeetingEnded,
    ParticipantInfo,
    ParticipantJoined,
    ParticipantLeft,
    PublishAnswer,
    StreamEnded,
    SubscribeOffer,
)
from client.sfu.peers import (
    Publication,
    SdpError,
    Subscription,
    accept_publication,
    offer_subscription,
)
from client.sfu.speakers import SpeakerSelector

logger = logging.getLogger("runde.sfu.room")

LeaveReason = Literal["left", "disconnected", "timeout"]


class Outbox(Protocol):
    """Where the room puts messages for one participant's connection."""

    def send(self, notice: CoreNotice | MediaNotice) -> None: ...


class RoomError(Exception):
    """A request the room refuses; the code and text go back to the participant."""

    def __init__(self, text: str, code: ErrorCode = ErrorCode.INVALID_MESSAGE) -> None:
        super().__init__(text)
        self.code = code


@dataclass(eq=False)
class Participant:
    id: str
    display_name: str
    media: MediaState
    outbox: Outbox
    publications: dict[MediaSessionType, Publication] = field(default_factory=dict)
    # (publisher id, session type) -> the subscription carrying it to this participant
    subscriptions: dict[tuple[str, MediaSessionType], Subscription] = field(default_factory=dict)

    def info(self) -> ParticipantInfo:
        return ParticipantInfo(
            id=self.id,
            display_name=self.display_name,
            media=self.media,
            publishing=list(self.publications),
        )


class Room:
    def __init__(
        self,
        room_id: str,
        secret: str,
        network: NetworkSettings,
        max_participants: int = 50,
        max_speakers: int = 3,
        allow_multiple_presenters: bool = False,
    ) -> None:
        self.id = room_id
        self._secret = secret.encode()
        self._network = network
        self.max_participants = max_participants
        # One shared screen at a time unless the host allows more (a room setting of the
        # hosting process, not something a participant can ask for).
        self.allow_multiple_presenters = allow_multiple_presenters
        self._presenting: set[str] = set()
        self.participants: dict[str, Participant] = {}
        self._speakers = SpeakerSelector(max_speakers)
        self._lock = asyncio.Lock()

    def secret_matches(self, secret: str) -> bool:
        return hmac.compare_digest(self._secret, secret.encode())

    def _others(self, participant: Participant) -> list[Participant]:
        return [p for p in self.participants.values() if p is not participant]

    async def join(self, display_name: str, media: MediaState, outbox: Outbox) -> Participant:
        if len(self.participants) >= self.max_participants:
            raise RoomError(
                f"the meeting is full ({self.max_participants} participants)", ErrorCode.ROOM_FULL
            )
        participant = Participant(
            id=secrets.token_urlsafe(8), display_name=display_name, media=media, outbox=outbox
        )
        async with self._lock:
            existing = list(self.participants.values())
            self.participants[participant.id] = participant
            outbox.send(
                CoreNotice(
                    payload=JoinSuccess(
                        message="join_success",
                        protocol_version=PROTOCOL_VERSION,
                        participant_id=participant.id,
                        participants=[p.info() for p in existing],
                    )
                )
            )
            for other in existing:
                other.outbox.send(
                    CoreNotice(
                        payload=ParticipantJoined(
                            message="participant_joined", participant=participant.info()
                        )
                    )
                )
        logger.info("participant %s joined room %s", participant.id, self.id)
        for other in existing:
            for session_type, publication in list(other.publications.items()):
                await self._offer(other, session_type, publication, participant)
        return participant

    async def publish(
        self, participant: Participant, session_type: MediaSessionType, sdp: str
    ) -> None:
        if session_type in participant.publications:
            raise RoomError(f"you already publish a {session_type.value} stream; unpublish first")
        if session_type is MediaSessionType.SCREEN and not self.allow_multiple_presenters:
            presenter = self._presenter()
            if presenter is not None and presenter is not participant:
                raise RoomError(
                    f"{presenter.display_name} is already sharing their screen; only one "
                    "person can share at a time in this meeting",
                    ErrorCode.PRESENTER_BUSY,
                )
        gate = self._speakers.gate_for(f"{participant.id}/{session_type.value}")
        if session_type is MediaSessionType.SCREEN:
            # Reserved while the answer is made, so two at once cannot both pass the check.
            self._presenting.add(participant.id)
        try:
            publication, answer = await accept_publication(sdp, self._network, gate)
        finally:
            self._presenting.discard(participant.id)
        if participant.id not in self.participants:  # left while we negotiated
            await publication.close()
            return
        participant.publications[session_type] = publication
        participant.outbox.send(
            MediaNotice(
                payload=PublishAnswer(
                    message="sdp_answer", media_session_type=session_type, sdp=answer
                )
            )
        )
        logger.info(
            "participant %s publishes %s (%s)",
            participant.id,
            session_type.value,
            ", ".join(publication.codecs.values()),
        )
        for other in self._others(participant):
            await self._offer(participant, session_type, publication, other)

    def _presenter(self) -> Participant | None:
        return next(
            (
                p
                for p in self.participants.values()
                if MediaSessionType.SCREEN in p.publications or p.id in self._presenting
            ),
            None,
        )

    async def _offer(
        self,
        publisher: Participant,
        session_type: MediaSessionType,
        publication: Publication,
        subscriber: Participant,
    ) -> None:
        key = (publisher.id, session_type)
        if key in subscriber.subscriptions:
            return
        subscription, offer = await offer_subscription(publication, self._network)
        # Making the offer yields to the loop: meanwhile either side may have left, the stream
        # may have ended, or a join and a publish may both have offered the same stream.
        if (
            subscriber.id not in self.participants
            or publisher.id not in self.participants
            or publisher.publications.get(session_type) is not publication
            or key in subscriber.subscriptions
        ):
            await subscription.close()
            return
        subscriber.subscriptions[key] = subscription
        subscriber.outbox.send(
            MediaNotice(
                payload=SubscribeOffer(
                    message="sdp_offer",
                    target=publisher.id,
                    media_session_type=session_type,
                    sdp=offer,
                )
            )
        )

    async def answer_subscription(
        self,
        participant: Participant,
        target: str,
        session_type: MediaSessionType,
        sdp: str,
    ) -> None:
        subscription = participant.subscriptions.get((target, session_type))
        if subscription is None:
            raise RoomError(
                f"there is no pending offer for {target}/{session_type.value}",
                ErrorCode.UNKNOWN_TARGET,
            )
        if not subscription.awaits_answer():
            raise RoomError(
                f"the offer for {target}/{session_type.value} was already answered",
                ErrorCode.INVALID_MESSAGE,
            )
        try:
            await subscription.accept_answer(sdp)
        except SdpError:
            participant.subscriptions.pop((target, session_type), None)
            await subscription.close()
            raise

    def request_keyframe(
        self, participant: Participant, target: str, session_type: MediaSessionType
    ) -> None:
        subscription = participant.subscriptions.get((target, session_type))
        if subscription is None:
            raise RoomError(
                f"you do not receive {target}/{session_type.value}", ErrorCode.UNKNOWN_TARGET
            )
        subscription.request_keyframe()

    async def unpublish(self, participant: Participant, session_type: MediaSessionType) -> None:
        publication = participant.publications.pop(session_type, None)
        if publication is None:
            raise RoomError(f"you do not publish a {session_type.value} stream")
        await self._end_publication(participant, session_type, publication)

    async def _end_publication(
        self, publisher: Participant, session_type: MediaSessionType, publication: Publication
    ) -> None:
        self._speakers.forget(f"{publisher.id}/{session_type.value}")
        closing = [publication.close()]
        for other in self._others(publisher):
            subscription = other.subscriptions.pop((publisher.id, session_type), None)
            if subscription is not None:
                closing.append(subscription.close())
                other.outbox.send(
                    MediaNotice(
                        payload=StreamEnded(
                            message="stream_ended",
                            target=publisher.id,
                            media_session_type=session_type,
                        )
                    )
                )
        await asyncio.gather(*closing, return_exceptions=True)

    def update_media_state(self, participant: Participant, media: MediaState) -> None:
        participant.media = media
        for other in self._others(participant):
            other.outbox.send(
                MediaNotice(
                    payload=MediaStateChanged(
                        message="media_state", participant_id=participant.id, media=media
                    )
                )
            )

    async def leave(self, participant: Participant, reason: LeaveReason) -> None:
        if self.participants.pop(participant.id, None) is None:
            return
        logger.info("participant %s left room %s (%s)", participant.id, self.id, reason)
        for session_type, publication in list(participant.publications.items()):
            await self._end_publication(participant, session_type, publication)
        participant.publications.clear()
        await asyncio.gather(
            *(s.close() for s in participant.subscriptions.values()), return_exceptions=True
        )
        participant.subscriptions.clear()
        for other in self.participants.values():
            other.outbox.send(
                CoreNotice(
                    payload=ParticipantLeft(
                        message="participant_left", participant_id=participant.id, reason=reason
                    )
                )
            )

    async def end(self, reason: Literal["host_ended", "server_shutdown"]) -> None:
        """Tell everyone the meeting is over and release every peer connection."""
        for participant in list(self.participants.values()):
            participant.outbox.send(
                CoreNotice(payload=MeetingEnded(message="meeting_ended", reason=reason))
            )
        for participant in list(self.participants.values()):
            await self.leave(participant, "left")
