"""Our peer connections to Runde's SFU: one per stream we send, one per stream we receive.

Owned by :class:`~client.call.sfu_backend.SfuBackend` on its loop; the signaling messages
go through ``send_media``, what arrives is told to ``emit``, and the watchdog says when
media stops while the signaling still looks alive.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from aiortc import (
    MediaStreamTrack,
    RTCPeerConnection,
    RTCRtpSender,
    RTCRtpTransceiver,
    RTCSessionDescription,
)
from aiortc.rtcrtpparameters import RTCRtpCodecCapability

from client import compat
from client.call import events
from client.call.backend import EventSink, PublishError
from client.call.encoded_layers import EncodedLayers
from client.call.link_report import StreamFigures, receiving_figures, sending_figures
from client.call.media_watchdog import MediaWatchdog
from client.call.video_floor import VideoFloor
from client.media.layer_encoder import use_layer_encoder
from client.media.lip_sync import watch_sender_reports
from client.media.screen_encoder import use_screen_encoder
from client.media.video_layers import layered_tracks, nominal_size
from client.media.voice_encoder import use_voice_encoder
from client.netconfig import NetworkSettings
from client.protocol.messages import (
    MediaSessionType,
    Publish,
    PublishAnswer,
    StreamEnded,
    SubscribeAnswer,
    SubscribeOffer,
    Unpublish,
    VideoLayer,
)

logger = logging.getLogger(__name__)

SendMedia = Callable[[object, str | None], Awaitable[None]]


class SfuPeers:
    def __init__(
        self,
        network: NetworkSettings,
        video_codec: str,
        send_media: SendMedia,
        emit: EventSink,
        media_died: Callable[[str], None],
        answer_timeout: float = 10.0,
    ) -> None:
        self._network = network
        self._video_codec = f"video/{video_codec}".lower()
        self._send_media = send_media
        self._emit = emit
        self._answer_timeout = answer_timeout
        self.publishing: dict[MediaSessionType, RTCPeerConnection] = {}
        self._pending_answers: dict[MediaSessionType, asyncio.Future[str]] = {}
        self._subscriptions: dict[tuple[str, MediaSessionType], RTCPeerConnection] = {}
        self._camera_floor: VideoFloor | None = None
        self.watchdog = MediaWatchdog(media_died)

    @property
    def all(self) -> list[RTCPeerConnection]:
        return [*self.publishing.values(), *self._subscriptions.values()]

    # ---- sending ---------------------------------------------------------------------

    async def publish(
        self, session_type: MediaSessionType, tracks: Sequence[MediaStreamTrack]
    ) -> None:
        if session_type in self.publishing:
            raise ValueError(f"already publishing {session_type.value}")
        pc = RTCPeerConnection(self._network.rtc_configuration())
        screen = session_type is MediaSessionType.SCREEN
        # A camera goes in layers (each receiver gets the one its tile needs); a screen in one.
        sent, layer_sizes = (list(tracks), {}) if screen else _in_layers(tracks)
        layer_transceivers: list[tuple[RTCRtpTransceiver, tuple[int, int]]] = []
        for track in sent:
            transceiver = pc.addTransceiver(track, direction="sendonly")
            if track in layer_sizes:
                if layer_transceivers and self._video_codec == "video/vp8":
                    # a lower layer: a ceiling for its size (the top one follows the estimate)
                    use_layer_encoder(transceiver.sender, layer_sizes[track][1])
                layer_transceivers.append((transceiver, layer_sizes[track]))
            if track.kind == "video":
                # A shared screen always goes as VP8 with settings for text.
                transceiver.setCodecPreferences(
                    _video_codecs_preferred("video/vp8" if screen else self._video_codec)
                )
                if screen:
                    use_screen_encoder(transceiver.sender)
        self.publishing[session_type] = pc
        answer: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._pending_answers[session_type] = answer
        try:
            await pc.setLocalDescription(await pc.createOffer())
            layers = [
                VideoLayer(mid=str(transceiver.mid), width=width, height=height)
                for transceiver, (width, height) in layer_transceivers
            ]
            await self._send_media(
                Publish(
                    action="publish",
                    media_session_type=session_type,
                    sdp=pc.localDescription.sdp,
                    layers=layers or None,
                ),
                publish_transaction(session_type),
            )
            sdp = await asyncio.wait_for(answer, timeout=self._answer_timeout)
            await pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="answer"))
            videos = [t for t in pc.getTransceivers() if t.kind == "video"]
            for transceiver in pc.getTransceivers():
                use_voice_encoder(transceiver)  # no await since: before the first frame
            if videos and not screen:
                self._watch_camera_floor(videos[0].sender)  # the top layer's
            self.watchdog.watch(pc, f"the {session_type.value} we send")
        except BaseException:
            self.publishing.pop(session_type, None)
            await pc.close()
            raise
        finally:
            self._pending_answers.pop(session_type, None)

    def answered(self, answer: PublishAnswer) -> None:
        pending = self._pending_answers.get(answer.media_session_type)
        if pending is not None and not pending.done():
            pending.set_result(answer.sdp)

    def refuse_pending_publish(self, transaction_id: str | None, text: str) -> bool:
        """An error answering our publish ends that publish at once, with the server's text."""
        for session_type, pending in self._pending_answers.items():
            if transaction_id == publish_transaction(session_type) and not pending.done():
                pending.set_exception(PublishError(text))
                return True
        return False

    async def forget_publication(self, session_type: MediaSessionType) -> None:
        """The host already ended this stream of ours: close our side, say nothing."""
        pc = self.publishing.pop(session_type, None)
        if pc is not None:
            self.watchdog.forget(pc)
            await pc.close()

    def _watch_camera_floor(self, sender: RTCRtpSender) -> None:
        if self._camera_floor is not None:
            self._camera_floor.close()
        self._camera_floor = VideoFloor(
            sender, lambda paused: self._emit(events.OwnVideoPaused(paused))
        )

    async def unpublish(self, session_type: MediaSessionType) -> None:
        pc = self.publishing.pop(session_type, None)
        if pc is None:
            return
        if session_type is MediaSessionType.VIDEO and self._camera_floor is not None:
            self._camera_floor.close()
            self._camera_floor = None
        self.watchdog.forget(pc)
        await self._send_media(Unpublish(action="unpublish", media_session_type=session_type), None)
        await pc.close()

    # ---- receiving -------------------------------------------------------------------

    async def subscribe(self, offer: SubscribeOffer) -> None:
        key = (offer.target, offer.media_session_type)
        old = self._subscriptions.pop(key, None)
        if old is not None:
            self.watchdog.forget(old)
            await old.close()
        pc = RTCPeerConnection(self._network.rtc_configuration())
        self._subscriptions[key] = pc

        @pc.on("track")
        def _on_track(track: MediaStreamTrack) -> None:
            watch_sender_reports(pc, track)  # for lip sync
            self._emit(events.RemoteTrackAdded(offer.target, offer.media_session_type, track))

        try:
            await pc.setRemoteDescription(RTCSessionDescription(sdp=offer.sdp, type="offer"))
            compat.receive_directly(pc)
            await pc.setLocalDescription(await pc.createAnswer())
        except (ValueError, TypeError, KeyError) as exc:
            logger.warning("could not use the server's offer for %s: %s", offer.target, exc)
            self._subscriptions.pop(key, None)
            await pc.close()
            return
        self.watchdog.watch(pc, f"{offer.target}'s {offer.media_session_type.value}")
        await self._send_media(
            SubscribeAnswer(
                action="sdp_answer",
                target=offer.target,
                media_session_type=offer.media_session_type,
                sdp=pc.localDescription.sdp,
            ),
            None,
        )

    async def stream_ended(self, ended: StreamEnded) -> None:
        pc = self._subscriptions.pop((ended.target, ended.media_session_type), None)
        if pc is not None:
            self.watchdog.forget(pc)
            await pc.close()
        self._emit(events.RemoteStreamEnded(ended.target, ended.media_session_type))

    async def drop_subscriptions_of(self, participant_id: str) -> None:
        for key in [k for k in self._subscriptions if k[0] == participant_id]:
            pc = self._subscriptions.pop(key)
            self.watchdog.forget(pc)
            await pc.close()

    async def link_figures(self) -> list[StreamFigures]:
        floor = self._camera_floor
        estimate = floor.last_estimate_kbps if floor is not None else None
        paused = floor is not None and floor.paused
        figures: list[StreamFigures] = []
        for session_type, pc in list(self.publishing.items()):
            figures += await sending_figures(pc, session_type, estimate, paused)
        for (target, session_type), pc in list(self._subscriptions.items()):
            figures += await receiving_figures(pc, target, session_type)
        return figures

    async def close_all(self) -> None:
        await self.watchdog.stop()
        if self._camera_floor is not None:
            self._camera_floor.close()
            self._camera_floor = None
        pcs = self.all
        self.publishing.clear()
        self._subscriptions.clear()
        await asyncio.gather(*(pc.close() for pc in pcs), return_exceptions=True)


def _in_layers(
    tracks: Sequence[MediaStreamTrack],
) -> tuple[list[MediaStreamTrack], dict[MediaStreamTrack, tuple[int, int]]]:
    """The tracks to send for a camera publication, and the size of each layer (none when
    the camera goes as one track: too small, or its size unknown). A camera given as
    :class:`EncodedLayers` goes in the layers it brings."""
    sent: list[MediaStreamTrack] = []
    sizes: dict[MediaStreamTrack, tuple[int, int]] = {}
    for track in tracks:
        size = nominal_size(track) if track.kind == "video" else None
        if isinstance(track, EncodedLayers):
            layers = track.layers  # made by the caller, sent as they are
        elif size is not None:
            layers = layered_tracks(track, size)
        else:
            layers = [(track, (0, 0))]
        sent += [layer for layer, _ in layers]
        if len(layers) > 1:
            sizes.update(layers)
    return sent, sizes


def _video_codecs_preferred(preferred: str) -> list[RTCRtpCodecCapability]:
    """The preferred codec first, the others (and their RTX) as fallbacks."""
    capabilities = RTCRtpSender.getCapabilities("video")
    codecs = capabilities.codecs if capabilities is not None else []
    return sorted(codecs, key=lambda c: c.mimeType.lower() != preferred)


def publish_transaction(session_type: MediaSessionType) -> str:
    return f"publish-{session_type.value}"
