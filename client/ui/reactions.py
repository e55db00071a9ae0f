"""The eight reactions as the window shows them: emoji, name, badge colour, and their menu."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QPoint, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QMenu, QWidget

from client.protocol.modules import Reaction

# How long a reaction stays over its sender's tile.
REACTION_SHOWN_MS = 3000


@dataclass(frozen=True)
class ReactionLook:
    emoji: str
    # A fixed colour per reaction for the badge: it carries the reaction where no emoji font
    # exists, and tells tests which reaction a tile shows.
    color: QColor

    @property
    def codepoint(self) -> int:
        return ord(self.emoji[0])

    def paint(self, painter: QPainter, circle: QRectF, font: QFont) -> None:
        """The badge: a filled circle in the reaction's colour, the emoji in it where a font
        has it."""
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.color)
        painter.drawEllipse(circle)
        emoji_font = QFont(font)
        emoji_font.setPixelSize(max(6, round(circle.height() / 2)))
        if QFontMetrics(emoji_font).inFontUcs4(self.codepoint):
            painter.setFont(emoji_font)
            painter.setPen(QColor(255, 255, 255))  # for fonts without colour glyphs
            painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, self.emoji)
        painter.restore()

    def can_show_emoji(self, font: QFont) -> bool:
        return QFontMetrics(font).inFontUcs4(self.codepoint)


LOOKS: dict[Reaction, ReactionLook] = {
    Reaction.THUMBS_UP: ReactionLook("\N{THUMBS UP SIGN}", QColor(255, 193, 7)),
    Reaction.THUMBS_DOWN: ReactionLook("\N{THUMBS DOWN SIGN}", QColor(121, 85, 72)),
    Reaction.HEART: ReactionLook(
        "\N{HEAVY BLACK HEART}\N{VARIATION SELECTOR-16}", QColor(233, 30, 99)
    ),
    Reaction.JOY: ReactionLook("\N{FACE WITH TEARS OF JOY}", QColor(255, 235, 59)),
    Reaction.SMILING_FACE_WITH_TEAR: ReactionLook(
        "\N{SMILING FACE WITH TEAR}", QColor(3, 169, 244)
    ),
    Reaction.OPEN_MOUTH: ReactionLook("\N{FACE WITH OPEN MOUTH}", QColor(156, 39, 176)),
    Reaction.TADA: ReactionLook("\N{PARTY POPPER}", QColor(255, 87, 34)),
    Reaction.CLAP: ReactionLook("\N{CLAPPING HANDS SIGN}", QColor(0, 150, 136)),
}


def reaction_name(reaction: Reaction) -> str:
    """The reaction's name in the user's language."""
    translate = QCoreApplication.translate
    names = {
        Reaction.THUMBS_UP: translate("Reactions", "Thumbs up"),
        Reaction.THUMBS_DOWN: translate("Reactions", "Thumbs down"),
        Reaction.HEART: translate("Reactions", "Heart"),
        Reaction.JOY: translate("Reactions", "Laughing"),
        Reaction.SMILING_FACE_WITH_TEAR: translate("Reactions", "Touched"),
        Reaction.OPEN_MOUTH: translate("Reactions", "Surprised"),
        Reaction.TADA: translate("Reactions", "Celebrate"),
        Reaction.CLAP: translate("Reactions", "Applause"),
    }
    return names[reaction]


def parse_reaction(value: str) -> Reaction | None:
    try:
        return Reaction(value)
    except ValueError:
        return None


class ReactionMenu(QMenu):
    """The eight reactions, emoji and name, chosen with the mouse or the arrow keys and Enter.

    Signals:
        chosen(str reaction value)
    """

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Reactions"))
        self.setAccessibleName(self.tr("Reactions"))
        size = self.style().pixelMetric(self.style().PixelMetric.PM_SmallIconSize) + 8
        self.setStyleSheet(f"QMenu {{ icon-size: {size}px; }}")
        for reaction, look in LOOKS.items():
            icon = QPixmap(size * 2, size * 2)  # drawn sharp on high-density screens too
            icon.setDevicePixelRatio(2.0)
            icon.fill(Qt.GlobalColor.transparent)
            painter = QPainter(icon)
            look.paint(painter, QRectF(0, 0, size, size), self.font())
            painter.end()
            action = self.addAction(QIcon(icon), reaction_name(reaction))
            action.setData(reaction.value)
            action.triggered.connect(lambda _=False, value=reaction.value: self.chosen.emit(value))

    def open_at(self, widget: QWidget) -> None:
        """Pop up above ``widget`` (without blocking the loop), the first reaction selected."""
        above = QPoint(0, self.sizeHint().height())
        self.popup(widget.mapToGlobal(widget.rect().topLeft()) - above)
        self.setActiveAction(self.actions()[0])
