"""An asyncio loop that reads every waiting UDP datagram when a socket wakes it.

asyncio's datagram transport reads one datagram per wake-up. A loop that also does real work
per packet (SRTP, jitter buffers, forwarding) then serves each socket less often than packets
arrive: in a meeting with eight remote videos the receive queues filled (about 400 KB each),
pictures arrived seconds late, and ICE consent checks, which must be answered within half a
second, timed out and ended the streams after about 40 s. Reading what waits, up to a bound
so one flooded socket cannot starve the others, keeps the queues empty.
"""

from __future__ import annotations

import asyncio

from client.compat import BatchReadingDatagrams

MAX_DATAGRAMS_PER_WAKEUP = 64


class BatchReadingMixin(BatchReadingDatagrams):
    """For a selector-based loop class: its datagram endpoints read in batches (asyncio's
    transport internals this needs are in client/compat/)."""

    max_datagrams_per_wakeup = MAX_DATAGRAMS_PER_WAKEUP


class BatchReadingEventLoop(BatchReadingMixin, asyncio.SelectorEventLoop):
    """The loop for media: the media thread's, and the headless host's and participant's."""
