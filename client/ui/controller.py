"""The bridge between the meeting session (asyncio) and the widgets (Qt signals)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import replace
from typing import Any, Protocol, TypeVar, assert_never

import av
from aiortc import MediaStreamTrack
from PySide6.QtCore import QObject, QSize, Signal
from PySide6.QtGui import QImage

from client.call import events
from client.call.backend import EventSink, JoinError, ModuleUnavailable, PublishError
from client.call.events import SessionState
from client.call.media_thread import MediaThread, run_on
from client.call.session import ChatError, MeetingSession, MeetingSnapshot
from client.call.sfu_backend import SfuBackend
from client.media.level_probe import LevelProbeTrack
from client.media.screen import ShareSource
from client.media.switchable import SwitchableVideoTrack
from client.netconfig import IceServerSetting, NetworkSettings
from client.protocol.link import LinkError, MeetingLink, parse_link
from client.protocol.messages import MediaSessionType, MediaState
from client.protocol.modules import Reaction
from client.ui.video_sink import VideoSink, fit_size, frame_to_image

logger = logging.getLogger(__name__)

T = TypeVar("T")

SELF_VIEW_INTERVAL = 1 / 15  # the self view needs no more than 15 pictures a second


class Playout(Protocol):
    def add_source(self, key: str, track: MediaStreamTrack) -> None: ...
    def remove_source(self, key: str) -> None: ...
    async def close(self) -> None: ...


Choices = list[tuple[str, str]]  # (label shown, device value)
FrameListener = Callable[[av.VideoFrame], None]


class LocalMedia(Protocol):
    """This computer's devices; failures are reported through ``on_error``, never raised."""

    def cameras(self) -> Choices: ...
    def microphones(self) -> Choices: ...
    def speakers(self) -> Choices: ...
    def open_camera(
        self, on_error: Callable[[str], None], on_frame: FrameListener
    ) -> MediaStreamTrack | None: ...
    def open_microphone(self, on_error: Callable[[str], None]) -> MediaStreamTrack | None: ...
    def open_playout(self, on_error: Callable[[str], None]) -> Playout | None: ...
    def set_microphone_muted(self, track: MediaStreamTrack, muted: bool) -> None: ...
    def microphone_level(self, track: MediaStreamTrack) -> float: ...
    def playout_report(self, playout: Playout) -> str: ...
    def share_sources(self) -> list[ShareSource]: ...
    def share_thumbnail(self, source: ShareSource, width: int, height: int) -> av.VideoFrame: ...
    def open_screen(
        self, source: ShareSource, on_error: Callable[[str], None]
    ) -> MediaStreamTrack: ...


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
        remoteVideo(str id, VideoSink): attach the sink to that participant's tile
        localMediaChanged(bool microphone_on, bool camera_on)
        problem(str message): a device or server problem; the meeting goes on
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
    remoteVideo = Signal(str, VideoSink)
    localMediaChanged = Signal(bool, bool)
    problem = Signal(str)
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
        # The admin policy "disable screen sharing" turns this off; the view hides the button.
        self.screen_sharing_allowed = screen_sharing_allowed
        self.sharing: ShareSource | None = None
        self._screen_sinks: dict[str, VideoSink] = {}
        self._network = network
        self._base_network = network
        self._media = media
        self._host = host
        self.hosting = False
        self._session: MeetingSession | None = None
        # What we publish: the camera behind it is opened and closed as it is switched.
        self._video = SwitchableVideoTrack()
        self._camera: MediaStreamTrack | None = None
        self._microphone: MediaStreamTrack | None = None
        self._playout: Playout | None = None
        self._sinks: dict[str, VideoSink] = {}
        self._participants: set[str] = set()  # whose tiles and sounds we hold
        self.snapshot: MeetingSnapshot | None = None
        self._voices: dict[str, LevelProbeTrack] = {}
        self._devices_open = False
        self._name = ""
        self._link = ""
        self.state = SessionState.IDLE
        self.microphone_on = True
        self.camera_on = True
        self.tasks: set[asyncio.Task[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self.own_view_size = QSize(640, 360)
        self._last_own_image = 0.0
        self._own_image_lock = threading.Lock()

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

    def set_microphone(self, on: bool) -> None:
        self.microphone_on = on
        if self._microphone is not None:
            self._media.set_microphone_muted(self._microphone, not on)
        self._announce_media()

    def set_camera(self, on: bool) -> None:
        """Off closes the camera (its light goes out); on opens it again."""
        self.camera_on = on
        if not on and self._camera is not None:
            self._camera.stop()
            self._camera = None
        elif on and self._camera is None and self._devices_open:
            self._camera = self._media.open_camera(self.problem.emit, self._on_own_frame)
        self._video.set_source(self._camera)
        self._announce_media()

    def leave(self) -> None:
        self.spawn(self._leave(self.tr("You left the meeting.")))

    def send_chat(self, text: str, to: str | None = None) -> None:
        """To everyone, or privately to participant ``to``; a refusal comes as ``problem``."""
        self.spawn(self._module_call(lambda s: s.send_chat(text, to)))

    def set_hand(self, raised: bool) -> None:
        self.spawn(self._module_call(lambda s: s.set_hand(raised)))

    def react(self, reaction: Reaction) -> None:
        self.spawn(self._module_call(lambda s: s.react(reaction)))

    async def _module_call(
        self, command: Callable[[MeetingSession], Coroutine[Any, Any, None]]
    ) -> None:
        session = self._session
        if session is None:
            return
        try:
            await self._on_media(command(session))
        except (ChatError, ModuleUnavailable) as exc:
            self.problem.emit(str(exc))
        except ConnectionError:
            self.problem.emit(self.tr("Not sent: the connection to the meeting is interrupted."))

    def share_screen(self, source: ShareSource) -> None:
        """Share ``source`` as a second video stream; the camera goes on beside it."""
        self.spawn(self._share_screen(source))

    def stop_sharing(self) -> None:
        self.spawn(self._stop_sharing())

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
        """After the user picked other devices: close and reopen them."""
        if self.state is SessionState.IDLE:
            await self._close_local_media()
            self._open_local_media()
        else:
            self.problem.emit(self.tr("Device changes apply to the next meeting."))

    def speaking(self) -> dict[str, bool]:
        """Who is audible right now, by participant id (polled by the view)."""
        return {participant_id: voice.speaking for participant_id, voice in self._voices.items()}

    def microphone_level(self) -> float:
        if self._microphone is None or not self.microphone_on:
            return -100.0
        return self._media.microphone_level(self._microphone)

    def camera_send_scale(self) -> float | None:
        """The share of the camera's size that goes out (None: no camera is open)."""
        if self._camera is None:
            return None
        return float(getattr(self._camera, "send_scale", 1.0))

    def audio_report(self) -> str:
        if self._playout is None:
            return self.tr("No sound output is open.")
        return self._media.playout_report(self._playout)

    @property
    def link(self) -> str:
        return self._link

    # ---- implementation ---------------------------------------------------------------

    async def _share_screen(self, source: ShareSource) -> None:
        session = self._session
        if not self.screen_sharing_allowed:
            self.problem.emit(self.tr("Screen sharing is turned off on this computer."))
            return
        if session is None or self.state is not SessionState.JOINED or self.sharing is not None:
            return
        track = self._media.open_screen(source, self._screen_failed)
        self.sharing = source
        self.sharingChanged.emit(True, source.title)
        try:
            await self._on_media(session.share_screen(track))
        except (PublishError, ConnectionError, TimeoutError) as exc:
            self.sharing = None
            self.sharingChanged.emit(False, "")
            text = str(exc) if isinstance(exc, PublishError) else self.tr("no answer from the host")
            self.problem.emit(self.tr("Your screen is not shared: %1").replace("%1", text))

    def _screen_failed(self, message: str) -> None:
        """From the capture thread: the window closed or the display went away."""
        self.problem.emit(message)
        self._call_soon(self.stop_sharing)

    def _call_soon(self, callback: Callable[[], None]) -> None:
        loop = self._loop
        if loop is not None:
            loop.call_soon_threadsafe(callback)

    async def _stop_sharing(self) -> None:
        if self.sharing is None:
            return
        self.sharing = None
        self.sharingChanged.emit(False, "")
        session = self._session
        if session is not None:
            # a meeting that is gone shares nothing any more either
            with contextlib.suppress(ConnectionError):
                await self._on_media(session.stop_screen_share())

    async def _on_media(self, coro: Coroutine[Any, Any, T]) -> T:
        """Await ``coro`` where the session lives."""
        return await run_on(self._media_thread, coro)

    def _media_call(self, callback: Callable[..., object], *args: object) -> None:
        if self._media_thread is None:
            callback(*args)
        else:
            self._media_thread.call(callback, *args)

    def _media_loop(self) -> asyncio.AbstractEventLoop | None:
        return self._media_thread.loop if self._media_thread is not None else None

    def _event_from_session(self, session: MeetingSession, event: events.MeetingEvent) -> None:
        """Session events, from the media loop: handled on the GUI loop with a snapshot."""
        snapshot = session.snapshot()
        loop = self._loop
        if self._media_thread is None or loop is None:
            self._on_session_event(session, event, snapshot)
        else:
            loop.call_soon_threadsafe(self._on_session_event, session, event, snapshot)

    def _on_session_event(
        self, session: MeetingSession, event: events.MeetingEvent, snapshot: MeetingSnapshot
    ) -> None:
        # Events cross threads, so some arrive after their meeting was left or replaced;
        # those say nothing about the meeting shown now.
        if session is self._session:
            self.snapshot = snapshot
            self._on_event(event)
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
        if link_text != self._link:
            self._link = link_text
            self.linkChanged.emit(link_text)
        self._set_state(SessionState.JOINING)
        self._open_local_media()
        self._loop = asyncio.get_running_loop()
        session = MeetingSession(self._backend_for(link))
        session.subscribe(functools.partial(self._event_from_session, session))
        self._session = session
        try:
            await self._on_media(session.join(name, self._published_tracks(), self._media_state()))
        except (JoinError, TimeoutError, ConnectionError) as exc:
            reason = (
                str(exc)
                if isinstance(exc, JoinError)
                else self.tr("the meeting host stopped answering while we joined")
            )
            await self._on_media(session.leave())
            if self._session is session:
                self._session = None
            self._set_state(SessionState.FAILED, reason)
            await self._close_local_media()

    def _backend_for(self, link: MeetingLink) -> Callable[[EventSink], SfuBackend]:
        network = self._network
        return lambda sink: SfuBackend(link, network, sink)

    def _media_state(self) -> MediaState:
        return MediaState(
            audio=self.microphone_on and self._microphone is not None,
            video=self._camera is not None,
        )

    def _published_tracks(self) -> list[MediaStreamTrack]:
        # The same tracks again after a reconnect: the devices stay open.
        tracks: list[MediaStreamTrack] = [self._video]
        if self._microphone is not None:
            tracks.insert(0, self._microphone)
        return tracks

    def _open_local_media(self) -> None:
        self._devices_open = True
        if self._microphone is None:
            self._microphone = self._media.open_microphone(self.problem.emit)
        if self._playout is None:
            self._playout = self._media.open_playout(self.problem.emit)
        self.set_microphone(self.microphone_on)
        self.set_camera(self.camera_on)

    def _on_own_frame(self, frame: av.VideoFrame) -> None:
        """Runs on the capture thread: convert there, hand the picture to the GUI thread."""
        now = time.monotonic()
        with self._own_image_lock:
            if now - self._last_own_image < SELF_VIEW_INTERVAL or not self.camera_on:
                return
            self._last_own_image = now
        size = fit_size(QSize(frame.width, frame.height), self.own_view_size)
        self.ownImage.emit(frame_to_image(frame, size))

    async def _close_local_media(self) -> None:
        self._devices_open = False
        for track in (self._microphone, self._camera):
            if track is not None:
                track.stop()
        self._microphone = self._camera = None
        self._video.set_source(None)
        if self._playout is not None:
            playout, self._playout = self._playout, None
            await self._on_media(playout.close())

    def _announce_media(self) -> None:
        self.localMediaChanged.emit(self.microphone_on, self.camera_on)
        session = self._session
        if session is not None and self.state is SessionState.JOINED:
            self.spawn(self._on_media(session.set_media(self.microphone_on, self.camera_on)))

    async def _leave(self, reason: str) -> None:
        if self.sharing is not None:
            self.sharing = None
            self.sharingChanged.emit(False, "")
        session, self._session = self._session, None
        for participant_id in list(self._participants):
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
        self._participants.discard(participant_id)
        self._voices.pop(participant_id, None)
        sink = self._sinks.pop(participant_id, None)
        if sink is not None:
            sink.stop()
        self._end_remote_screen(participant_id)
        if self._playout is not None:
            self._media_call(self._playout.remove_source, participant_id)
        self.participantLeft.emit(participant_id)

    def _on_event(self, event: events.MeetingEvent) -> None:
        match event:
            case events.StateChanged(state=state, reason=reason):
                if state in (SessionState.JOINED, SessionState.RECONNECTING):
                    self._set_state(state, self._state_text(state, reason))
            case events.ParticipantJoined(participant=info):
                self._participants.add(info.id)
                self.participantJoined.emit(
                    info.id, info.display_name, info.media.audio, info.media.video
                )
            case events.ParticipantLeft(participant_id=gone):
                self._drop_participant(gone)
            case events.MediaStateChanged(participant_id=who, media=media):
                self.participantMediaChanged.emit(who, media.audio, media.video)
            case events.RemoteTrackAdded():
                self._attach_track(event)
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
                if self.sharing is not None:
                    self.sharing = None
                    self.sharingChanged.emit(False, "")
            case events.ServerError(text=text):
                self.problem.emit(text)
            case events.MeetingEnded(reason=reason, connection_lost=lost):
                text = (
                    self.tr("The connection to the meeting was lost and could not be restored.")
                    if lost
                    else reason
                )
                self.spawn(self._leave(text))
            case _:
                assert_never(event)

    def _state_text(self, state: SessionState, reason: str) -> str:
        if state is SessionState.RECONNECTING:
            return self.tr("The connection was lost; reconnecting…")
        return reason

    def _end_remote_screen(self, participant_id: str) -> None:
        sink = self._screen_sinks.pop(participant_id, None)
        if sink is not None:
            sink.stop()
            self.remoteScreenEnded.emit(participant_id)

    def _attach_track(self, event: events.RemoteTrackAdded) -> None:
        if event.session_type is MediaSessionType.SCREEN:
            if event.track.kind == "video":
                self._end_remote_screen(event.participant_id)
                sink = VideoSink(event.track, self)
                self._screen_sinks[event.participant_id] = sink
                sink.start(self._media_loop())
                self.remoteScreen.emit(event.participant_id, sink)
            return
        if event.track.kind == "video":
            sink = VideoSink(event.track, self)
            self._sinks[event.participant_id] = sink
            sink.start(self._media_loop())
            self.remoteVideo.emit(event.participant_id, sink)
        elif self._playout is not None:
            probe = LevelProbeTrack(event.track)
            self._voices[event.participant_id] = probe
            self._media_call(self._playout.add_source, event.participant_id, probe)
