"""VP8 settings for screen content: sharp text at a low frame rate, not smooth motion.

aiortc's own VP8 encoder is tuned for cameras: 0.25-1.5 Mbit/s following the receiver's
estimate, noise reduction that blurs small text, and a new encoder (a keyframe) whenever the
estimate moves by 10%. A shared document needs the opposite: a steady higher bitrate, no
denoising, libvpx's screen content mode. aiortc picks a sender's encoder on the first frame
unless one is set, so :func:`use_screen_encoder` puts ours in place before sending starts.
"""

from __future__ import annotations

import multiprocessing

import av
from aiortc import RTCRtpSender
from aiortc.codecs.vpx import Vp8Encoder, number_of_threads
from aiortc.mediastreams import VIDEO_TIME_BASE, convert_timebase
from av.frame import Frame

from client import compat

# Enough for 1080p text at 5-15 fps; a static slide costs far less (libvpx undershoots).
SCREEN_BITRATE = 2_500_000


class ScreenVp8Encoder(Vp8Encoder):
    """A VP8 encoder at a fixed ``bitrate`` with settings for text and slides.

    Receiver estimates (REMB) are ignored on purpose: each change would restart the encoder
    and send a large keyframe, which hurts a shared screen more than a steady rate does.
    """

    def __init__(self, bitrate: int = SCREEN_BITRATE) -> None:
        super().__init__()
        self.bitrate = bitrate
        self.keyframes = 0
        self._codec: av.VideoCodecContext | None = None

    @property
    def target_bitrate(self) -> int:
        return self.bitrate

    @target_bitrate.setter
    def target_bitrate(self, bitrate: int) -> None:
        pass  # see the class docstring

    def encode(self, frame: Frame, force_keyframe: bool = False) -> tuple[list[bytes], int]:
        assert isinstance(frame, av.VideoFrame)
        if frame.format.name != "yuv420p":
            frame = frame.reformat(format="yuv420p")
        codec = self._codec
        if codec is None or frame.width != codec.width or frame.height != codec.height:
            codec = self._codec = self._open(frame.width, frame.height)
            force_keyframe = True
        if force_keyframe:
            frame.pict_type = av.video.frame.PictureType.I
            self.keyframes += 1
        data = b"".join(bytes(packet) for packet in codec.encode(frame))
        payloads = compat.vp8_packetize(data, self.picture_id)
        assert frame.pts is not None and frame.time_base is not None  # set by the track
        timestamp = convert_timebase(frame.pts, frame.time_base, VIDEO_TIME_BASE)
        self.picture_id = (self.picture_id + 1) % (1 << 15)
        return payloads, timestamp

    def _open(self, width: int, height: int) -> av.VideoCodecContext:
        codec = av.CodecContext.create("libvpx", "w")
        codec.width, codec.height = width, height
        codec.bit_rate = self.bitrate
        codec.pix_fmt = "yuv420p"
        codec.gop_size = 3000  # keyframes when asked for (a new receiver's PLI), not by clock
        codec.qmin = 2
        codec.qmax = 52
        codec.options = {
            "bufsize": str(self.bitrate),
            "cpu-used": "-8",  # fastest: 1080p must stay well under one core
            "deadline": "realtime",
            "lag-in-frames": "0",
            "minrate": str(self.bitrate // 4),
            "maxrate": str(self.bitrate),
            "noise-sensitivity": "0",  # denoising smears thin strokes of small text
            "screen-content-mode": "1",
            "static-thresh": "0",
            "undershoot-pct": "100",
            "overshoot-pct": "30",
            "partitions": "0",
        }
        codec.thread_count = number_of_threads(width * height, multiprocessing.cpu_count())
        return codec


def use_screen_encoder(sender: RTCRtpSender, bitrate: int = SCREEN_BITRATE) -> ScreenVp8Encoder:
    """Make ``sender`` encode with :class:`ScreenVp8Encoder`; call before it starts sending."""
    encoder = ScreenVp8Encoder(bitrate)
    compat.set_sender_encoder(sender, encoder)
    return encoder
