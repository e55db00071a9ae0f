"""One participant's tile: their picture (or initials), name, muted and speaking marks, a
raised hand and a reaction."""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTransform,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from client.protocol.modules import Reaction
from client.ui.reactions import LOOKS, REACTION_SHOWN_MS, reaction_name
from client.ui.tile_pin import PinButton
from client.ui.video_sink import VideoSink

logger = logging.getLogger("runde.ui.video")

_BACKGROUND = QColor(32, 33, 36)
_SPEAKING = QColor(26, 115, 232)
_LABEL_BACKGROUND = QColor(0, 0, 0, 150)
_HAND_BACKGROUND = QColor(249, 171, 0)
_HAND_INK = QColor(32, 33, 36)


class VideoTile(QWidget):
    """Paints the latest picture 1:1 when it already has the tile's size (the cheap path).

    Signals:
        activated(str participant_id): double-click or Enter: pin this tile.
        boxChanged(QSize): the picture area changed; video sinks convert to this size.
    """

    activated = Signal(str)
    boxChanged = Signal(QSize)

    def __init__(self, participant_id: str, name: str, is_self: bool = False) -> None:
        super().__init__()
        self.participant_id = participant_id
        self.name = name
        self.is_self = is_self
        self.audio_on = True
        self.video_on = True
        self.video_paused = False  # the sender's connection is too thin for video
        self.speaking = False
        self.pinned = False
        self._image: QImage | None = None
        self._painted: QImage | None = None
        self.pictures_painted = 0  # distinct pictures on screen: what "fps" means to a viewer
        self.source: VideoSink | None = None  # where the pictures come from, for diagnostics
        # The name label, drawn once per text: text layout on every picture was a tenth of
        # the painting time with eight tiles.
        self._label: tuple[tuple[str, bool, bool, float], QImage] | None = None
        self.hand: int | None = None  # place in the queue of raised hands, from 1
        self.reaction: Reaction | None = None  # shown for a few seconds
        self._reaction_timer = QTimer(self)
        self._reaction_timer.setSingleShot(True)
        self._reaction_timer.setInterval(REACTION_SHOWN_MS)
        self._reaction_timer.timeout.connect(lambda: self.show_reaction(None))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 90)
        # Pinning as an action screen readers offer (AT-SPI "Press"), and for the mouse.
        self.pin_button = PinButton(self)
        self.pin_button.clicked.connect(lambda: self.activated.emit(self.participant_id))
        self._update_accessible_name()

    # ---- state --------------------------------------------------------------------------

    def set_image(self, image: QImage) -> None:
        self._image = image
        self.update()

    def set_media(self, audio_on: bool, video_on: bool) -> None:
        self.audio_on, self.video_on = audio_on, video_on
        if not video_on:
            self._image = None
        self._update_accessible_name()
        self.update()

    def set_video_paused(self, paused: bool) -> None:
        """The sender holds its pictures back (too thin a connection); its sound goes on."""
        if paused != self.video_paused:
            self.video_paused = paused
            self._update_accessible_name()
            self.update()

    def set_speaking(self, speaking: bool) -> None:
        if speaking != self.speaking:
            self.speaking = speaking
            self._update_accessible_name()
            self.update()

    def set_pinned(self, pinned: bool) -> None:
        self.pinned = pinned
        self._update_accessible_name()
        self.update()

    def set_hand(self, position: int | None) -> None:
        """``position``: the place in the queue of raised hands (1 first), None: not raised."""
        if position != self.hand:
            self.hand = position
            self._update_accessible_name()
            self.update()

    def show_reaction(self, reaction: Reaction | None) -> None:
        """Show ``reaction`` over the tile for a few seconds (a newer one replaces it)."""
        self.reaction = reaction
        if reaction is None:
            self._reaction_timer.stop()
        else:
            self._reaction_timer.start()
        self._update_accessible_name()
        self.update()

    def set_name(self, name: str) -> None:
        self.name = name
        self._update_accessible_name()
        self.update()

    def image(self) -> QImage | None:
        return self._image

    def _update_accessible_name(self) -> None:
        parts = [self.tr("You") if self.is_self else self.name]
        if not self.audio_on:
            parts.append(self.tr("microphone off"))
        if not self.video_on:
            parts.append(self.tr("camera off"))
        elif self.video_paused:
            parts.append(self.paused_text())
        if self.pinned:
            parts.append(self.tr("pinned"))
        if self.hand is not None:
            parts.append(self.tr("hand raised (%1)").replace("%1", str(self.hand)))
        reacted = ""
        if self.reaction is not None:
            reacted = self.tr("reaction: %1").replace("%1", reaction_name(self.reaction))
            parts.append(reacted)
        self.setAccessibleName(", ".join(parts))
        # Speaking changes often: a description, so a screen reader is not interrupted by it.
        said = [self.tr("speaking")] if self.speaking else []
        self.setAccessibleDescription(", ".join([*said, reacted] if reacted else said))
        self.setToolTip(self.tr("Double-click or press Enter to pin"))
        self.pin_button.label(self.tr("You") if self.is_self else self.name, self.pinned)

    # ---- Qt ----------------------------------------------------------------------------

    def resizeEvent(self, event: object) -> None:
        self.pin_button.keep_in_corner()
        self.boxChanged.emit(self.size())

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.activated.emit(self.participant_id)

    def keyPressEvent(self, event: object) -> None:
        key = getattr(event, "key", lambda: None)()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit(self.participant_id)
        else:
            super().keyPressEvent(event)  # type: ignore[arg-type]

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), _BACKGROUND)
        image = self._image
        if image is not None and self.video_on and not self.video_paused:
            if image is not self._painted:
                self._painted = image
                self.pictures_painted += 1
                if self.pictures_painted == 1 and not self.is_self:
                    # wall-clock, so a benchmark outside the process can time the join
                    logger.info("first remote picture painted at %.3f", time.time())
            x = (self.width() - image.width()) // 2
            y = (self.height() - image.height()) // 2
            if x >= 0 and y >= 0:
                painter.drawImage(x, y, image)  # already the tile's size: drawn 1:1
            else:  # larger than the tile (it shrank, or a self view): scale, keep the shape
                fitted = image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
                box = QRect(
                    (self.width() - fitted.width()) // 2,
                    (self.height() - fitted.height()) // 2,
                    fitted.width(),
                    fitted.height(),
                )
                painter.drawImage(box, image)
        else:
            self._paint_initials(painter)
            if self.video_on and self.video_paused:
                self._paint_note(painter, self.paused_text())
        self._paint_label(painter)
        if self.hand is not None:
            self._paint_hand(painter, self.hand)
        if self.reaction is not None:
            self._paint_reaction(painter, self.reaction)
        if self.speaking or self.hasFocus():
            pen = QPen(_SPEAKING if self.speaking else QColor(255, 255, 255), 3)
            painter.setPen(pen)
            painter.drawRect(self.rect().adjusted(1, 1, -2, -2))
        painter.end()

    def _paint_initials(self, painter: QPainter) -> None:
        initials = "".join(word[0] for word in self.name.split()[:2]).upper() or "?"
        font = QFont(self.font())
        font.setPointSize(max(12, self.height() // 6))
        painter.setFont(font)
        painter.setPen(QColor(230, 230, 230))
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, initials)

    def paused_text(self) -> str:
        if self.is_self:
            return self.tr("Your video is paused: your connection is too weak")
        return self.tr("Video paused: connection too weak")

    def _paint_note(self, painter: QPainter, text: str) -> None:
        painter.setFont(self.font())
        painter.setPen(QColor(230, 230, 230))
        box = self.rect().adjusted(8, 8, -8, -self.height() // 2)
        flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        painter.drawText(box, int(flags), text)

    def _paint_label(self, painter: QPainter) -> None:
        key = (self.name, self.audio_on, self.pinned, self.devicePixelRatioF())
        if self._label is None or self._label[0] != key:
            self._label = (key, self._render_label())
        label = self._label[1]
        height = round(label.height() / label.devicePixelRatio())
        painter.drawImage(QPoint(6, self.height() - height - 4), label)

    def _render_label(self) -> QImage:
        text = self.tr("%1 (you)").replace("%1", self.name) if self.is_self else self.name
        if not self.audio_on:
            text = self.tr("%1 · muted").replace("%1", text)
        if self.pinned:
            text = self.tr("%1 · pinned").replace("%1", text)
        metrics = QFontMetrics(self.font())
        box = QRect(0, 0, metrics.horizontalAdvance(text) + 12, metrics.height() + 6)
        ratio = self.devicePixelRatioF()
        label = QImage(
            round(box.width() * ratio),
            round(box.height() * ratio),
            QImage.Format.Format_ARGB32_Premultiplied,
        )
        label.setDevicePixelRatio(ratio)
        label.fill(_LABEL_BACKGROUND)
        painter = QPainter(label)
        painter.setFont(self.font())
        painter.setPen(QColor(255, 255, 255))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        painter.end()
        return label

    def _paint_hand(self, painter: QPainter, position: int) -> None:
        """A yellow mark in the top left corner: a drawn hand (no emoji font needed) and the
        place in the queue."""
        metrics = QFontMetrics(self.font())
        size = metrics.height() + 8
        number = str(position)
        box = QRectF(6, 6, size + metrics.horizontalAdvance(number) + 8, size)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_HAND_BACKGROUND)
        painter.drawRoundedRect(box, 5, 5)
        painter.setBrush(_HAND_INK)
        painter.drawPath(hand_path(QRectF(box.x() + 4, box.y() + 3, size - 6, size - 6)))
        painter.setPen(_HAND_INK)
        painter.setFont(self.font())
        text_box = box.adjusted(size, 0, -4, 0)
        painter.drawText(text_box, Qt.AlignmentFlag.AlignCenter, number)
        painter.restore()

    def _paint_reaction(self, painter: QPainter, reaction: Reaction) -> None:
        """The reaction's badge in the top right corner; its name beside it where no font has
        the emoji."""
        look = LOOKS[reaction]
        diameter = max(32, min(64, self.height() // 4))
        circle = QRectF(self.width() - diameter - 8, 8, diameter, diameter)
        look.paint(painter, circle, self.font())
        if look.can_show_emoji(self.font()):
            return
        name = reaction_name(reaction)
        metrics = QFontMetrics(self.font())
        width = metrics.horizontalAdvance(name) + 12
        height = metrics.height() + 6
        label = QRectF(circle.x() - width - 4, circle.center().y() - height / 2, width, height)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_LABEL_BACKGROUND)
        painter.drawRoundedRect(label, 4, 4)
        painter.setPen(QColor(255, 255, 255))
        painter.setFont(self.font())
        painter.drawText(label, Qt.AlignmentFlag.AlignCenter, name)
        painter.restore()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.LanguageChange):
            self._label = None
        super().changeEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(320, 180)


def hand_path(box: QRectF) -> QPainterPath:
    """A raised open hand in ``box``: palm, four fingers and the thumb."""
    w, h = box.width(), box.height()
    x, y = box.x(), box.y()
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.WindingFill)  # the overlaps are hand too
    path.addRoundedRect(QRectF(x + 0.22 * w, y + 0.45 * h, 0.62 * w, 0.55 * h), 0.12 * w, 0.12 * w)
    finger = 0.13 * w
    for index, top in enumerate((0.12, 0.0, 0.06, 0.2)):
        left = x + 0.22 * w + index * (finger + 0.033 * w)
        path.addRoundedRect(QRectF(left, y + top * h, finger, 0.6 * h), finger / 2, finger / 2)
    thumb = QPainterPath()
    thumb.addRoundedRect(QRectF(-finger / 2, -0.45 * h, finger, 0.45 * h), finger / 2, finger / 2)
    tilt = QTransform().translate(x + 0.3 * w, y + 0.85 * h).rotate(-40)
    path.addPath(tilt.map(thumb))
    return path.simplified()
