"""The host's signaling listener in a process that has used up its file descriptors.

Prints ``{"port": N}`` once every descriptor is taken, waits for a line on stdin, prints
``{"cpu_s": ...}`` (CPU used while starved), frees descriptors and keeps serving: each
accepted TLS connection is greeted with ``hello``. Run by test_host_admission.py.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import time

from client import log_filter
from client.sfu.admission import Admission, Ticket
from client.sfu.listener import Listener
from client.sfu.tls import generate_certificate


class Greeter(asyncio.Protocol):
    def __init__(self, ticket: Ticket) -> None:
        self.ticket = ticket

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.ticket.upgraded = True
        transport.write(b"hello")

    def connection_lost(self, exc: Exception | None) -> None:
        self.ticket.closed()


async def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    log_filter.install()
    context = generate_certificate("127.0.0.1").ssl_context()
    listener = Listener("127.0.0.1", 0, context, Admission(), Greeter)
    listener.start()
    # Started before the descriptors run out: a thread (and its imports) needs some.
    released = asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    hogs: list[int] = []
    try:
        while True:
            hogs.append(os.open(os.devnull, os.O_RDONLY))
    except OSError:
        pass
    print(json.dumps({"port": listener.port}), flush=True)
    started = time.process_time()
    await released
    print(json.dumps({"cpu_s": time.process_time() - started}), flush=True)
    for fd in hogs[:100]:
        os.close(fd)
    await asyncio.sleep(60)  # the test ends this process


if __name__ == "__main__":
    asyncio.run(main())
