"""The running app's end of the instance socket: takes requests from later starts."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from client.instance.location import InstanceLocation, LocationError
from client.instance.messages import MAX_LINE_BYTES, HandoffError, Reply, decode_request, encode
from client.protocol.link import LinkError, parse_link

logger = logging.getLogger(__name__)

READ_TIMEOUT_MS = 5000  # a client that connects and says nothing is dropped after this


class InstanceServer(QObject):
    """Listens on the per-user socket; emits ``openRequested(link, prejoin)`` for valid requests.

    ``link`` is empty when the request only asks to bring the window forward. Links are parsed
    here too: the socket is private to the user, but whatever arrives is still untrusted.
    """

    openRequested = Signal(str, bool)

    def __init__(self, location: InstanceLocation, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._location = location
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> None:
        # Only the lock holder gets here, so a socket file left behind is stale.
        QLocalServer.removeServer(self._location.server_name)
        if not self._server.listen(self._location.server_name):
            raise LocationError(
                f"cannot listen on {self._location.server_name}: {self._server.errorString()}"
            )
        logger.info("taking links from later starts")  # the name is private on Windows

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))
            QTimer.singleShot(READ_TIMEOUT_MS, socket, socket.abort)

    def _forget(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()

    def _read(self, socket: QLocalSocket) -> None:
        if socket not in self._buffers:
            return
        buffer = self._buffers[socket] + bytes(socket.readAll().data())
        self._buffers[socket] = buffer
        if b"\n" not in buffer:
            if len(buffer) > MAX_LINE_BYTES:
                self._answer(socket, Reply(ok=False, error="the request is too long"))
            return
        reply = self._handle(buffer.split(b"\n", 1)[0])
        self._answer(socket, reply)

    def _handle(self, line: bytes) -> Reply:
        try:
            request = decode_request(line)
            if request.link is not None:
                parse_link(request.link)
        except (HandoffError, LinkError) as exc:
            logger.warning("refused a request from a later start: %s", exc)
            return Reply(ok=False, error=str(exc))
        self.openRequested.emit(request.link or "", request.prejoin)
        return Reply(ok=True)

    def _answer(self, socket: QLocalSocket, reply: Reply) -> None:
        self._buffers.pop(socket, None)
        socket.write(encode(reply))
        socket.flush()
        socket.disconnectFromServer()
