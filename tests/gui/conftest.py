"""GUI fixtures: the real main window offscreen, on a qasync loop, with real media parts.

The camera is a lavfi test source standing in for a physical camera (this machine has none);
microphone and speaker are the private PulseAudio server from tests.audio.
"""

from __future__ import annotations

import asyncio
import gc
import os
import time
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

import pytest
import qasync
from PySide6.QtCore import QSettings, QTranslator
from PySide6.QtWidgets import QApplication

from client import i18n
from client.call.media_thread import MediaThread
from client.desktop_media import DesktopMedia
from client.headless import HeadlessParticipant
from client.hosting import EmbeddedHost
from client.media.sources import open_audio_source, open_video_source
from client.netconfig import NetworkSettings, apply_bind_addresses
from client.policy import Policy
from client.protocol.link import parse_link
from client.qt_loop import make_event_loop
from client.secrets import SecretStore
from client.settings import SettingsStore
from client.ui.controller import MeetingController
from client.ui.main_window import MainWindow
from tests.audio import PulseServer, pulse
from tests.helpers import LOOPBACK, until

__all__ = ["pulse"]

NETWORK = NetworkSettings(bind_addresses=(LOOPBACK,))
RED_CAMERA = "lavfi:color=c=red:size=640x360:rate=15"


@pytest.fixture
def loop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    apply_bind_addresses([LOOPBACK])
    qapp.setQuitOnLastWindowClosed(False)  # closing a test's window must not stop the loop
    event_loop = make_event_loop(qapp, already_running=False)
    asyncio.set_event_loop(event_loop)
    yield event_loop
    pending = [t for t in asyncio.all_tasks(event_loop) if not t.done()]
    for task in pending:
        task.cancel()
    if pending:
        event_loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    event_loop.close()  # also ends qasync's executor threads, which Qt must not outlive
    asyncio.set_event_loop(None)


@dataclass
class App:
    window: MainWindow
    controller: MeetingController
    settings: SettingsStore
    host: EmbeddedHost
    loop: qasync.QEventLoop
    problems: list[str]
    colleagues: list[HeadlessParticipant] = field(default_factory=list)

    def run(self, scenario: Coroutine[Any, Any, None], timeout: float = 90.0) -> None:
        """Run a whole test scenario, and the cleanup after it, inside the loop.

        Qt may process events between loop runs (pytest-qt does): a qasync callback run then
        finds no running asyncio loop. So a test is one coroutine that also closes every
        connection it opened, not steps between loop runs.
        """

        async def scenario_then_cleanup() -> None:
            try:
                await asyncio.wait_for(scenario, timeout)
            finally:
                await self.shutdown()

        self.loop.run_until_complete(scenario_then_cleanup())

    def colleague(
        self, link: str, name: str, color: str, tone_hz: int, video: str | None = None
    ) -> HeadlessParticipant:
        """A headless participant in this process, sending a coloured picture (or ``video``,
        a source as ``runde join --video`` takes it) and a tone."""
        picture = video if video is not None else f"color:{color}"
        sources = [open_audio_source(f"sine:{tone_hz}"), open_video_source(picture)]
        participant = HeadlessParticipant(
            parse_link(link), name, NETWORK, [s for s in sources if s], time.monotonic()
        )
        self.colleagues.append(participant)
        return participant

    async def shutdown(self) -> None:
        for participant in self.colleagues:
            await participant.leave()
        if self.controller.state.value != "idle":
            self.controller.leave()
            await self.until(lambda: self.controller.state.value == "idle", 5, "left")
        await self.controller.close_preview()
        await self.host.stop()

    until = staticmethod(until)


@pytest.fixture
def make_app(
    loop: qasync.QEventLoop, tmp_path: Path, pulse: PulseServer
) -> Iterator[Callable[..., App]]:
    apps: list[App] = []
    threads: list[MediaThread] = []

    def make(
        camera: str = RED_CAMERA,
        name: str = "Ute",
        policy: Policy | None = None,
        secrets: SecretStore | None = None,
    ) -> App:
        settings = SettingsStore(QSettings(str(tmp_path / "runde.ini"), QSettings.Format.IniFormat))
        settings.update(
            display_name=name, camera=camera, video_width=640, video_height=360, video_fps=15
        )
        media = DesktopMedia(settings)
        media_thread = MediaThread()  # as in the app: connections beside the window's loop
        threads.append(media_thread)
        host = EmbeddedHost(NETWORK, LOOPBACK, media_thread)
        network = policy.network(NETWORK) if policy is not None else NETWORK
        controller = MeetingController(network, media, host, media_thread=media_thread)
        problems: list[str] = []
        controller.problem.connect(problems.append)
        window = MainWindow(controller, media, settings, policy=policy, secrets=secrets)
        window.resize(1100, 700)
        window.show()
        app = App(window, controller, settings, host, loop, problems)
        apps.append(app)
        return app

    yield make

    async def dispose() -> None:
        # Close and delete the windows while the loop runs, so Qt's deferred deletes and the
        # last queued signals are handled here and not between later tests.
        for app in apps:
            app.window.close()
            app.window.deleteLater()
        apps.clear()
        gc.collect()
        await asyncio.sleep(0.2)

    loop.run_until_complete(dispose())
    for media_thread in threads:
        media_thread.stop()


@pytest.fixture
def german(qapp: QApplication) -> Iterator[None]:
    """The window in German for one test, as on a German desktop."""
    before = set(qapp.findChildren(QTranslator))
    assert i18n.install(qapp, "de") == "de"
    yield
    for translator in set(qapp.findChildren(QTranslator)) - before:
        qapp.removeTranslator(translator)
