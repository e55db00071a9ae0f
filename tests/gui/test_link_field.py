"""The start view checks the meeting link as it is typed or pasted: Join waits for a usable
link, and what is wrong is said under the field, in German too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QTranslator
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from client import i18n
from client.ui.link_check import LinkCheck
from client.ui.start_view import StartView

SECRET = "a" * 32
FINGERPRINT = "b" * 43
GOOD = f"https://meet.example.org:8443/r/room1#k={SECRET}&fp={FINGERPRINT}"
FALLBACK = "This link cannot be used: "


@pytest.fixture
def start(qtbot: QtBot) -> StartView:
    view = StartView()
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    return view


def said(view: StartView) -> str:
    return view.link_problem.text() if view.link_problem.isVisible() else ""


def test_typing_a_link_shows_what_is_missing_until_it_is_usable(
    start: StartView, qtbot: QtBot
) -> None:
    asked: list[str] = []
    start.joinRequested.connect(asked.append)
    assert not start.join_button.isEnabled() and said(start) == ""  # nothing typed yet

    start.link_edit.setFocus()
    QTest.keyClicks(start.link_edit, "https://meet.example.org/r/room1")
    assert said(start) == "The link has no port number (such as :8443 after the server name)."
    assert not start.join_button.isEnabled()
    assert start.link_edit.accessibleDescription() == said(start)  # read out with the field
    QTest.keyClick(start.link_edit, Qt.Key.Key_Return)
    assert asked == []  # Enter does not join with a link that cannot work

    start.link_edit.clear()
    QGuiApplication.clipboard().setText(GOOD)
    QTest.keyClick(start.link_edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert start.link_edit.text() == GOOD
    assert said(start) == "" and start.join_button.isEnabled()
    assert start.link_edit.accessibleDescription() == ""
    start.join_button.click()
    assert asked == [GOOD]

    start.link_edit.setText(GOOD + "x y")  # pasted with a stray space
    assert said(start) == "The link contains spaces or line breaks: copy it again as a whole."
    assert not start.join_button.isEnabled()
    start.link_edit.clear()
    assert said(start) == "" and not start.join_button.isEnabled()


BAD_LINKS = [
    f"ftp://h:1/r/room#k={SECRET}",
    "https://h:1/r/ro om",
    "https://hä:1/r/room",
    "\udc80",
    "https://h:1/r/" + "a" * 600,
    "https://h:99999/r/room",
    "https://user:pw@h:1/r/room",
    "https://:1/r/room",
    "https://exa_mple:1/r/room",
    "https://h/r/room",
    "https://h:0/r/room",
    "https://h:1/r/room?a=b",
    "https://h:1/room",
    "https://h:1/r/",
    "https://h:1/r/room",
    "https://h:1/r/room#k",
    f"https://h:1/r/room#k={SECRET}&k={SECRET}",
    "https://h:1/r/room#z=1",
    f"https://h:1/r/room#fp={FINGERPRINT}",
    "https://h:1/r/room#k=short",
    f"https://h:1/r/room#k={SECRET}",
    f"https://h:1/r/room#k={SECRET}&fp=abc",
    f"https://h:1/r/room#k={SECRET}&fp={FINGERPRINT}&m=short",
]


def test_every_problem_the_parser_names_has_a_sentence(qapp: QApplication) -> None:
    check = LinkCheck()
    sentences = [check.problem(link) for link in BAD_LINKS]
    assert all(sentences), sentences
    assert [s for s in sentences if s.startswith(FALLBACK)] == []
    assert len(set(sentences)) == len(BAD_LINKS)  # each problem its own sentence
    assert check.problem(GOOD) == ""
    assert "'exa_mple' is not a valid server name" in check.problem("https://exa_mple:1/r/x")
    # A problem the window does not know yet is still named, after a translated prefix.
    assert check.sentence("the link is cursed") == FALLBACK + "the link is cursed"


@pytest.fixture
def german(qapp: QApplication) -> Iterator[None]:
    before = set(qapp.findChildren(QTranslator))
    assert i18n.install(qapp, "de") == "de"
    yield
    for translator in set(qapp.findChildren(QTranslator)) - before:
        qapp.removeTranslator(translator)


@pytest.mark.usefixtures("german")
def test_in_german(qtbot: QtBot) -> None:
    start = StartView()
    qtbot.addWidget(start)
    start.show()
    start.link_edit.setText("https://meet.example.org/r/room1")
    assert said(start) == ("Im Link fehlt die Portnummer (etwa :8443 nach dem Servernamen).")
    assert LinkCheck().sentence("the link is cursed") == (
        "Dieser Link kann nicht verwendet werden: the link is cursed"
    )
    check = LinkCheck()
    german = [check.problem(link) for link in BAD_LINKS]
    english_words = ("the link", "must", "valid")
    assert [s for s in german if any(word in s for word in english_words)] == []
