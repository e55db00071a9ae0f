"""Claim the per-user instance lock, or hand a request to the Runde that holds it.

Runs before the app's heavy imports, so a second start (a link clicked in the mail client)
costs little more than starting Python. QLocalSocket's blocking calls need no event loop.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QLockFile
from PySide6.QtNetwork import QLocalSocket

from client.instance.location import InstanceLocation, LocationError
from client.instance.messages import (
    MAX_LINE_BYTES,
    HandoffError,
    OpenRequest,
    Reply,
    decode_reply,
    encode,
)


def claim(location: InstanceLocation) -> QLockFile | None:
    """The held lock if this process is the first Runde of the user, else ``None``."""
    lock = QLockFile(str(location.lock_file))
    # Stale only when its process is gone, never by age: a week-long running app keeps it.
    lock.setStaleLockTime(0)
    if lock.tryLock(0):
        return lock
    if lock.error() == QLockFile.LockError.LockFailedError:
        return None
    raise LocationError(f"cannot use the instance lock {location.lock_file}: {lock.error().name}")


def hand_over(location: InstanceLocation, request: OpenRequest, timeout: float = 5.0) -> Reply:
    """Send ``request`` to the running Runde and return its reply.

    The running app may hold the lock but not listen yet (it is still starting), so
    connecting is retried until ``timeout``.
    """
    deadline = time.monotonic() + timeout
    socket = QLocalSocket()
    while True:
        socket.connectToServer(location.server_name)
        if socket.waitForConnected(200):
            break
        if time.monotonic() > deadline:
            raise HandoffError(f"the running Runde does not answer ({socket.errorString()})")
        time.sleep(0.05)
    try:
        socket.write(encode(request))
        if not socket.waitForBytesWritten(int(timeout * 1000)):
            raise HandoffError(f"could not send to the running Runde ({socket.errorString()})")
        answer = b""
        while b"\n" not in answer:
            remaining = deadline + timeout - time.monotonic()
            if remaining <= 0 or not socket.waitForReadyRead(int(remaining * 1000)):
                raise HandoffError("the running Runde did not reply")
            answer += bytes(socket.readAll().data())
            if len(answer) > MAX_LINE_BYTES:
                raise HandoffError("the running Runde sent an overlong reply")
        return decode_reply(answer.split(b"\n", 1)[0])
    finally:
        socket.disconnectFromServer()
