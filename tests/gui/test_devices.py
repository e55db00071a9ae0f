"""A device lost during the meeting shows on its button and in a banner; the meeting goes
on; once it is back, "Try again" picks it up without leaving.

The sound card is the tests' private PulseAudio server. Unloading one of its null sinks
only moves the streams to the other (as unplugging a headset moves them to the built-in
card); unloading both leaves no device at all, which is what the test does.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu

from client.call.events import SessionState
from client.call.session import MeetingSession
from client.media.microphone import MicrophoneTrack
from client.media.playout import AudioPlayout
from tests.audio import MICROPHONE_SOURCE, PulseServer
from tests.gui.conftest import App
from tests.gui.test_app import start_meeting


def _heard_by(app: App, colleague: MeetingSession) -> bool | None:
    """Whether ``colleague`` is told our microphone is on (None: we are not listed yet)."""
    snapshot = app.controller.snapshot
    own = snapshot.participant_id if snapshot is not None else None
    person = colleague.participants.get(own) if own is not None else None
    return None if person is None else person.media.audio


def test_a_lost_microphone_shows_the_meeting_goes_on_and_it_comes_back(
    make_app: Callable[..., App], pulse: PulseServer
) -> None:
    app = make_app()
    banner = app.window.device_banner
    button = app.window.meeting_view.microphone_button

    async def scenario() -> None:
        link = await start_meeting(app)
        anna = app.colleague(link, "Anna", "00ff00", 440)
        await anna.join()
        await app.until(lambda: _heard_by(app, anna.session) is True, 10, "Anna hears us")
        assert not banner.isVisible()

        pulse.unplug_everything()
        await app.until(
            lambda: "microphone" in banner.text.text() and "speakers" in banner.text.text(),
            10,
            "the banner says so",
        )
        assert banner.isVisible()
        assert button.text() == "Microphone: unavailable"
        assert "microphone" in button.toolTip()
        await app.until(lambda: _heard_by(app, anna.session) is False, 10, "Anna told")
        assert app.controller.state is SessionState.JOINED  # the meeting goes on

        pulse.plug_everything_in()
        QTest.mouseClick(banner.retry_button, Qt.MouseButton.LeftButton)
        await app.until(lambda: not banner.isVisible(), 10, "the banner goes")
        assert button.text() == "Microphone: on"
        await app.until(lambda: _heard_by(app, anna.session) is True, 10, "Anna hears us again")
        microphone, playout = app.controller.devices.microphone, app.controller.devices.playout
        assert isinstance(microphone, MicrophoneTrack) and isinstance(playout, AudioPlayout)
        recorded, played = microphone.blocks_received, playout.stats().frames_played
        await app.until(
            lambda: (
                microphone.blocks_received > recorded + 25
                and playout.stats().frames_played > played + 24_000
            ),
            5,
            "sound flows from and to the devices again",
        )

    app.run(scenario())


def test_another_microphone_is_picked_during_the_meeting(make_app: Callable[..., App]) -> None:
    app = make_app()
    menu_button = app.window.devices.microphone_menu

    async def scenario() -> None:
        await start_meeting(app)
        microphone = app.controller.devices.microphone
        assert isinstance(microphone, MicrophoneTrack)
        menu_button.setFocus()
        QTest.keyClick(menu_button, Qt.Key.Key_Space)  # opens the menu
        await app.until(
            lambda: isinstance(QApplication.activePopupWidget(), QMenu), 5, "the menu opens"
        )
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        labels = [action.text() for action in menu.actions()]
        assert "pulse" in labels and "Try the devices again" in labels, labels
        next(a for a in menu.actions() if a.text() == "pulse").trigger()
        menu.close()
        await app.until(lambda: app.settings.load().microphone == "pulse", 5, "remembered")
        await app.until(lambda: microphone.device is not None, 10, "switched in place")
        assert app.controller.devices.microphone is microphone  # the same published track
        recorded = microphone.blocks_received
        await app.until(lambda: microphone.blocks_received > recorded + 25, 5, "sound flows")
        assert not app.window.device_banner.isVisible()
        assert app.controller.state is SessionState.JOINED

    app.run(scenario())


def test_devices_carry_the_desktop_s_names_and_the_chosen_one_records(
    make_app: Callable[..., App], pulse: PulseServer
) -> None:
    """A headset's microphone is listed as the sound server names it, not as ALSA's
    "pulse"; picked in the meeting, the app's recording stream moves to that very source
    (read from the server with pactl)."""
    module = pulse.pactl(
        "load-module",
        "module-remap-source",
        "source_name=runde_headset",
        f"master={MICROPHONE_SOURCE}",
        "source_properties=device.description=Headset-Mikrofon",
    ).strip()  # a source of its own (not a monitor) that hears what the test microphone hears
    app = make_app()
    menu_button = app.window.devices.microphone_menu

    def recording_from() -> set[str]:
        sources = {
            line.split()[0]: line.split()[1]
            for line in pulse.pactl("list", "short", "sources").splitlines()
        }
        streams = pulse.pactl("list", "short", "source-outputs").splitlines()
        return {sources.get(line.split()[1], "?") for line in streams}

    async def scenario() -> None:
        await start_meeting(app)
        menu_button.click()
        await app.until(
            lambda: isinstance(QApplication.activePopupWidget(), QMenu), 5, "the menu opens"
        )
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        labels = [action.text() for action in menu.actions()]
        assert "Headset-Mikrofon" in labels and "pulse" not in labels, labels
        next(a for a in menu.actions() if a.text() == "Headset-Mikrofon").trigger()
        menu.close()
        await app.until(lambda: "runde_headset" in recording_from(), 10, str(recording_from()))
        assert app.settings.load().microphone == "pulse:runde_headset"
        assert not app.window.device_banner.isVisible()

    try:
        app.run(scenario())
    finally:
        pulse.pactl("unload-module", module)
        os.environ.pop("PULSE_SOURCE", None)  # the app pointed this process's next stream
