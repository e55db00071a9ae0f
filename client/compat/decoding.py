"""What every aiortc receiver in the process buffers and decodes with."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiortc.codecs.base import Decoder
    from aiortc.jitterbuffer import JitterBuffer
    from aiortc.rtcrtpparameters import RTCRtpCodecParameters
    from aiortc.rtp import RtpPacket

    DecoderWrapper = Callable[[RTCRtpCodecParameters, Decoder], Decoder]


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
