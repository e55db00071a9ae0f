"""Turns a decoded video track into QImages sized for one tile, off the GUI thread."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import time
from collections.abc import Callable

import av
from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError
from av.video.reformatter import VideoReformatter
from PySide6.QtCore import QObject, QSize, Signal
from PySide6.QtGui import QImage

from client.media.lip_sync import AvSync, PictureRelease


def fit_size(source: QSize, box: QSize) -> QSize:
    """The largest size with the source's aspect ratio inside ``box`` (even numbers for YUV)."""
    if source.isEmpty() or box.isEmpty():
        return QSize(2, 2)
    scale = min(box.width() / source.width(), box.height() / source.height())
    width = max(2, int(source.width() * scale) // 2 * 2)
    height = max(2, int(source.height() * scale) // 2 * 2)
    return QSize(width, height)


def frame_to_image(
    frame: av.VideoFrame, size: QSize, reformatter: VideoReformatter | None = None
) -> QImage:
    """swscale straight to the tile size as BGRA: the cheapest CPU path measured here.

    swscale keeps one context per source and target size and rebuilds it (milliseconds)
    whenever either changes: each stream converts with a ``reformatter`` of its own, so tiles
    of different sizes do not rebuild each other's. PyAV's default one lives on the frame
    itself, which two threads converting the same frame (the camera's self view here, its
    encoder in aiortc) must not share either.
    """
    converter = reformatter if reformatter is not None else VideoReformatter()
    converted = converter.reformat(
        frame, width=size.width(), height=size.height(), format="bgra", threads=1
    )
    plane = converted.planes[0]
    pixels = bytes(plane)  # rows may be padded: plane.line_size is the stride
    # swscale's BGRA is opaque (alpha 255): as RGB32, Qt draws it onto the window by copying,
    # where ARGB32 would be blended pixel by pixel, with the interpreter lock held.
    image = QImage(pixels, size.width(), size.height(), plane.line_size, QImage.Format.Format_RGB32)
    return image.copy()  # own the pixels: ``pixels`` goes away


class VideoSink(QObject):
    """Reads ``track`` until it ends; ``frameReady`` carries each picture for the tile.

    Only the newest decoded frame is converted: when conversion or the GUI falls behind
    (a busy machine, many tiles), older frames are skipped instead of queueing, so a tile
    never shows the past and memory does not grow.

    Signals:
        frameReady(QImage): a new picture, already at the tile's size.
        ended(): the track ended.
    """

    frameReady = Signal(QImage)
    ended = Signal()

    def __init__(
        self, track: MediaStreamTrack, sync: AvSync | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._track = track
        # each picture is handed on once its sound is heard (lip sync)
        self._release = PictureRelease(sync, self._take) if sync is not None else None
        self._box = QSize(640, 360)
        self._task: asyncio.Future[None] | concurrent.futures.Future[None] | None = None
        self._latest: av.VideoFrame | None = None
        self._reformatter = VideoReformatter()  # used by one conversion at a time
        self._fresh = asyncio.Event()
        self._track_ended = False
        self.frames_decoded = 0
        self.frame_height: int | None = None  # of the last picture received
        self.frames_skipped = 0
        self.images_made = 0  # converted for the tile and sent to it

    @property
    def pictures_dropped(self) -> int:
        """Held for their sound and then older than one already shown (lip sync)."""
        return self._release.dropped if self._release is not None else 0

    def set_box(self, box: QSize) -> None:
        self._box = QSize(box)

    def start(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        """Read on ``loop`` (where the track's connection lives), or on the current one.

        The pictures reach the tile through the queued ``frameReady`` signal either way.
        """
        if loop is None or loop is asyncio.get_running_loop():
            self._task = asyncio.ensure_future(self._run())
        else:
            self._task = asyncio.run_coroutine_threadsafe(self._run(), loop)

    def stop(self) -> None:
        """From the thread that started it (the reading itself may run on another loop)."""
        if self._task is not None:
            self._task.cancel()

    async def _read(self) -> None:
        try:
            while True:
                frame = await self._track.recv()
                if isinstance(frame, av.VideoFrame):
                    self.frames_decoded += 1
                    self.frame_height = frame.height  # the layer it comes in, for diagnostics
                    if self._release is not None:
                        self._release.offer(frame)
                    else:
                        self._take(frame)
        except MediaStreamError:
            self._track_ended = True
            self._fresh.set()
        finally:
            if self._release is not None:
                self._release.close()

    def _take(self, frame: av.VideoFrame) -> None:
        if self._latest is not None:
            self.frames_skipped += 1
        self._latest = frame
        self._fresh.set()

    async def _run(self) -> None:
        reader = asyncio.ensure_future(self._read())
        try:
            while True:
                if self._latest is None:
                    if self._track_ended:
                        break
                    await self._fresh.wait()
                    self._fresh.clear()
                    continue
                frame, self._latest = self._latest, None
                size = fit_size(QSize(frame.width, frame.height), self._box)
                # On the reading loop itself (the media thread, not the GUI's): handing each
                # picture to a converter thread and back cost more waits for the interpreter
                # lock than the conversion (~1 ms) takes, and tiles showed a third of their
                # pictures. A yield after each lets the network and the other tiles go on.
                image = frame_to_image(frame, size, self._reformatter)
                self.images_made += 1
                self.frameReady.emit(image)
                await asyncio.sleep(0)
        except asyncio.CancelledError:
            return
        finally:
            reader.cancel()
        self.ended.emit()


class SelfView:
    """The camera's own pictures for the preview and self view, at most ``fps`` a second.

    Called on the capture thread: the picture is converted there, and only the finished
    image goes to ``show`` (a queued signal to the window).
    """

    def __init__(self, show: Callable[[QImage], None], fps: float = 15.0) -> None:
        self._show = show
        self._interval = 1.0 / fps
        self._last = 0.0
        self._lock = threading.Lock()
        self._reformatter = VideoReformatter()  # the capture thread's alone
        self.size = QSize(640, 360)
        self.enabled = True

    def __call__(self, frame: av.VideoFrame) -> None:
        now = time.monotonic()
        with self._lock:
            if now - self._last < self._interval or not self.enabled:
                return
            self._last = now
        size = fit_size(QSize(frame.width, frame.height), self.size)
        self._show(frame_to_image(frame, size, self._reformatter))
