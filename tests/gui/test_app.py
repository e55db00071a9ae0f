"""The desktop app as a user sees it: preview, a meeting with two colleagues, mute, leave."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable

import numpy as np
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMessageBox

from client.call import events
from client.protocol.messages import MediaState, ParticipantInfo
from client.ui.meeting_view import SELF_ID
from client.ui.video_tile import VideoTile
from tests.audio import PulseServer, dominant_frequency
from tests.gui.conftest import App

BLUE, GREEN, RED = "0000ff", "00ff00", "ff0000"


def center_color(tile: VideoTile) -> QColor:
    image = tile.grab().toImage()
    return image.pixelColor(image.width() // 2, image.height() // 2)


def is_color(color: QColor, rgb: str) -> bool:
    wanted = [int(rgb[i : i + 2], 16) for i in (0, 2, 4)]
    actual = [color.red(), color.green(), color.blue()]
    return all(abs(a - w) < 70 for a, w in zip(actual, wanted, strict=True))


async def start_meeting(app: App) -> str:
    app.window.start_view.start_button.click()
    await app.until(
        lambda: app.window.stack.currentWidget() is app.window.prejoin_view, 5, "pre-join"
    )
    app.window.prejoin_view.join_button.click()
    await app.until(lambda: app.controller.state.value == "joined", 10, "joined own meeting")
    return app.controller.link


def tile_of(app: App, name: str) -> VideoTile | None:
    return next((t for t in app.window.meeting_view.tiles.values() if t.name == name), None)


def shows(app: App, name: str, rgb: str) -> bool:
    tile = tile_of(app, name)
    return tile is not None and tile.image() is not None and is_color(center_color(tile), rgb)


def test_prejoin_preview_shows_the_test_pattern(make_app: Callable[..., App]) -> None:
    app = make_app(camera="lavfi:testsrc2=size=640x360:rate=15")

    async def scenario() -> None:
        app.window.start_view.start_button.click()
        preview = app.window.prejoin_view.preview
        await app.until(lambda: preview.image() is not None, 5, "a preview picture")
        await asyncio.sleep(0.3)
        image = preview.grab().toImage()
        colors = {
            image.pixelColor(x, y).name()
            for x in range(20, image.width() - 20, image.width() // 12)
            for y in range(20, image.height() - 40, image.height() // 8)
        }
        # testsrc2 is a colourful pattern: many different colours, not a black frame.
        assert len(colors) > 8, colors

    app.run(scenario())


def test_meeting_with_two_colleagues(make_app: Callable[..., App]) -> None:
    app = make_app()

    async def scenario() -> None:
        link = await start_meeting(app)
        anna = app.colleague(link, "Anna", BLUE, 440)
        bernd = app.colleague(link, "Bernd", GREEN, 550)
        await anna.join()
        await bernd.join()
        view = app.window.meeting_view
        own = view.tiles[SELF_ID]
        await app.until(
            lambda: (
                is_color(center_color(own), RED)
                and shows(app, "Anna", BLUE)
                and shows(app, "Bernd", GREEN)
            ),
            5,
            "three tiles showing red, blue and green",
        )
        assert len(view.tiles) == 3

        # Muting in the app shows as muted for the others...
        app_id = next(iter(anna.session.participants.keys() - {bernd.session.participant_id}))
        view.microphone_button.click()
        await app.until(
            lambda: not anna.session.participants[app_id].media.audio, 5, "Anna sees mute"
        )
        # ...and a colleague's mute shows in the app.
        await anna.session.set_media(audio=False, video=True)
        anna_tile = tile_of(app, "Anna")
        assert anna_tile is not None
        await app.until(lambda: not anna_tile.audio_on, 5, "the app shows Anna muted")
        assert "microphone off" in anna_tile.accessibleName()

        # Leaving (the host confirms ending it for all) returns to the start view, and the
        # others see the app leave.
        view.leave_button.click()
        await app.until(
            lambda: app.window.findChild(QMessageBox, "end_meeting_question") is not None,
            5,
            "the host is asked",
        )
        question = app.window.findChild(QMessageBox, "end_meeting_question")
        (end,) = [b for b in question.buttons() if b.text() == "End meeting for all"]
        end.click()
        await app.until(
            lambda: app.window.stack.currentWidget() is app.window.start_view, 5, "start view"
        )
        await app.until(lambda: anna.ended.is_set() and bernd.ended.is_set(), 5, "others told")
        assert anna.end is not None and "host ended" in anna.end.reason

    app.run(scenario())


def test_colleagues_tone_is_played_and_our_tone_reaches_them(
    make_app: Callable[..., App], pulse: PulseServer
) -> None:
    app = make_app()

    async def scenario() -> None:
        loop = asyncio.get_running_loop()
        link = await start_meeting(app)
        anna = app.colleague(link, "Anna", BLUE, 1000)
        await anna.join()
        await app.until(lambda: shows(app, "Anna", BLUE), 5, "Anna's picture")
        anna_tile = tile_of(app, "Anna")
        assert anna_tile is not None
        await app.until(lambda: anna_tile.speaking, 5, "Anna's tile marked as speaking")
        await asyncio.sleep(1.0)  # the jitter buffer fills

        # Anna's 1 kHz tone comes out of the app's speaker (the null sink's monitor).
        recording = await loop.run_in_executor(None, pulse.record_speaker, 1.0)
        assert abs(dominant_frequency(np.asarray(recording)) - 1000) < 20

        # A 660 Hz tone played into the app's microphone reaches Anna.
        app_id = next(iter(anna.session.participants))
        playing = loop.run_in_executor(None, pulse.play_tone_into_microphone, 660, 3.0)
        await asyncio.sleep(2.5)
        heard = anna.stats.counts[app_id].dominant_hz()
        await playing
        assert heard is not None and abs(heard - 660) < 20, heard

    app.run(scenario())


def test_missing_camera_is_named_and_the_meeting_goes_on(make_app: Callable[..., App]) -> None:
    app = make_app(camera="/dev/video99")

    async def scenario() -> None:
        link = await start_meeting(app)
        banner = app.window.device_banner
        await app.until(lambda: "camera" in banner.text.text(), 5, "the banner names it")
        assert "/dev/video99" in banner.toolTip()  # the details, for whoever helps
        assert app.window.meeting_view.camera_button.text() == "Camera: unavailable"
        anna = app.colleague(link, "Anna", BLUE, 500)
        await anna.join()
        app_id = next(iter(anna.session.participants))

        def anna_hears_the_app() -> bool:
            counts = anna.stats.counts.get(app_id)
            return counts is not None and counts.audio_frames > 50

        await app.until(anna_hears_the_app, 10, "Anna hears the app")
        await app.until(lambda: shows(app, "Anna", BLUE), 5, "the app still shows Anna")
        assert anna.session.participants[app_id].media.video is False  # told: no picture

    app.run(scenario())


def test_events_of_a_meeting_already_left_change_nothing(make_app: Callable[..., App]) -> None:
    """Session events cross from the media thread, so one can arrive after its meeting was
    left or replaced by a reconnect; only the current meeting's events reach the window."""
    app = make_app()
    joined: list[str] = []
    app.controller.participantJoined.connect(lambda pid, *_: joined.append(pid))
    anna = ParticipantInfo(
        id="anna1", display_name="Anna", media=MediaState(audio=True, video=True)
    )

    async def scenario() -> None:
        await start_meeting(app)
        current = app.controller._session
        assert current is not None
        app.controller._event_from_session(current, events.ParticipantJoined(anna))
        await app.until(lambda: joined == ["anna1"], 2, "the current meeting's event")
        app.controller.leave()
        await app.until(lambda: app.controller.state.value == "idle", 5, "left")
        app.controller._event_from_session(current, events.ParticipantJoined(anna))
        app.controller._event_from_session(current, events.MeetingEnded("the host ended it"))
        await asyncio.sleep(0.3)
        assert joined == ["anna1"]
        assert app.controller.state.value == "idle"

    app.run(scenario())


def test_diagnostics_show_pictures_per_tile_camera_size_audio_and_network(
    make_app: Callable[..., App],
) -> None:
    app = make_app()

    async def scenario() -> None:
        link = await start_meeting(app)
        anna = app.colleague(link, "Anna", BLUE, 440)
        await anna.join()
        await app.until(lambda: shows(app, "Anna", BLUE), 5, "Anna's tile shows her picture")
        dialog = app.window.diagnostics_dialog()
        assert dialog.text.accessibleName() == "Diagnostics"
        assert "Anna: measuring" in dialog.text.toPlainText()
        await asyncio.sleep(1.5)
        dialog.refresh()
        report = dialog.text.toPlainText()
        dialog.deleteLater()
        assert "camera: sends its full size" in report
        received, shown = (
            int(n)
            for n in re.findall(
                r"Anna: (\d+) pictures received(?: \(\d+ rows tall\))?, (\d+) shown", report
            )[0]
        )
        assert received > 5 and shown > 5, report  # the colour source sends 15 per second
        assert "frames played" in report
        # The network: what we count of Anna's streams and what the host reports of ours
        # (gathered on the media loop: each refresh shows the figures the last one asked for).
        received = r"receiving Anna's video video: (\d+) packets, \d+ lost .*estimate (\d+) kbit/s"
        sent = r"sending our video audio: (\d+) packets, \d+ lost"

        def network() -> str:
            dialog = app.window.diagnostics_dialog()
            text = dialog.text.toPlainText()
            dialog.deleteLater()
            return text

        def counted() -> bool:
            text = network()
            video, audio = re.search(received, text), re.search(sent, text)
            return bool(video and audio and int(video[1]) > 20 and int(video[2]) > 0)

        await app.until(counted, 10, "loss, jitter and estimates of both directions")

    app.run(scenario())
