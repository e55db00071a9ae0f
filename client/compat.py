"""Every private attribute of aiortc, aioice, pylibsrtp, aiohttp, sounddevice and asyncio that
Runde touches, in one place.

The libraries offer no public way to do what the SFU and the media loop need: forward RTP
without decoding it (aiortc hands out decoded frames only), protect and send a packet without
four coroutine hops, see subscribers' keyframe requests, choose a sender's encoder, gather ICE
candidates on chosen addresses, learn the port aiohttp bound, rescan PortAudio's devices, read
UDP in batches. Each need is one small function or class here, so a library update that
renames or removes an attribute breaks one module, not the call sites, and
:func:`client.compat_check.missing_attributes` (run by ``tests/unit/test_compat.py``) names
what disappeared before a meeting does. aiortc and aioice are pinned to the tested minor versions in
``pyproject.toml`` for the same reason.

Outside this module no code under ``client/`` reads or writes a private attribute of another
library's object; ``tests/unit/test_compat.py`` checks that as well.
"""

from __future__ import annotations

import asyncio
import importlib
import socket
from asyncio import selector_events
from collections.abc import Awaitable, Callable, Coroutine
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol, SupportsBytes

import aioice.ice
from aiortc.codecs.vpx import Vp8Encoder
from aiortc.contrib.media import PlayerStreamTrack
from aiortc.rtcdtlstransport import State
from aiortc.rtcrtpparameters import RTCRtcpFeedback, RTCRtpHeaderExtensionParameters

if TYPE_CHECKING:
    from aiohttp import web
    from aiortc import MediaStreamTrack, RTCRtpReceiver, RTCRtpSender, RTCRtpTransceiver
    from aiortc.codecs.base import Decoder, Encoder
    from aiortc.jitterbuffer import JitterBuffer
    from aiortc.rtcdtlstransport import RTCDtlsTransport
    from aiortc.rtcrtpparameters import RTCRtpCodecParameters
    from aiortc.rtp import AnyRtcpPacket, RtpPacket

    RtcpHandler = Callable[[AnyRtcpPacket], Awaitable[None]]
    DecoderWrapper = Callable[[RTCRtpCodecParameters, Decoder], Decoder]


class RtpHandler(Protocol):
    """What aiortc calls for each RTP packet routed to a receiver."""

    async def __call__(self, packet: RtpPacket, arrival_time_ms: int) -> None: ...


class HostAddressLookup(Protocol):
    """aioice's ``get_host_addresses``: the addresses to gather host candidates on (aioice
    passes both arguments by keyword)."""

    def __call__(self, use_ipv4: bool, use_ipv6: bool) -> list[str]: ...


# (module or class, attribute) for everything below that is not a library's public API.
# ``client.compat_check.missing_attributes`` looks each one up on the class (or module), and
# for attributes set in ``__init__`` on a freshly made object.
REQUIRED: tuple[tuple[str, str], ...] = (
    # transceiver_codecs: the codecs negotiated for a transceiver (no public getter)
    ("aiortc.rtcrtptransceiver.RTCRtpTransceiver", "_codecs"),
    # sender_ssrc
    ("aiortc.rtcrtpsender.RTCRtpSender", "_ssrc"),
    # intercept_rtcp: a subscriber's RTCP arrives at its sender
    ("aiortc.rtcrtpsender.RTCRtpSender", "_handle_rtcp_packet"),
    # rewrite_sender_rtcp: the reports a sender sends of its own accord
    ("aiortc.rtcrtpsender.RTCRtpSender", "_send_rtcp"),
    # hold_sender_frames: a disabled sender reads its track's frames and drops them
    ("aiortc.rtcrtpsender.RTCRtpSender", "_enabled"),
    # force_keyframe: what a PLI from the receiver does
    ("aiortc.rtcrtpsender.RTCRtpSender", "_send_keyframe"),
    # set_sender_encoder: the sender makes its own encoder on the first frame unless one is set
    ("aiortc.rtcrtpsender.RTCRtpSender", "_RTCRtpSender__encoder"),
    # intercept_rtp: a publisher's RTP arrives at its receiver
    ("aiortc.rtcrtpreceiver.RTCRtpReceiver", "_handle_rtp_packet"),
    # receiver_enabled
    ("aiortc.rtcrtpreceiver.RTCRtpReceiver", "_enabled"),
    # send_pli
    ("aiortc.rtcrtpreceiver.RTCRtpReceiver", "_send_rtcp_pli"),
    # intercept_receiver_rtcp: a publisher's sender reports arrive at its receiver
    ("aiortc.rtcrtpreceiver.RTCRtpReceiver", "_handle_rtcp_packet"),
    # send_receiver_rtcp, receiver_rtcp_ssrc: reports, REMB and NACK to a publisher
    ("aiortc.rtcrtpreceiver.RTCRtpReceiver", "_send_rtcp"),
    ("aiortc.rtcrtpreceiver.RTCRtpReceiver", "_RTCRtpReceiver__rtcp_ssrc"),
    # receiver_bitrate_estimate: the estimate a (decoding) receiver sends as REMB
    ("aiortc.rtcrtpreceiver.RTCRtpReceiver", "_RTCRtpReceiver__remote_bitrate_estimator"),
    # receiver_timestamp_origin: a received frame's pts back to its RTP timestamp (lip sync)
    ("aiortc.rtcrtpreceiver.RTCRtpReceiver", "_RTCRtpReceiver__timestamp_mapper"),
    # dtls_connected
    ("aiortc.rtcdtlstransport.RTCDtlsTransport", "_state"),
    ("aiortc.rtcdtlstransport.State", "CONNECTED"),
    # protect_rtp: the transport's outgoing SRTP session (a pylibsrtp Session)
    ("aiortc.rtcdtlstransport.RTCDtlsTransport", "_tx_srtp"),
    ("pylibsrtp.Session", "protect"),
    # nominated_pair: the ICE transport's aioice connection, its nominated pairs, and what the
    # forwarder reads from a pair
    ("aiortc.rtcicetransport.RTCIceTransport", "_connection"),
    ("aioice.ice.Connection", "_nominated"),
    ("aioice.ice.CandidatePair", "protocol"),
    ("aioice.ice.CandidatePair", "remote_addr"),
    # vp8_packetize
    ("aiortc.codecs.vpx.Vp8Encoder", "_packetize"),
    # player_queue_length, player_track_queue: frames aiortc's MediaPlayer decoded that its
    # track has not handed out
    ("aiortc.contrib.media.PlayerStreamTrack", "_queue"),
    # negotiate_transport_cc, negotiate_rtp_stream_ids: the header extensions and codecs
    # aiortc offers and accepts
    ("aiortc.codecs", "HEADER_EXTENSIONS"),
    ("aiortc.codecs", "CODECS"),
    # replace_player_decoding: the player looks this name up in its module when it starts
    ("aiortc.contrib.media", "player_worker_decode"),
    # wrap_receiver_decoders: a receiver's decoder thread looks this name up in its module
    ("aiortc.rtcrtpreceiver", "get_decoder"),
    # replace_audio_jitter_buffers, replace_video_jitter_buffers: a receiver looks this name
    # up in its module when it is made
    ("aiortc.rtcrtpreceiver", "JitterBuffer"),
    # set_host_addresses: aioice looks this module-level function up when it gathers
    ("aioice.ice", "get_host_addresses"),
    # listening_sockets
    ("aiohttp.web_runner.BaseSite", "_server"),
    # restart_portaudio (sounddevice is optional: checked where it can be imported)
    ("sounddevice", "_terminate"),
    ("sounddevice", "_initialize"),
    # BatchReadingDatagrams: asyncio's selector datagram transport and the loop's factory
    ("asyncio.selector_events", "_SelectorDatagramTransport"),
    ("asyncio.selector_events._SelectorDatagramTransport", "_read_ready"),
    ("asyncio.selector_events._SelectorDatagramTransport", "_fatal_error"),
    ("asyncio.selector_events._SelectorDatagramTransport", "max_size"),
    ("asyncio.selector_events._SelectorDatagramTransport", "_sock"),
    ("asyncio.selector_events._SelectorDatagramTransport", "_conn_lost"),
    ("asyncio.selector_events._SelectorDatagramTransport", "_protocol"),
    ("asyncio.selector_events.BaseSelectorEventLoop", "_make_datagram_transport"),
)

# Libraries Runde runs without (an extra that may not be installed, or a missing system
# library): their attributes are checked only where they can be imported.
OPTIONAL_MODULES = ("sounddevice",)


# --- aiortc: codecs, SSRCs, the packet path --------------------------------------------------


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
    protected: bytes = dtls._tx_srtp.protect(data)
    return protected


def receiver_enabled(receiver: RTCRtpReceiver) -> bool:
    """False once aiortc has disabled ``receiver`` (its transceiver stopped receiving)."""
    return receiver._enabled


def intercept_rtp(receiver: RTCRtpReceiver, handler: RtpHandler) -> None:
    """Hand every RTP packet routed to ``receiver`` to ``handler(packet, arrival_time_ms)``
    instead of aiortc's jitter buffer and decoder."""
    receiver._handle_rtp_packet = handler  # type: ignore[method-assign]


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


def player_queue_length(track: MediaStreamTrack) -> int | None:
    """Frames waiting in the queue of a track of aiortc's ``MediaPlayer`` (its decoding
    thread fills it without limit); None for any other track."""
    queue = getattr(track, "_queue", None)
    if not isinstance(track, PlayerStreamTrack) or not isinstance(queue, asyncio.Queue):
        return None
    return queue.qsize()


def player_track_queue(track: MediaStreamTrack) -> asyncio.Queue[Any]:
    """The queue a track of aiortc's ``MediaPlayer`` hands out frames from (``None`` ends it)."""
    queue = getattr(track, "_queue", None)
    if not isinstance(track, PlayerStreamTrack) or not isinstance(queue, asyncio.Queue):
        raise TypeError(f"{track!r} is not a track of aiortc's MediaPlayer")
    return queue


def replace_player_decoding(worker: Callable[..., None]) -> None:
    """Make every ``MediaPlayer`` started from now on in this process read its source with
    ``worker`` (called in the player's thread with the arguments aiortc's own
    ``player_worker_decode`` takes). aiortc has no per-player setting."""
    media_module = importlib.import_module("aiortc.contrib.media")
    setattr(media_module, "player_worker_decode", worker)  # noqa: B010


TRANSPORT_CC_URI = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"
TRANSPORT_CC_EXTENSION_ID = 5  # in aiortc's own offers; ids 1-3 are aiortc's, shared by BUNDLE


def negotiate_transport_cc() -> None:
    """Make every peer connection in this process accept (and offer) the transport-wide
    sequence number header extension and the ``transport-cc`` feedback on every codec, so
    browsers publishing to the SFU stamp their packets and take its transport feedback
    (idempotent). aiortc parses the extension once negotiated but lists neither."""
    media_module = importlib.import_module("aiortc.codecs")
    extensions: dict[str, list[Any]] = getattr(media_module, "HEADER_EXTENSIONS")  # noqa: B009
    codecs: dict[str, list[Any]] = getattr(media_module, "CODECS")  # noqa: B009
    for kind in ("audio", "video"):
        if not any(e.uri == TRANSPORT_CC_URI for e in extensions[kind]):
            extensions[kind].append(
                RTCRtpHeaderExtensionParameters(id=TRANSPORT_CC_EXTENSION_ID, uri=TRANSPORT_CC_URI)
            )
        for codec in codecs[kind]:
            if codec.mimeType.lower().endswith("/rtx"):
                continue
            if not any(f.type == "transport-cc" for f in codec.rtcpFeedback):
                codec.rtcpFeedback.append(RTCRtcpFeedback(type="transport-cc"))


RTP_STREAM_ID_URIS = (
    "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id",
    "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id",
)
RTP_STREAM_ID_EXTENSION_IDS = (10, 11)  # in aiortc's own offers, clear of its 1-3 and ours 5


def negotiate_rtp_stream_ids() -> None:
    """Make every peer connection in this process accept (and offer) the video header
    extensions that name a simulcast layer (rid) and the layer a retransmission repairs, so a
    browser's simulcast packets arrive with them parsed (idempotent). aiortc parses both once
    negotiated but lists neither."""
    media_module = importlib.import_module("aiortc.codecs")
    extensions: dict[str, list[Any]] = getattr(media_module, "HEADER_EXTENSIONS")  # noqa: B009
    for uri, extension_id in zip(RTP_STREAM_ID_URIS, RTP_STREAM_ID_EXTENSION_IDS, strict=True):
        if not any(e.uri == uri for e in extensions["video"]):
            extensions["video"].append(RTCRtpHeaderExtensionParameters(id=extension_id, uri=uri))


_aiortc_get_decoder: list[Callable[[RTCRtpCodecParameters], Decoder]] = []  # aiortc's own


def wrap_receiver_decoders(wrap: DecoderWrapper | None) -> None:
    """Make every RTCRtpReceiver in this whole process decode with ``wrap(codec, decoder)``
    around the decoder aiortc picks; None restores aiortc's own. Receivers that already made
    their decoder keep it. aiortc has no per-receiver setting."""
    receiver_module = importlib.import_module("aiortc.rtcrtpreceiver")
    if not _aiortc_get_decoder:
        _aiortc_get_decoder.append(getattr(receiver_module, "get_decoder"))  # noqa: B009
    own = _aiortc_get_decoder[0]
    if wrap is None:
        setattr(receiver_module, "get_decoder", own)  # noqa: B010
        return

    def get_decoder(codec: RTCRtpCodecParameters) -> Decoder:
        return wrap(codec, own(codec))

    setattr(receiver_module, "get_decoder", get_decoder)  # noqa: B010


_aiortc_jitter_buffer: list[type[JitterBuffer]] = []  # aiortc's own class, once replaced
# what receivers made from now on buffer their packets in, by kind (None: aiortc's own)
_audio_buffer: list[Callable[[], object]] = []
_video_buffer: list[Callable[[int], object]] = []


def replace_audio_jitter_buffers(factory: Callable[[], object] | None) -> None:
    """Make every audio RTCRtpReceiver made from now on in this process buffer its packets in
    ``factory()`` instead of aiortc's ``JitterBuffer(capacity=16, prefetch=4)``. The object
    needs aiortc's ``add(packet) -> (pli_flag, JitterFrame | None)``. None restores aiortc's
    own. aiortc has no per-receiver setting."""
    _audio_buffer[:] = [factory] if factory is not None else []
    _install_jitter_buffers()


def replace_video_jitter_buffers(factory: Callable[[int], object] | None) -> None:
    """As :func:`replace_audio_jitter_buffers`, for video receivers: ``factory(capacity)``
    instead of aiortc's ``JitterBuffer(capacity, is_video=True)``."""
    _video_buffer[:] = [factory] if factory is not None else []
    _install_jitter_buffers()


def _install_jitter_buffers() -> None:
    receiver_module = importlib.import_module("aiortc.rtcrtpreceiver")
    if not _aiortc_jitter_buffer:
        _aiortc_jitter_buffer.append(getattr(receiver_module, "JitterBuffer"))  # noqa: B009
    own = _aiortc_jitter_buffer[0]
    if not _audio_buffer and not _video_buffer:
        setattr(receiver_module, "JitterBuffer", own)  # noqa: B010
        return

    def make_buffer(capacity: int, prefetch: int = 0, is_video: bool = False) -> object:
        if is_video and _video_buffer:
            return _video_buffer[0](capacity)
        if not is_video and _audio_buffer:
            return _audio_buffer[0]()
        return own(capacity, prefetch, is_video)

    setattr(receiver_module, "JitterBuffer", make_buffer)  # noqa: B010


def depayloaded(packet: RtpPacket) -> bytes:
    """The codec data of a received packet, which aiortc's receiver strips of its payload
    descriptor before it hands the packet to a jitter buffer."""
    data = getattr(packet, "_data", b"")
    return data if isinstance(data, bytes) else b""


# --- aioice -----------------------------------------------------------------------------------

_aioice_host_addresses: list[HostAddressLookup] = []  # aioice's own lookup, once replaced


def set_host_addresses(lookup: HostAddressLookup | None) -> None:
    """Make ICE in this whole process gather host candidates on what ``lookup`` returns; None
    restores aioice's own choice. aioice has no per-connection setting."""
    if not _aioice_host_addresses:
        _aioice_host_addresses.append(aioice.ice.get_host_addresses)
    aioice.ice.get_host_addresses = lookup if lookup is not None else _aioice_host_addresses[0]


# --- aiohttp, sounddevice ---------------------------------------------------------------------


def listening_sockets(site: web.BaseSite) -> list[socket.socket]:
    """The sockets a started aiohttp site listens on (empty before it started)."""
    server = site._server
    return list(getattr(server, "sockets", None) or [])


def restart_portaudio(sd: ModuleType) -> None:
    """Terminate and initialise PortAudio again, so that it lists devices anew. ``sd`` is the
    sounddevice module; its errors (``OSError``, ``sd.PortAudioError``) pass through."""
    sd._terminate()
    sd._initialize()


# --- asyncio ----------------------------------------------------------------------------------


class _BatchReadingDatagramTransport(selector_events._SelectorDatagramTransport):  # type: ignore[name-defined,misc]
    def __init__(self, max_datagrams: int, *args: Any) -> None:
        self._runde_max_datagrams = max_datagrams
        super().__init__(*args)

    def _read_ready(self) -> None:
        # asyncio's own _read_ready, repeated until the socket has nothing more.
        for _ in range(self._runde_max_datagrams):
            if self._conn_lost:
                return
            try:
                data, addr = self._sock.recvfrom(self.max_size)
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                self._protocol.error_received(exc)
                return
            except (SystemExit, KeyboardInterrupt):
                raise
            except BaseException as exc:
                self._fatal_error(exc, "Fatal read error on datagram transport")
                return
            self._protocol.datagram_received(data, addr)


class BatchReadingDatagrams:
    """Mixin for a selector event loop class: when a datagram socket wakes the loop, its
    transport reads up to ``max_datagrams_per_wakeup`` datagrams (asyncio reads one)."""

    max_datagrams_per_wakeup = 1

    def _make_datagram_transport(
        self,
        sock: socket.socket,
        protocol: asyncio.DatagramProtocol,
        address: Any = None,
        waiter: asyncio.Future[None] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> asyncio.DatagramTransport:
        transport: asyncio.DatagramTransport = _BatchReadingDatagramTransport(
            self.max_datagrams_per_wakeup, self, sock, protocol, address, waiter, extra
        )
        return transport
