"""aiortc's packet path: codecs, SSRCs, RTP and RTCP to and from senders and receivers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any, SupportsBytes

import aioice.ice
from aiortc.codecs.vpx import Vp8Encoder
from aiortc.rtcdtlstransport import State

if TYPE_CHECKING:
    from aiortc import RTCRtpReceiver, RTCRtpSender, RTCRtpTransceiver
    from aiortc.codecs.base import Encoder
    from aiortc.rtcdtlstransport import RTCDtlsTransport
    from aiortc.rtcrtpparameters import RTCRtpCodecParameters
    from aiortc.rtp import AnyRtcpPacket

    RtcpHandler = Callable[[AnyRtcpPacket], Awaitable[None]]


def transceiver_codecs(transceiver: RTCRtpTransceiver) -> list[RTCRtpCodecParameters]:
    """The codecs negotiated for ``transceiver``, preferred first (aiortc's own list: read only)."""
    return transceiver._codecs


def sender_ssrc(sender: RTCRtpSender) -> int:
    """The SSRC ``sender`` puts on its RTP packets."""
    return sender._ssrc


def nominated_pair(dtls: RTCDtlsTransport) -> aioice.ice.CandidatePair | None:
    """The ICE candidate pair media goes over (component 1), or None before ICE nominated one."""
    return dtls.transport._connection._nominated.get(1)


def dtls_connected(dtls: RTCDtlsTransport) -> bool:
    """True once the DTLS handshake is done (and until the transport closes or fails)."""
    return dtls._state == State.CONNECTED


def protect_rtp(dtls: RTCDtlsTransport, data: bytes) -> bytes:
    """An RTP packet protected with the transport's outgoing SRTP session; needs
    :func:`dtls_connected`."""
    return rtp_protector(dtls)(data)


def rtp_protector(dtls: RTCDtlsTransport) -> Callable[[bytes], bytes]:
    """What :func:`protect_rtp` calls, to keep for a connected transport's packets: the
    outgoing SRTP session, set once by the handshake."""
    protect: Callable[[bytes], bytes] = dtls._tx_srtp.protect
    return protect


def receiver_enabled(receiver: RTCRtpReceiver) -> bool:
    """False once aiortc has disabled ``receiver`` (its transceiver stopped receiving)."""
    return receiver._enabled


def intercept_rtcp(
    sender: RTCRtpSender, handler: Callable[[AnyRtcpPacket, RtcpHandler], Awaitable[None]]
) -> None:
    """Hand every RTCP packet routed to ``sender`` to ``handler(packet, original)``, where
    ``original`` is the handler that was in place (aiortc's, or an earlier interception)."""
    original: RtcpHandler = sender._handle_rtcp_packet

    async def handle_rtcp(packet: AnyRtcpPacket) -> None:
        await handler(packet, original)

    sender._handle_rtcp_packet = handle_rtcp  # type: ignore[method-assign]


def rewrite_sender_rtcp(
    sender: RTCRtpSender, rewrite: Callable[[list[AnyRtcpPacket]], list[AnyRtcpPacket]]
) -> None:
    """Pass each compound RTCP packet ``sender`` sends of its own accord (its sender reports
    with SDES about every second, its BYE) through ``rewrite`` before it goes out."""
    original: Callable[[list[AnyRtcpPacket]], Awaitable[None]] = sender._send_rtcp

    async def send_rtcp(packets: list[AnyRtcpPacket]) -> None:
        await original(rewrite(packets))

    sender._send_rtcp = send_rtcp  # type: ignore[method-assign]


def send_pli(receiver: RTCRtpReceiver, media_ssrc: int) -> Coroutine[Any, Any, None]:
    """A picture loss indication for ``media_ssrc`` from ``receiver`` (a coroutine to await or
    schedule; it sends nothing before the receiver has its RTCP SSRC)."""
    return receiver._send_rtcp_pli(media_ssrc)


def intercept_receiver_rtcp(
    receiver: RTCRtpReceiver, handler: Callable[[AnyRtcpPacket, RtcpHandler], Awaitable[None]]
) -> None:
    """Hand every RTCP packet routed to ``receiver`` (sender reports, BYE) to
    ``handler(packet, original)``, where ``original`` is the handler that was in place."""
    original: RtcpHandler = receiver._handle_rtcp_packet

    async def handle_rtcp(packet: AnyRtcpPacket) -> None:
        await handler(packet, original)

    receiver._handle_rtcp_packet = handle_rtcp  # type: ignore[method-assign]


def receiver_rtcp_ssrc(receiver: RTCRtpReceiver) -> int | None:
    """The SSRC ``receiver`` puts on its RTCP, or None before negotiation gave it one."""
    ssrc: int | None = getattr(receiver, "_RTCRtpReceiver__rtcp_ssrc", None)
    return ssrc


def send_receiver_rtcp(
    receiver: RTCRtpReceiver, packet: AnyRtcpPacket | SupportsBytes
) -> Awaitable[None]:
    """Send an RTCP packet on ``receiver``'s transport (SRTCP-protected by aiortc). aiortc
    sends ``bytes(packet)``: a message it has no class for (transport feedback) goes too."""
    return receiver._send_rtcp(packet)  # type: ignore[arg-type]


def receiver_bitrate_estimate(receiver: RTCRtpReceiver) -> int | None:
    """The bitrate (bits/s) a video receiver that decodes with aiortc's own packet path
    estimates and reports to its sender as REMB; None for audio or before any estimate."""
    estimator = getattr(receiver, "_RTCRtpReceiver__remote_bitrate_estimator", None)
    if estimator is None or estimator.last_update_ms is None:
        return None
    bitrate: int = estimator.rate_control.current_bitrate
    return bitrate


def receiver_timestamp_origin(receiver: RTCRtpReceiver) -> int | None:
    """The RTP timestamp a receiver's decoded frames count their ``pts`` from (aiortc stamps
    each with its RTP timestamp minus the stream's first, unwrapped); None before the first."""
    mapper = getattr(receiver, "_RTCRtpReceiver__timestamp_mapper", None)
    origin = getattr(mapper, "_origin", None)
    return origin if isinstance(origin, int) else None


def hold_sender_frames(sender: RTCRtpSender, hold: bool) -> None:
    """Make ``sender`` drop every frame of its track unencoded (``hold``), or send them again.
    The track is still read, so nothing piles up."""
    sender._enabled = not hold


def sender_enabled(sender: RTCRtpSender) -> bool:
    """False while ``sender`` drops its frames (see :func:`hold_sender_frames`)."""
    enabled: bool = sender._enabled
    return enabled


def force_keyframe(sender: RTCRtpSender) -> None:
    """Make ``sender``'s next frame a keyframe, as a receiver's PLI would."""
    sender._send_keyframe()


def set_sender_encoder(sender: RTCRtpSender, encoder: Encoder) -> None:
    """Make ``sender`` encode with ``encoder``; call before it sends its first frame."""
    attribute = "_RTCRtpSender__encoder"
    if not hasattr(sender, attribute):
        raise RuntimeError("this aiortc version keeps its encoder elsewhere; update the hook")
    setattr(sender, attribute, encoder)


def vp8_packetize(data: bytes, picture_id: int) -> list[bytes]:
    """One encoded VP8 frame as RTP payloads (payload descriptor with ``picture_id``)."""
    payloads: list[bytes] = Vp8Encoder._packetize(data, picture_id)
    return payloads
