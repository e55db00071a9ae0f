"""What the user (or the administrator) chose to do with the camera's background.

Written as one short text, so settings, the policy and the command line share it:
``none``, ``blur``, ``blur-strong``, ``picture:NAME`` (a picture shipped with Runde, see
:mod:`client.media.background.pictures`) or ``file:PATH`` (the user's own picture).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class BackgroundKind(Enum):
    NONE = "none"
    BLUR = "blur"
    BLUR_STRONG = "blur-strong"
    PICTURE = "picture"  # shipped with Runde
    FILE = "file"  # the user's own


class BackgroundChoiceError(ValueError):
    """A background text that names no effect; the message says which and why."""


@dataclass(frozen=True)
class BackgroundChoice:
    kind: BackgroundKind = BackgroundKind.NONE
    picture: str = ""  # the shipped picture's name, or the user's file

    @property
    def is_on(self) -> bool:
        return self.kind is not BackgroundKind.NONE

    @property
    def is_blur(self) -> bool:
        return self.kind in (BackgroundKind.BLUR, BackgroundKind.BLUR_STRONG)

    @classmethod
    def parse(cls, text: str) -> BackgroundChoice:
        """The choice written as ``text``; raises BackgroundChoiceError."""
        from client.media.background.pictures import SHIPPED_PICTURES

        value = text.strip()
        for kind in (BackgroundKind.NONE, BackgroundKind.BLUR, BackgroundKind.BLUR_STRONG):
            if value == kind.value:
                return cls(kind)
        prefix, _, rest = value.partition(":")
        if prefix == "picture" and rest in SHIPPED_PICTURES:
            return cls(BackgroundKind.PICTURE, rest)
        if prefix == "file" and rest:
            return cls(BackgroundKind.FILE, rest)
        raise BackgroundChoiceError(
            f"background {text[:80]!r} is none of none, blur, blur-strong, "
            f"picture:{'|'.join(SHIPPED_PICTURES)} or file:PATH"
        )

    @classmethod
    def parse_or_none(cls, text: str) -> BackgroundChoice:
        """For stored settings: an unreadable value means no effect."""
        try:
            return cls.parse(text)
        except BackgroundChoiceError:
            return cls()

    def text(self) -> str:
        if self.kind in (BackgroundKind.PICTURE, BackgroundKind.FILE):
            return f"{self.kind.value}:{self.picture}"
        return str(self.kind.value)


NO_BACKGROUND_EFFECT = BackgroundChoice()
_EFFECT_NAMES = ("none", "blur", "blur-strong")


def background_argument(text: str | None, required: str | None) -> BackgroundChoice:
    """``--background``: an effect's name, or else a picture file; not given, the one the
    administrator requires (or none). Raises BackgroundChoiceError."""
    if text is None:
        return BackgroundChoice.parse(required or "none")
    if text in _EFFECT_NAMES or text.startswith(("picture:", "file:")):
        return BackgroundChoice.parse(text)
    return BackgroundChoice(BackgroundKind.FILE, text)
