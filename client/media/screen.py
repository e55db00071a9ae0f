"""What can be shared on this computer: screens and windows, and whether sharing works here."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from enum import StrEnum


class ScreenCaptureError(Exception):
    """Sharing cannot start or went on no longer; the message is one sentence for the user."""


class UnsupportedSession(ScreenCaptureError):
    """Sharing cannot work in this kind of session at all; ``kind`` names which for a UI
    that words it in its own language (``wayland``, ``no_display``, ``macos``)."""

    def __init__(self, kind: str, text: str) -> None:
        super().__init__(text)
        self.kind = kind


class SourceKind(StrEnum):
    SCREEN = "screen"
    WINDOW = "window"


@dataclass(frozen=True)
class ShareSource:
    """One screen or window, where it is on the desktop and what it is called.

    ``display`` is the X display (``:0``) or ``desktop`` on Windows; ``window_id`` is the X
    window id for windows (None for screens); ``title`` is what a picker shows.
    """

    kind: SourceKind
    title: str
    display: str
    x: int
    y: int
    width: int
    height: int
    window_id: int | None = None
    pid: int | None = None

    @property
    def key(self) -> str:
        """Stable while the source exists: the picker keeps the selection across refreshes."""
        if self.window_id is not None:
            return f"{self.display}/window/{self.window_id:#x}"
        return f"{self.display}/screen/{self.x},{self.y},{self.width}x{self.height}"


WAYLAND_MESSAGE = (
    "Screen sharing is not available in a Wayland session yet: Runde would only send a black "
    "picture. Sign in with an X11 session (often called 'on Xorg' on the login screen) to "
    "share your screen."
)
NO_DISPLAY_MESSAGE = "There is no display to share: DISPLAY is not set."


def unsupported_reason(environ: dict[str, str] | None = None) -> str | None:
    """Why screen sharing cannot work in this session, or None when it can.

    A Wayland session hides other applications' windows from X11 capture (XWayland), so
    grabbing there sends black: refuse with a plain sentence instead.
    """
    env = dict(os.environ) if environ is None else environ
    if sys.platform == "win32":
        return None
    if env.get("WAYLAND_DISPLAY") or env.get("XDG_SESSION_TYPE", "").lower() == "wayland":
        return WAYLAND_MESSAGE
    if sys.platform.startswith("linux") and not env.get("DISPLAY"):
        return NO_DISPLAY_MESSAGE
    if sys.platform == "darwin":
        return "Screen sharing is not available on macOS yet."
    return None


def list_sources(display: str | None = None, exclude_pid: int | None = None) -> list[ShareSource]:
    """Screens first, then windows; windows of process ``exclude_pid`` are left out.

    Raises :class:`ScreenCaptureError` when sharing is not possible here.
    """
    if sys.platform == "win32":
        from client.media.screen_windows import list_windows_sources

        return list_windows_sources()
    reason = unsupported_reason() if display is None else None
    if reason is not None:
        kind = {WAYLAND_MESSAGE: "wayland", NO_DISPLAY_MESSAGE: "no_display"}.get(reason, "macos")
        raise UnsupportedSession(kind, reason)
    from client.media.screen_x11 import list_x11_sources

    return list_x11_sources(display or os.environ["DISPLAY"], exclude_pid)


def display_source(display: str) -> ShareSource:
    """The whole of X display ``display`` (``:99``), for ``--share-screen``.

    Raises :class:`ScreenCaptureError` naming the display when it cannot be opened.
    """
    if not display.startswith(":") and ":" not in display:
        raise ScreenCaptureError(f"{display!r} is not an X display name such as :99")
    from client.media.screen_x11 import screen_geometry

    width, height = screen_geometry(display)
    return ShareSource(SourceKind.SCREEN, f"Display {display}", display, 0, 0, width, height)
