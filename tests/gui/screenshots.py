"""Screenshots for the README: `python -m tests.gui.screenshots docs/screenshots`.

Runs the real app offscreen with a synthetic camera (a lavfi source standing in for a
physical camera) and a private PulseAudio server, hosts a meeting, lets two headless
participants join, and saves the start view, the pre-join and the meeting view.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from client.desktop_media import DesktopMedia
from client.headless import HeadlessParticipant
from client.hosting import EmbeddedHost
from client.media import devices
from client.media.sources import open_audio_source, open_video_source
from client.netconfig import NetworkSettings, apply_bind_addresses
from client.protocol.link import parse_link
from client.qt_loop import make_event_loop
from client.settings import SettingsStore
from client.ui.controller import MeetingController
from client.ui.main_window import MainWindow
from tests.audio import start_pulse
from tests.helpers import LOOPBACK

NETWORK = NetworkSettings(bind_addresses=(LOOPBACK,))


async def shoot(window: MainWindow, controller: MeetingController, folder: Path) -> None:
    await asyncio.sleep(0.5)
    window.grab().save(str(folder / "start.png"))
    window.start_view.start_button.click()
    await asyncio.sleep(1.5)
    window.grab().save(str(folder / "prejoin.png"))
    window.prejoin_view.join_button.click()
    joined = asyncio.Event()
    controller.stateChanged.connect(lambda state, _: state == "joined" and joined.set())
    await asyncio.wait_for(joined.wait(), 10)
    colleagues = []
    for name, color, tone in (("Anna Becker", "1f6feb", 440), ("Bernd Kaya", "2da44e", 550)):
        sources = [open_audio_source(f"sine:{tone}"), open_video_source(f"color:{color}")]
        person = HeadlessParticipant(
            parse_link(controller.link),
            name,
            NETWORK,
            [s for s in sources if s],
            time.monotonic(),
        )
        await person.join()
        colleagues.append(person)
    await asyncio.sleep(3.0)
    window.grab().save(str(folder / "meeting.png"))
    for person in colleagues:
        await person.leave()
    controller.leave()
    await asyncio.sleep(1.0)


def main() -> int:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        pulse = start_pulse(Path(scratch))
        os.environ["PULSE_SERVER"] = pulse.server
        os.environ["PULSE_CLIENTCONFIG"] = str(pulse.base / "client.conf")
        devices.rescan_audio_devices()
        apply_bind_addresses([LOOPBACK])
        app = QApplication(sys.argv[:1])
        loop = make_event_loop(app)
        asyncio.set_event_loop(loop)
        settings = SettingsStore(QSettings(f"{scratch}/runde.ini", QSettings.Format.IniFormat))
        settings.update(
            display_name="Ute Schmidt",
            video_width=640,
            video_height=360,
            camera="lavfi:testsrc2=size=640x360:rate=15",
        )
        media = DesktopMedia(settings)
        host = EmbeddedHost(NETWORK, LOOPBACK)
        controller = MeetingController(NETWORK, media, host)
        window = MainWindow(controller, media, settings)
        window.resize(1100, 680)
        window.show()
        loop.run_until_complete(shoot(window, controller, folder))
        loop.run_until_complete(controller.close_preview())
        loop.run_until_complete(host.stop())
        loop.close()
        pulse.stop()
    print(f"screenshots in {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
