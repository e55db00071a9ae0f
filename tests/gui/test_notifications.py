"""While the window is in the background, chat and raised hands are notified (tray, or the
taskbar's attention mark); while it is in front, nothing extra is said."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QApplication, QWidget

from tests.gui.conftest import App
from tests.gui.test_app import start_meeting


def test_chat_and_hands_are_notified_only_while_the_window_is_in_the_background(
    make_app: Callable[..., App],
) -> None:
    app = make_app()
    other = QWidget()  # another program's window, in front of the meeting
    other.setWindowTitle("Editor")
    other.resize(300, 200)

    async def scenario() -> None:
        link = await start_meeting(app)
        anna = app.colleague(link, "Anna", "00ff00", 440)
        await anna.join()
        app.window.activateWindow()
        await app.until(lambda: QApplication.activeWindow() is app.window, 5, "in front")
        await anna.session.send_chat("Guten Morgen")
        await app.until(
            lambda: app.controller.snapshot is not None and len(app.controller.snapshot.chat) == 1,
            5,
            "the chat arrives",
        )
        assert app.window.background.sent == []  # the window shows it already

        other.show()
        other.activateWindow()
        await app.until(lambda: QApplication.activeWindow() is other, 5, "in the background")
        await anna.session.send_chat("Bitte TOP 3 vorziehen")
        await app.until(lambda: len(app.window.background.sent) == 1, 5, "chat notified")
        assert app.window.background.sent[-1] == ("Chat message", "Anna: Bitte TOP 3 vorziehen")
        await anna.session.set_hand(True)
        await app.until(lambda: len(app.window.background.sent) == 2, 5, "hand notified")
        assert app.window.background.sent[-1] == ("Hand raised", "Anna raised their hand")
        assert app.window.background.sounds == 0  # no sound unless the user wants one
        app.settings.update(notification_sound=True)  # as the settings dialog saves it
        await anna.session.send_chat("Noch da?")
        await app.until(lambda: len(app.window.background.sent) == 3, 5, "chat notified")
        assert app.window.background.sounds == 1

    try:
        app.run(scenario())
    finally:
        other.close()
        other.deleteLater()
