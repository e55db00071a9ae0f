"""Chat, raised hands and reactions in the app, with real colleagues in the meeting.

The colleagues are headless participants in this process (tests/gui/conftest.py); what they
received is read from their stats, what the app shows from its widgets and their pixels.
Keys are pressed on the real window, as a person would.
"""

from __future__ import annotations

import asyncio
import threading
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PySide6.QtCore import Qt, QTranslator
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QTextBlock,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from client import i18n
from client.headless import HeadlessParticipant
from client.protocol.modules import MAX_CHAT_CHARACTERS, Reaction
from client.ui.dialogs import shortcuts
from client.ui.meeting_view import SELF_ID
from client.ui.reactions import LOOKS
from tests.gui.conftest import App
from tests.gui.test_app import BLUE, GREEN, start_meeting, tile_of
from tests.gui.test_join_existing import meeting_host
from tests.helpers import HostProcess

__all__ = ["meeting_host"]

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


class _Recorder(BaseHTTPRequestHandler):
    requests: list[str]

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def web_server() -> Iterator[tuple[int, list[str]]]:
    """A real HTTP server on 127.0.0.1 that records every request: the port and the paths."""
    requests: list[str] = []
    handler = type("Recorder", (_Recorder,), {"requests": requests})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/probe", timeout=5):
        pass
    assert requests == ["/probe"]  # it records what it is asked for
    requests.clear()
    yield port, requests
    server.shutdown()
    server.server_close()
    thread.join(5)


async def press(app: App, key: Qt.Key, modifiers: Qt.KeyboardModifier = CTRL_SHIFT) -> None:
    """A key pressed on the app's window (which must be the active one, as on a desktop)."""
    app.window.activateWindow()
    await app.until(lambda: QApplication.activeWindow() is app.window, 5, "the window active")
    QTest.keyClick(app.window, key, modifiers)


async def joined(app: App, *colleagues: HeadlessParticipant) -> None:
    for colleague in colleagues:
        await colleague.join()
    everyone = 1 + len(colleagues)
    await app.until(lambda: len(app.window.meeting_view.tiles) == everyone, 10, "all tiles")
    await app.until(
        lambda: all(len(c.session.participants) == everyone - 1 for c in colleagues),
        10,
        "the colleagues see everyone",
    )


def own_id(app: App) -> str:
    snapshot = app.controller.snapshot
    assert snapshot is not None and snapshot.participant_id is not None
    return snapshot.participant_id


def texts_of(colleague: HeadlessParticipant) -> list[str]:
    return [entry.text for entry in colleague.stats.chat]


def _blocks(document: QTextDocument) -> Iterator[QTextBlock]:
    block = document.begin()
    while block.isValid():
        yield block
        block = block.next()


def message_blocks(app: App) -> list[tuple[str, list[QTextCharFormat]]]:
    """The chat's lines as shown, each with the formats of its pieces."""
    lines = []
    for block in _blocks(app.window.meeting_view.chat_panel.messages.document()):
        formats = []
        fragments = block.begin()
        while not fragments.atEnd():
            formats.append(fragments.fragment().charFormat())
            fragments += 1
        lines.append((block.text(), formats))
    return lines


def rows(app: App) -> list[str]:
    """The participant list as read: a drawn hand (where no font has the emoji) read as ✋."""
    people = app.window.meeting_view.participant_list
    items = [people.item(row) for row in range(people.count())]
    return [("\N{RAISED HAND} " if not i.icon().isNull() else "") + i.text() for i in items]


def color_pixels(widget: QWidget, color: QColor) -> int:
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    wanted = color.rgb()
    return sum(
        1
        for y in range(0, image.height(), 2)
        for x in range(0, image.width(), 2)
        if image.pixel(x, y) == wanted
    )


def test_markup_in_messages_is_shown_as_text_and_nothing_is_fetched(
    make_app: Callable[..., App], web_server: tuple[int, list[str]]
) -> None:
    app = make_app()
    port, requests = web_server
    markup = [
        f'<img src="http://127.0.0.1:{port}/x">',
        f'<a href="http://127.0.0.1:{port}/y">link</a>',
        "<b>fett</b>",
    ]
    view = app.window.meeting_view
    panel = view.chat_panel
    toast = app.window.modules.toast

    def notice_is(text: str) -> Callable[[], bool]:
        return lambda: toast.text() == text

    async def scenario() -> None:
        link = await start_meeting(app)
        anna = app.colleague(link, "Anna", BLUE, 440)
        await joined(app, anna)
        for text in markup:
            await anna.session.send_chat(text)
            # the notice while the chat is closed: literal text, never rich text
            await app.until(notice_is(f"Anna: {text}"), 5, "the notice")
            assert toast.isVisible() and toast.textFormat() == Qt.TextFormat.PlainText
            assert not toast.toolTip()
        assert view.chat_button.text() == "Chat (3)"
        assert requests == []

        await press(app, Qt.Key.Key_C)
        assert panel.isVisible()
        await asyncio.sleep(0.3)
        panel.grab()  # painted, as on screen
        lines = dict(message_blocks(app))
        for text in markup:
            assert text in lines, lines.keys()
            for piece in lines[text]:
                assert not piece.isImageFormat() and not piece.isAnchor()
                assert piece.fontWeight() == QFont.Weight.Normal
        assert all(text in panel.messages.toPlainText().splitlines() for text in markup)
        assert panel.messages.document().toHtml().count("<img") == 0
        # Drawn as the literal string in the normal font: as wide as that, not bold "fett".
        document = panel.messages.document()
        bold_line = next(b for b in _blocks(document) if b.text() == "<b>fett</b>")
        drawn = bold_line.layout().lineAt(0).naturalTextWidth()
        metrics = QFontMetricsF(panel.messages.font())
        assert abs(drawn - metrics.horizontalAdvance("<b>fett</b>")) < 1.5, drawn

        await asyncio.sleep(1.0)
        assert requests == [], requests  # no picture fetched, no link followed

    app.run(scenario())


def test_messages_typed_in_the_app_reach_everyone_or_only_the_addressee(
    make_app: Callable[..., App],
) -> None:
    app = make_app()
    view = app.window.meeting_view
    panel = view.chat_panel

    async def scenario() -> None:
        link = await start_meeting(app)
        anna = app.colleague(link, "Anna", BLUE, 440)
        bernd = app.colleague(link, "Bernd", GREEN, 550)
        await joined(app, anna, bernd)

        await press(app, Qt.Key.Key_C)  # the chat opens with the focus in the input
        assert panel.isVisible() and view.chat_button.isChecked()
        await app.until(lambda: panel.input.hasFocus(), 2, "the input has the focus")
        QTest.keyClicks(panel.input, "Hallo zusammen")
        QTest.keyClick(panel.input, Qt.Key.Key_Return)
        assert panel.input.text() == ""
        await app.until(
            lambda: texts_of(anna) == texts_of(bernd) == ["Hallo zusammen"], 5, "both have it"
        )

        # Privately to Bernd, chosen in the picker by name.
        names = [panel.recipient.itemText(i) for i in range(panel.recipient.count())]
        assert names == ["Everyone", "Anna", "Bernd"]
        panel.recipient.setCurrentIndex(names.index("Bernd"))
        panel.input.setFocus()
        QTest.keyClicks(panel.input, "Nur an Bernd")
        QTest.keyClick(panel.input, Qt.Key.Key_Return)
        await app.until(lambda: len(bernd.stats.chat) == 2, 5, "Bernd has the private one")
        await asyncio.sleep(0.5)
        private = bernd.stats.chat[1]
        assert private.text == "Nur an Bernd" and private.to_id == bernd.session.participant_id
        assert private.sender_id == own_id(app)
        assert texts_of(anna) == ["Hallo zusammen"]
        assert texts_of(bernd) == ["Hallo zusammen", "Nur an Bernd"]
        # The app shows each once: the host's echo, nothing added locally.
        shown = panel.messages.toPlainText().splitlines()
        assert shown.count("Hallo zusammen") == 1 and shown.count("Nur an Bernd") == 1
        assert any(line.startswith("Privately to Bernd") for line in shown)
        assert view.chat_button.text() == "Chat"  # open: nothing counts as unread

        # Too long: refused in the input with a sentence, nothing sent.
        panel.input.setText("x" * (MAX_CHAT_CHARACTERS + 1))
        assert panel.notice.isVisible() and "4001" in panel.notice.text()
        assert not panel.send_button.isEnabled()
        QTest.keyClick(panel.input, Qt.Key.Key_Return)
        panel.input.setText("")
        assert not panel.notice.isVisible()

        # Bernd leaves while chosen: the picker says so, and the message is refused.
        await bernd.leave()
        await app.until(
            lambda: panel.recipient.currentText() == "Bernd (has left)", 5, "Bernd left"
        )
        QTest.keyClicks(panel.input, "Bist du noch da?")
        QTest.keyClick(panel.input, Qt.Key.Key_Return)
        await app.until(lambda: "has left the meeting" in panel.notice.text(), 5, "refused")
        assert panel.input.text() == "Bist du noch da?"  # given back to send again
        panel.recipient.setCurrentIndex(0)
        names = [panel.recipient.itemText(i) for i in range(panel.recipient.count())]
        assert names == ["Everyone", "Anna"]
        await asyncio.sleep(0.3)
        assert texts_of(anna) == ["Hallo zusammen"]

    app.run(scenario())


def test_unread_messages_are_counted_while_the_chat_is_closed(
    make_app: Callable[..., App], meeting_host: HostProcess
) -> None:
    app = make_app()
    view = app.window.meeting_view
    toast = app.window.modules.toast

    async def scenario() -> None:
        anna = app.colleague(meeting_host.link, "Anna", BLUE, 440)
        await anna.join()
        await anna.session.send_chat("Schon vorher gesagt")
        app.window.open_link(meeting_host.link, prejoin=False)
        await app.until(lambda: app.controller.state.value == "joined", 10, "joined")
        # What was said before we came is history: shown, but neither unread nor announced.
        await app.until(
            lambda: "Schon vorher gesagt" in view.chat_panel.messages.toPlainText(), 5, "history"
        )
        await asyncio.sleep(0.3)
        assert view.chat_button.text() == "Chat" and not toast.isVisible()

        await app.until(lambda: len(anna.session.participants) == 1, 5, "Anna sees the app")
        await anna.session.send_chat("Eins")
        await anna.session.send_chat("Zwei " + "lang " * 40)
        await app.until(lambda: view.chat_button.text() == "Chat (2)", 5, "two unread")
        assert view.chat_button.accessibleName() == "Chat, 2 unread (Ctrl+Shift+C)"
        assert toast.isVisible()
        assert toast.text() == "Anna: " + ("Zwei " + "lang " * 40)[:80].rstrip() + "…"

        await press(app, Qt.Key.Key_C)
        assert view.chat_panel.isVisible() and not toast.isVisible()
        assert view.chat_button.text() == "Chat"
        assert view.chat_button.accessibleName() == "Chat (Ctrl+Shift+C)"
        await anna.session.send_chat("Drei")  # read at once: the chat is open
        await app.until(lambda: "Drei" in view.chat_panel.messages.toPlainText(), 5, "Drei")
        assert view.chat_button.text() == "Chat"

        await press(app, Qt.Key.Key_C)
        assert not view.chat_panel.isVisible()
        await anna.session.send_chat("Vier")
        await app.until(lambda: view.chat_button.text() == "Chat (1)", 5, "one unread")

    app.run(scenario())


def test_raised_hands_in_queue_order_on_tiles_and_in_the_list(
    make_app: Callable[..., App],
) -> None:
    app = make_app()
    view = app.window.meeting_view

    async def scenario() -> None:
        link = await start_meeting(app)
        anna = app.colleague(link, "Anna", BLUE, 440)
        bernd = app.colleague(link, "Bernd", GREEN, 550)
        await joined(app, anna, bernd)
        anna_tile, bernd_tile = tile_of(app, "Anna"), tile_of(app, "Bernd")
        assert anna_tile is not None and bernd_tile is not None
        bernd_id = bernd.session.participant_id

        await bernd.session.set_hand(True)
        await app.until(lambda: bernd_tile.hand == 1, 5, "Bernd's hand")
        await anna.session.set_hand(True)
        await app.until(lambda: anna_tile.hand == 2, 5, "Anna's hand after Bernd's")
        assert rows(app) == [
            "\N{RAISED HAND} 1 Bernd",
            "\N{RAISED HAND} 2 Anna",
            "Ute (you) · moderator",
        ]  # the host moderates
        people = view.participant_list
        assert people.item(0).data(Qt.ItemDataRole.AccessibleTextRole) == ("Bernd, hand raised (1)")
        assert "hand raised (1)" in bernd_tile.accessibleName()
        assert "hand raised (2)" in anna_tile.accessibleName()
        yellow = QColor(249, 171, 0)
        assert color_pixels(bernd_tile, yellow) > 20  # the hand mark is drawn
        assert color_pixels(view.tiles[SELF_ID], yellow) == 0

        await bernd.session.set_hand(False)
        await app.until(lambda: bernd_tile.hand is None and anna_tile.hand == 1, 5, "lowered")
        assert "hand raised" not in bernd_tile.accessibleName()
        assert color_pixels(bernd_tile, yellow) == 0
        await bernd.session.set_hand(True)
        await app.until(lambda: bernd_tile.hand == 2, 5, "Bernd's hand again")
        await bernd.leave()
        await app.until(lambda: bernd_id not in view.participant_list.ids(), 5, "Bernd gone")
        assert rows(app) == ["\N{RAISED HAND} 1 Anna", "Ute (you) · moderator"]

        # Our own hand, by the shortcut on the window.
        assert view.hand_button.text() == "Raise hand" and not view.hand_button.isChecked()
        await press(app, Qt.Key.Key_H)
        await app.until(lambda: own_id(app) in anna.stats.hands, 5, "Anna sees our hand")
        assert anna.stats.hands == (anna.session.participant_id, own_id(app))
        await app.until(lambda: view.tiles[SELF_ID].hand == 2, 5, "our tile's mark")
        assert view.hand_button.isChecked() and view.hand_button.text() == "Lower hand"
        assert rows(app)[1] == "\N{RAISED HAND} 2 Ute (you) · moderator"
        view.hand_button.click()
        await app.until(lambda: own_id(app) not in anna.stats.hands, 5, "lowered for Anna")
        await app.until(lambda: not view.hand_button.isChecked(), 5, "the button follows")
        assert view.tiles[SELF_ID].hand is None

    app.run(scenario())


def test_reactions_show_over_the_senders_tile_for_a_few_seconds(
    make_app: Callable[..., App],
) -> None:
    app = make_app()
    view = app.window.meeting_view
    menu = app.window.modules.menu

    async def scenario() -> None:
        link = await start_meeting(app)
        anna = app.colleague(link, "Anna", BLUE, 440)
        bernd = app.colleague(link, "Bernd", GREEN, 550)
        await joined(app, anna, bernd)
        anna_tile, bernd_tile = tile_of(app, "Anna"), tile_of(app, "Bernd")
        assert anna_tile is not None and bernd_tile is not None
        clap = LOOKS[Reaction.CLAP].color

        await anna.session.react(Reaction.CLAP)
        await app.until(lambda: anna_tile.reaction is Reaction.CLAP, 5, "Anna's reaction")
        assert color_pixels(anna_tile, clap) > 50
        assert color_pixels(bernd_tile, clap) == 0
        assert color_pixels(view.tiles[SELF_ID], clap) == 0
        assert "Applause" in anna_tile.accessibleName()
        assert "Applause" in anna_tile.accessibleDescription()
        await asyncio.sleep(3.5)
        assert anna_tile.reaction is None and color_pixels(anna_tile, clap) == 0
        assert "Applause" not in anna_tile.accessibleName()

        # Ours: the shortcut opens the menu, arrow down and Enter send the second one.
        await press(app, Qt.Key.Key_R)
        await app.until(menu.isVisible, 2, "the reactions menu")
        assert [a.data() for a in menu.actions()] == [r.value for r in Reaction]
        assert [a.text() for a in menu.actions()][:2] == ["Thumbs up", "Thumbs down"]
        assert all(not a.icon().isNull() for a in menu.actions())  # emoji on its colour
        QTest.keyClick(menu, Qt.Key.Key_Down)
        QTest.keyClick(menu, Qt.Key.Key_Return)
        await app.until(lambda: bernd.stats.reactions[own_id(app)] == 1, 5, "Bernd sees it")
        await app.until(
            lambda: view.tiles[SELF_ID].reaction is Reaction.THUMBS_DOWN, 5, "on our tile"
        )
        thumbs_down = LOOKS[Reaction.THUMBS_DOWN].color
        assert color_pixels(view.tiles[SELF_ID], thumbs_down) > 50
        assert color_pixels(anna_tile, thumbs_down) == 0
        assert anna.stats.reactions[own_id(app)] == 1

    app.run(scenario())


def test_chat_hands_and_reactions_in_german(
    qapp: QApplication, make_app: Callable[..., App]
) -> None:
    assert (i18n.TRANSLATIONS / "runde_de.qm").exists(), "run bootstrap.sh to build it"
    before = set(qapp.findChildren(QTranslator))
    assert i18n.install(qapp, "de") == "de"
    try:
        app = make_app()
        view = app.window.meeting_view
        panel = view.chat_panel
        assert view.hand_button.text() == "Hand heben"
        assert view.reactions_button.text() == "Reagieren"
        assert panel.recipient.itemText(0) == "Alle"
        assert panel.input.placeholderText() == "Nachricht schreiben…"
        assert panel.send_button.text() == "Senden"
        menu = app.window.modules.menu.actions()
        assert [action.text() for action in menu][:2] == ["Daumen hoch", "Daumen runter"]
        listed = dict(shortcuts())
        assert listed["Ctrl+Shift+C"] == "Chat ein- oder ausblenden"
        assert listed["Ctrl+Shift+H"] == "Hand heben oder senken"
        assert listed["Ctrl+Shift+R"].startswith("Reagieren")

        async def scenario() -> None:
            link = await start_meeting(app)
            anna = app.colleague(link, "Anna", BLUE, 440)
            await joined(app, anna)
            await anna.session.send_chat("Hallo")
            await app.until(lambda: view.chat_button.text() == "Chat (1)", 5, "one unread")
            assert view.chat_button.accessibleName() == "Chat, 1 ungelesen (Ctrl+Shift+C)"
            await press(app, Qt.Key.Key_C)
            assert panel.messages.toPlainText().startswith("Anna")
            panel.input.setText("x" * (MAX_CHAT_CHARACTERS + 1))
            assert panel.notice.text().startswith("Die Nachricht hat 4001 Zeichen")

        app.run(scenario())
    finally:
        for translator in set(qapp.findChildren(QTranslator)) - before:
            qapp.removeTranslator(translator)
