"""The chat beside the meeting: messages to everyone and private ones, and a short notice
of a new message while the chat is closed.

Messages are other people's text: they are shown as plain text everywhere (inserted into the
document as text, never parsed as HTML), so no markup is rendered, no picture fetched and no
link opened.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QFont,
    QMouseEvent,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from client.call.events import ChatEntry
from client.protocol.modules import MAX_CHAT_CHARACTERS
from client.ui.message_text import MessageText
from client.ui.readable_colors import accent_color, muted_color

# From this many characters on, the input says how many are left.
_COUNT_FROM = MAX_CHAT_CHARACTERS - 500
NOTICE_CHARACTERS = 80
NOTICE_SHOWN_MS = 6000


class ChatPanel(QWidget):
    """Signals:
    sendRequested(str text, object to): ``to`` is a participant id, None for everyone
    closeRequested()
    """

    sendRequested = Signal(str, object)
    closeRequested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName(self.tr("Chat"))
        self.setMinimumWidth(260)
        self.setMaximumWidth(360)
        self._own_id: str | None = None
        self._pending: str | None = None  # sent, not yet back from the host
        self._people: list[tuple[str, str]] = []  # (id, name) of the others

        title = QLabel(self.tr("Chat"))
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setAccessibleName(self.tr("Close the chat"))
        self.close_button.clicked.connect(self.closeRequested)
        header = QHBoxLayout()
        header.addWidget(title, 1)
        header.addWidget(self.close_button)

        self.messages = QPlainTextEdit()
        self.messages.setReadOnly(True)
        self.messages.setTabChangesFocus(True)
        self.messages.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.messages.setAccessibleName(self.tr("Chat messages"))

        self.recipient = QComboBox()
        self.recipient.setAccessibleName(self.tr("Send to"))
        self.recipient.addItem(self.tr("Everyone"), None)
        # someone who left is offered only while chosen
        self.recipient.currentIndexChanged.connect(lambda _: self.set_participants(self._people))
        recipient_label = QLabel(self.tr("&To:"))
        recipient_label.setBuddy(self.recipient)
        to_row = QHBoxLayout()
        to_row.addWidget(recipient_label)
        to_row.addWidget(self.recipient, 1)

        self.input = QLineEdit()
        self.input.setPlaceholderText(self.tr("Write a message…"))
        self.input.setAccessibleName(self.tr("Chat message"))
        self.input.returnPressed.connect(self.send)
        self.input.textChanged.connect(self._text_changed)
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setAccessibleName(self.tr("Send the message"))
        self.send_button.clicked.connect(self.send)
        input_row = QHBoxLayout()
        input_row.addWidget(self.input, 1)
        input_row.addWidget(self.send_button)

        self.notice = MessageText(self.tr("Chat notice"))

        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(header)
        column.addWidget(self.messages, 1)
        column.addLayout(to_row)
        column.addLayout(input_row)
        column.addWidget(self.notice)

    # ---- messages -----------------------------------------------------------------------

    def clear(self) -> None:
        """A new meeting: no messages, no one to write to yet."""
        self.messages.clear()
        self._pending = None
        self.set_participants([])
        self.recipient.setCurrentIndex(0)
        self._show_notice("")

    def set_own_id(self, participant_id: str | None) -> None:
        self._own_id = participant_id

    def add_entry(self, entry: ChatEntry) -> None:
        """Append a message (as plain text) with its sender, recipient and time."""
        mine = entry.sender_id == self._own_id
        if entry.private:
            who = (
                self.tr("Privately to %1").replace("%1", entry.to_name or "?")
                if mine
                else self.tr("Privately from %1").replace("%1", entry.sender_name)
            )
        else:
            who = self.tr("You") if mine else entry.sender_name
        sent_at = entry.sent_at.astimezone().strftime("%H:%M")

        bar = self.messages.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() - 4
        cursor = QTextCursor(self.messages.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        if not self.messages.document().isEmpty():
            cursor.insertBlock()
        header = QTextCharFormat()
        header.setFontWeight(QFont.Weight.Bold)
        if entry.private:
            header.setForeground(accent_color(self.messages.palette()))
        cursor.insertText(who, header)
        time_format = QTextCharFormat()
        time_format.setForeground(muted_color(self.messages.palette()))
        cursor.insertText(f"  {sent_at}", time_format)
        cursor.insertBlock()
        cursor.insertText(entry.text, QTextCharFormat())  # text, never markup
        if at_end or mine:
            bar.setValue(bar.maximum())
        if mine and entry.text == self._pending:
            self._pending = None

    # ---- writing ------------------------------------------------------------------------

    def set_participants(self, people: Sequence[tuple[str, str]]) -> None:
        """Whom one can write to privately: (id, name) of everyone else, kept current.

        Someone chosen who has left stays chosen, marked as gone: the message is then
        refused with a sentence rather than sent to everyone instead.
        """
        self._people = list(people)
        chosen = self.recipient.currentData()
        entries = list(self._people)
        if chosen is not None and chosen not in {pid for pid, _ in entries}:
            gone = self.recipient.itemText(self.recipient.currentIndex())
            if not gone.endswith(self._left_suffix()):
                gone += self._left_suffix()
            entries.append((chosen, gone))
        self.recipient.blockSignals(True)
        while self.recipient.count() > 1:
            self.recipient.removeItem(1)
        for pid, name in entries:
            self.recipient.addItem(name, pid)
        self.recipient.setCurrentIndex(max(0, self.recipient.findData(chosen)))
        self.recipient.blockSignals(False)

    def _left_suffix(self) -> str:
        return self.tr(" (has left)")

    def send(self) -> None:
        text = self.input.text()
        if len(text) > MAX_CHAT_CHARACTERS:
            self._text_changed(text)  # the sentence says why nothing is sent
            return
        if not text.strip():
            return
        self._pending = text
        self.sendRequested.emit(text, self.recipient.currentData())
        self.input.clear()

    def message_refused(self, problem: str) -> None:
        """The last message did not go out: show why and give its text back."""
        if self._pending is None:
            return
        if not self.input.text():
            self.input.setText(self._pending)
        self._pending = None
        self._show_notice(self.tr("Not sent: %1").replace("%1", problem))

    def _text_changed(self, text: str) -> None:
        length = len(text)
        self.send_button.setEnabled(length <= MAX_CHAT_CHARACTERS)
        if length > MAX_CHAT_CHARACTERS:
            self._show_notice(
                self.tr("The message has %1 characters; at most %2 can be sent.")
                .replace("%1", str(length))
                .replace("%2", str(MAX_CHAT_CHARACTERS)),
                error=True,
            )
        elif length >= _COUNT_FROM:
            left = MAX_CHAT_CHARACTERS - length
            self._show_notice(self.tr("%1 characters left").replace("%1", str(left)))
        else:
            self._show_notice("")

    def _show_notice(self, text: str, error: bool = False) -> None:
        # An error is said at once; the characters left, changing with each key, are not.
        self.notice.announce = error
        self.notice.set_error(error)
        self.notice.setText(text)


def notice_text(entry: ChatEntry) -> str:
    """ "Anna: the first 80 characters…" on one line."""
    text = re.sub(r"\s+", " ", entry.text).strip()
    if len(text) > NOTICE_CHARACTERS:
        text = text[:NOTICE_CHARACTERS].rstrip() + "…"
    return f"{entry.sender_name}: {text}"


class ChatToast(QLabel):
    """A new message while the chat is closed, for a few seconds over the meeting (plain
    text); a click opens the chat.

    Signals:
        clicked()
    """

    clicked = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setMaximumWidth(420)
        self.setAccessibleName(self.tr("New chat message"))
        self.setStyleSheet(
            "background: rgba(32, 33, 36, 230); color: white; padding: 8px; border-radius: 6px"
        )
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(NOTICE_SHOWN_MS)
        self._timer.timeout.connect(self.hide)

    def show_text(self, text: str, bottom_right: tuple[int, int]) -> None:
        self.setText(text)
        self.setAccessibleDescription(text)
        self.adjustSize()
        right, bottom = bottom_right
        self.move(max(0, right - self.width()), max(0, bottom - self.height()))
        self.raise_()
        self.show()
        self._timer.start()
        if QAccessible.isActive():  # a screen reader reads it out
            QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(self, text))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.hide()
        self.clicked.emit()
