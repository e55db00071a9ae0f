"""The speaker layout shows the one speaking large, not the first to join; it holds still.

The view tests feed who is audible over time, as the window's 100 ms poll does, with a clock
the test moves; the app test has a silent colleague and one who talks (a tone).
"""

from __future__ import annotations

import asyncio
import time
import wave
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from client.headless import HeadlessParticipant
from client.media.sources import open_audio_source, open_video_source
from client.protocol.link import parse_link
from client.ui.meeting_view import SELF_ID, MeetingView
from client.ui.stage_layout import STRIP_HEIGHT
from client.ui.video_tile import VideoTile
from tests.audio import PulseServer
from tests.gui.conftest import NETWORK, App
from tests.gui.test_app import BLUE, GREEN, shows, start_meeting, tile_of
from tests.gui.test_chat import joined, press

TICK = 0.1  # the window polls who speaks every 100 ms


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def meeting(qtbot: QtBot) -> tuple[MeetingView, Clock]:
    clock = Clock()
    view = MeetingView(clock)
    qtbot.addWidget(view)
    view.reset("Ute")
    for participant_id, name in (("a", "Anna"), ("b", "Bernd"), ("c", "Carla")):
        view.add_participant(participant_id, name, True, True)
    view.resize(1000, 700)
    view.show()
    qtbot.waitExposed(view)
    view.toggle_layout()
    assert view.layout_mode() == "speaker"
    return view, clock


def talk(view: MeetingView, clock: Clock, seconds: float, *speaking: str) -> list[str]:
    """``speaking`` are audible for ``seconds``; returns who was shown large at each poll."""
    shown = []
    for _ in range(round(seconds / TICK)):
        clock.now += TICK
        view.show_speaking(dict.fromkeys(speaking, True))
        shown.append(large(view))
    return shown


def large(view: MeetingView) -> str:
    """The name on the tile the layout shows large: the only one taller than the strip."""
    tall = [t for t in view.tiles.values() if t.maximumHeight() > STRIP_HEIGHT]
    assert len(tall) == 1, [t.name for t in tall]
    return tall[0].name


def test_the_one_speaking_is_large_not_the_first_to_join(
    meeting: tuple[MeetingView, Clock], qtbot: QtBot
) -> None:
    view, clock = meeting
    assert large(view) == "Anna"  # nobody has spoken yet: the first of the others
    assert talk(view, clock, 1.0, "c")[0] == "Carla"  # the first one heard: at once
    qtbot.waitUntil(lambda: tile_height(view, "Carla") > 2 * tile_height(view, "Anna"))
    own = view.tiles["self"]
    assert own.height() <= STRIP_HEIGHT  # we ourselves stay in the strip


def tile_height(view: MeetingView, name: str) -> int:
    return next(t for t in view.tiles.values() if t.name == name).height()


def test_the_main_speaker_is_held_for_two_seconds(meeting: tuple[MeetingView, Clock]) -> None:
    view, clock = meeting
    talk(view, clock, 1.0, "b")
    assert large(view) == "Bernd"
    # Carla starts while Bernd still talks: Bernd stays as long as he talks.
    assert set(talk(view, clock, 3.0, "b", "c")) == {"Bernd"}
    # Bernd stops; Carla has spoken over two seconds: she takes over once his pause is real.
    shown = talk(view, clock, 1.0, "c")
    assert shown[:5] == ["Bernd"] * 5 and shown[-1] == "Carla", shown
    # A short "yes" from Anna changes nothing.
    assert set(talk(view, clock, 0.5, "a") + talk(view, clock, 1.0)) == {"Carla"}
    # Anna speaks on: two seconds after her first word, she is large.
    shown = talk(view, clock, 2.5, "a")
    assert shown[-1] == "Anna", shown
    assert shown.index("Anna") >= round(2.0 / TICK) - 1, shown


def test_never_someone_whose_microphone_is_off(meeting: tuple[MeetingView, Clock]) -> None:
    view, clock = meeting
    talk(view, clock, 0.5, "b")
    view.set_participant_media("c", False, True)  # Carla muted (her sound still arrives)
    assert set(talk(view, clock, 5.0, "c")) == {"Bernd"}
    view.set_participant_media("c", True, True)
    assert talk(view, clock, 3.0, "c")[-1] == "Carla"


def test_a_pinned_tile_always_wins_and_a_speaker_who_leaves_gives_way(
    meeting: tuple[MeetingView, Clock],
) -> None:
    view, clock = meeting
    talk(view, clock, 0.5, "b")
    view.pin("a")
    assert set(talk(view, clock, 5.0, "c")) == {"Anna"}
    assert view.tiles["a"].pinned
    view.pin("a")  # unpinned: who spoke meanwhile is large
    assert large(view) == "Carla"
    view.remove_participant("c")
    assert large(view) == "Anna"  # the first of the others, until someone speaks
    assert talk(view, clock, 0.2, "b")[-1] == "Bernd"


def silence(path: Path) -> str:
    """One second of silence as a WAV file (a microphone that is on, in a quiet room)."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(48000)
        out.writeframes(bytes(2 * 48000))
    return str(path)


def test_in_the_app_the_colleague_talking_is_large(
    make_app: Callable[..., App], tmp_path: Path
) -> None:
    app = make_app()
    view = app.window.meeting_view

    async def scenario() -> None:
        link = await start_meeting(app)
        sources = [
            open_audio_source(silence(tmp_path / "quiet.wav")),
            open_video_source(f"color:{BLUE}"),
        ]
        anna = HeadlessParticipant(
            parse_link(link), "Anna", NETWORK, [s for s in sources if s], time.monotonic()
        )
        app.colleagues.append(anna)
        bernd = app.colleague(link, "Bernd", GREEN, 440)  # talks: a steady tone
        await joined(app, anna, bernd)
        await press(app, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
        await app.until(lambda: view.layout_mode() == "speaker", 2, "the speaker layout")
        bernd_tile, anna_tile = tile_of(app, "Bernd"), tile_of(app, "Anna")
        assert isinstance(bernd_tile, VideoTile) and isinstance(anna_tile, VideoTile)
        await app.until(lambda: view.main_tile() is bernd_tile, 5, "Bernd shown large")
        await app.until(
            lambda: bernd_tile.height() > 2 * anna_tile.height() and shows(app, "Bernd", GREEN),
            5,
            "Bernd's green picture large, Anna in the strip",
        )
        await app.until(lambda: shows(app, "Anna", BLUE), 5, "Anna's blue picture, small")
        assert anna_tile.audio_on and not anna_tile.speaking  # on, and quiet

    app.run(scenario())


def test_our_own_tile_shows_that_the_microphone_hears_us(
    make_app: Callable[..., App], pulse: PulseServer
) -> None:
    app = make_app()
    view = app.window.meeting_view

    async def scenario() -> None:
        await start_meeting(app)
        own = view.tiles[SELF_ID]
        await asyncio.sleep(0.5)
        assert not own.speaking  # the test microphone is silent
        talking = asyncio.get_running_loop().run_in_executor(
            None, pulse.play_tone_into_microphone, 440.0, 3.0
        )
        await app.until(lambda: own.speaking, 3, "the speaking ring on our own tile")
        await talking
        await app.until(lambda: not own.speaking, 3, "gone when we are quiet")

    app.run(scenario())
