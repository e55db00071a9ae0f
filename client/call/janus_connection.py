"""Janus's WebSocket API: the messages this client reads, and one session's connection.

Requests wait for their reply by transaction; everything else Janus sends (room events,
hangups, timeouts) goes to :attr:`JanusConnection.events` for the backend to dispatch.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import secrets
from dataclasses import dataclass

import aiohttp
from aiortc import RTCSessionDescription
from pydantic import BaseModel, ConfigDict, ValidationError

from client.call.backend import JoinError

logger = logging.getLogger(__name__)

PLUGIN = "janus.plugin.videoroom"
REQUEST_TIMEOUT = 10.0
_MAX_MESSAGE_BYTES = 1024 * 1024

FeedId = int | str  # numeric unless the Janus room uses string_ids
JsonObject = dict[str, object]


# ---- what Janus sends (only the fields this backend reads) ---------------------------


class JanusModel(BaseModel):
    # Janus adds fields between versions: ignore what we don't read instead of failing.
    model_config = ConfigDict(extra="ignore", frozen=True)


class Jsep(JanusModel):
    type: str
    sdp: str


class StreamInfo(JanusModel):
    type: str
    mid: str | None = None
    disabled: bool = False
    description: str | None = None  # what the publisher named it (a camera layer's size)


class PublisherInfo(JanusModel):
    id: FeedId
    display: str | None = None
    streams: list[StreamInfo] = []


class AttendeeInfo(JanusModel):
    id: FeedId
    display: str | None = None


class RoomEvent(JanusModel):
    videoroom: str
    id: FeedId | None = None
    private_id: int | None = None
    publishers: list[PublisherInfo] | None = None
    attendees: list[AttendeeInfo] | None = None
    joining: AttendeeInfo | None = None
    leaving: FeedId | None = None
    unpublished: FeedId | None = None
    kicked: FeedId | None = None
    error_code: int | None = None
    error: str | None = None


class PluginData(JanusModel):
    plugin: str
    data: RoomEvent


class CreatedId(JanusModel):
    id: int


class CoreError(JanusModel):
    code: int
    reason: str


class JanusMessage(JanusModel):
    janus: str
    transaction: str | None = None
    sender: int | None = None
    data: CreatedId | None = None
    plugindata: PluginData | None = None
    jsep: Jsep | None = None
    error: CoreError | None = None
    reason: str | None = None


class JanusRequestError(Exception):
    """Janus or its VideoRoom plugin refused a request."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"{reason} (code {code})")
        self.code = code
        self.reason = reason


class JanusConnectionLost(ConnectionError):
    """The WebSocket to Janus closed."""


def check_reply(message: JanusMessage) -> JanusMessage:
    if message.error is not None:
        raise JanusRequestError(message.error.code, message.error.reason)
    plugin = message.plugindata
    if plugin is not None and plugin.data.error_code is not None:
        raise JanusRequestError(plugin.data.error_code, plugin.data.error or "unknown error")
    return message


# ---- the WebSocket connection: transactions and asynchronous events ------------------


@dataclass
class _Pending:
    future: asyncio.Future[JanusMessage]
    ack_is_reply: bool  # keepalives are answered by an ack; plugin messages ack, then reply


class JanusConnection:
    """One Janus session over the WebSocket transport."""

    def __init__(
        self, http: aiohttp.ClientSession, ws: aiohttp.ClientWebSocketResponse, url: str
    ) -> None:
        self.url = url
        self._http = http
        self._ws = ws
        self._pending: dict[str, _Pending] = {}
        self._transactions = itertools.count(1)
        self._prefix = secrets.token_hex(4)
        self.session_id: int | None = None
        self.events: asyncio.Queue[JanusMessage | None] = asyncio.Queue()
        self._reader = asyncio.ensure_future(self._read_loop())

    @classmethod
    async def open(cls, url: str, connect_timeout: float = REQUEST_TIMEOUT) -> JanusConnection:
        http = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(
                total=None, connect=connect_timeout, sock_connect=connect_timeout
            )
        )
        try:
            ws = await http.ws_connect(
                url, protocols=("janus-protocol",), max_msg_size=_MAX_MESSAGE_BYTES
            )
        except aiohttp.WSServerHandshakeError as exc:
            await http.close()
            raise JoinError(
                f"the server at {url} does not speak the Janus WebSocket protocol "
                f"(HTTP {exc.status})"
            ) from None
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            await http.close()
            raise JoinError(f"cannot reach the Janus server at {url}: {exc}") from None
        if ws.protocol != "janus-protocol":
            await ws.close()
            await http.close()
            raise JoinError(f"the server at {url} does not speak the Janus WebSocket protocol")
        return cls(http, ws, url)

    async def request(
        self,
        janus: str,
        handle: int | None = None,
        body: JsonObject | None = None,
        jsep: RTCSessionDescription | None = None,
        extra: JsonObject | None = None,
        ack_is_reply: bool = False,
        reply_within: float = REQUEST_TIMEOUT,
    ) -> JanusMessage:
        """Send one request and wait for its reply; raises :class:`JanusRequestError`."""
        transaction = f"{self._prefix}-{next(self._transactions)}"
        message: JsonObject = {"janus": janus, "transaction": transaction, **(extra or {})}
        if self.session_id is not None:
            message["session_id"] = self.session_id
        if handle is not None:
            message["handle_id"] = handle
        if body is not None:
            message["body"] = body
        if jsep is not None:
            message["jsep"] = {"type": jsep.type, "sdp": jsep.sdp}
        future: asyncio.Future[JanusMessage] = asyncio.get_running_loop().create_future()
        self._pending[transaction] = _Pending(future, ack_is_reply)
        try:
            try:
                await self._ws.send_str(json.dumps(message))
            except (ConnectionError, RuntimeError) as exc:
                raise JanusConnectionLost(f"cannot send to Janus: {exc}") from None
            reply = await asyncio.wait_for(future, timeout=reply_within)
        finally:
            self._pending.pop(transaction, None)
        return check_reply(reply)

    async def _request_id(self, janus: str, extra: JsonObject | None = None) -> int:
        reply = await self.request(janus, extra=extra)
        if reply.data is None:
            raise JanusRequestError(0, f"Janus answered {janus!r} without an id")
        return reply.data.id

    async def create_session(self) -> None:
        self.session_id = await self._request_id("create")

    async def attach(self) -> int:
        """A new handle on the VideoRoom plugin."""
        return await self._request_id("attach", {"plugin": PLUGIN})

    async def close(self) -> None:
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader
        for pending in self._pending.values():
            if not pending.future.done():
                pending.future.set_exception(JanusConnectionLost("the connection was closed"))
        await self._ws.close()
        await self._http.close()

    async def _read_loop(self) -> None:
        try:
            async for frame in self._ws:
                if frame.type != aiohttp.WSMsgType.TEXT:
                    continue
                self._handle_text(frame.data)
        finally:
            for pending in self._pending.values():
                if not pending.future.done():
                    pending.future.set_exception(JanusConnectionLost("Janus closed the connection"))
            self.events.put_nowait(None)  # tells the backend the connection is gone

    def _handle_text(self, text: str) -> None:
        try:
            message = JanusMessage.model_validate_json(text)
        except ValidationError as exc:
            logger.warning("ignoring a message from Janus we cannot read: %s", exc.errors()[:1])
            return
        pending = self._pending.get(message.transaction or "")
        if pending is not None and not pending.future.done():
            if message.janus != "ack" or pending.ack_is_reply:
                pending.future.set_result(message)
            return
        if message.janus != "ack":
            self.events.put_nowait(message)
