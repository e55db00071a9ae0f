"""HTTP manners of the signaling port: quiet refusals, safe headers, and whose pages may connect."""

from __future__ import annotations

import ipaddress
import logging
from http import HTTPStatus

from aiohttp import web
from aiohttp.web_protocol import RequestHandler
from yarl import URL

from client.sfu.admission import Ticket

logger = logging.getLogger(__name__)

SERVER_NAME = "Runde"  # no version: a banner helps nobody but someone looking for old ones
FRAME_ANCESTORS = "frame-ancestors 'none'"


class GuardedRequestHandler(RequestHandler):
    """aiohttp's per-connection protocol, tied to its admission ticket; a malformed request is
    logged as one line and answered without echoing it back."""

    def __init__(self, manager: web.Server, ticket: Ticket, **kwargs: object) -> None:
        super().__init__(manager, **kwargs)  # type: ignore[arg-type]
        self.ticket = ticket

    def connection_lost(self, exc: BaseException | None) -> None:
        super().connection_lost(exc)
        self.ticket.closed()

    def handle_error(
        self,
        request: web.BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        if status >= 500:
            logger.error("error handling a request from %s", request.remote, exc_info=exc or True)
        else:
            # The exception text quotes the request: a stranger's bytes stay out of the log.
            logger.info(
                "refused a malformed HTTP request from %s (%s)",
                self.ticket.source,
                type(exc).__name__ if exc is not None else status,
            )
        if request.writer.output_size > 0:
            raise ConnectionError("the response had started; the connection is closed")
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = ""
        response = web.Response(
            status=status,
            text=f"{status} {phrase}\n",
            headers={
                "Server": SERVER_NAME,
                "X-Content-Type-Options": "nosniff",
                "Content-Security-Policy": FRAME_ANCESTORS,
            },
        )
        response.force_close()
        return response


async def add_security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """``on_response_prepare``: every response names no version, and no page may be framed."""
    response.headers["Server"] = SERVER_NAME
    response.headers["X-Content-Type-Options"] = "nosniff"
    policy = response.headers.get("Content-Security-Policy")
    if policy is None:
        response.headers["Content-Security-Policy"] = FRAME_ANCESTORS
    elif "frame-ancestors" not in policy:
        response.headers["Content-Security-Policy"] = f"{policy}; {FRAME_ANCESTORS}"


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def origin_allowed(origin: str | None, own_hosts: set[str], port: int, host_header: str) -> bool:
    """A WebSocket from a browser page is accepted only from the host's own guest page.

    The app and the headless client send no ``Origin``. A page reached by IP address may
    connect under that address (the ``Host`` the browser used); names must be the host's own,
    so a page on another site (or one that rebinds its name to us) cannot.
    """
    if origin is None:
        return True
    try:
        url = URL(origin)
        requested = URL(f"https://{host_header}")
    except ValueError:
        return False
    if url.scheme != "https" or url.port != port or url.host is None:
        return False
    if url.host in own_hosts:
        return True
    return _is_ip_literal(url.host) and url.host == requested.host and requested.port == port
