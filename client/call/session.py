"""The meeting core: one object per meeting that owns its state, Qt-free.

It keeps who is in the meeting (media state, raised hands), the conversation, our own
media state and the connection, and reconnects when the connection drops. The desktop
window's controller and the headless participant both drive it and listen to it; it runs on
the loop that carries media and knows nothing about which media server hosts the meeting.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import replace
from typing import Any, assert_never

from aiortc import MediaStreamTrack

from client.call import events
from client.call.backend import (
    EventSink,
    JoinError,
    MeetingBackend,
    PublishError,
)
from client.call.events import ChatEntry, SessionState
from client.call.moderation_events import REMOVED
from client.call.moderation_state import ModerationState
from client.call.session_types import (
    ChatError,
    ChatProblem,
    MeetingSnapshot,
    ModerationRefused,
    Participant,
    RemoteParticipant,
)
from client.media.receive_path import install_receive_path
from client.protocol.common import ErrorCode
from client.protocol.messages import MediaSessionType, MediaState, ParticipantInfo
from client.protocol.moderation import ModerationAction, Role
from client.protocol.modules import MAX_CHAT_CHARACTERS, Module, Reaction

logger = logging.getLogger(__name__)

__all__ = [
    "ChatError",
    "ChatProblem",
    "MeetingSession",
    "MeetingSnapshot",
    "ModerationRefused",
    "Participant",
    "RemoteParticipant",
]

BackendFactory = Callable[[EventSink], MeetingBackend]
Listener = Callable[[events.MeetingEvent], None]

# After a lost connection: this many attempts, waiting 1 s, 2 s, 3 s … before each.
RECONNECT_ATTEMPTS = 4


class MeetingSession:
    """Join, talk, share, chat; every change is reported to the listeners as an event."""

    def __init__(
        self, backend_factory: BackendFactory, reconnect_attempts: int = RECONNECT_ATTEMPTS
    ) -> None:
        install_receive_path()  # before any receiver makes its buffer and decoder
        self._backend_factory = backend_factory
        self._reconnect_attempts = reconnect_attempts
        self._backend = self._new_backend()
        self._listeners: list[Listener] = []
        self.state = SessionState.IDLE
        self.participant_id: str | None = None
        self.participants: dict[str, RemoteParticipant] = {}
        self.media = MediaState(audio=True, video=True)
        self.end_reason: str | None = None
        self.screen_track: MediaStreamTrack | None = None
        self.chat: list[ChatEntry] = []
        self._chat_ids: set[int] = set()
        self.hands: tuple[str, ...] = ()
        self.modules: frozenset[Module] = frozenset()
        self._display_name = ""
        self._tracks: list[MediaStreamTrack] = []
        self._preferred_heights: dict[str | None, int | None] = {}  # set_preferred_layer
        self._resume_token: str | None = None
        self._reconnecting: asyncio.Task[None] | None = None
        self._background: set[asyncio.Future[None]] = set()
        self.reconnects = 0  # lost connections this meeting came back from
        self.moderation = ModerationState()
        self._moderating: dict[str, asyncio.Future[None]] = {}  # by transaction id

    def never_reconnect(self) -> None:
        """From now on a lost connection ends the meeting (``runde join --no-reconnect``)."""
        self._reconnect_attempts = 0

    # ---- listening --------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def snapshot(self) -> MeetingSnapshot:
        return MeetingSnapshot(
            state=self.state,
            participant_id=self.participant_id,
            participants=tuple(
                p.view(self.hands, self.moderation.roles.get(p.id, Role.PARTICIPANT))
                for p in self.participants.values()
            ),
            chat=tuple(self.chat),
            hands=self.hands,
            media=self.media,
            modules=self.modules,
            sharing_screen=self.screen_track is not None,
            end_reason=self.end_reason,
            role=self.moderation.role,
            rules=self.moderation.rules,
            waiting=self.moderation.waiting,
        )

    def _publish(self, event: events.MeetingEvent) -> None:
        for listener in list(self._listeners):
            listener(event)

    def _set_state(self, state: SessionState, reason: str = "") -> None:
        self.state = state
        self._publish(events.StateChanged(state, reason))

    # ---- commands -----------------------------------------------------------------------

    async def join(
        self,
        display_name: str,
        tracks: Sequence[MediaStreamTrack] = (),
        media: MediaState | None = None,
    ) -> None:
        """Enter the meeting and publish ``tracks``; raises :class:`JoinError`."""
        self.media = media or MediaState(
            audio=any(t.kind == "audio" for t in tracks),
            video=any(t.kind == "video" for t in tracks),
        )
        self._display_name = display_name
        self._tracks = list(tracks)
        self._set_state(SessionState.JOINING)
        try:
            await self._enter()
        except JoinError as exc:
            self.end_reason = str(exc)
            self._set_state(SessionState.FAILED, str(exc))
            raise

    async def _enter(self) -> None:
        """Join with the current backend, list who is there, publish our tracks."""
        result = await self._backend.join(self._display_name, self.media, self._resume_token)
        self.participant_id = result.participant_id
        self.modules = result.modules
        self._resume_token = result.resume_token
        self.moderation.role = result.role
        for info in result.participants:
            self.moderation.roles[info.id] = info.role
        self._set_state(SessionState.JOINED)
        for info in result.participants:
            self._add_participant(info)
        for target, max_height in self._preferred_heights.items():  # again after a reconnect
            if target is None or target in self.participants:  # (not to someone gone)
                await self._backend.set_preferred_layer(target, max_height)
        if self._tracks:
            await self._backend.publish(MediaSessionType.VIDEO, self._tracks)

    def _add_participant(self, info: ParticipantInfo) -> None:
        self.participants[info.id] = RemoteParticipant(info.id, info.display_name, info.media)
        self._publish(events.ParticipantJoined(info))

    async def share_screen(self, track: MediaStreamTrack) -> None:
        """Send ``track`` as our shared screen, next to the camera.

        Raises :class:`~client.call.backend.PublishError` when the meeting refuses it
        (someone else is presenting); then nothing is shared and ``track`` is stopped.
        """
        if self.state is not SessionState.JOINED:
            track.stop()
            raise PublishError("join the meeting before sharing your screen")
        if self.screen_track is not None:
            track.stop()
            raise PublishError("you are already sharing your screen")
        self.screen_track = track
        try:
            await self._backend.publish(MediaSessionType.SCREEN, [track])
        except BaseException:
            self.screen_track = None
            track.stop()
            raise
        logger.info("sharing the screen")

    async def stop_screen_share(self) -> None:
        track, self.screen_track = self.screen_track, None
        if track is None:
            return
        track.stop()
        if self.state is SessionState.JOINED:
            await self._backend.unpublish(MediaSessionType.SCREEN)
        logger.info("stopped sharing the screen")

    async def set_media(self, audio: bool, video: bool) -> None:
        paused = self.media.video_paused and video  # the connection, not the user, pauses
        self.media = MediaState(audio=audio, video=video, video_paused=paused)
        if self.state is SessionState.JOINED:
            await self._backend.set_media_state(self.media)

    async def link_report(self) -> list[str]:
        """One line per stream we send or receive: loss, jitter, bandwidth estimate."""
        names = {pid: p.display_name for pid, p in self.participants.items()}
        return [figures.line(names) for figures in await self._backend.link_figures()]

    async def send_chat(self, text: str, to: str | None = None) -> None:
        """Send ``text`` to the room, or privately to participant ``to``.

        Raises :class:`ChatError` naming the problem; the host's own refusals (too many
        messages at once) arrive as :class:`~client.call.events.ServerError`.
        """
        if self.state is not SessionState.JOINED:
            raise ChatError(
                ChatProblem.NOT_CONNECTED,
                "the message was not sent: you are not connected to the meeting",
            )
        if not text.strip():
            raise ChatError(ChatProblem.EMPTY, "the message is empty")
        if len(text) > MAX_CHAT_CHARACTERS:
            raise ChatError(
                ChatProblem.TOO_LONG,
                f"the message has {len(text):,} characters; at most "
                f"{MAX_CHAT_CHARACTERS:,} can be sent",
            )
        if to is not None and to not in self.participants:
            raise ChatError(
                ChatProblem.ADDRESSEE_GONE,
                "the person you are writing to is no longer in the meeting",
            )
        await self._backend.send_chat(text, to)

    async def set_preferred_layer(self, max_height: int | None, target: str | None = None) -> None:
        """Camera pictures at most ``max_height`` tall (None: any) from ``target`` (None:
        from everyone); kept for the meeting, reconnects included."""
        if target is None:
            self._preferred_heights.clear()
        self._preferred_heights[target] = max_height
        if self.state is SessionState.JOINED:
            await self._backend.set_preferred_layer(target, max_height)

    async def set_hand(self, raised: bool) -> None:
        if self.state is SessionState.JOINED:
            await self._backend.set_hand(raised)

    async def react(self, reaction: Reaction) -> None:
        if self.state is SessionState.JOINED:
            await self._backend.react(reaction)

    async def moderate(self, action: ModerationAction, within: float = 10.0) -> None:
        """Have the host carry out a moderator's action; raises :class:`ModerationRefused`."""
        if self.state is not SessionState.JOINED:
            raise ModerationRefused("not connected to the meeting", ErrorCode.NOT_JOINED)
        transaction_id = f"moderate-{secrets.token_hex(4)}"
        done = asyncio.get_running_loop().create_future()
        self._moderating[transaction_id] = done
        try:
            await self._backend.moderate(action, transaction_id)
            await asyncio.wait_for(done, within)
        except TimeoutError:
            raise ModerationRefused("the meeting host did not confirm the action") from None
        finally:
            self._moderating.pop(transaction_id, None)

    async def leave(self) -> None:
        reconnecting, self._reconnecting = self._reconnecting, None
        if reconnecting is not None:
            reconnecting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reconnecting
        await self._backend.leave()
        if self.screen_track is not None:
            self.screen_track.stop()
            self.screen_track = None
        if self.state is not SessionState.FAILED:
            self.end_reason = self.end_reason or "you left the meeting"
            self._set_state(SessionState.ENDED, self.end_reason)

    # ---- the backend's reports ------------------------------------------------------------

    def _new_backend(self) -> MeetingBackend:
        backend: MeetingBackend | None = None

        def sink(event: events.MeetingEvent) -> None:
            # A replaced backend may still report while it closes: that is not this meeting.
            if backend is self._backend:
                self._on_event(event)

        backend = self._backend_factory(sink)
        return backend

    def _on_event(self, event: events.MeetingEvent) -> None:
        match event:
            case events.ParticipantJoined(participant=info):
                self.participants[info.id] = RemoteParticipant(
                    info.id, info.display_name, info.media
                )
                self.moderation.roles[info.id] = info.role
            case events.ParticipantLeft(participant_id=gone):
                self.participants.pop(gone, None)
                self._preferred_heights.pop(gone, None)
            case events.MediaStateChanged(participant_id=who, media=media):
                remote = self.participants.get(who)
                if remote is not None:
                    remote.media = media
            case events.RemoteTrackAdded(participant_id=who, session_type=kind, track=track):
                remote = self.participants.get(who)
                if remote is not None:
                    remote.tracks[(kind, track.kind)] = track
            case events.RemoteStreamEnded(participant_id=who, session_type=kind):
                remote = self.participants.get(who)
                if remote is not None:
                    remote.tracks = {k: t for k, t in remote.tracks.items() if k[0] is not kind}
            case events.ChatReceived(entry=entry):
                if entry.id in self._chat_ids:
                    return  # history again after a reconnect: already shown
                self._chat_ids.add(entry.id)
                self.chat.append(entry)
            case events.HandsChanged(queue=queue):
                self.hands = queue
            case events.MeetingEnded(connection_lost=True, retry=True) if self._reconnect_attempts:
                if self._reconnecting is None or self._reconnecting.done():
                    self._begin_reconnect(event)
                return
            case events.MeetingEnded(reason=reason):
                self.end_reason = reason
                self.state = SessionState.ENDED
            case events.Waiting():
                self._set_state(SessionState.WAITING)
            case events.MutedByModerator():
                self.media = self.media.model_copy(update={"audio": False})
            case events.OwnVideoPaused(paused=paused):
                self.media = self.media.model_copy(update={"video_paused": paused})
                if self.state is SessionState.JOINED:
                    self._in_background(self._backend.set_media_state(self.media))
            case events.ScreenShareStopped():
                shared, self.screen_track = self.screen_track, None
                if shared is not None:
                    shared.stop()
            case events.ParticipantRenamed(participant_id=who, display_name=name):
                remote = self.participants.get(who)
                if remote is not None:
                    remote.display_name = name
            case (
                events.MeetingRulesChanged()
                | events.WaitingListChanged()
                | events.RoleChanged()
                | events.LinkRenewed()
            ):
                self.moderation.apply(event, self.participant_id)
            case events.ModerationDone(transaction_id=tid) if tid in self._moderating:
                self._moderating.pop(tid).set_result(None)
            case events.ServerError(transaction_id=tid) if tid in self._moderating:
                self._moderating.pop(tid).set_exception(ModerationRefused(event.text, event.code))
            case events.ServerError(code="microphone_locked"):
                self.media = self.media.model_copy(update={"audio": False})
                self._publish(events.MutedByModerator(refused=True))
            case (
                events.ReactionReceived()
                | events.ServerError()
                | events.StateChanged()
                | events.CameraOffRequested()
                | events.ModerationDone()
            ):
                pass
            case _:
                assert_never(event)
        self._publish(event)

    def _in_background(self, work: Coroutine[Any, Any, None]) -> None:
        """Run ``work`` (a message to the host) without waiting; a lost connection is the
        reconnect's business, not this message's."""

        async def run() -> None:
            with contextlib.suppress(ConnectionError):
                await work

        task = asyncio.ensure_future(run())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def _begin_reconnect(self, lost: events.MeetingEnded) -> None:
        """Say so at once, let go of what the lost connection carried, then try again."""
        logger.info("the connection to the meeting was lost (%s); reconnecting", lost.reason)
        self._set_state(SessionState.RECONNECTING, lost.reason)
        for participant_id in list(self.participants):
            self.participants.pop(participant_id)
            self._publish(events.ParticipantLeft(participant_id, "disconnected"))
        if self.screen_track is not None:
            self.screen_track.stop()
            self.screen_track = None
            self._publish(events.ScreenShareStopped(lost.reason))
        self._reconnecting = asyncio.ensure_future(self._reconnect(lost))

    async def _reconnect(self, lost: events.MeetingEnded) -> None:
        """Join again with a new connection, keeping our place, devices and conversation."""
        for attempt in range(self._reconnect_attempts):
            await asyncio.sleep(1.0 + attempt)
            old, self._backend = self._backend, self._new_backend()
            await old.leave()
            try:
                await self._enter()
            except JoinError as exc:
                logger.info("reconnect attempt %d failed: %s", attempt + 1, exc)
                if exc.code == ErrorCode.FORBIDDEN:  # removed meanwhile: never back in
                    self._reconnecting = None
                    self._on_event(events.MeetingEnded(REMOVED, removed=True))
                    return
                continue
            except (ConnectionError, TimeoutError) as exc:
                logger.info("reconnect attempt %d failed: %s", attempt + 1, exc)
                continue
            except Exception:
                # Anything else must not leave a meeting that neither comes back nor ends.
                logger.warning("reconnect attempt %d failed", attempt + 1, exc_info=True)
                continue
            logger.info("reconnected after attempt %d", attempt + 1)
            self.reconnects += 1
            self._reconnecting = None
            return
        self._reconnecting = None
        self.end_reason = lost.reason
        self.state = SessionState.ENDED
        self._publish(replace(lost, reason=f"{lost.reason}; reconnecting did not succeed"))
