"""Screens (RandR monitors) and top-level windows of an X display, through python-xlib."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

from Xlib import X, Xatom, display, error
from Xlib.ext import randr

from client.media.screen import ScreenCaptureError, ShareSource, SourceKind

logger = logging.getLogger(__name__)

# Windows this small are tool tips, docks' helpers and the like: nothing to present.
_MIN_WINDOW_SIDE = 64
# Our own windows by class as well as by process: a second Runde process must not be offered.
_OWN_CLASSES = {"runde"}


@contextlib.contextmanager
def _connection(name: str) -> Iterator[display.Display]:
    try:
        connection = display.Display(name)
    except (error.DisplayError, error.ConnectionClosedError, OSError) as exc:
        raise ScreenCaptureError(f"the display {name} cannot be opened: {exc}") from None
    try:
        yield connection
    finally:
        connection.close()


def list_x11_sources(name: str, exclude_pid: int | None = None) -> list[ShareSource]:
    with _connection(name) as connection:
        return _screens(connection, name) + _windows(connection, name, exclude_pid)


def screen_geometry(name: str) -> tuple[int, int]:
    """The width and height of the whole X screen."""
    with _connection(name) as connection:
        root = connection.screen().root.get_geometry()
        return int(root.width), int(root.height)


def window_geometry(name: str, window_id: int) -> tuple[int, int, int, int] | None:
    """Where a window is on its screen (x, y, width, height), or None once it is gone."""
    with _connection(name) as connection:
        window = connection.create_resource_object("window", window_id)
        return _geometry(connection, window)


def _screens(connection: display.Display, name: str) -> list[ShareSource]:
    root = connection.screen().root
    monitors: list[Any] = []
    if connection.has_extension("RANDR"):
        with contextlib.suppress(error.XError):
            monitors = list(randr.get_monitors(root).monitors)
    if not monitors:
        geometry = root.get_geometry()
        return [
            ShareSource(SourceKind.SCREEN, "Screen 1", name, 0, 0, geometry.width, geometry.height)
        ]
    screens = []
    for number, monitor in enumerate(monitors, start=1):
        screens.append(
            ShareSource(
                SourceKind.SCREEN,
                f"Screen {number}",
                name,
                int(monitor.x),
                int(monitor.y),
                int(monitor.width_in_pixels),
                int(monitor.height_in_pixels),
            )
        )
    return screens


def _windows(connection: display.Display, name: str, exclude_pid: int | None) -> list[ShareSource]:
    root = connection.screen().root
    client_list = connection.intern_atom("_NET_CLIENT_LIST")
    managed = root.get_full_property(client_list, X.AnyPropertyType)
    # With a window manager its client list; without one (a kiosk, Xvfb) the root's children.
    candidates = (
        [connection.create_resource_object("window", wid) for wid in managed.value]
        if managed is not None
        else root.query_tree().children
    )
    found = []
    for window in candidates:
        try:
            source = _window_source(connection, window, name, exclude_pid)
        except error.XError:
            continue  # it closed while we looked
        if source is not None:
            found.append(source)
    return found


def _window_source(
    connection: display.Display, window: Any, name: str, exclude_pid: int | None
) -> ShareSource | None:
    if window.get_attributes().map_state != X.IsViewable:
        return None
    title = _title(connection, window)
    if not title:
        return None
    pid = _pid(connection, window)
    if exclude_pid is not None and pid == exclude_pid:
        return None
    wm_class = window.get_wm_class() or ()
    if exclude_pid is not None and any(c.lower() in _OWN_CLASSES for c in wm_class):
        return None
    geometry = _geometry(connection, window)
    if geometry is None:
        return None
    x, y, width, height = geometry
    if width < _MIN_WINDOW_SIDE or height < _MIN_WINDOW_SIDE:
        return None
    return ShareSource(
        SourceKind.WINDOW, title, name, x, y, width, height, window_id=window.id, pid=pid
    )


def _title(connection: display.Display, window: Any) -> str:
    net_name = window.get_full_property(
        connection.intern_atom("_NET_WM_NAME"), connection.intern_atom("UTF8_STRING")
    )
    if net_name is not None and net_name.value:
        value = net_name.value
        return (
            value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
        ).strip()
    legacy = window.get_wm_name()
    if isinstance(legacy, bytes):
        return legacy.decode("latin-1").strip()
    return str(legacy or "").strip()


def _pid(connection: display.Display, window: Any) -> int | None:
    prop = window.get_full_property(connection.intern_atom("_NET_WM_PID"), Xatom.CARDINAL)
    if prop is None or not len(prop.value):
        return None
    return int(prop.value[0])


def _geometry(connection: display.Display, window: Any) -> tuple[int, int, int, int] | None:
    try:
        geometry = window.get_geometry()
        origin = window.translate_coords(connection.screen().root, 0, 0)
    except error.XError:
        return None
    # translate_coords gives the root's origin in the window: the window's origin is minus that.
    return -int(origin.x), -int(origin.y), int(geometry.width), int(geometry.height)
