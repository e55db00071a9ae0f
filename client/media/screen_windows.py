"""Screens and windows on Windows, for gdigrab.

Untested here (the project's machines run Linux): kept to the few user32 calls gdigrab needs,
the desktop as one screen and visible titled top-level windows by title.
"""

from __future__ import annotations

import ctypes
import os
from ctypes import wintypes

from client.media.screen import ShareSource, SourceKind


def list_windows_sources() -> list[ShareSource]:  # pragma: no cover - Windows only
    user32 = ctypes.windll.user32  # type: ignore[attr-defined]
    width = user32.GetSystemMetrics(78)  # SM_CXVIRTUALSCREEN
    height = user32.GetSystemMetrics(79)  # SM_CYVIRTUALSCREEN
    left = user32.GetSystemMetrics(76)  # SM_XVIRTUALSCREEN
    top = user32.GetSystemMetrics(77)  # SM_YVIRTUALSCREEN
    sources = [ShareSource(SourceKind.SCREEN, "Screen 1", "desktop", left, top, width, height)]
    own_pid = os.getpid()
    found: list[ShareSource] = []

    @ctypes.WINFUNCTYPE(wintypes.BOOL, wintypes.HWND, wintypes.LPARAM)  # type: ignore[attr-defined,untyped-decorator]
    def visit(hwnd: int, _: int) -> bool:
        if not user32.IsWindowVisible(hwnd):
            return True
        length = user32.GetWindowTextLengthW(hwnd)
        if length == 0:
            return True
        buffer = ctypes.create_unicode_buffer(length + 1)
        user32.GetWindowTextW(hwnd, buffer, length + 1)
        pid = wintypes.DWORD()
        user32.GetWindowThreadProcessId(hwnd, ctypes.byref(pid))
        if pid.value == own_pid:
            return True
        rect = wintypes.RECT()
        user32.GetWindowRect(hwnd, ctypes.byref(rect))
        w, h = rect.right - rect.left, rect.bottom - rect.top
        if w >= 64 and h >= 64:
            found.append(
                ShareSource(
                    SourceKind.WINDOW,
                    buffer.value,
                    "desktop",
                    rect.left,
                    rect.top,
                    w,
                    h,
                    window_id=int(hwnd),
                    pid=pid.value,
                )
            )
        return True

    user32.EnumWindows(visit, 0)
    return sources + found
