"""Background pictures: the neutral ones shipped with Runde (drawn here, no files needed)
and the user's own, each made to cover the sent picture's size as YUV 4:2:0 planes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from client.media.background.choice import BackgroundChoice, BackgroundKind

RGBImage = np.ndarray  # height x width x 3, uint8, RGB

# Drawn at this size and scaled to the sent picture: smooth enough to need no more.
_DRAW_SIZE = (640, 360)


class BackgroundPictureError(ValueError):
    """A picture that cannot be used as background; the message names the file and why."""


def _plain(rgb: tuple[int, int, int]) -> Callable[[], RGBImage]:
    def draw() -> RGBImage:
        width, height = _DRAW_SIZE
        return np.full((height, width, 3), rgb, np.uint8)

    return draw


def _office_wall() -> RGBImage:
    """A warm light wall lit from the upper left, with a darker skirting strip at the foot."""
    width, height = _DRAW_SIZE
    x = np.linspace(0.0, 1.0, width, dtype=np.float32)[None, :]
    y = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None]
    light = 1.0 - 0.18 * np.sqrt((x * 0.8) ** 2 + y**2)
    base = np.array([222, 214, 200], np.float32)
    wall = light[..., None] * base
    wall[int(height * 0.9) :, :] = np.array([150, 138, 120], np.float32)
    picture: RGBImage = np.clip(wall, 0, 255).astype(np.uint8)
    return picture


def _blue_gradient() -> RGBImage:
    width, height = _DRAW_SIZE
    y = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None, None]
    top = np.array([96, 128, 170], np.float32)
    bottom = np.array([40, 58, 92], np.float32)
    picture = top * (1.0 - y) + bottom * y
    return np.broadcast_to(picture, (height, width, 3)).astype(np.uint8)


# name -> how to draw it; the names are stored in settings and policies: never rename one.
SHIPPED_PICTURES: dict[str, Callable[[], RGBImage]] = {
    "office-wall": _office_wall,
    "grey": _plain((128, 128, 128)),
    "blue": _blue_gradient,
}


def load_rgb(path: str) -> RGBImage:
    """The user's picture file as RGB; raises BackgroundPictureError naming the problem."""
    if not Path(path).is_file():
        raise BackgroundPictureError(f"the background picture {path!r} does not exist")
    bgr = cv2.imread(path, cv2.IMREAD_COLOR)
    if bgr is None or bgr.size == 0:
        raise BackgroundPictureError(
            f"the background picture {path!r} is not a picture file (PNG, JPEG, BMP, WebP)"
        )
    rgb: RGBImage = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    return rgb


def picture_rgb(choice: BackgroundChoice) -> RGBImage | None:
    """The picture a choice puts behind the person, None for blur or no effect."""
    if choice.kind is BackgroundKind.PICTURE:
        return SHIPPED_PICTURES[choice.picture]()
    if choice.kind is BackgroundKind.FILE:
        return load_rgb(choice.picture)
    return None


def cover(rgb: RGBImage, width: int, height: int) -> RGBImage:
    """``rgb`` scaled to fill ``width`` x ``height``, the overhang cut off evenly."""
    source_height, source_width = rgb.shape[:2]
    scale = max(width / source_width, height / source_height)
    scaled_width = max(width, round(source_width * scale))
    scaled_height = max(height, round(source_height * scale))
    interpolation = cv2.INTER_AREA if scale < 1.0 else cv2.INTER_LINEAR
    scaled = cv2.resize(rgb, (scaled_width, scaled_height), interpolation=interpolation)
    left = (scaled_width - width) // 2
    top = (scaled_height - height) // 2
    covered: RGBImage = scaled[top : top + height, left : left + width]
    return covered


def as_yuv420(rgb: RGBImage) -> np.ndarray:
    """RGB (even sides) as one I420 array: Y rows, then U, then V, as PyAV lays out yuv420p."""
    yuv: np.ndarray = cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2YUV_I420)
    return yuv
