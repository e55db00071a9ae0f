"""The name a screen reader or voice control hears contains the label a person sees (WCAG
2.5.3 "Label in Name"), in English and in German, in every view.

A button's visible text, and the text of the label a field or choice sits beside (its buddy),
must be part of the control's accessible name: someone who says "click Join now" or hears
the name while reading the screen finds the same words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QPushButton, QWidget

from client import i18n
from client.ui.dialogs import SettingsDialog
from tests.gui.conftest import App
from tests.gui.test_app import BLUE

SHORTCUT_NOTE = re.compile(r"\s*\((Ctrl|Alt|Shift|F\d+|Esc)[^)]*\)$")


def seen(text: str) -> str:
    """A label as seen: no mnemonic ampersand, no trailing colon, no ellipsis, one case."""
    text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    return SHORTCUT_NOTE.sub("", text).strip().rstrip(":…").strip().casefold()


def mismatches(root: QWidget) -> list[str]:
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root):
            continue
        pairs: list[tuple[QWidget, str]] = []
        # A symbol ("▾") is no label anyone reads out or says
        if isinstance(widget, QAbstractButton) and re.search(r"\w", widget.text()):
            # "Microphone: on": what follows the colon is the state, which a checkable
            # button exposes as checked or not; the label is what precedes it.
            text = widget.text().split(":")[0] if widget.isCheckable() else widget.text()
            pairs.append((widget, text))
        if isinstance(widget, QLabel) and widget.buddy() is not None and widget.text().strip():
            pairs.append((widget.buddy(), widget.text()))
        for control, label in pairs:
            name = control.accessibleName()
            if name and seen(label) not in name.casefold():
                found.append(f"{type(control).__name__}: shows {label!r}, is named {name!r}")
    return sorted(set(found))


@pytest.fixture(params=["en", "de"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    before = set(qapp.findChildren(QTranslator))
    assert i18n.install(qapp, request.param) == request.param
    yield request.param
    for translator in set(qapp.findChildren(QTranslator)) - before:
        qapp.removeTranslator(translator)


def test_the_check_finds_a_name_without_its_label(qapp: QApplication) -> None:
    box = QWidget()
    shown = QPushButton("&Join now", box)
    shown.setAccessibleName("Enter the meeting")
    assert mismatches(box) == ["QPushButton: shows '&Join now', is named 'Enter the meeting'"]


def test_every_name_contains_its_label(make_app: Callable[..., App], language: str) -> None:
    app = make_app()
    window = app.window
    findings: dict[str, list[str]] = {}

    async def scenario() -> None:
        findings["start view"] = mismatches(window.start_view)
        findings["settings"] = mismatches(SettingsDialog(app.settings.load(), window))
        window.start_view.start_button.click()
        await app.until(lambda: window.stack.currentWidget() is window.prejoin_view, 5, "pre-join")
        findings["pre-join"] = mismatches(window.prejoin_view)
        window.prejoin_view.join_button.click()
        await app.until(lambda: app.controller.state.value == "joined", 10, "joined")
        anna = app.colleague(app.controller.link, "Anna", BLUE, 440)
        await anna.join()
        await app.until(lambda: len(window.meeting_view.tiles) == 2, 10, "Anna's tile")
        window.meeting_view.chat_panel.show()
        findings["meeting"] = mismatches(window)

    app.run(scenario())
    assert not [f for found in findings.values() for f in found], "\n".join(
        f"{view}: {finding}" for view, found in findings.items() for finding in found
    )
