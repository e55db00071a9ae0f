"""The background effect on one picture: blend the sharp person over a blurred or replaced
background, at the size the picture is sent in.

Pictures are YUV 4:2:0 as the encoder takes them (``yuv420p``: Y rows, then U, then V), so
nothing converts to RGB and back: the mask is scaled to the Y plane and to the half-size
chroma planes. Blurring halves a plane a few times with a Gaussian pyramid (each step a 5x5
Gaussian, then every second pixel) and scales it back: as strong as a wide Gaussian at a
fraction of its cost, and the same at every picture size.
"""

from __future__ import annotations

from dataclasses import dataclass

import av
import cv2
import numpy as np

from client.media.background.choice import BackgroundChoice, BackgroundKind
from client.media.background.pictures import as_yuv420, cover, picture_rgb
from client.media.background.segmenter import Mask, blend_weights

# Halvings of the Y plane: an eighth (blur) or a sixteenth (strong) of its size, the same
# look at every size sent (1280 -> 160 or 80 pixels wide, 640 -> 80 or 40)
_BLUR_LEVELS = {BackgroundKind.BLUR: 3, BackgroundKind.BLUR_STRONG: 4}


@dataclass
class _Weights:
    """The firmed mask at one picture size, for the full and the half-size planes, as
    0..255: blending whole bytes costs half of blending with float weights."""

    version: int
    size: tuple[int, int]
    full: np.ndarray
    full_rest: np.ndarray
    half: np.ndarray
    half_rest: np.ndarray


Planes = tuple[np.ndarray, np.ndarray, np.ndarray]  # Y, U, V (uint8, rows may be padded)


def frame_planes(frame: av.VideoFrame) -> Planes:
    """Views (no copy) of a yuv420p frame's planes; writing into them changes the frame."""
    views = []
    for plane in frame.planes:
        rows = np.frombuffer(memoryview(plane), np.uint8).reshape(plane.height, plane.line_size)
        views.append(rows[:, : plane.width])
    return views[0], views[1], views[2]


def _planes(yuv: np.ndarray, width: int, height: int) -> Planes:
    """Views of the Y, U and V planes of an I420 array."""
    quarter = height // 4
    y = yuv[:height]
    u = yuv[height : height + quarter].reshape(height // 2, width // 2)
    v = yuv[height + quarter : height + 2 * quarter].reshape(height // 2, width // 2)
    return y, u, v


def blurred(plane: np.ndarray, levels: int) -> np.ndarray:
    height, width = plane.shape
    small = plane
    for _ in range(levels):
        if min(small.shape) < 8:
            break
        small = cv2.pyrDown(small)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    out: np.ndarray = cv2.resize(small, (width, height), interpolation=cv2.INTER_LINEAR)
    return out


class BackgroundEffect:
    """Blends pictures for one choice (blur or a picture); the picture is loaded at once,
    so a bad file fails here (BackgroundPictureError), not in the middle of sending."""

    def __init__(self, choice: BackgroundChoice) -> None:
        if not choice.is_on:
            raise ValueError("no effect to apply")
        self.choice = choice
        self._picture_rgb = picture_rgb(choice)
        self._picture_yuv: tuple[tuple[int, int], Planes] | None = None
        self._weights: _Weights | None = None
        # the blend's two products, kept between pictures: new arrays of this size each
        # picture would each be fresh pages from the system, zeroed and faulted in
        self._scratch: dict[tuple[int, ...], tuple[np.ndarray, np.ndarray]] = {}

    def apply(self, picture: Planes, out: Planes, mask: Mask, mask_version: int) -> None:
        """Writes into ``out`` the person from ``picture`` over the replaced background."""
        height, width = picture[0].shape
        weights = self._weights_for(mask, mask_version, width, height)
        background = self._background(picture, width, height)
        for index, (person, behind, target) in enumerate(
            zip(picture, background, out, strict=True)
        ):
            ours, rest = (
                (weights.full, weights.full_rest)
                if index == 0
                else (weights.half, weights.half_rest)
            )
            kept, shown = self._scratch_for(person.shape)
            cv2.multiply(person, ours, dst=kept, scale=1.0 / 255.0)
            cv2.multiply(behind, rest, dst=shown, scale=1.0 / 255.0)
            cv2.add(kept, shown, dst=target)

    def _scratch_for(self, shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
        pair = self._scratch.get(shape)
        if pair is None:
            if len(self._scratch) >= 2:  # the luma and chroma sizes of an older picture size
                self._scratch.clear()
            pair = (np.empty(shape, np.uint8), np.empty(shape, np.uint8))
            self._scratch[shape] = pair
        return pair

    def _background(self, picture: Planes, width: int, height: int) -> Planes:
        if self._picture_rgb is None:
            levels = _BLUR_LEVELS[self.choice.kind]
            # the chroma planes are half as wide: halve them once less
            y, u, v = (blurred(p, levels if i == 0 else levels - 1) for i, p in enumerate(picture))
            return y, u, v
        cached = self._picture_yuv
        if cached is None or cached[0] != (width, height):
            yuv = as_yuv420(cover(self._picture_rgb, width, height))
            cached = ((width, height), _planes(yuv, width, height))
            self._picture_yuv = cached
        return cached[1]

    def _weights_for(self, mask: Mask, version: int, width: int, height: int) -> _Weights:
        cached = self._weights
        if cached is not None and cached.version == version and cached.size == (width, height):
            return cached  # the mask changes only when the model runs, not every picture
        firmed = np.rint(blend_weights(mask) * 255.0).astype(np.uint8)
        full = cv2.resize(firmed, (width, height), interpolation=cv2.INTER_LINEAR)
        half = cv2.resize(firmed, (width // 2, height // 2), interpolation=cv2.INTER_LINEAR)
        self._weights = _Weights(version, (width, height), full, 255 - full, half, 255 - half)
        return self._weights
