"""In German, no English is left: every view's texts, tooltips and accessible names are German.

The English source texts come from the translation file itself; a text of the window that
still equals an English source whose German is different is a finding (so "Chat", the same in
both languages, is none).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from client.call.sfu_backend import _ENDED_REASONS as ENDED_REASONS
from client.ui.dialogs import SettingsDialog, ShortcutsDialog
from client.ui.refusals import meeting_ended_text
from client.ui.start_view import StartView
from tests.gui.conftest import App
from tests.gui.test_app import BLUE

TS = Path(__file__).resolve().parents[2] / "resources" / "translations" / "runde_de.ts"
SHORTCUT_NOTE = re.compile(r"\s*\((Ctrl|Alt|Shift|F\d+|Esc)[^)]*\)$")


def english_sources() -> list[re.Pattern[str]]:
    """One pattern per English text whose German differs; %1 stands for anything."""
    patterns = []
    for message in ET.parse(TS).getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        german = (translation.text or "") if translation is not None else ""
        if not source.strip() or _plain(german) == _plain(source):
            continue
        parts = re.split(r"%\d", _plain(source))
        patterns.append(re.compile("^" + ".+".join(re.escape(p) for p in parts) + "$"))
    return patterns


def _plain(text: str) -> str:
    """A text as read: without the mnemonic ampersand."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip()


def texts_of(widget: QWidget) -> Iterator[tuple[str, str]]:
    """(what, text) for everything of ``widget`` a person sees or hears."""
    yield "accessible name", widget.accessibleName()
    yield "accessible description", widget.accessibleDescription()
    yield "tooltip", widget.toolTip()
    if widget.isWindow() or isinstance(widget, QDialog):
        yield "title", widget.windowTitle()
    if isinstance(widget, (QAbstractButton, QLabel)):
        yield "text", widget.text()
    if isinstance(widget, QLineEdit):
        yield "placeholder", widget.placeholderText()
    if isinstance(widget, (QTextEdit, QPlainTextEdit)):
        yield "placeholder", widget.placeholderText()
        yield "text", widget.toPlainText()
    if isinstance(widget, QComboBox):
        for index in range(widget.count()):
            yield "choice", widget.itemText(index)
    if isinstance(widget, QListWidget):
        for index in range(widget.count()):
            item = widget.item(index)
            yield "item", item.text()
            yield "item tooltip", item.toolTip()
    for action in widget.actions():
        yield "action", action.text()
        yield "action tooltip", action.toolTip()


def pieces(text: str) -> Iterator[str]:
    """A text and the parts of it that are texts of their own: lines, and a label without the
    keyboard shortcut the code adds to it."""
    for line in [text, *text.splitlines()]:
        plain = _plain(line)
        if plain:
            yield plain
            yield SHORTCUT_NOTE.sub("", plain)


def english_left(root: QWidget, patterns: list[re.Pattern[str]]) -> list[str]:
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        for what, text in texts_of(widget):
            for piece in pieces(text):
                if any(p.match(piece) for p in patterns):
                    found.append(
                        f"{type(widget).__name__} {widget.objectName()!r} {what}: {text!r}"
                    )
                    break
    return sorted(set(found))


def test_english_sources_are_read_from_the_translation() -> None:
    patterns = english_sources()
    assert any(p.match("Start meeting") for p in patterns)
    assert any(p.match("Anna joined") for p in patterns)  # "%1 joined"
    assert not any(p.match("Chat") for p in patterns)  # the same in German


def test_every_view_is_german(
    make_app: Callable[..., App], german: None, qapp: QApplication
) -> None:
    patterns = english_sources()
    app = make_app()
    window = app.window
    findings: dict[str, list[str]] = {}

    def walk(view: str) -> None:
        findings[view] = english_left(window, patterns)

    async def scenario() -> None:
        walk("start view")
        settings = SettingsDialog(app.settings.load(), window)
        findings["settings"] = english_left(settings, patterns)
        window.start_view.start_button.click()
        await app.until(lambda: window.stack.currentWidget() is window.prejoin_view, 5, "pre-join")
        walk("pre-join")
        window.prejoin_view.join_button.click()
        await app.until(lambda: app.controller.state.value == "joined", 10, "joined")
        link = app.controller.link
        anna = app.colleague(link, "Anna", BLUE, 440)
        await anna.join()
        await app.until(lambda: len(window.meeting_view.tiles) == 2, 10, "Anna's tile")
        view = window.meeting_view
        view.chat_panel.show()  # the side panels too, each as it is opened
        view.participant_list.show()
        walk("meeting")
        findings["moderation"] = english_left(window.moderation.panel, patterns)
        findings["shortcuts"] = english_left(ShortcutsDialog(window), patterns)
        findings["diagnostics"] = english_left(window.diagnostics_dialog(), patterns)

    app.run(scenario())
    assert not [f for found in findings.values() for f in found], findings


def test_the_walk_finds_english(qapp: QApplication) -> None:
    """Without the German translation, the start view is a finding: the walk can fail."""
    view = StartView()
    view.show()
    found = english_left(view, english_sources())
    assert any("Start meeting" in f for f in found), found
    view.close()


def test_why_a_meeting_ended_is_german(german: None) -> None:
    """The meeting core says why a meeting ended in English; the window says it in German."""
    for sentence in ENDED_REASONS.values():
        shown = meeting_ended_text(sentence)
        assert shown != sentence and not any(p.match(shown) for p in english_sources()), shown
