"""The bridge between the meeting session (asyncio) and the widgets (Qt signals)."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import replace
from typing import Any, Protocol, TypeVar, assert_never

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from client.call import events
from client.call.backend import JoinError
from client.call.connect import backend_for
from client.call.events import SessionState
from client.call.local_media import LocalDevices
from client.call.local_media import LocalMedia as LocalMedia  # the views type with it
from client.call.media_thread import MediaThread, run_on
from client.call.session import (
    MeetingSession,
    MeetingSnapshot,
)
from client.media.screen import ShareSource
from client.netconfig import IceServerSetting, NetworkSettings
from client.protocol.link import LinkError, parse_link
from client.protocol.messages import MediaSessionType
from client.ui.module_commands import ModuleCommands
from client.ui.network_report import NetworkReport
from client.ui.own_screen_share import OwnScreenShare
from client.ui.refusals import join_refusal_text
from client.ui.remote_media import RemoteMediaReady, RemoteMediaSet, make_ready
from client.ui.session_notices import ended_text, problem_text
from client.ui.tile_layers import TileLayers
from client.ui.video_sink import SelfView, VideoSink

logger = logging.getLogger(__name__)

T = TypeVar("T")


class Host(Protocol):
    """Hosts meetings from this computer (the embedded SFU)."""

    async def start(self) -> str: ...
    async def end(self) -> None: ...
    def allow_multiple_presenters(self, allowed: bool) -> None: ...


class MeetingController(QObject):
    """Joins, hosts and leaves meetings for the UI, and reports what happens as signals.

    Signals:
        stateChanged(str state, str reason)
        linkChanged(str link): the link of the current meeting, to invite others ("" when none)
        participantJoined(str id, str name, bool audio, bool video)
        participantLeft(str id)
        participantMediaChanged(str id, bool audio, bool video)
        participantVideoPaused(str id, bool paused): that participant's connection is too
            thin for video (its pictures pause, its sound goes on), or no longer
        ownVideoPaused(bool paused): the same for our own camera
        remoteVideo(str id, VideoSink): attach the sink to that participant's tile
        localMediaChanged(bool microphone_on, bool camera_on)
        problem(str message): a server or sharing problem; the meeting goes on
        deviceChanged(DeviceKind, DeviceProblem | None): a device failed, or works again
        ownImage(QImage): the camera's picture for the preview and self view
        sharingChanged(bool sharing, str title): we started or stopped sharing our screen
        remoteScreen(str id, VideoSink): that participant shares their screen
        remoteScreenEnded(str id): that participant stopped sharing
        chatReceived(ChatEntry entry, bool history): a chat message (history: said before
            we joined or while we were reconnecting)
        handsChanged(tuple ids): the raised hands in order
        reactionReceived(str id, str reaction): a reaction to show over that tile
        snapshotChanged(MeetingSnapshot): the meeting after the latest change
    """

    stateChanged = Signal(str, str)
    linkChanged = Signal(str)
    participantJoined = Signal(str, str, bool, bool)
    participantLeft = Signal(str)
    participantMediaChanged = Signal(str, bool, bool)
    participantVideoPaused = Signal(str, bool)
    ownVideoPaused = Signal(bool)
    remoteVideo = Signal(str, VideoSink)
    localMediaChanged = Signal(bool, bool)
    problem = Signal(str)
    deviceChanged = Signal(object, object)
    ownImage = Signal(QImage)
    sharingChanged = Signal(bool, str)
    remoteScreen = Signal(str, VideoSink)
    remoteScreenEnded = Signal(str)
    chatReceived = Signal(object, bool)
    handsChanged = Signal(object)
    reactionReceived = Signal(str, str)
    snapshotChanged = Signal(object)

    def __init__(
        self,
        network: NetworkSettings,
        media: LocalMedia,
        host: Host | None,
        parent: QObject | None = None,
        screen_sharing_allowed: bool = True,
        media_thread: MediaThread | None = None,
    ) -> None:
        super().__init__(parent)
        # The session, its connections and the remote tracks live on this thread's loop
        # (the current loop without one); widgets and commands stay on Qt's.
        self._media_thread = media_thread
        self._network_report = NetworkReport(self.spawn, self._on_media)
        # The admin policy "disable screen sharing" turns this off; the view hides the button.
        self.screen_sharing_allowed = screen_sharing_allowed
        self._own_share = OwnScreenShare(
            media,
            self._on_media,
            lambda: self._call_soon(self.stop_sharing),
            self.problem.emit,
            self.sharingChanged.emit,
        )
        self._network = network
        self._base_network = network
        self._media = media
        self.commands = ModuleCommands(
            lambda: self._session, self.spawn, self._on_media, self.problem.emit
        )
        self.tile_layers = TileLayers(lambda: self._session, self.spawn, self._on_media, self)
        self.self_view = SelfView(self.ownImage.emit)
        # device troubles arrive from audio and capture threads; the signal brings them here
        self.devices = LocalDevices(media, self.deviceChanged.emit, self.self_view)
        self.deviceChanged.connect(self._device_changed)
        self._host = host
        self.hosting = False
        self._session: MeetingSession | None = None
        self._remote = RemoteMediaSet()
        self.snapshot: MeetingSnapshot | None = None
        self._name = ""
        self._link = ""
        self.state = SessionState.IDLE
        self.tasks: set[asyncio.Task[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None

    # ---- commands from the UI ---------------------------------------------------------

    def set_own_ice_server(self, server: IceServerSetting | None) -> None:
        """The user's own STUN/TURN server from the settings, used from the next join on."""
        extra = (server,) if server is not None else ()
        base = self._base_network
        self._network = replace(base, ice_servers=(*base.ice_servers, *extra))

    def start_meeting(self, name: str) -> None:
        self.spawn(self._start_meeting(name))

    def join(self, link_text: str, name: str) -> None:
        self.spawn(self._join(link_text, name))

    @property
    def microphone_on(self) -> bool:
        return self.devices.microphone_on

    @property
    def camera_on(self) -> bool:
        return self.devices.camera_on

    def set_microphone(self, on: bool) -> None:
        self.devices.set_microphone(on)
        self._announce_media()

    def set_camera(self, on: bool) -> None:
        """Off closes the camera (its light goes out), without waiting for it here."""
        self.self_view.enabled = on
        self.devices.set_camera(on)
        self._announce_media()

    def leave(self) -> None:
        self.spawn(self._leave(self.tr("You left the meeting.")))

    def share_screen(self, source: ShareSource) -> None:
        """Share ``source`` as a second video stream; the camera goes on beside it."""
        self.spawn(self._share_screen(source))

    def stop_sharing(self) -> None:
        self.spawn(self._own_share.stop(self._session))

    @property
    def sharing(self) -> ShareSource | None:
        """What we share now, if anything."""
        return self._own_share.source

    def allow_multiple_presenters(self, allowed: bool) -> None:
        """The host's choice for the meeting it hosts: several people may share at once."""
        if self.hosting and self._host is not None:
            self._host.allow_multiple_presenters(allowed)

    def open_preview(self) -> None:
        """Open camera and microphone for the pre-join view (kept open into the meeting)."""
        self._open_local_media()

    async def close_preview(self) -> None:
        if self.state is SessionState.IDLE:
            await self._close_local_media()

    async def reopen_devices(self) -> None:
        """After the user picked other devices, or to try a failed one again: the same
        tracks go on with the chosen devices (no renegotiation, the meeting goes on)."""
        if not self.devices.is_open:
            return
        await asyncio.get_running_loop().run_in_executor(None, self.devices.retry)
        self._announce_media()

    def speaking(self) -> dict[str, bool]:
        """Who is audible right now, by participant id (polled by the view)."""
        return self._remote.speaking()

    def microphone_level(self) -> float:
        return self.devices.microphone_level()

    def camera_send_scale(self) -> float | None:
        """The share of the camera's size that goes out (None: no camera is open)."""
        return self.devices.camera_send_scale()

    def audio_report(self) -> str:
        return self.devices.audio_report() or self.tr("No sound output is open.")

    def network_report(self) -> str:
        """Loss, jitter and bandwidth estimates of our streams (see NetworkReport)."""
        joined = self.state is SessionState.JOINED
        return self._network_report.text(self._session if joined else None)

    @property
    def link(self) -> str:
        return self._link

    # ---- implementation ---------------------------------------------------------------

    async def _share_screen(self, source: ShareSource) -> None:
        session = self._session
        if not self.screen_sharing_allowed:
            self.problem.emit(self.tr("Screen sharing is turned off on this computer."))
            return
        if session is not None and self.state is SessionState.JOINED:
            await self._own_share.start(session, source)

    def _call_soon(self, callback: Callable[[], None]) -> None:
        loop = self._loop
        if loop is not None:
            loop.call_soon_threadsafe(callback)

    async def _on_media(self, coro: Coroutine[Any, Any, T]) -> T:
        """Await ``coro`` where the session lives."""
        return await run_on(self._media_thread, coro)

    def _media_call(self, callback: Callable[..., object], *args: object) -> None:
        if self._media_thread is None:
            callback(*args)
        else:
            self._media_thread.call(callback, *args)

    def _event_from_session(self, session: MeetingSession, event: events.MeetingEvent) -> None:
        """Session events, on the media loop: handed to the GUI loop with a snapshot.

        A remote track stays here: what crosses is its sink or voice, ready to show.
        """
        item: events.MeetingEvent | RemoteMediaReady = event
        if isinstance(event, events.RemoteTrackAdded):
            item = make_ready(event, self.devices.playout)
        snapshot = session.snapshot()
        loop = self._loop
        if self._media_thread is None or loop is None:
            self._on_session_event(session, item, snapshot)
        else:
            loop.call_soon_threadsafe(self._on_session_event, session, item, snapshot)

    def _on_session_event(
        self,
        session: MeetingSession,
        item: events.MeetingEvent | RemoteMediaReady,
        snapshot: MeetingSnapshot,
    ) -> None:
        # Events cross threads, so some arrive after their meeting was left or replaced;
        # those say nothing about the meeting shown now.
        if session is not self._session:
            if isinstance(item, RemoteMediaReady) and item.sink is not None:
                item.sink.stop()
            return
        self.snapshot = snapshot
        if isinstance(item, RemoteMediaReady):
            self._attach(item)
        else:
            self._on_event(item)
        self.snapshotChanged.emit(snapshot)

    def spawn(self, coro: Awaitable[None]) -> None:
        """Run a coroutine on the loop, keeping a reference until it is done."""
        task = asyncio.ensure_future(coro)
        self._loop = task.get_loop()
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def _set_state(self, state: SessionState, reason: str = "") -> None:
        self.state = state
        self.stateChanged.emit(state.value, reason)

    async def _start_meeting(self, name: str) -> None:
        if self._host is None:
            self.problem.emit(self.tr("Hosting meetings is not available."))
            return
        self._set_state(SessionState.JOINING)
        try:
            link = await self._host.start()
            self.hosting = True
        except OSError as exc:
            self._set_state(
                SessionState.FAILED,
                self.tr("Could not start the meeting: %1").replace("%1", str(exc)),
            )
            return
        await self._join(link, name)

    async def _join(self, link_text: str, name: str) -> None:
        try:
            link = parse_link(link_text)
        except LinkError as exc:
            self._set_state(
                SessionState.FAILED,
                self.tr("This meeting link cannot be used: %1").replace("%1", str(exc)),
            )
            return
        self._name = name
        # A moderator link is never shown: the link to invite with is the participants' one.
        invitation = link.for_participants().to_text() if link.moderates else link_text
        if invitation != self._link:
            self._link = invitation
            self.linkChanged.emit(invitation)
        self._set_state(SessionState.JOINING)
        self._open_local_media()
        self._loop = asyncio.get_running_loop()
        session = MeetingSession(backend_for(link, self._network))
        session.subscribe(functools.partial(self._event_from_session, session))
        self._session = session
        try:
            await self._on_media(
                session.join(name, self.devices.tracks(), self.devices.media_state())
            )
        except (JoinError, TimeoutError, ConnectionError) as exc:
            reason = (
                join_refusal_text(exc.code, str(exc))
                if isinstance(exc, JoinError)
                else self.tr("the meeting host stopped answering while we joined")
            )
            await self._on_media(session.leave())
            if self._session is session:
                self._session = None
            self._set_state(SessionState.FAILED, reason)
            await self._close_local_media()

    def _open_local_media(self) -> None:
        self.devices.open()
        self._announce_media()

    async def _close_local_media(self) -> None:
        await self.devices.close(functools.partial(run_on, self._media_thread))

    def _device_changed(self, *_: object) -> None:
        # A device may fail while the app shuts down, after the loop is gone: then no one
        # is left to tell.
        if self._loop is not None and not self._loop.is_closed():
            self._announce_media()

    def _announce_media(self) -> None:
        self.localMediaChanged.emit(self.microphone_on, self.camera_on)
        session = self._session
        if session is not None and self.state is SessionState.JOINED:
            works = self.devices.media_state()  # a device that failed is not "on" for others
            self.spawn(self._on_media(session.set_media(works.audio, works.video)))

    async def _leave(self, reason: str) -> None:
        self._own_share.ended()
        session, self._session = self._session, None
        for participant_id in list(self._remote.participants):
            self._drop_participant(participant_id)
        if session is not None:
            await self._on_media(session.leave())
        if self.hosting and self._host is not None:
            self.hosting = False
            await self._host.end()
        await self._close_local_media()
        self._link = ""
        self.linkChanged.emit("")
        self._set_state(SessionState.IDLE, reason)

    def _drop_participant(self, participant_id: str) -> None:
        if self._remote.drop(participant_id):
            self.remoteScreenEnded.emit(participant_id)
        playout = self.devices.playout
        if playout is not None:
            self._media_call(playout.remove_source, participant_id)
        self.participantLeft.emit(participant_id)

    def _on_event(self, event: events.MeetingEvent) -> None:
        match event:
            case events.StateChanged(state=state, reason=reason):
                if state in (SessionState.JOINED, SessionState.RECONNECTING):
                    self._set_state(state, self._state_text(state, reason))
            case events.ParticipantJoined(participant=info):
                self._remote.participants.add(info.id)
                self.participantJoined.emit(
                    info.id, info.display_name, info.media.audio, info.media.video
                )
                if info.media.video_paused:
                    self.participantVideoPaused.emit(info.id, True)
            case events.ParticipantLeft(participant_id=gone):
                self._drop_participant(gone)
            case events.MediaStateChanged(participant_id=who, media=media):
                self.participantMediaChanged.emit(who, media.audio, media.video)
                self.participantVideoPaused.emit(who, media.video_paused)
            case events.RemoteTrackAdded():
                raise AssertionError("remote tracks are made ready on the media thread")
            case events.RemoteStreamEnded(participant_id=who, session_type=kind):
                if kind is MediaSessionType.SCREEN:
                    self._end_remote_screen(who)
            case events.ChatReceived(entry=entry, history=history):
                self.chatReceived.emit(entry, history)
            case events.HandsChanged(queue=queue):
                self.handsChanged.emit(queue)
            case events.ReactionReceived(participant_id=who, reaction=reaction):
                self.reactionReceived.emit(who, reaction.value)
            case events.ScreenShareStopped():
                self._own_share.ended()
            case events.ServerError():
                self.problem.emit(problem_text(event))
            case events.MeetingEnded():
                self.spawn(self._leave(ended_text(event)))
            case events.Waiting():
                self._set_state(
                    SessionState.WAITING, self.tr("Waiting for a moderator to let you in…")
                )
            case events.MutedByModerator():
                self.devices.set_microphone(False)
                self.localMediaChanged.emit(self.microphone_on, self.camera_on)
                self.problem.emit(problem_text(event))
            case events.CameraOffRequested():
                self.problem.emit(self.tr("A moderator asks you to turn your camera off."))
            case events.OwnVideoPaused(paused=paused):
                self.ownVideoPaused.emit(paused)
            case (
                events.MeetingRulesChanged()
                | events.WaitingListChanged()
                | events.RoleChanged()
                | events.ParticipantRenamed()
                | events.LinkRenewed()
                | events.ModerationDone()
            ):
                pass  # the snapshot carries them
            case _:
                assert_never(event)

    def _state_text(self, state: SessionState, reason: str) -> str:
        if state is SessionState.RECONNECTING:
            return self.tr("The connection was lost; reconnecting…")
        return reason

    def _end_remote_screen(self, participant_id: str) -> None:
        if self._remote.end_screen(participant_id):
            self.remoteScreenEnded.emit(participant_id)

    def _attach(self, ready: RemoteMediaReady) -> None:
        if ready.session_type is MediaSessionType.SCREEN:
            self._end_remote_screen(ready.participant_id)
        sink = self._remote.take(ready)
        if sink is None:
            return
        sink.setParent(self)
        if ready.session_type is MediaSessionType.SCREEN:
            self.remoteScreen.emit(ready.participant_id, sink)
        else:
            self.remoteVideo.emit(ready.participant_id, sink)
