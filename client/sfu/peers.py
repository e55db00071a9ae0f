"""The SFU's peer connections: one per publication (receive) and one per subscription (send)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from aiortc import (
    InvalidAccessError,
    InvalidStateError,
    MediaStreamTrack,
    RTCPeerConnection,
    RTCRtpReceiver,
    RTCRtpSender,
    RTCRtpTransceiver,
    RTCSessionDescription,
)
from aiortc.exceptions import InternalError, OperationError
from aiortc.rtcrtpparameters import RTCRtpCodecCapability
from av import Packet
from av.frame import Frame

from client import compat
from client.netconfig import NetworkSettings
from client.protocol.messages import VideoLayer
from client.sfu.forwarder import AudioGate, TrackForwarder
from client.sfu.keyframes import keyframe_detector
from client.sfu.layers import Layer, LayerChoice, LayerWatch
from client.sfu.offer_check import SdpError, prepare_answer, prepare_offer
from client.sfu.outbound import OutboundStream
from client.sfu.simulcast import (
    SimulcastOffer,
    accept_in_answer,
    read_simulcast,
    without_abs_send_time,
)
from client.sfu.simulcast_demux import SimulcastDemux, simulcast_layers
from client.sfu.uplink_share import UplinkShare

__all__ = ["Publication", "SdpError", "Subscription", "accept_publication", "offer_subscription"]

logger = logging.getLogger(__name__)


class _IdleTrack(MediaStreamTrack):
    """Stands in for media on a subscription sender: the forwarder writes RTP directly,
    so this track never yields and the sender never creates an encoder."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self._stopped = asyncio.Event()

    async def recv(self) -> Frame | Packet[Any]:
        await self._stopped.wait()
        raise asyncio.CancelledError

    def stop(self) -> None:
        self._stopped.set()
        super().stop()


def _capabilities(kind: str, mime_types: tuple[str, ...]) -> list[RTCRtpCodecCapability]:
    capabilities = RTCRtpReceiver.getCapabilities(kind)
    codecs = capabilities.codecs if capabilities is not None else []
    return [c for c in codecs if c.mimeType.lower() in mime_types]


def _primary_codec(transceiver: RTCRtpTransceiver) -> tuple[str, int]:
    for codec in compat.transceiver_codecs(transceiver):
        if codec.mimeType.lower() != f"{transceiver.kind}/rtx" and codec.payloadType is not None:
            return codec.mimeType, codec.payloadType
    raise SdpError(f"no common {transceiver.kind} codec; the SFU forwards Opus, VP8 and H.264")


def _feedback_options(transceiver: RTCRtpTransceiver, payload_type: int) -> tuple[bool, int | None]:
    """Whether the publisher takes NACKs for its primary codec, and its RTX payload type."""
    codecs = compat.transceiver_codecs(transceiver)
    primary = next(c for c in codecs if c.payloadType == payload_type)
    nack = any(f.type == "nack" and not f.parameter for f in primary.rtcpFeedback)
    rtx = next(
        (
            c.payloadType
            for c in codecs
            if c.mimeType.lower().endswith("/rtx") and c.parameters.get("apt") == payload_type
        ),
        None,
    )
    return nack, rtx


# aiortc's own exceptions carry fixed sentences; others may quote the SDP, so only their type.
_TELLING_ERRORS = (InvalidAccessError, InvalidStateError, InternalError, OperationError)


async def _apply_remote(pc: RTCPeerConnection, sdp: str, kind: str) -> None:
    """Set the (already checked) remote description, and for an offer make the answer.

    Whatever aiortc raises on it becomes an SdpError: a bad SDP never ends the connection.
    """
    try:
        await pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type=kind))
        if kind == "offer":
            for transceiver in pc.getTransceivers():
                transceiver.direction = "recvonly"
            await pc.setLocalDescription(await pc.createAnswer())
    except Exception as exc:
        detail = str(exc)[:160] if isinstance(exc, _TELLING_ERRORS) else type(exc).__name__
        raise SdpError(f"the SDP {kind} could not be used ({detail})") from None


async def _close(pc: RTCPeerConnection) -> None:
    """Close ``pc``; a failure here must not hide the reason it is being closed."""
    try:
        await pc.close()
    except Exception as exc:
        logger.warning("closing a peer connection failed: %s", type(exc).__name__)


@dataclass
class Publication:
    """A participant's stream arriving at the SFU.

    A camera sent in layers has one forwarder per layer in ``video_layers``;
    ``forwarders["video"]`` is then its tallest."""

    pc: RTCPeerConnection
    forwarders: dict[str, TrackForwarder]
    codecs: dict[str, str]  # kind -> mime type, to offer subscribers the same codec
    video_layers: list[Layer] = field(default_factory=list)
    layer_watch: LayerWatch | None = None

    async def close(self) -> None:
        for forwarder in self.forwarders.values():
            forwarder.close()
        for layer in self.video_layers:
            if layer.forwarder is not self.forwarders.get("video"):
                layer.forwarder.close()
        if self.layer_watch is not None:
            self.layer_watch.close()
        await _close(self.pc)


async def accept_publication(
    offer_sdp: str,
    settings: NetworkSettings,
    audio_gate: AudioGate | None,
    layers: Sequence[VideoLayer] = (),
) -> tuple[Publication, str]:
    """Answer a publisher's offer; returns the publication and the SDP answer. ``layers``
    names the video sections of a camera sent in several qualities; a browser's simulcast
    is read from the offer itself (:mod:`client.sfu.simulcast`)."""
    heights = {layer.mid: layer.height for layer in layers}
    # before aiortc: it picks the codecs on reading
    checked_offer = prepare_offer(offer_sdp, list(heights))
    simulcast = _read_simulcast(checked_offer, bool(heights))
    if simulcast is not None:
        checked_offer = without_abs_send_time(checked_offer, simulcast.mid)
    compat.negotiate_rtp_stream_ids()  # before aiortc answers: the packets name their layer
    pc = RTCPeerConnection(settings.rtc_configuration())
    try:
        await _apply_remote(pc, checked_offer, "offer")
        transceivers = pc.getTransceivers()
        forwarders: dict[str, TrackForwarder] = {}
        codecs: dict[str, str] = {}
        video_layers: list[Layer] = []
        uplink = UplinkShare() if heights else None  # the layers cross one link
        layered_receiver: tuple[RTCRtpReceiver, dict[str, Layer], int] | None = None
        for transceiver in transceivers:
            mime_type, payload_type = _primary_codec(transceiver)
            codecs[transceiver.kind] = mime_type
            nack, rtx_payload_type = _feedback_options(transceiver, payload_type)
            if simulcast is not None and str(transceiver.mid) == simulcast.mid:
                receiver = transceiver.receiver
                by_rid = simulcast_layers(
                    receiver, simulcast.rids, payload_type, nack, rtx_payload_type
                )
                video_layers += by_rid.values()
                layered_receiver = receiver, by_rid, payload_type
                continue
            forwarder = TrackForwarder(
                transceiver.receiver,
                transceiver.kind,
                payload_type,
                keyframe_detector(mime_type),
                audio_gate if transceiver.kind == "audio" else None,
                nack=nack and transceiver.kind == "video",
                rtx_payload_type=rtx_payload_type,
                uplink=uplink if transceiver.kind == "video" else None,
            )
            if transceiver.kind == "video" and uplink is not None:
                height = heights[str(transceiver.mid)]
                uplink.join(forwarder.feedback, height)
                video_layers.append(Layer(height, forwarder))
            else:
                forwarders[transceiver.kind] = forwarder
        if video_layers:
            video_layers.sort(key=lambda layer: layer.height)
            forwarders["video"] = video_layers[-1].forwarder
        watch = LayerWatch(video_layers) if video_layers else None
        answer = pc.localDescription.sdp
        if layered_receiver is not None and watch is not None and simulcast is not None:
            receiver, by_rid, payload_type = layered_receiver
            SimulcastDemux(receiver, by_rid, watch, payload_type)  # the receiver holds it
            answer = accept_in_answer(answer, simulcast)
    except BaseException:
        await _close(pc)
        raise
    publication = Publication(pc, forwarders, codecs, video_layers, watch)
    return publication, answer


def _read_simulcast(offer_sdp: str, layered: bool) -> SimulcastOffer | None:
    """The simulcast of a (checked) offer the SFU takes; None to answer for one layer."""
    simulcast, why_not = read_simulcast(offer_sdp)
    if simulcast is not None and layered:
        raise SdpError("a camera sent in layers cannot also be sent in simulcast")
    if why_not:
        logger.info("a simulcast offer is answered for one layer: %s", why_not)
    return simulcast


@dataclass
class Subscription:
    """Another participant's stream on its way from the SFU to one subscriber."""

    pc: RTCPeerConnection
    publication: Publication
    _transceivers: dict[str, RTCRtpTransceiver]
    _outbound: list[tuple[TrackForwarder, OutboundStream]] = field(default_factory=list)
    # the tallest picture the subscriber wants (of a layered camera); None: no limit
    max_height: int | None = None
    label: str = ""  # whose stream of whose camera, for the SFU's log of layer switches
    _layer_choice: LayerChoice | None = None

    def awaits_answer(self) -> bool:
        return self.pc.signalingState == "have-local-offer"

    async def accept_answer(self, answer_sdp: str) -> None:
        await _apply_remote(self.pc, prepare_answer(answer_sdp), "answer")

        @self.pc.on("connectionstatechange")
        def _on_state() -> None:
            state = self.pc.connectionState
            if state == "connected":
                self._attach()
            elif state in ("failed", "closed"):
                self._detach()

        if self.pc.connectionState == "connected":
            self._attach()

    def _attach(self) -> None:
        if self._outbound or self._layer_choice is not None:
            return
        for kind, transceiver in self._transceivers.items():
            _, payload_type = _primary_codec(transceiver)
            sender: RTCRtpSender = transceiver.sender
            watch = self.publication.layer_watch
            if kind == "video" and watch is not None:
                self._layer_choice = LayerChoice(
                    watch, sender, payload_type, self.max_height, self.label
                )
                continue
            forwarder = self.publication.forwarders[kind]
            outbound = forwarder.add_subscriber(sender, payload_type)
            if kind == "video" and self.max_height == 0:
                outbound.pause()  # a hidden tile from the start
            self._outbound.append((forwarder, outbound))

    def _detach(self) -> None:
        for forwarder, outbound in self._outbound:
            forwarder.remove_subscriber(outbound)
        self._outbound.clear()
        if self._layer_choice is not None:
            self._layer_choice.close()
            self._layer_choice = None

    def prefer(self, max_height: int | None) -> None:
        """The subscriber wants pictures at most ``max_height`` tall (None: any)."""
        self.max_height = max_height
        if self._layer_choice is not None:
            self._layer_choice.prefer(max_height)
        for forwarder, outbound in self._outbound:
            if forwarder.kind != "video":
                continue  # sound goes on whatever the tile shows
            if max_height == 0:
                outbound.pause()
            else:
                outbound.resume(forwarder)

    @property
    def layer_height(self) -> int | None:
        """The height of the layer this subscriber gets now (None: not a layered camera,
        or before its first keyframe)."""
        choice = self._layer_choice
        return choice.height if choice is not None else None

    def request_keyframe(self) -> None:
        choice = self._layer_choice
        feeding = choice.outbound.feeding if choice is not None else None
        video = feeding or self.publication.forwarders.get("video")
        if video is not None:
            video.request_keyframe()

    async def close(self) -> None:
        self._detach()
        for transceiver in self._transceivers.values():
            transceiver.sender.track.stop()
        await _close(self.pc)


async def offer_subscription(
    publication: Publication, settings: NetworkSettings
) -> tuple[Subscription, str]:
    """Make the offer that sends ``publication`` to one more subscriber."""
    pc = RTCPeerConnection(settings.rtc_configuration())
    transceivers: dict[str, RTCRtpTransceiver] = {}
    try:
        for kind, mime_type in publication.codecs.items():
            transceiver = pc.addTransceiver(_IdleTrack(kind), direction="sendonly")
            transceiver.setCodecPreferences([c for c in _capabilities(kind, (mime_type.lower(),))])
            transceivers[kind] = transceiver
        offer = await pc.createOffer()
        await pc.setLocalDescription(offer)
    except BaseException:
        await _close(pc)
        raise
    return Subscription(pc, publication, transceivers), pc.localDescription.sdp
