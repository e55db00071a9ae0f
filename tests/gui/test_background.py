"""The camera's background effect in the app: chosen in the pre-join view by keyboard, seen
in the own preview and by a participant in the meeting; fixed by the administrator's policy.

The camera is a photo of a person (scikit-image's astronaut) played by lavfi, standing in for
a physical camera (this machine has none)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path

import av
import cv2
import numpy as np
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot
from skimage import data

from client.media.background.choice import BackgroundChoice
from client.policy import Policy, load_file
from client.settings import SettingsStore
from client.ui.background_ui import BackgroundUi
from client.ui.prejoin_view import PreJoinView
from tests.gui.conftest import App

LOCKED = "Set by your administrator"
# behind her: the model shuttle and the wall (rows, columns of the 512x512 photo)
WALL = (slice(0, 250), slice(345, 500))


def astronaut_camera(tmp_path: Path) -> str:
    photo = tmp_path / "astronaut.png"
    cv2.imwrite(str(photo), cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR))
    return f"lavfi:movie=filename={photo}:loop=0,setpts=N/(15*TB)"


def wall_detail(rgb: np.ndarray) -> float:
    """Fine detail behind her: mean squared Laplacian over the wall, at the photo's size."""
    grey = cv2.cvtColor(cv2.resize(rgb, (512, 512)), cv2.COLOR_RGB2GRAY).astype(np.float32)
    return float(np.mean(cv2.Laplacian(grey, cv2.CV_32F)[WALL] ** 2))


def image_rgb(image: QImage) -> np.ndarray:
    converted = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height = converted.width(), converted.height()
    raw = np.frombuffer(converted.constBits(), np.uint8, converted.sizeInBytes())
    rows = raw.reshape(height, converted.bytesPerLine())[:, : width * 3]
    return rows.reshape(height, width, 3).copy()


def test_blur_chosen_in_the_prejoin_shows_in_the_preview_and_at_the_others(
    make_app: Callable[..., App], tmp_path: Path
) -> None:
    app = make_app(camera=astronaut_camera(tmp_path))
    window = app.window
    previews: list[QImage] = []
    app.controller.ownImage.connect(previews.append)
    # the photo as the camera delivers it: fitted into 640x360
    original = wall_detail(cv2.resize(data.astronaut(), (360, 360), interpolation=cv2.INTER_AREA))

    async def scenario() -> None:
        window.start_view.start_button.click()
        await app.until(lambda: window.stack.currentWidget() is window.prejoin_view, 5, "pre-join")
        await app.until(lambda: len(previews) > 3, 10, "a preview picture")
        assert wall_detail(image_rgb(previews[-1])) > 0.5 * original  # no effect yet
        box = window.prejoin_view.background_box
        assert box.currentData() == "none"
        QTest.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
        assert box.hasFocus()
        QTest.keyClick(box, Qt.Key.Key_Down)  # "Blur", the next one
        assert box.currentData() == "blur"
        assert app.settings.load().background == "blur"
        seen = len(previews)
        await app.until(lambda: len(previews) > seen + 15, 15, "blurred previews")
        assert wall_detail(image_rgb(previews[-1])) < 0.3 * original
        window.prejoin_view.join_button.click()
        await app.until(lambda: app.controller.state.value == "joined", 10, "joined")
        colleague = app.colleague(app.controller.link, "Carl", "00ff00", 440)
        await colleague.join()
        ute = lambda: colleague.participant_named("Ute")  # noqa: E731
        await app.until(
            lambda: ute() is not None and colleague.stats.counts_of(ute() or "").video_frames > 30,
            30,
            "Carl receives Ute's camera",
        )
        received: av.VideoFrame = colleague.video_snapshots[ute() or ""]
        assert wall_detail(received.to_ndarray(format="rgb24")) < 0.3 * original

    app.run(scenario())


def test_a_required_blur_is_shown_locked_in_the_prejoin_and_the_camera_menu(
    make_app: Callable[..., App], tmp_path: Path
) -> None:
    path = tmp_path / "policy.json"
    path.write_text(
        json.dumps({"background_effect": "blur", "own_background_pictures_allowed": False})
    )
    app = make_app(camera=astronaut_camera(tmp_path), policy=load_file(path))
    window = app.window
    previews: list[QImage] = []
    app.controller.ownImage.connect(previews.append)

    async def scenario() -> None:
        window.start_view.start_button.click()
        await app.until(lambda: window.stack.currentWidget() is window.prejoin_view, 5, "pre-join")
        box = window.prejoin_view.background_box
        assert box.currentData() == "blur"
        assert not box.isEnabled()
        assert box.accessibleDescription() == LOCKED and box.toolTip() == LOCKED
        offered = [box.itemData(i) for i in range(box.count())]
        assert "choose" not in offered  # own pictures are not allowed
        await app.until(lambda: len(previews) > 15, 15, "previews")
        camera = cv2.resize(data.astronaut(), (360, 360), interpolation=cv2.INTER_AREA)
        assert wall_detail(image_rgb(previews[-1])) < 0.3 * wall_detail(camera)
        # the camera's menu in the meeting: the same effect, checked and not to be changed
        window.prejoin_view.join_button.click()
        await app.until(lambda: app.controller.state.value == "joined", 10, "joined")
        window.devices.camera_menu.click()
        menu = window.devices.camera_menu.findChild(QMenu)
        assert menu is not None
        actions = {a.text(): a for a in menu.actions()}
        assert "Background (set by your administrator)" in actions
        blur = actions["Blur"]
        assert blur.isChecked() and not blur.isEnabled()
        menu.close()

    app.run(scenario())


class RecordingMedia:
    """Stands in for the desktop media in one place: it keeps what the window asked for,
    and the sentence callback the real camera calls from its capture thread."""

    def __init__(self) -> None:
        self.choices: list[BackgroundChoice] = []
        self.turned_off: Callable[[str], None] | None = None

    def set_background(
        self, choice: BackgroundChoice, on_turned_off: Callable[[str], None]
    ) -> None:
        self.choices.append(choice)
        self.turned_off = on_turned_off


def test_an_effect_that_turns_itself_off_is_told_and_shown_off(
    qtbot: QtBot, tmp_path: Path
) -> None:
    settings = SettingsStore(QSettings(str(tmp_path / "runde.ini"), QSettings.Format.IniFormat))
    settings.update(background="blur-strong")
    view = PreJoinView()
    qtbot.addWidget(view)
    media = RecordingMedia()
    ui = BackgroundUi(media, settings, Policy.unrestricted(), view)
    ui.changed.connect(lambda: view.set_backgrounds(ui.choices(), ui.current, ui.locked))
    view.backgroundChosen.connect(ui.choose)
    told: list[str] = []
    ui.problem.connect(told.append)
    assert media.choices == [BackgroundChoice.parse("blur-strong")]  # the stored one, at once
    assert media.turned_off is not None
    callback = media.turned_off
    capture = threading.Thread(target=lambda: callback("too slow"))
    capture.start()
    capture.join()
    qtbot.waitUntil(lambda: bool(told), timeout=5000)
    assert "cannot keep up" in told[0]
    assert ui.current == "none"
    assert view.background_box.currentData() == "none"
    assert settings.load().background == "blur-strong"  # tried again next time
