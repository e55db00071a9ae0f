"""The client's signaling connection: TLS WebSocket pinned to the fingerprint in the link."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl

import aiohttp

from client.call.backend import JoinError
from client.protocol.codec import ProtocolError, encode, parse_client_message, parse_server_message
from client.protocol.link import MeetingLink
from client.protocol.messages import ClientMessage, ServerMessage

logger = logging.getLogger(__name__)

# A silent host is pinged after this many seconds and given half of it again to answer:
# a frozen or vanished host is noticed within 6-9 s, a busy one is not mistaken for gone.
HEARTBEAT_S = 6.0


def _pinned_context() -> ssl.SSLContext:
    # The certificate is self-signed: trust comes from the fingerprint in the link, which
    # aiohttp checks (aiohttp.Fingerprint) before any data is sent.
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


class SignalingClient:
    """Sends typed requests and yields typed server messages."""

    def __init__(self, session: aiohttp.ClientSession, ws: aiohttp.ClientWebSocketResponse) -> None:
        self._session = session
        self._ws = ws

    @classmethod
    async def connect(
        cls,
        link: MeetingLink,
        heartbeat: float = HEARTBEAT_S,
        connect_timeout: float = 10.0,
        proxy: str | None = None,
    ) -> SignalingClient:
        where = f"{link.host}:{link.port}"
        session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(
                total=None, connect=connect_timeout, sock_connect=connect_timeout
            )
        )
        try:
            connector_ssl = aiohttp.Fingerprint(link.fingerprint)
            ws = await session.ws_connect(
                link.signaling_url,
                ssl=connector_ssl,
                heartbeat=heartbeat,
                max_msg_size=256 * 1024,
                autoping=True,
                proxy=proxy,
            )
        except aiohttp.ServerFingerprintMismatch:
            await session.close()
            raise JoinError(
                f"the server at {where} presented a certificate that does not match the "
                "fingerprint in the link; the connection was refused (the link may be "
                "outdated, or someone is intercepting the connection)"
            ) from None
        except aiohttp.WSServerHandshakeError as exc:
            await session.close()
            raise JoinError(
                f"the server at {where} is not a Runde meeting host (HTTP {exc.status})"
            ) from None
        except (aiohttp.ClientConnectorError, OSError) as exc:
            await session.close()
            reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            via = f" through the proxy {proxy}" if proxy else ""
            raise JoinError(f"cannot reach the meeting host {where}{via}: {reason}") from None
        except (TimeoutError, aiohttp.ServerTimeoutError):
            await session.close()
            raise JoinError(
                f"the meeting host {where} did not answer within {connect_timeout:.0f} s"
            ) from None
        except aiohttp.ClientError as exc:
            await session.close()
            raise JoinError(f"cannot connect to the meeting host {where}: {exc}") from None
        return cls(session, ws)

    async def send(self, request: ClientMessage) -> None:
        frame = encode(request)
        # Our own requests go through the same schema the server applies.
        parse_client_message(frame)
        try:
            await self._ws.send_str(frame)
        except ConnectionError as exc:
            raise ConnectionError(f"the meeting host closed the connection ({exc})") from exc

    async def receive(self) -> ServerMessage | None:
        """The next valid server message, or None once the connection is closed."""
        while True:
            try:
                frame = await self._ws.receive()
            except (ConnectionError, aiohttp.ClientError) as exc:
                # aiohttp answers a ping while reading; on a connection the host already
                # closed (it dropped us while this process was stopped) that write raises.
                logger.info("the signaling connection broke: %s", exc)
                return None
            if frame.type == aiohttp.WSMsgType.TEXT:
                try:
                    return parse_server_message(frame.data)
                except ProtocolError as exc:
                    logger.warning("ignoring a malformed message from the server: %s", exc.text)
                    continue
            if frame.type in (
                aiohttp.WSMsgType.CLOSE,
                aiohttp.WSMsgType.CLOSING,
                aiohttp.WSMsgType.CLOSED,
                aiohttp.WSMsgType.ERROR,
            ):
                # why, for whoever reads the log after a reconnect (a heartbeat timeout, a
                # close by the host with its code)
                cause = self._ws.exception() or f"code {self._ws.close_code}"
                logger.info("the signaling connection ended (%s): %s", frame.type.name, cause)
                return None

    @property
    def closed(self) -> bool:
        return self._session.closed

    @property
    def close_code(self) -> int | None:
        return self._ws.close_code

    async def close(self) -> None:
        with contextlib.suppress(TimeoutError, ConnectionError):
            await asyncio.wait_for(self._ws.close(), timeout=2.0)
        await self._session.close()
