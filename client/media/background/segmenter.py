"""Where the person is: MediaPipe's selfie segmentation model through OpenCV's DNN module.

The model (shipped in ``models/``, see its README) takes a 256x144 RGB picture and answers
with a 144x256 mask, 1 on the person, 0 behind. Masks of successive pictures are blended over
time (:class:`SmoothedMask`): a camera's noise makes the raw mask's edges flicker.
"""

from __future__ import annotations

import logging
import threading
from importlib import resources
from pathlib import Path

import av
import cv2
import numpy as np

from client.media.background.model_tail import ModelTail, find_tail

MODEL_FILE = "selfie_segmentation_landscape.tflite"
MODEL_WIDTH, MODEL_HEIGHT = 256, 144

logger = logging.getLogger(__name__)

Mask = np.ndarray  # MODEL_HEIGHT x MODEL_WIDTH float32, 0 (background) .. 1 (person)


class SegmenterError(RuntimeError):
    """The model cannot be loaded; the message says why."""


def model_path() -> Path:
    return Path(str(resources.files("client.media.background") / "models" / MODEL_FILE))


class PersonSegmenter:
    """One model instance; :meth:`mask` is for one thread at a time (it holds a lock)."""

    def __init__(self, path: Path | None = None) -> None:
        path = path or model_path()
        # One thread: the model's work stays on the thread that asks (the camera's capture
        # thread), costs no pool's hand-offs, and never takes both cores of a small laptop.
        cv2.setNumThreads(1)
        try:
            # the classic engine: it can stop at an inner layer (for the numpy tail)
            self._net = cv2.dnn.readNetFromTFLite(str(path), engine=cv2.dnn.ENGINE_CLASSIC)
        except cv2.error as exc:
            raise SegmenterError(f"the segmentation model {path} cannot be loaded: {exc}") from None
        self._lock = threading.Lock()
        self._tail = self._checked_tail()

    def _checked_tail(self) -> ModelTail | None:
        """The numpy tail, if it gives this network's own answer on a test picture."""
        tail = find_tail(self._net)
        if tail is None:
            return None
        probe = np.random.default_rng(7).random((1, 3, MODEL_HEIGHT, MODEL_WIDTH), np.float32)
        whole = self._whole(probe)
        self._net.setInput(probe)
        ours = tail.mask(self._net.forward(tail.features_layer))
        if ours.shape != whole.shape or not np.allclose(ours, whole, atol=1e-4):
            logger.info("segmentation model: its last layer is not the expected shape")
            return None
        return tail

    def _whole(self, blob: np.ndarray) -> Mask:
        self._net.setInput(blob)
        out = self._net.forward()
        return np.ascontiguousarray(out.reshape(MODEL_HEIGHT, MODEL_WIDTH), np.float32)

    @property
    def uses_numpy_tail(self) -> bool:
        return self._tail is not None

    def whole_network_mask(self, rgb: np.ndarray) -> Mask:
        """The mask as OpenCV computes all of it (to check the numpy tail against)."""
        with self._lock:
            return self._whole(self._blob(rgb))

    def mask_of_rgb(self, rgb: np.ndarray) -> Mask:
        """The raw mask of an RGB picture of any size."""
        blob = self._blob(rgb)
        with self._lock:
            if self._tail is None:
                return self._whole(blob)
            self._net.setInput(blob)
            return self._tail.mask(self._net.forward(self._tail.features_layer))

    @staticmethod
    def _blob(rgb: np.ndarray) -> np.ndarray:
        if rgb.shape[:2] != (MODEL_HEIGHT, MODEL_WIDTH):
            rgb = cv2.resize(rgb, (MODEL_WIDTH, MODEL_HEIGHT), interpolation=cv2.INTER_AREA)
        blob: np.ndarray = cv2.dnn.blobFromImage(rgb, 1.0 / 255.0)  # NCHW float32 0..1
        return blob

    def mask_of_frame(self, frame: av.VideoFrame) -> Mask:
        # swscale shrinks and converts in one pass, cheaper than converting the full size;
        # averaging areas is both its quickest good filter here and what a model's input wants
        small = frame.reformat(
            width=MODEL_WIDTH, height=MODEL_HEIGHT, format="rgb24", interpolation="AREA"
        )
        return self.mask_of_rgb(small.to_ndarray())


class SmoothedMask:
    """The mask blended over time: each new one counts ``weight``, the past the rest.

    A still person in front of a noisy camera then keeps steady edges, while a moving one is
    followed within a few model runs. The edges are firmed up afterwards: the model answers
    about 0.85 on a person and mid values along uncertain edges.
    """

    def __init__(self, weight: float = 0.3) -> None:
        self._weight = weight
        self._value: Mask | None = None
        self.version = 0  # counts updates: what was derived from an older value is stale

    @property
    def value(self) -> Mask | None:
        return self._value

    def update(self, raw: Mask) -> Mask:
        if self._value is None or self._value.shape != raw.shape:
            self._value = raw.copy()
        else:
            self._value = cv2.addWeighted(raw, self._weight, self._value, 1.0 - self._weight, 0.0)
        self.version += 1
        return self._value

    def reset(self) -> None:
        self._value = None
        self.version += 1


def blend_weights(mask: Mask, low: float = 0.25, high: float = 0.75) -> Mask:
    """How much of the person each pixel keeps: the mask softened a little (rounding off its
    blocky edges), then firmed up: below ``low`` background, above ``high`` person."""
    soft = cv2.GaussianBlur(mask, (5, 5), 0)
    firmed: Mask = np.clip((soft - low) * (1.0 / (high - low)), 0.0, 1.0)
    return firmed
