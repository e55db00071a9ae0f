"""The app's asyncio loop on Qt (qasync), reading UDP in batches (see client/call/udp_loop.py).

qasync wakes a datagram transport through a QSocketNotifier and a zero-delay timer, once per
pass of the Qt loop; while the window paints, that is slower still than a plain loop. Must be
imported with ``QT_API`` set (qasync picks its Qt binding then).
"""

from __future__ import annotations

import os
from typing import Any

import qasync
from PySide6.QtCore import QCoreApplication

from client.call.udp_loop import BatchReadingMixin


class _BatchReadingQtLoop(BatchReadingMixin, qasync.QSelectorEventLoop):  # type: ignore[misc]
    pass


def make_event_loop(app: QCoreApplication, **options: Any) -> qasync.QEventLoop:
    """The loop the window runs on. On Windows qasync's IOCP loop reads differently and is
    used as it is."""
    if os.name == "nt":
        return qasync.QEventLoop(app, **options)
    return _BatchReadingQtLoop(app, **options)
