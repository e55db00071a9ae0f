"""A device's first failure, reported once: to the log and to whoever opened the device."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

logger = logging.getLogger(__name__)

ErrorCallback = Callable[[str], None]


class FailureReport:
    """Keeps the first failure's sentence; later failures of the same device are dropped.

    ``fail`` may be called from any thread (audio callbacks, capture threads).
    """

    def __init__(self, device: str, on_error: ErrorCallback | None) -> None:
        self._device = device
        self._on_error = on_error
        self._lock = threading.Lock()
        self.message: str | None = None

    def reset(self) -> None:
        """The device was opened again: its next failure is reported again."""
        with self._lock:
            self.message = None

    def fail(self, message: str) -> None:
        with self._lock:
            if self.message is not None:
                return
            self.message = message
        logger.warning("%s", message)
        if self._on_error is not None:
            try:
                self._on_error(message)
            except Exception:
                logger.exception("the %s error callback failed", self._device)
