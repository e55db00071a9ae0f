"""The microphone and camera buttons: each shows its state beyond doubt, not the action.

"Microphone off" on a button can mean "it is off" or "press to turn it off". These buttons
are toggles, checked while the device is on, say "Microphone: on" / "Microphone: off", draw
the device crossed out when it is off (a shape, not only a colour, in the palette's text
colour), name the action in the tooltip and give screen readers the state as a sentence.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QIcon,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QPushButton, QWidget


class Device(Enum):
    MICROPHONE = "microphone"
    CAMERA = "camera"


class MediaToggleButton(QPushButton):
    """Checked while ``device`` is on; ``keys`` is its shortcut (an action of the view)."""

    def __init__(self, device: Device, keys: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.device = device
        self.keys = keys
        self.locked_note = ""  # "Set by your administrator": then the state cannot change
        self.unavailable_note = ""  # why the device does not work (then it shows as such)
        self.setCheckable(True)
        self.setIconSize(QSize(20, 20))
        self.toggled.connect(self._show)
        self._show(self.isChecked())

    def set_on(self, on: bool) -> None:
        """Show ``on`` without emitting ``toggled`` (the state came from elsewhere)."""
        self.blockSignals(True)
        self.setChecked(on)
        self.blockSignals(False)
        self._show(on)

    def set_locked(self, note: str | None) -> None:
        """``note`` says who fixed the state (the button is then disabled); None unlocks."""
        self.locked_note = note or ""
        self.setEnabled(note is None)
        self._show(self.isChecked())

    def set_unavailable(self, note: str | None) -> None:
        """``note`` says why the device does not work (shown crossed out, "unavailable");
        None: it works again. The button stays usable: it still says what the user wants."""
        self.unavailable_note = note or ""
        self._show(self.isChecked())

    def _show(self, on: bool) -> None:
        microphone = self.device is Device.MICROPHONE
        if microphone:
            text = self.tr("Microphone: on") if on else self.tr("Microphone: off")
            name = self.tr("Microphone (%1)")
            action = (
                self.tr("Turn the microphone off (%1)")
                if on
                else self.tr("Turn the microphone on (%1)")
            )
            state = (
                self.tr("The microphone is on: the others hear you.")
                if on
                else self.tr("The microphone is off: the others do not hear you.")
            )
        else:
            text = self.tr("Camera: on") if on else self.tr("Camera: off")
            name = self.tr("Camera (%1)")
            action = (
                self.tr("Turn the camera off (%1)") if on else self.tr("Turn the camera on (%1)")
            )
            state = (
                self.tr("The camera is on: the others see you.")
                if on
                else self.tr("The camera is off: the others do not see you.")
            )
        if self.unavailable_note:
            text = (
                self.tr("Microphone: unavailable") if microphone else self.tr("Camera: unavailable")
            )
            state = self.unavailable_note
        keys = QKeySequence(self.keys).toString(QKeySequence.SequenceFormat.NativeText)
        self.setText(text)
        self.setAccessibleName(name.replace("%1", keys))
        self.setAccessibleDescription(self.locked_note or state)
        self.setToolTip(self.locked_note or self.unavailable_note or action.replace("%1", keys))
        self._paint_icon()

    def _paint_icon(self) -> None:
        size = self.iconSize()
        ratio = self.devicePixelRatioF()
        icon = QIcon()
        on = self.isChecked() and not self.unavailable_note
        for mode, group in (
            (QIcon.Mode.Normal, QPalette.ColorGroup.Active),
            (QIcon.Mode.Disabled, QPalette.ColorGroup.Disabled),
        ):
            color = self.palette().color(group, QPalette.ColorRole.ButtonText)
            icon.addPixmap(device_pixmap(self.device, on, color, size, ratio), mode)
        self.setIcon(icon)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._paint_icon()
        elif event.type() == QEvent.Type.LanguageChange:
            self._show(self.isChecked())
        super().changeEvent(event)


def device_pixmap(device: Device, on: bool, color: QColor, size: QSize, ratio: float) -> QPixmap:
    """The device drawn in ``color`` on transparent ground; crossed out when not ``on``."""
    pixmap = QPixmap(round(size.width() * ratio), round(size.height() * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    w, h = float(size.width()), float(size.height())
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    stroke = max(1.5, w / 11)
    if device is Device.MICROPHONE:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(QRectF(0.36 * w, 0.06 * h, 0.28 * w, 0.52 * h), 0.14 * w, 0.14 * w)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(color, stroke, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        holder = QPainterPath()
        holder.moveTo(0.22 * w, 0.42 * h)
        holder.cubicTo(0.22 * w, 0.86 * h, 0.78 * w, 0.86 * h, 0.78 * w, 0.42 * h)
        painter.drawPath(holder)
        painter.drawLine(QPointF(0.5 * w, 0.76 * h), QPointF(0.5 * w, 0.92 * h))
        painter.drawLine(QPointF(0.34 * w, 0.92 * h), QPointF(0.66 * w, 0.92 * h))
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(QRectF(0.04 * w, 0.26 * h, 0.62 * w, 0.48 * h), 0.08 * w, 0.08 * w)
        lens = QPainterPath()
        lens.moveTo(0.7 * w, 0.5 * h)
        lens.lineTo(0.96 * w, 0.3 * h)
        lens.lineTo(0.96 * w, 0.7 * h)
        lens.closeSubpath()
        painter.drawPath(lens)
    if not on:
        start, end = QPointF(0.1 * w, 0.1 * h), QPointF(0.9 * w, 0.9 * h)
        # a gap cut along the slash, so it reads as crossed out on any background
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Clear)
        painter.setPen(
            QPen(Qt.GlobalColor.black, 3 * stroke, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        )
        painter.drawLine(start + QPointF(0.06 * w, -0.06 * h), end + QPointF(0.06 * w, -0.06 * h))
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
        painter.setPen(QPen(color, stroke, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.drawLine(start, end)
    painter.end()
    return pixmap
