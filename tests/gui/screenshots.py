"""Screenshots for the README: `python -m tests.gui.screenshots docs/screenshots [de] [dark]`.

Runs the real app offscreen with a synthetic camera (a lavfi source standing in for a
physical camera) and a private PulseAudio server, hosts a meeting, lets two headless
participants join, and saves the start view, the pre-join and the meeting view. ``de``
shows the German window, ``dark`` a desktop with a dark theme (Fusion with a dark palette,
as a dark desktop gives it); the file names say which (``meeting-de-dark.png``).
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
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from client import i18n
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


def dark_palette() -> QPalette:
    """A dark desktop theme's colours (as KDE Breeze Dark or Windows' dark mode give them)."""
    palette = QPalette()
    for role, color in (
        (QPalette.ColorRole.Window, "#202124"),
        (QPalette.ColorRole.WindowText, "#e8eaed"),
        (QPalette.ColorRole.Base, "#171717"),
        (QPalette.ColorRole.AlternateBase, "#2a2b2e"),
        (QPalette.ColorRole.Text, "#e8eaed"),
        (QPalette.ColorRole.Button, "#2d2e31"),
        (QPalette.ColorRole.ButtonText, "#e8eaed"),
        (QPalette.ColorRole.Highlight, "#8ab4f8"),
        (QPalette.ColorRole.HighlightedText, "#202124"),
        (QPalette.ColorRole.ToolTipBase, "#2d2e31"),
        (QPalette.ColorRole.ToolTipText, "#e8eaed"),
        (QPalette.ColorRole.PlaceholderText, "#9aa0a6"),
        (QPalette.ColorRole.Link, "#8ab4f8"),
    ):
        palette.setColor(role, QColor(color))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7f8489"))
    return palette


async def shoot(
    window: MainWindow, controller: MeetingController, folder: Path, suffix: str
) -> None:
    await asyncio.sleep(0.5)
    window.grab().save(str(folder / f"start{suffix}.png"))
    window.start_view.start_button.click()
    await asyncio.sleep(1.5)
    window.grab().save(str(folder / f"prejoin{suffix}.png"))
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
    window.grab().save(str(folder / f"meeting{suffix}.png"))
    for person in colleagues:
        await person.leave()
    controller.leave()
    await asyncio.sleep(1.0)


def main() -> int:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    variant = sys.argv[2:]
    suffix = "".join(f"-{word}" for word in variant if word in ("de", "dark"))
    with tempfile.TemporaryDirectory() as scratch:
        pulse = start_pulse(Path(scratch))
        os.environ["PULSE_SERVER"] = pulse.server
        os.environ["PULSE_CLIENTCONFIG"] = str(pulse.base / "client.conf")
        devices.rescan_audio_devices()
        apply_bind_addresses([LOOPBACK])
        app = QApplication(sys.argv[:1])
        i18n.install(app, "de" if "de" in variant else "en")
        if "dark" in variant:
            app.setStyle("Fusion")
            app.setPalette(dark_palette())
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
        loop.run_until_complete(shoot(window, controller, folder, suffix))
        loop.run_until_complete(controller.close_preview())
        loop.run_until_complete(host.stop())
        loop.close()
        pulse.stop()
    print(f"screenshots in {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
