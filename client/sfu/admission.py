"""Who may hold a connection to the signaling port before joining, and for how long.

Every accepted connection gets a :class:`Ticket` until its participant joins or it closes.
Tickets are capped overall and per source address; a connection whose TLS handshake and HTTP
upgrade did not finish by the deadline is closed. Strangers therefore cannot hold the host's
file table with connections that never finish saying hello.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)

# From accept to a finished WebSocket upgrade (TLS handshake included): a slow real client
# needs about three round trips, far below this.
UPGRADE_DEADLINE = 8.0
HANDSHAKE_DEADLINE = 5.0


def source_key(address: str) -> str:
    """The unit limits count by: an IPv4 address, or an IPv6 /64 (one subscriber's network)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


@dataclass(eq=False)
class Ticket:
    """One accepted connection that has not joined yet."""

    source: str
    opened: float
    _admission: Admission
    close: Callable[[], None] = lambda: None  # aborts the connection in its current phase
    upgraded: bool = False  # the WebSocket upgrade finished; the join deadline takes over
    pending: bool = True  # counted against the caps until it joins or closes
    _deadline: asyncio.TimerHandle | None = None

    def arm(self, seconds: float) -> None:
        """Close the connection unless its WebSocket upgrade finished within ``seconds``."""
        self._deadline = asyncio.get_running_loop().call_later(seconds, self._expire)

    def joined(self) -> None:
        """Its participant is in: the connection no longer counts as a stranger's."""
        self._release()

    def closed(self) -> None:
        self._release()

    def _release(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
        if self.pending:
            self.pending = False
            self._admission.forget(self)

    def _expire(self) -> None:
        self._deadline = None
        if self.pending and not self.upgraded:
            self._admission.expired += 1
            logger.info("closing a connection from %s that did not finish its request", self.source)
            self.close()
            self._release()


class Admission:
    """Counts unjoined connections; refuses or sheds them when a cap is reached."""

    def __init__(
        self,
        max_pending: int = 256,
        max_pending_per_source: int = 32,
        upgrade_deadline: float = UPGRADE_DEADLINE,
    ) -> None:
        self.max_pending = max_pending
        self.max_pending_per_source = max_pending_per_source
        self.upgrade_deadline = upgrade_deadline
        self._pending: dict[Ticket, None] = {}  # insertion order: oldest first
        self._per_source: Counter[str] = Counter()
        self.refused = 0
        self.shed = 0
        self.expired = 0

    @property
    def pending(self) -> int:
        return len(self._pending)

    def admit(self, address: str) -> Ticket | None:
        """A ticket for a new connection from ``address``, or None: close it at once."""
        source = source_key(address)
        if self._per_source[source] >= self.max_pending_per_source:
            self.refused += 1
            logger.warning("refusing connections from %s: too many unfinished joins", source)
            return None
        if len(self._pending) >= self.max_pending:
            _, most = self._per_source.most_common(1)[0]
            if self._per_source[source] + 1 >= most:
                # This source already holds its share: it waits, nobody else is shed for it.
                self.refused += 1
                logger.warning("refusing a connection from %s: too many unfinished joins", source)
                return None
            self.shed_one()
        ticket = Ticket(source, time.monotonic(), self)
        self._pending[ticket] = None
        self._per_source[source] += 1
        ticket.arm(self.upgrade_deadline)
        return ticket

    def shed_one(self) -> bool:
        """Close the oldest unjoined connection of the source holding the most of them."""
        if not self._pending:
            return False
        busiest = self._per_source.most_common(1)[0][0]
        victim = next(t for t in self._pending if t.source == busiest)
        self.shed += 1
        logger.warning("too many unfinished joins: closing one from %s", busiest)
        victim.close()
        victim.closed()
        return True

    def forget(self, ticket: Ticket) -> None:
        if ticket in self._pending:
            del self._pending[ticket]
            self._per_source[ticket.source] -= 1
            if self._per_source[ticket.source] <= 0:
                del self._per_source[ticket.source]
