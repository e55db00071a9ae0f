"""The user's settings, typed, stored with QSettings in the platform's standard place."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from PySide6.QtCore import QSettings

ORGANIZATION = "Runde"
APPLICATION = "Runde"


@dataclass(frozen=True)
class UserSettings:
    display_name: str = ""
    camera: str = ""  # device spec; empty = the first camera found
    microphone: str = ""  # sounddevice name; empty = system default
    speaker: str = ""
    microphone_on: bool = True
    camera_on: bool = True
    video_width: int = 1280
    video_height: int = 720
    video_fps: int = 30
    # send a smaller camera picture while this computer cannot encode every one
    adapt_camera_to_cpu: bool = True
    language: str = ""  # empty = follow the system locale
    # the user's own TURN server; its password lives in the OS keyring (client.secrets)
    turn_server: str = ""
    turn_username: str = ""
    side_panel_width: int = 320  # as the user last dragged it
    notification_sound: bool = False  # a sound with notifications while in the background
    # behind the person on the camera: none, blur, blur-strong, picture:NAME, file:PATH
    background: str = "none"


def _coerce(value: Any, default: Any) -> Any:
    # QSettings' INI backend hands back strings for everything: convert to the field's type.
    if isinstance(default, bool):
        return value if isinstance(value, bool) else str(value).lower() in ("true", "1")
    if isinstance(default, int):
        try:
            return int(value)
        except (TypeError, ValueError):
            return default
    return str(value)


class SettingsStore:
    """Loads and saves :class:`UserSettings`; a broken stored value falls back to its default."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self._settings = settings or QSettings(ORGANIZATION, APPLICATION)

    def load(self) -> UserSettings:
        defaults = UserSettings()
        values = {}
        for item in fields(UserSettings):
            default = getattr(defaults, item.name)
            stored = self._settings.value(f"user/{item.name}", default)
            values[item.name] = _coerce(stored, default)
        return replace(defaults, **values)

    def save(self, settings: UserSettings) -> None:
        for item in fields(UserSettings):
            self._settings.setValue(f"user/{item.name}", getattr(settings, item.name))
        self._settings.sync()

    def update(self, **changes: Any) -> UserSettings:
        settings = replace(self.load(), **changes)
        self.save(settings)
        return settings
