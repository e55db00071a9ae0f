"""The desktop app: QApplication on a qasync loop, the main window, and link dispatch."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from client.loop_monitor import LoopMonitor, Responsiveness
from client.netconfig import NetworkSettings
from client.policy import Policy

if TYPE_CHECKING:
    from PySide6.QtCore import QLockFile

    from client.call.media_thread import MediaThread
    from client.instance.location import InstanceLocation
    from client.ui.main_window import MainWindow

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class GuiOptions:
    network: NetworkSettings
    link: str | None = None
    prejoin: bool = True
    listen_host: str = "0.0.0.0"
    log_level: str = "info"
    # The per-user instance lock this process holds, and where to take later starts' links.
    instance: tuple[InstanceLocation, QLockFile] | None = None
    policy: Policy = field(default_factory=Policy.unrestricted)


def run(options: GuiOptions) -> int:
    # qasync (imported by client.qt_loop) picks its Qt binding from QT_API: set it first.
    os.environ.setdefault("QT_API", "pyside6")
    from PySide6.QtWidgets import QApplication

    from client import i18n, logs
    from client.call.media_thread import MediaThread
    from client.desktop_media import DesktopMedia
    from client.hosting import EmbeddedHost
    from client.qt_loop import make_event_loop
    from client.secrets import SecretStore, user_turn_server
    from client.settings import APPLICATION, ORGANIZATION, SettingsStore
    from client.ui.controller import MeetingController
    from client.ui.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("Runde")
    # Ties the window to the installed desktop entry (Wayland uses it for the icon and name).
    app.setDesktopFileName("org.runde.Runde")
    log_file = logs.configure(options.log_level)
    settings = SettingsStore()
    policy = options.policy
    i18n.install(app, policy.locked.language or settings.load().language)
    logger.info("Runde starts; log file %s", log_file)
    if policy.problem_sentence:
        logger.error("%s", policy.problem_sentence)
    secrets = SecretStore()

    loop = make_event_loop(app)
    asyncio.set_event_loop(loop)
    # Connections, remote media and the hosted SFU run beside the window, not inside it.
    media_thread = MediaThread()
    host = EmbeddedHost(options.network, options.listen_host, media_thread)
    media = DesktopMedia(settings)
    controller = MeetingController(options.network, media, host, media_thread=media_thread)
    stored = settings.load()
    controller.set_own_ice_server(
        user_turn_server(stored.turn_server, stored.turn_username, secrets)
    )
    window = MainWindow(controller, media, settings, policy=policy, secrets=secrets)
    window.show()
    loop.run_in_executor(None, media.warm_up)
    if options.instance is not None:
        _take_links_from_later_starts(options.instance[0], window)
    if options.link:
        window.open_link(options.link, prejoin=options.prejoin)

    closed = asyncio.Event()
    app.lastWindowClosed.connect(closed.set)
    app.setQuitOnLastWindowClosed(False)

    monitor = LoopMonitor()
    monitor.start()
    media_monitor = LoopMonitor()  # owned by the media loop, started and read there
    media_thread.call(media_monitor.start)
    reporter = asyncio.ensure_future(
        _report_performance(monitor, _MediaLoopLateness(media_monitor, media_thread), window)
    )

    async def main() -> None:
        await closed.wait()
        reporter.cancel()
        await monitor.stop()
        # Let the leave started by the window's close finish, then end what we host.
        await asyncio.gather(*controller.tasks, return_exceptions=True)
        await host.stop()

    with loop:
        loop.run_until_complete(main())
    media_thread.stop()
    if options.instance is not None:
        options.instance[1].unlock()
    return 0


def _report_period(text: str, default: float = 60.0) -> float:
    """Seconds between performance log lines: the variable's value, at least one second."""
    if not text:
        return default
    try:
        return max(1.0, float(text))
    except ValueError:
        logger.warning("RUNDE_PERF_REPORT_SECONDS=%r is not a number; using %.0f s", text, default)
        return default


class _MediaLoopLateness:
    """The media loop's own :class:`LoopMonitor`, read on that loop: a late media loop reads
    its sockets late, so packets arrive in bunches and pictures are skipped."""

    def __init__(self, monitor: LoopMonitor, media_thread: MediaThread) -> None:
        self._monitor = monitor
        self._media_thread = media_thread

    async def take_window(self) -> Responsiveness | None:
        async def take() -> Responsiveness | None:
            return self._monitor.take_window()

        return await self._media_thread.run(take())


async def _report_performance(
    monitor: LoopMonitor, media_loop: _MediaLoopLateness, window: MainWindow
) -> None:
    """A log line per period on responsiveness and pictures shown, for support and benchmarks."""
    period = _report_period(os.environ.get("RUNDE_PERF_REPORT_SECONDS", ""))
    painted = decoded = made = skipped = dropped = 0
    while True:
        await asyncio.sleep(period)
        tiles = [t for t in window.meeting_view.tiles.values() if not t.is_self]
        painted_now = sum(tile.pictures_painted for tile in tiles)
        decoded_now = sum(tile.source.frames_decoded for tile in tiles if tile.source)
        made_now = sum(tile.source.images_made for tile in tiles if tile.source)
        skipped_now = sum(tile.source.frames_skipped for tile in tiles if tile.source)
        dropped_now = sum(tile.source.pictures_dropped for tile in tiles if tile.source)
        # the layer each tile receives: what its set_preferred_layer got from the SFU
        heights = sorted(t.source.frame_height or 0 for t in tiles if t.source is not None)
        # max(0, ...): tiles that left take their counts along
        logger.info(
            "responsiveness: %s; %d remote tiles, %.1f pictures painted per second (%.1f decoded)"
            "; received heights %s; %.1f converted for tiles, %.1f skipped for a newer one, "
            "%.1f dropped as too late; media loop %s",
            monitor.take_window(),
            len(tiles),
            max(0, painted_now - painted) / period,
            max(0, decoded_now - decoded) / period,
            ",".join(map(str, heights)) or "none",
            max(0, made_now - made) / period,
            max(0, skipped_now - skipped) / period,
            max(0, dropped_now - dropped) / period,
            await media_loop.take_window(),
        )
        painted, decoded, made = painted_now, decoded_now, made_now
        skipped, dropped = skipped_now, dropped_now


def _take_links_from_later_starts(location: InstanceLocation, window: MainWindow) -> None:
    from client.instance.location import LocationError
    from client.instance.server import InstanceServer

    server = InstanceServer(location, window)
    server.openRequested.connect(window.receive_link)
    try:
        server.listen()
    except LocationError as exc:
        logger.warning("links clicked later will start another Runde: %s", exc)
