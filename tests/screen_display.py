"""A real X display for screen-sharing tests: Xvfb, and windows showing a known pattern.

The pattern is four coloured quadrants with lines of small text over them, drawn as a
window's background pixmap, so the X server repaints it by itself whenever needed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import cv2
import numpy as np
import pytest
from Xlib import X, Xatom, display

from tests import xvfb as xvfb_server
from tests.xvfb import XDisplay, XvfbError

QUADRANTS = {  # (row, column) -> BGR
    (0, 0): (0, 0, 220),  # red
    (0, 1): (0, 200, 0),  # green
    (1, 0): (220, 0, 0),  # blue
    (1, 1): (0, 220, 220),  # yellow
}


def start_xvfb(width: int = 1920, height: int = 1080) -> XDisplay:
    """Xvfb at a size to share; in CI a missing Xvfb fails the test instead of skipping it."""
    try:
        return xvfb_server.start_xvfb(width, height)
    except XvfbError as exc:
        if os.environ.get("CI"):
            pytest.fail(str(exc))
        pytest.skip(str(exc))


@pytest.fixture
def xvfb() -> Iterator[XDisplay]:
    screen = start_xvfb()
    yield screen
    xvfb_server.stop_xvfb(screen)


def pattern(width: int, height: int, label: str = "Runde") -> np.ndarray:
    """BGR picture: coloured quadrants, a white band with lines of 10 px text, thin lines."""
    image = np.zeros((height, width, 3), np.uint8)
    for (row, column), color in QUADRANTS.items():
        image[
            row * height // 2 : (row + 1) * height // 2,
            column * width // 2 : (column + 1) * width // 2,
        ] = color
    band_top, band_bottom = height * 3 // 8, height * 5 // 8
    image[band_top:band_bottom, width // 8 : width * 7 // 8] = (255, 255, 255)
    for line, y in enumerate(range(band_top + 18, band_bottom - 6, 16)):
        text = f"{label} line {line:02d}: The quick brown fox jumps over the lazy dog 0123456789"
        cv2.putText(
            image,
            text,
            (width // 8 + 8, y),
            cv2.FONT_HERSHEY_SIMPLEX,
            0.4,
            (0, 0, 0),
            1,
            cv2.LINE_AA,
        )
    for x in range(width // 8, width * 7 // 8, 40):  # one-pixel lines: detail that must survive
        cv2.line(image, (x, 8), (x, height // 3), (255, 255, 255), 1)
    return image


def band(image: np.ndarray) -> np.ndarray:
    """The text band of a picture made by :func:`pattern` (same coordinates at any size)."""
    height, width = image.shape[:2]
    return image[height * 3 // 8 : height * 5 // 8, width // 8 : width * 7 // 8]


class PatternWindow:
    """A top-level window on ``display_name`` showing ``picture`` (BGR), with a title."""

    def __init__(
        self,
        display_name: str,
        picture: np.ndarray,
        title: str,
        x: int = 0,
        y: int = 0,
        override_redirect: bool = True,
        pid: int | None = None,
    ) -> None:
        """``pid`` names the process the window belongs to; by default not this test's
        (it stands in for another application), ``os.getpid()`` for one of Runde's own."""
        self.connection = display.Display(display_name)
        screen = self.connection.screen()
        height, width = picture.shape[:2]
        self.window = screen.root.create_window(
            x,
            y,
            width,
            height,
            0,
            screen.root_depth,
            X.InputOutput,
            X.CopyFromParent,
            override_redirect=override_redirect,
            background_pixel=screen.black_pixel,
        )
        self.window.set_wm_name(title.encode("latin-1", "replace"))
        self.window.change_property(
            self.connection.intern_atom("_NET_WM_NAME"),
            self.connection.intern_atom("UTF8_STRING"),
            8,
            title.encode(),
        )
        self.window.change_property(
            self.connection.intern_atom("_NET_WM_PID"),
            Xatom.CARDINAL,
            32,
            [os.getpid() + 1 if pid is None else pid],
        )
        self.pixmap = self.window.create_pixmap(width, height, screen.root_depth)
        self.gc = self.pixmap.create_gc()
        self.window.map()
        self.show(picture)

    def show(self, picture: np.ndarray) -> None:
        """Replace what the window shows; the X server repaints it from the pixmap."""
        self.window.change_attributes(background_pixmap=self.pixmap)
        self.show_region(0, 0, picture)

    def show_region(self, x: int, y: int, picture: np.ndarray) -> None:
        """Replace part of the picture (cheaper than :meth:`show` for small changes)."""
        height, width = picture.shape[:2]
        bgrx = np.dstack([picture, np.zeros((height, width), np.uint8)])
        rows = max(1, 200_000 // (width * 4))
        for top in range(0, height, rows):
            chunk = bgrx[top : top + rows]
            self.pixmap.put_image(
                self.gc, x, y + top, width, chunk.shape[0], X.ZPixmap, 24, 0, chunk.tobytes()
            )
        self.window.clear_area(x, y, width, height)
        self.connection.sync()

    def close(self) -> None:
        self.window.destroy()
        self.connection.close()


def ssim(first: np.ndarray, second: np.ndarray) -> float:
    """Mean structural similarity of two grey pictures (Wang et al. 2004, Gaussian 11x11)."""
    a, b = first.astype(np.float64), second.astype(np.float64)
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2

    def blur(image: np.ndarray) -> np.ndarray:
        return cv2.GaussianBlur(image, (11, 11), 1.5)

    mu_a, mu_b = blur(a), blur(b)
    var_a = blur(a * a) - mu_a**2
    var_b = blur(b * b) - mu_b**2
    covariance = blur(a * b) - mu_a * mu_b
    numerator = (2 * mu_a * mu_b + c1) * (2 * covariance + c2)
    denominator = (mu_a**2 + mu_b**2 + c1) * (var_a + var_b + c2)
    return float(np.mean(numerator / denominator))


def grey(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
