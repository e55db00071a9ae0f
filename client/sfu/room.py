"""The embedded SFU's media plane for one room: who publishes what, and who receives what."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from client.conference.room import ConferenceRoom, Member, RoomError
from client.netconfig import NetworkSettings
from client.protocol.common import ErrorCode
from client.protocol.messages import (
    MediaNotice,
    MediaSessionType,
    PublishAnswer,
    StreamEnded,
    SubscribeOffer,
    VideoLayer,
)
from client.sfu.peers import (
    Publication,
    SdpError,
    Subscription,
    accept_publication,
    offer_subscription,
)
from client.sfu.speakers import SpeakerSelector

logger = logging.getLogger(__name__)


@dataclass(eq=False)
class Peer:
    """One member's streams on this SFU."""

    member: Member
    publications: dict[MediaSessionType, Publication] = field(default_factory=dict)
    # (publisher id, session type) -> the subscription carrying it to this member
    subscriptions: dict[tuple[str, MediaSessionType], Subscription] = field(default_factory=dict)
    # set_preferred_layer: the tallest camera picture wanted of everyone, and of some
    preferred_height: int | None = None
    preferred_heights: dict[str, int | None] = field(default_factory=dict)

    def max_height_of(self, publisher_id: str) -> int | None:
        return self.preferred_heights.get(publisher_id, self.preferred_height)

    @property
    def id(self) -> str:
        return self.member.id

    def send(self, notice: MediaNotice) -> None:
        self.member.outbox.send(notice)


class SfuMedia:
    """The :class:`~client.conference.room.MediaPlane` of one room on the embedded SFU."""

    def __init__(
        self,
        network: NetworkSettings,
        max_speakers: int = 3,
        allow_multiple_presenters: bool = False,
    ) -> None:
        self._network = network
        # One shared screen at a time unless the host allows more (a room setting of the
        # hosting process, not something a participant can ask for).
        self.allow_multiple_presenters = allow_multiple_presenters
        self._presenting: set[str] = set()
        self.peers: dict[str, Peer] = {}
        self._speakers = SpeakerSelector(max_speakers)

    def _others(self, peer: Peer) -> list[Peer]:
        return [p for p in self.peers.values() if p is not peer]

    def audio_allowed(self, member_id: str, allowed: bool) -> None:
        """The room's record says this member's microphone is on (or off): forward accordingly."""
        self._speakers.silence(f"{member_id}/{MediaSessionType.VIDEO.value}", not allowed)

    async def end_screen_share(self, member: Member) -> bool:
        """A moderator stops this member's screen share; True when there was one."""
        peer = self.peers.get(member.id)
        publication = peer.publications.pop(MediaSessionType.SCREEN, None) if peer else None
        if peer is None or publication is None:
            return False
        await self._end_publication(peer, MediaSessionType.SCREEN, publication)
        return True

    def publishing(self, member_id: str) -> list[MediaSessionType]:
        peer = self.peers.get(member_id)
        return list(peer.publications) if peer is not None else []

    def peer(self, member: Member) -> Peer:
        """The member's peer; refused when the member is no longer in the room."""
        peer = self.peers.get(member.id)
        if peer is None or peer.member is not member:
            raise RoomError("you are no longer in the meeting", ErrorCode.NOT_JOINED)
        return peer

    async def admit(self, member: Member) -> None:
        peer = Peer(member)
        self.peers[member.id] = peer
        for other in self._others(peer):
            for session_type, publication in list(other.publications.items()):
                await self._offer(other, session_type, publication, peer)

    async def release(self, member: Member) -> None:
        peer = self.peers.get(member.id)
        if peer is None or peer.member is not member:
            return
        del self.peers[member.id]
        for session_type, publication in list(peer.publications.items()):
            await self._end_publication(peer, session_type, publication)
        peer.publications.clear()
        await asyncio.gather(
            *(s.close() for s in peer.subscriptions.values()), return_exceptions=True
        )
        peer.subscriptions.clear()

    async def publish(
        self,
        member: Member,
        session_type: MediaSessionType,
        sdp: str,
        layers: Sequence[VideoLayer] = (),
    ) -> None:
        participant = self.peer(member)
        if session_type in participant.publications:
            raise RoomError(f"you already publish a {session_type.value} stream; unpublish first")
        if session_type is MediaSessionType.SCREEN and not self.allow_multiple_presenters:
            presenter = self._presenter()
            if presenter is not None and presenter is not participant:
                raise RoomError(
                    f"{presenter.member.display_name} is already sharing their screen; only one "
                    "person can share at a time in this meeting",
                    ErrorCode.PRESENTER_BUSY,
                )
        gate = self._speakers.gate_for(f"{participant.id}/{session_type.value}")
        if session_type is MediaSessionType.SCREEN:
            # Reserved while the answer is made, so two at once cannot both pass the check.
            self._presenting.add(participant.id)
        try:
            publication, answer = await accept_publication(sdp, self._network, gate, layers)
        finally:
            self._presenting.discard(participant.id)
        if self.peers.get(participant.id) is not participant:  # left while we negotiated
            await publication.close()
            return
        participant.publications[session_type] = publication
        participant.send(
            MediaNotice(
                payload=PublishAnswer(
                    message="sdp_answer", media_session_type=session_type, sdp=answer
                )
            )
        )
        logger.info(
            "participant %s publishes %s (%s%s)",
            participant.id,
            session_type.value,
            ", ".join(publication.codecs.values()),
            # a browser's simulcast layers say their height with their first keyframe
            f"; layers {', '.join(str(layer.height or '?') for layer in publication.video_layers)}"
            if publication.video_layers
            else "",
        )
        for other in self._others(participant):
            await self._offer(participant, session_type, publication, other)

    def _presenter(self) -> Peer | None:
        return next(
            (
                p
                for p in self.peers.values()
                if MediaSessionType.SCREEN in p.publications or p.id in self._presenting
            ),
            None,
        )

    async def _offer(
        self,
        publisher: Peer,
        session_type: MediaSessionType,
        publication: Publication,
        subscriber: Peer,
    ) -> None:
        key = (publisher.id, session_type)
        if key in subscriber.subscriptions:
            return
        subscription, offer = await offer_subscription(publication, self._network)
        # Making the offer yields to the loop: meanwhile either side may have left, the stream
        # may have ended, or a join and a publish may both have offered the same stream.
        if (
            self.peers.get(subscriber.id) is not subscriber
            or self.peers.get(publisher.id) is not publisher
            or publisher.publications.get(session_type) is not publication
            or key in subscriber.subscriptions
        ):
            await subscription.close()
            return
        subscriber.subscriptions[key] = subscription
        if session_type is MediaSessionType.VIDEO:
            subscription.max_height = subscriber.max_height_of(publisher.id)
            subscription.label = f"{subscriber.id} (camera of {publisher.id})"
        subscriber.send(
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
        self, member: Member, target: str, session_type: MediaSessionType, sdp: str
    ) -> None:
        participant = self.peer(member)
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

    def request_keyframe(self, member: Member, target: str, session_type: MediaSessionType) -> None:
        participant = self.peer(member)
        subscription = participant.subscriptions.get((target, session_type))
        if subscription is None:
            raise RoomError(
                f"you do not receive {target}/{session_type.value}", ErrorCode.UNKNOWN_TARGET
            )
        subscription.request_keyframe()

    def set_preferred_layer(
        self, member: Member, target: str | None, max_height: int | None
    ) -> None:
        """``member`` wants camera pictures at most ``max_height`` tall from ``target``
        (None: from everyone, replacing what it asked of anyone before)."""
        participant = self.peer(member)
        if target is not None and (target not in self.peers or target == participant.id):
            raise RoomError(
                f"there is no other participant {target} in the meeting", ErrorCode.UNKNOWN_TARGET
            )
        if target is None:
            participant.preferred_height = max_height
            participant.preferred_heights.clear()
        else:
            participant.preferred_heights[target] = max_height
        for (publisher_id, session_type), subscription in participant.subscriptions.items():
            if session_type is MediaSessionType.VIDEO and target in (None, publisher_id):
                subscription.prefer(participant.max_height_of(publisher_id))

    async def unpublish(self, member: Member, session_type: MediaSessionType) -> None:
        participant = self.peer(member)
        publication = participant.publications.pop(session_type, None)
        if publication is None:
            raise RoomError(f"you do not publish a {session_type.value} stream")
        await self._end_publication(participant, session_type, publication)

    async def _end_publication(
        self, publisher: Peer, session_type: MediaSessionType, publication: Publication
    ) -> None:
        self._speakers.forget(f"{publisher.id}/{session_type.value}")
        closing = [publication.close()]
        for other in self._others(publisher):
            subscription = other.subscriptions.pop((publisher.id, session_type), None)
            if subscription is not None:
                closing.append(subscription.close())
                other.send(
                    MediaNotice(
                        payload=StreamEnded(
                            message="stream_ended",
                            target=publisher.id,
                            media_session_type=session_type,
                        )
                    )
                )
        await asyncio.gather(*closing, return_exceptions=True)


@dataclass(eq=False)
class HostedRoom:
    """A room this SFU hosts: the conference (people, chat, hands) and its media."""

    conference: ConferenceRoom
    media: SfuMedia

    @classmethod
    def create(
        cls,
        room_id: str,
        secret: str,
        network: NetworkSettings,
        moderator_secret: str | None = None,
        max_participants: int = 50,
        allow_multiple_presenters: bool = False,
    ) -> HostedRoom:
        conference = ConferenceRoom(room_id, secret, moderator_secret, max_participants)
        media = SfuMedia(network, allow_multiple_presenters=allow_multiple_presenters)
        conference.attach_media(media)
        return cls(conference, media)

    @property
    def id(self) -> str:
        return self.conference.id
