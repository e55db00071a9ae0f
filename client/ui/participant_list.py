"""The participant list: everyone in the meeting, raised hands first in the order they went up."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from client.ui.video_tile import hand_path

_ID = Qt.ItemDataRole.UserRole
RAISED_HAND = "\N{RAISED HAND}"


class ParticipantList(QListWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName(self.tr("Participants"))
        self._people: dict[str, tuple[str, bool]] = {}  # id -> (name, is_self), join order
        self._hands: tuple[str, ...] = ()
        self._states: dict[str, tuple[bool, bool, bool]] = {}  # id -> (audio, video, moderator)
        self._hand_icon: QIcon | None = None

    def add(self, participant_id: str, name: str, is_self: bool = False) -> None:
        self._people[participant_id] = (name, is_self)
        self._fill()

    def rename(self, participant_id: str, name: str) -> None:
        if (known := self._people.get(participant_id)) is not None:
            self._people[participant_id] = (name, known[1])
            self._fill()

    def set_state(self, participant_id: str, audio: bool, video: bool, moderator: bool) -> None:
        """What the others see of this person: microphone, camera, role."""
        state = (audio, video, moderator)
        if participant_id in self._people and self._states.get(participant_id) != state:
            self._states[participant_id] = state
            self._fill()

    def remove(self, participant_id: str) -> None:
        self._states.pop(participant_id, None)
        if self._people.pop(participant_id, None) is not None:
            self._fill()

    def set_hands(self, queue: Sequence[str]) -> None:
        """``queue``: participant ids with a raised hand, in the order they went up."""
        self._hands = tuple(queue)
        self._fill()

    def ids(self) -> list[str]:
        """The participant ids in the order shown."""
        return [str(self.item(row).data(_ID)) for row in range(self.count())]

    def _fill(self) -> None:
        current = self.currentItem()
        keep = current.data(_ID) if current is not None else None
        raised = [pid for pid in self._hands if pid in self._people]
        others = [pid for pid in self._people if pid not in raised]
        self.clear()
        for position, participant_id in enumerate(raised + others, start=1):
            name, is_self = self._people[participant_id]
            label = self.tr("%1 (you)").replace("%1", name) if is_self else name
            label = " · ".join([label, *self._state_words(participant_id)])
            text, accessible = label, label
            icon = QIcon()
            if participant_id in raised:
                # the emoji where a font has it, else a drawn hand
                if QFontMetrics(self.font()).inFontUcs4(ord(RAISED_HAND)):
                    text = f"{RAISED_HAND} {position} {label}"
                else:
                    text, icon = f"{position} {label}", self._drawn_hand()
                accessible = self.tr("%1, hand raised (%2)").replace("%1", label)
                accessible = accessible.replace("%2", str(position))
            item = QListWidgetItem(icon, text)
            item.setData(_ID, participant_id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, accessible)
            self.addItem(item)
            if participant_id == keep:
                self.setCurrentItem(item)

    def _state_words(self, participant_id: str) -> list[str]:
        audio, video, moderator = self._states.get(participant_id, (True, True, False))
        words = [] if audio else [self.tr("muted")]
        if not video:
            words.append(self.tr("camera off"))
        if moderator:
            words.append(self.tr("moderator"))
        return words

    def _drawn_hand(self) -> QIcon:
        if self._hand_icon is None:
            size = self.style().pixelMetric(self.style().PixelMetric.PM_SmallIconSize)
            pixmap = QPixmap(size * 2, size * 2)
            pixmap.setDevicePixelRatio(2.0)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(249, 171, 0))
            painter.drawPath(hand_path(QRectF(1, 1, size - 2, size - 2)))
            painter.end()
            self._hand_icon = QIcon(pixmap)
        return self._hand_icon
