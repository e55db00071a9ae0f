"""Every control can be reached by keyboard and is named for screen readers; German UI."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLineEdit, QWidget

from client import i18n
from client.ui.start_view import StartView
from tests.gui.conftest import App

CONTROLS = (QAbstractButton, QLineEdit, QComboBox)


def controls_of(root: QWidget) -> list[QWidget]:
    return [w for w in root.findChildren(QWidget) if isinstance(w, CONTROLS)]


@pytest.mark.parametrize("view", ["start_view", "prejoin_view", "meeting_view"])
def test_every_control_is_named_and_focusable(make_app: Callable[..., App], view: str) -> None:
    app = make_app()
    controls = controls_of(getattr(app.window, view))
    assert controls
    for control in controls:
        label = control.accessibleName() or getattr(control, "text", lambda: "")()
        assert label.strip(), f"{type(control).__name__} in {view} has no name"
        assert control.focusPolicy() & control.focusPolicy().TabFocus, label


def test_german_user_interface(qapp: QApplication) -> None:
    assert (i18n.TRANSLATIONS / "runde_de.qm").exists(), "run bootstrap.sh to build it"
    before = set(qapp.findChildren(QTranslator))
    assert i18n.install(qapp, "de") == "de"
    try:
        view = StartView()
        assert view.start_button.text() == "Besprechung &starten"
        assert view.link_edit.placeholderText() == "Besprechungslink einfügen"
    finally:
        for translator in set(qapp.findChildren(QTranslator)) - before:
            qapp.removeTranslator(translator)
    assert StartView().start_button.text() == "&Start meeting"
