"""Settings the user changes in the dialog reach the parts that use them."""

from __future__ import annotations

from collections.abc import Callable

from client.media.camera import CameraTrack
from client.ui.dialogs import SettingsDialog
from tests.gui.conftest import App


def test_sending_smaller_pictures_when_busy_is_on_and_can_be_turned_off(
    make_app: Callable[..., App],
) -> None:
    app = make_app()
    dialog = SettingsDialog(app.settings.load(), app.window)
    assert dialog.adapt_box.isChecked(), "on unless the user turns it off"
    assert dialog.adapt_box.accessibleName() == "Send a smaller picture while the computer is busy"
    dialog.adapt_box.setChecked(False)
    app.window.save_settings(dialog.changes(), dialog.turn_password())
    dialog.deleteLater()
    assert app.settings.load().adapt_camera_to_cpu is False
    camera = app.window.media.open_camera(lambda _: None, lambda _: None)
    try:
        assert isinstance(camera, CameraTrack) and camera.adapts_to_cpu is False
    finally:
        if camera is not None:
            camera.stop()
