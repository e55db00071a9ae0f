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
    from aiortc import RTCRtpReceiver
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


class _CodecDecoder:
    """The decoder for a receiver's current codec, made as aiortc's worker makes it."""

    def __init__(self, decode_error: threading.Event) -> None:
        self._decode_error = decode_error
        self._codec_name: str | None = None
        self._decoder: Decoder | None = None

    def decode(self, codec: RTCRtpCodecParameters, encoded_frame: Any) -> list[Any]:
        if codec.name != self._codec_name or self._decoder is None:
            receiver_module = importlib.import_module("aiortc.rtcrtpreceiver")
            self._decoder = receiver_module.get_decoder(codec)  # (wrapped, see above)
            self._codec_name = codec.name
        try:
            return self._decoder.decode(encoded_frame)
        except av.FFmpegError as exc:
            # as aiortc: keep the decoder, or every frame fails until the next keyframe
            _logger.warning("failed to decode a %s frame: %s", codec.name, exc)
            self._decode_error.set()
            return []


def _handing_over_decoder_worker(
    loop: asyncio.AbstractEventLoop,
    input_q: queue.Queue[Any] | queue.SimpleQueue[Any],
    output_q: asyncio.Queue[Any],
    decode_error: threading.Event,
) -> None:
    """aiortc's ``decoder_worker`` with a cheaper hand-over of the decoded frames.

    aiortc passes each frame to the loop with ``run_coroutine_threadsafe(output_q.put(...))``:
    a coroutine, a Task, a thread-safe future and its lock per frame, all with the
    interpreter lock held, for every picture and every 20 ms of every voice. The track's
    queue has no bound, so ``put_nowait`` through ``call_soon_threadsafe`` does the same.
    """
    decoder = _CodecDecoder(decode_error)
    while True:
        task = input_q.get()
        if task is None:
            loop.call_soon_threadsafe(output_q.put_nowait, None)  # the track has ended
            break
        frames = decoder.decode(*task)
        if len(frames) == 1:
            loop.call_soon_threadsafe(output_q.put_nowait, frames[0])
        elif frames:
            loop.call_soon_threadsafe(_put_all, output_q, frames)


def hand_over_lightly(receiver: RTCRtpReceiver) -> None:
    """Hand ``receiver``'s encoded frames to its decoder thread through a ``SimpleQueue``
    instead of aiortc's ``queue.Queue``: its ``put`` is one C call, where ``Queue.put`` takes
    a lock and notifies a ``Condition`` in Python (``Condition.notify`` held the interpreter
    lock for 8.5% of the media loop's time in a py-spy profile with eight remote cameras).
    Call before the receiver starts: its thread is given the queue then."""
    receiver._RTCRtpReceiver__decoder_queue = queue.SimpleQueue()  # type: ignore[attr-defined]


def decode_on_arrival(receiver: RTCRtpReceiver) -> None:
    """Decode ``receiver``'s frames where they arrive, on its event loop, instead of in
    aiortc's decoder thread (which then only waits for the end of the track).

    For a voice this is cheaper all round: a 20 ms Opus frame decodes in about 20 µs, less
    than the hand-over to a thread and back. And every such thread wants the interpreter
    lock 50 times a second for each hand-over, taking it whenever the media loop lets go
    of it for a moment (each datagram read, each SRTP call): with eight remote voices the
    media loop waited for the lock longer than it worked, and read its sockets in bursts
    about 90 ms apart. Call before the receiver starts (before the connection is up).
    """
    to_thread = receiver._RTCRtpReceiver__decoder_queue  # type: ignore[attr-defined]
    decoder = _CodecDecoder(receiver._RTCRtpReceiver__decoder_error)  # type: ignore[attr-defined]
    hand_to_thread = to_thread.put

    def put(task: Any, block: bool = True, timeout: float | None = None) -> None:
        if task is None:  # the receiver stops: its idle thread ends the track
            hand_to_thread(None)
            return
        track = receiver._track  # made with the receiver's transceiver, before any packet
        assert track is not None
        for frame in decoder.decode(*task):
            track._queue.put_nowait(frame)

    to_thread.put = put


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
