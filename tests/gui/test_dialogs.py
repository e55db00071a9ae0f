"""The shortcuts and diagnostics dialogs open large enough for what they show: no scroll bars;
keys are written as the user's system writes them ("Strg" in German)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractScrollArea, QDialog
from pytestqt.qtbot import QtBot

from client.ui.dialogs import DiagnosticsDialog, ShortcutsDialog, shortcuts


def opened(qtbot: QtBot, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def no_scroll_bars(area: QAbstractScrollArea) -> bool:
    bars = (area.verticalScrollBar(), area.horizontalScrollBar())
    return not any(bar.isVisible() for bar in bars)


def without_scroll_bars(qtbot: QtBot, area: QAbstractScrollArea) -> None:
    """Once the layout has settled (a bar may show for a moment while it does)."""
    qtbot.waitUntil(lambda: no_scroll_bars(area), timeout=1000)


def test_the_shortcut_list_shows_every_row_whole(qtbot: QtBot) -> None:
    dialog = opened(qtbot, ShortcutsDialog())
    assert isinstance(dialog, ShortcutsDialog)
    table = dialog.table
    assert dialog.width() >= 480 and dialog.height() >= 360
    without_scroll_bars(qtbot, table)
    viewport = table.viewport().rect()
    for row in range(table.rowCount()):
        for column in range(2):
            cell = table.visualItemRect(table.item(row, column))
            assert viewport.contains(cell), (row, column, cell, viewport)
            text = table.item(row, column).text()
            width = table.fontMetrics().horizontalAdvance(text)
            assert width <= cell.width(), text  # not cut off with "…"
    keys = [table.item(row, 0).text() for row in range(table.rowCount())]
    assert keys == [k for k, _ in shortcuts()]  # English: as written in the code
    assert "Ctrl+Shift+L" in keys


REPORT = "\n".join(
    f"Participant {n}: 1234 pictures received, 1200 shown, 640x360, decode 2.1 ms, late 0"
    for n in range(1, 17)
)


def test_diagnostics_show_the_whole_report(qtbot: QtBot) -> None:
    dialog = opened(qtbot, DiagnosticsDialog(lambda: REPORT))
    assert isinstance(dialog, DiagnosticsDialog)
    assert dialog.width() >= 480 and dialog.height() >= 360
    without_scroll_bars(qtbot, dialog.text)
    assert dialog.text.toPlainText() == REPORT


def test_diagnostics_grow_when_the_report_does(qtbot: QtBot) -> None:
    lines = ["camera: sends its full size"]
    dialog = opened(qtbot, DiagnosticsDialog(lambda: "\n".join(lines)))
    assert isinstance(dialog, DiagnosticsDialog)
    assert (dialog.width(), dialog.height()) == (480, 360)  # small content: the minimum
    lines.extend(REPORT.splitlines() * 2)  # 33 lines: more than 360 pixels high
    dialog.refresh()
    without_scroll_bars(qtbot, dialog.text)
    assert dialog.height() > 360


@pytest.mark.usefixtures("german")
def test_keys_in_german(qtbot: QtBot) -> None:
    dialog = opened(qtbot, ShortcutsDialog())
    assert isinstance(dialog, ShortcutsDialog)
    table = dialog.table
    rows = {table.item(r, 1).text(): table.item(r, 0).text() for r in range(table.rowCount())}
    assert rows["Die Besprechung verlassen"] == "Strg+Umschalt+L"
    assert rows["Mikrofon an/aus"] == "Strg+D"
    without_scroll_bars(qtbot, table)
