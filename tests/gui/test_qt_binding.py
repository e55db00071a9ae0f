"""The Qt binding keeps Python's reference counts straight when signals are emitted.

PySide6 6.12.0 released one reference to True on every Signal.emit(). Python 3.11 has no
immortal objects, so a meeting (thousands of signals a minute) aborted the app with
"bool_dealloc: deallocating True or False". pyproject.toml keeps that release out; this
test catches it, or a regression like it, whatever version gets installed.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication


class Emitter(QObject):
    picture = Signal(QImage)
    state = Signal(str, bool)
    bare = Signal()


def test_emitting_signals_leaves_reference_counts_alone(qapp: QApplication) -> None:
    emitter = Emitter()
    received: list[object] = []
    emitter.picture.connect(received.append)
    emitter.state.connect(lambda text, flag: received.append(flag))
    emitter.bare.connect(lambda: received.append(None))
    image = QImage(8, 8, QImage.Format.Format_ARGB32)

    def counts() -> tuple[int, int, int]:
        return sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)

    emitter.bare.emit()  # first use may create caches that hold references
    received.clear()
    before = counts()
    for _ in range(200):
        emitter.picture.emit(image)
        emitter.state.emit("joined", True)
        emitter.bare.emit()
    assert len(received) == 600
    received.clear()  # it held a reference to each None and True it got
    after = counts()
    # Unrelated code may take or drop a few references meanwhile; the bug moved one per emit.
    drift = [a - b for a, b in zip(after, before, strict=True)]
    assert all(abs(d) < 50 for d in drift), f"None/True/False references moved by {drift}"
