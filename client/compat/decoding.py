"""What every aiortc receiver in the process buffers and decodes with."""

from __future__ import annotations

import asyncio
import importlib
import logging
import queue
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import av

if TYPE_CHECKING:
    from aiortc.codecs.base import Decoder
    from aiortc.jitterbuffer import JitterBuffer
    from aiortc.rtcrtpparameters import RTCRtpCodecParameters
    from aiortc.rtp import RtpPacket

    DecoderWrapper = Callable[[RTCRtpCodecParameters, Decoder], Decoder]


_logger = logging.getLogger(__name__)
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


def _handing_over_decoder_worker(
    loop: asyncio.AbstractEventLoop,
    input_q: queue.Queue[Any],
    output_q: asyncio.Queue[Any],
    decode_error: threading.Event,
) -> None:
    """aiortc's ``decoder_worker`` with a cheaper hand-over of the decoded frames.

    aiortc passes each frame to the loop with ``run_coroutine_threadsafe(output_q.put(...))``:
    a coroutine, a Task, a thread-safe future and its lock per frame, all with the
    interpreter lock held, for every picture and every 20 ms of every voice. The track's
    queue has no bound, so ``put_nowait`` through ``call_soon_threadsafe`` does the same.
    """
    receiver_module = importlib.import_module("aiortc.rtcrtpreceiver")
    codec_name = None
    decoder: Decoder | None = None
    while True:
        task = input_q.get()
        if task is None:
            loop.call_soon_threadsafe(output_q.put_nowait, None)  # the track has ended
            break
        codec, encoded_frame = task
        if codec.name != codec_name or decoder is None:
            decoder = receiver_module.get_decoder(codec)  # (wrapped, see above)
            codec_name = codec.name
        try:
            frames = decoder.decode(encoded_frame)
        except av.FFmpegError as exc:
            # as aiortc: keep the decoder, or every frame fails until the next keyframe
            _logger.warning("failed to decode a %s frame: %s", codec.name, exc)
            decode_error.set()
            continue
        if len(frames) == 1:
            loop.call_soon_threadsafe(output_q.put_nowait, frames[0])
        elif frames:
            loop.call_soon_threadsafe(_put_all, output_q, frames)


def _put_all(output_q: asyncio.Queue[Any], frames: list[Any]) -> None:
    for frame in frames:
        output_q.put_nowait(frame)


_aiortc_decoder_worker: list[Callable[..., None]] = []  # aiortc's own, once replaced


def lighten_decoder_handoff(lighter: bool = True) -> None:
    """Make receivers started from now on in this process hand decoded frames to their track
    the cheap way (:func:`_handing_over_decoder_worker`); False restores aiortc's worker."""
    receiver_module = importlib.import_module("aiortc.rtcrtpreceiver")
    if not _aiortc_decoder_worker:
        _aiortc_decoder_worker.append(getattr(receiver_module, "decoder_worker"))  # noqa: B009
    worker = _handing_over_decoder_worker if lighter else _aiortc_decoder_worker[0]
    setattr(receiver_module, "decoder_worker", worker)  # noqa: B010
