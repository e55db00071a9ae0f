"""Load-generator media: pre-encoded VP8/Opus packets, a counting decoder and RTP probes.

Generators must not spend the CPU the benchmark measures, so they never encode or decode:
a clip is encoded once with PyAV into a Matroska file, each publisher replays its packets in
real time (aiortc packetises an ``av.Packet`` without encoding), and receivers hand out
encoded frames instead of pictures. The probes time each RTP packet when a publisher sends
it and when a subscriber receives it, keyed by a digest of the payload, which both servers
forward unchanged.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import aiortc.rtcrtpreceiver
import av
from aiortc import MediaStreamTrack
from aiortc.jitterbuffer import JitterFrame
from aiortc.rtcdtlstransport import RTCDtlsTransport
from aiortc.rtcrtpreceiver import RTCRtpReceiver
from aiortc.rtp import RtpPacket, is_rtcp

VIDEO_SIZE = (640, 360)
VIDEO_FPS = 30
VIDEO_BITRATE = 600_000
KEYFRAME_INTERVAL = 60  # frames: a subscriber that joins late waits at most 2 s for a picture
AUDIO_BITRATE = 32_000
AUDIO_FRAME = 960  # samples: 20 ms at 48 kHz, what WebRTC peers send
CLIP_SECONDS = 10
# Not a divisor of 50 frames/s: no two 20 ms audio frames in the clip look alike, so a
# payload digest names one packet.
SINE_HZ = 443.7
MAX_BEHIND = 0.2  # seconds a replaying track may fall behind before it stops catching up


@dataclass(frozen=True)
class Clip:
    video: list[bytes]
    audio: list[bytes]

    @property
    def video_bitrate(self) -> float:
        return sum(len(p) for p in self.video) * 8 / (len(self.video) / VIDEO_FPS)


def build_clip(
    path: Path,
    seconds: int = CLIP_SECONDS,
    size: tuple[int, int] = VIDEO_SIZE,
    bitrate: int = VIDEO_BITRATE,
) -> None:
    """Encode ``seconds`` of lavfi testsrc (``size``, ``bitrate`` bits/s) and sine into
    ``path`` (Matroska, VP8 + Opus)."""
    width, height = size
    with av.open(str(path), "w", format="matroska") as output:
        video = output.add_stream("libvpx", rate=VIDEO_FPS)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.bit_rate = bitrate
        video.codec_context.gop_size = KEYFRAME_INTERVAL
        video.codec_context.time_base = Fraction(1, VIDEO_FPS)
        # Real-time settings as a WebRTC sender uses them; CBR so the rate is what we asked.
        video.options = {
            "deadline": "realtime",
            "cpu-used": "8",
            "lag-in-frames": "0",
            "auto-alt-ref": "0",
            "minrate": str(bitrate),
            "maxrate": str(bitrate),
            "bufsize": str(bitrate),
            "keyint_min": str(KEYFRAME_INTERVAL),
        }
        audio = output.add_stream("libopus", rate=48000)
        audio.bit_rate = AUDIO_BITRATE
        audio.layout = "stereo"
        _encode_source(
            output,
            video,
            # Light temporal noise: bare testsrc compresses below the bitrate we want.
            f"testsrc=size={width}x{height}:rate={VIDEO_FPS},noise=alls=6:allf=t",
            seconds * VIDEO_FPS,
            Fraction(1, VIDEO_FPS),
            1,
        )
        _encode_source(
            output,
            audio,
            f"sine=frequency={SINE_HZ}:sample_rate=48000:samples_per_frame={AUDIO_FRAME}",
            seconds * 48000 // AUDIO_FRAME,
            Fraction(1, 48000),
            AUDIO_FRAME,
        )


def _encode_source(
    output: Any, stream: Any, graph: str, frames: int, time_base: Fraction, step: int
) -> None:
    with av.open(graph, format="lavfi") as source:
        for index, frame in enumerate(source.decode(source.streams[0])):
            if index >= frames:
                break
            # libvpx's rate control needs steady timestamps in the encoder's time base.
            assert isinstance(frame, av.VideoFrame | av.AudioFrame)
            frame.pts = index * step
            frame.time_base = time_base
            if isinstance(frame, av.VideoFrame):
                # lavfi marks every picture as I: libvpx would then make only keyframes.
                frame.pict_type = av.video.frame.PictureType.NONE
            for packet in stream.encode(frame):
                output.mux(packet)
    for packet in stream.encode(None):
        output.mux(packet)


def load_clip(path: Path) -> Clip:
    video: list[bytes] = []
    audio: list[bytes] = []
    with av.open(str(path)) as container:
        for packet in container.demux():
            if packet.size == 0:
                continue
            (video if packet.stream.type == "video" else audio).append(bytes(packet))
    return Clip(video, audio)


class PacketTrack(MediaStreamTrack):
    """Replays encoded frames in real time, starting ``offset`` frames into the clip.

    Different offsets give each publisher different payloads at any moment.
    """

    def __init__(self, kind: str, payloads: list[bytes], offset: int) -> None:
        super().__init__()
        self.kind = kind
        if kind == "video":
            self._interval, clock_rate, self._ticks = 1 / VIDEO_FPS, 90_000, 90_000 // VIDEO_FPS
        else:
            self._interval, clock_rate, self._ticks = AUDIO_FRAME / 48_000, 48_000, AUDIO_FRAME
        self._time_base = Fraction(1, clock_rate)
        count = len(payloads)
        self._packets = [av.Packet(payloads[(offset + i) % count]) for i in range(count)]
        self._index = 0
        self._start: float | None = None

    async def recv(self) -> av.Packet[Any]:
        if self._start is None:
            self._start = time.monotonic()
        due = self._start + self._index * self._interval
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            # Behind (a starved process): go on from now rather than send the backlog in one
            # burst, as a camera would, and let the loop run (its signaling must answer pings).
            if -delay > MAX_BEHIND:
                self._start -= delay
            await asyncio.sleep(0)
        packet = self._packets[self._index % len(self._packets)]
        packet.pts = self._index * self._ticks
        packet.time_base = self._time_base
        self._index += 1
        return packet


class PassThroughDecoder:
    """Stands in for aiortc's decoders: hands each depayloaded frame on as an ``av.Packet``."""

    def __init__(self, clock_rate: int) -> None:
        self._time_base = Fraction(1, clock_rate)

    def decode(self, encoded_frame: JitterFrame) -> list[av.Packet[Any]]:
        packet = av.Packet(encoded_frame.data)
        packet.pts = encoded_frame.timestamp
        packet.time_base = self._time_base
        return [packet]


def install_pass_through_decoder() -> None:
    def get_decoder(codec: Any) -> PassThroughDecoder:
        return PassThroughDecoder(codec.clockRate)

    # The receiver looks the factory up in its own module on every codec change.
    setattr(aiortc.rtcrtpreceiver, "get_decoder", get_decoder)  # noqa: B010


# ---- RTP probes -------------------------------------------------------------------------

SAMPLE_MASK = 0x03  # time one packet in four: enough for p99, light on the generators


def _digest(payload: bytes) -> int | None:
    digest = hashlib.blake2b(payload, digest_size=8).digest()
    if digest[0] & SAMPLE_MASK:
        return None
    return int.from_bytes(digest, "big")


def _rtp_payload(data: bytes) -> bytes:
    """The payload of a serialised RTP packet (header, CSRCs, extension and padding cut)."""
    first = data[0]
    offset = 12 + 4 * (first & 0x0F)
    if first & 0x10:
        words = int.from_bytes(data[offset + 2 : offset + 4], "big")
        offset += 4 + 4 * words
    end = len(data) - (data[-1] if first & 0x20 else 0)
    return data[offset:end]


@dataclass
class Probe:
    """Per-process record of sent and received RTP packets while the window is open."""

    recording: bool = False
    sent: dict[int, list[float]] = field(default_factory=dict)
    received: list[tuple[int, float, str]] = field(default_factory=list)
    packets: dict[str, int] = field(default_factory=lambda: {"audio": 0, "video": 0})
    arrival: float = 0.0

    def reset(self) -> None:
        self.sent = {}
        self.received = []
        self.packets = {"audio": 0, "video": 0}

    def on_send(self, data: bytes) -> None:
        if not self.recording or is_rtcp(data):
            return
        key = _digest(_rtp_payload(data))
        if key is not None:
            self.sent.setdefault(key, []).append(time.monotonic())

    def on_receive(self, kind: str, packet: RtpPacket) -> None:
        if not self.recording:
            return
        self.packets[kind] = self.packets.get(kind, 0) + 1
        key = _digest(packet.payload)
        if key is not None:
            self.received.append((key, self.arrival, kind))


def install_probe(probe: Probe) -> None:
    """Hook aiortc's DTLS transport (send, arrival) and receivers (kind, parsed payload)."""
    send_rtp = RTCDtlsTransport._send_rtp
    handle_rtp_data = RTCDtlsTransport._handle_rtp_data
    handle_rtp_packet = RTCRtpReceiver._handle_rtp_packet

    async def probed_send_rtp(self: RTCDtlsTransport, data: bytes) -> None:
        probe.on_send(data)
        await send_rtp(self, data)

    async def probed_handle_rtp_data(
        self: RTCDtlsTransport, data: bytes, arrival_time_ms: int
    ) -> None:
        # The receiver's handler below runs within this call, before any other task.
        probe.arrival = time.monotonic()
        await handle_rtp_data(self, data, arrival_time_ms)

    async def probed_handle_rtp_packet(
        self: RTCRtpReceiver, packet: RtpPacket, arrival_time_ms: int
    ) -> None:
        track = self._track
        probe.on_receive(track.kind if track is not None else "unknown", packet)
        await handle_rtp_packet(self, packet, arrival_time_ms)

    RTCDtlsTransport._send_rtp = probed_send_rtp  # type: ignore[method-assign]
    RTCDtlsTransport._handle_rtp_data = probed_handle_rtp_data  # type: ignore[method-assign]
    RTCRtpReceiver._handle_rtp_packet = probed_handle_rtp_packet  # type: ignore[method-assign]
