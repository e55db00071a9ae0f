"""The background effect as a step of the camera's send path (before the encoder)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import av

from client.media.background.cadence import ModelCadence
from client.media.background.choice import NO_BACKGROUND_EFFECT, BackgroundChoice
from client.media.background.effect import BackgroundEffect, frame_planes
from client.media.background.segmenter import PersonSegmenter, SmoothedMask

logger = logging.getLogger(__name__)

TURNED_OFF = (
    "the background effect was turned off: this computer cannot keep up with it "
    "(your real background is visible again)"
)

_shared_segmenter: PersonSegmenter | None = None
_segmenter_lock = threading.Lock()


def shared_segmenter() -> PersonSegmenter:
    """One model per process: every stage runs pictures through it one at a time."""
    global _shared_segmenter
    with _segmenter_lock:
        if _shared_segmenter is None:
            _shared_segmenter = PersonSegmenter()
        return _shared_segmenter


class BackgroundStage:
    """Applies the chosen effect to each picture; no effect passes pictures through.

    :meth:`set_choice` may be called from any thread (a UI's); :meth:`apply` from one
    thread at a time (the capture thread, or the sender's worker). When the computer cannot
    keep up even with the model at its slowest, the stage turns itself off and calls
    ``on_turned_off`` (from the applying thread) with one sentence for the user.
    ``adapt=False`` keeps the model at its full rate whatever the load (for benchmarks).
    """

    def __init__(
        self,
        choice: BackgroundChoice = NO_BACKGROUND_EFFECT,
        *,
        fps: float = 30,
        on_turned_off: Callable[[str], None] | None = None,
        segmenter: Callable[[], PersonSegmenter] = shared_segmenter,
        clock: Callable[[], float] = time.perf_counter,
        adapt: bool = True,
    ) -> None:
        self._fps = fps
        self._on_turned_off = on_turned_off
        self._segmenter_factory = segmenter
        self._segmenter: PersonSegmenter | None = None
        self._clock = clock
        self._adapt_to_load = adapt  # False: the model keeps its full rate (benchmarks)
        self._lock = threading.Lock()
        self._effect: BackgroundEffect | None = None
        self._mask = SmoothedMask()
        self._cadence = ModelCadence(fps)
        self._until_model = 0
        self.pictures = 0
        self.model_runs = 0
        self.turned_off: str | None = None
        self.set_choice(choice)

    @property
    def choice(self) -> BackgroundChoice:
        effect = self._effect
        return effect.choice if effect is not None else NO_BACKGROUND_EFFECT

    @property
    def model_every(self) -> int:
        return self._cadence.every

    def relieve(self) -> bool:
        """Called when the sender cannot keep up: the model runs half as often (from any
        thread). False when the effect is off or the model already runs at its slowest."""
        if self._effect is None or not self._adapt_to_load:
            return False
        relieved = self._cadence.relieve()
        if relieved:
            logger.info(
                "background effect: the sender is behind, the model now runs on every %d. picture",
                self._cadence.every,
            )
        return relieved

    def set_choice(self, choice: BackgroundChoice) -> None:
        """Raises BackgroundPictureError (a bad picture file) or SegmenterError."""
        effect = BackgroundEffect(choice) if choice.is_on else None
        if effect is not None and self._segmenter is None:
            self._segmenter = self._segmenter_factory()
        with self._lock:
            self._effect = effect
            self._cadence = ModelCadence(self._fps)
            self._until_model = 0
            if effect is not None:
                self.turned_off = None

    def apply(self, frame: av.VideoFrame) -> av.VideoFrame:
        effect = self._effect
        segmenter = self._segmenter
        if effect is None or segmenter is None:
            return frame
        started = self._clock()
        width, height = frame.width // 2 * 2, frame.height // 2 * 2
        picture = frame
        if frame.format.name != "yuv420p" or (width, height) != (frame.width, frame.height):
            picture = frame.reformat(width=width, height=height, format="yuv420p")
        if self._until_model == 0 or self._mask.value is None:
            self._mask.update(segmenter.mask_of_frame(picture))
            self.model_runs += 1
            self._until_model = self._cadence.every
        self._until_model -= 1
        mask = self._mask.value
        assert mask is not None
        out = av.VideoFrame(width, height, "yuv420p")
        effect.apply(frame_planes(picture), frame_planes(out), mask, self._mask.version)
        out.pts = frame.pts
        if frame.time_base is not None:
            out.time_base = frame.time_base
        self.pictures += 1
        if not self._adapt_to_load:
            return out
        now = self._clock()
        change = self._cadence.observe(now, now - started)
        if change is not None:
            self._adapt(effect, change.every, change.busy_share, change.turn_off)
        return out

    def _adapt(self, effect: BackgroundEffect, every: int, share: float, turn_off: bool) -> None:
        if not turn_off:
            logger.info(
                "background effect: the model now runs on every %d. picture (%.0f%% busy)",
                every,
                share * 100,
            )
            return
        with self._lock:
            if self._effect is not effect:
                return  # the user chose something else meanwhile
            self._effect = None
            self.turned_off = TURNED_OFF
        logger.warning("background effect turned off: %.0f%% busy at its slowest", share * 100)
        if self._on_turned_off is not None:
            self._on_turned_off(TURNED_OFF)
