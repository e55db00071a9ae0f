"""A lossy, jittery router: every IP packet the kernel routes into a TUN device is dropped
(seeded random, a given share) or written back into it after a random delay.

Runs inside the router namespace of :mod:`tests.integration.netns_impaired`, where policy
routing sends packets between the two outer namespaces into the TUN device and packets coming
out of it on to their destination. Which directions are impaired is decided there, by which
routes lead into the device; this program treats every packet alike.

Delay: uniform in ``[delay - jitter, delay + jitter]`` milliseconds, drawn per packet. With
``--reorder`` each packet keeps its own draw, so a packet can overtake an earlier one (as on a
path with several routes); without it a packet never leaves before the one ahead of it (a
queue whose length varies). On SIGTERM or SIGINT it prints one JSON line of counters.

This is a real impairment of the packet path, not a socket shim: the kernel's own IP stack
sees the losses and delays, for every protocol (ICE, DTLS, RTP, RTCP, the signaling TCP).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import heapq
import json
import os
import random
import select
import signal
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000


def open_tun(name: str) -> int:
    """Attach to the (already created) TUN device ``name`` in this namespace."""
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


class Impairment:
    def __init__(self, loss: float, delay_ms: float, jitter_ms: float, seed: int, reorder: bool):
        self.loss = loss / 100.0
        self.delay = delay_ms / 1000.0
        self.jitter = jitter_ms / 1000.0
        self.reorder = reorder
        self.random = random.Random(seed)
        self.counters = {"received": 0, "dropped": 0, "forwarded": 0, "overtaken": 0}
        self._queue: list[tuple[float, int, bytes]] = []  # (release time, arrival order, packet)
        self._order = 0
        self._last_release = 0.0
        self._last_sent_order = -1

    def arrive(self, packet: bytes, now: float) -> None:
        self.counters["received"] += 1
        if self.random.random() < self.loss:
            self.counters["dropped"] += 1
            return
        release = now + self.delay + self.random.uniform(-self.jitter, self.jitter)
        if not self.reorder:
            release = max(release, self._last_release)
        self._last_release = release
        heapq.heappush(self._queue, (release, self._order, packet))
        self._order += 1

    def due(self, now: float) -> list[bytes]:
        out = []
        while self._queue and self._queue[0][0] <= now:
            _, order, packet = heapq.heappop(self._queue)
            if order < self._last_sent_order:
                self.counters["overtaken"] += 1
            self._last_sent_order = max(self._last_sent_order, order)
            out.append(packet)
        self.counters["forwarded"] += len(out)
        return out

    def wait(self, now: float) -> float:
        return max(0.0, self._queue[0][0] - now) if self._queue else 1.0


def run(fd: int, impairment: Impairment) -> None:
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    signal.signal(signal.SIGINT, lambda *_: stopping.append(True))
    print("ready", flush=True)
    while not stopping:
        try:
            readable, _, _ = select.select([fd], [], [], impairment.wait(time.monotonic()))
        except InterruptedError:
            continue
        now = time.monotonic()
        if readable:
            while True:
                try:
                    impairment.arrive(os.read(fd, 65535), now)
                except BlockingIOError:
                    break
        for packet in impairment.due(time.monotonic()):
            # An error means nothing routes it (a namespace going away): a loss like any other.
            with contextlib.suppress(OSError):
                os.write(fd, packet)
    print(json.dumps(impairment.counters), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--device", required=True, help="TUN device to attach to")
    parser.add_argument("--loss", type=float, default=0.0, help="percent of packets dropped")
    parser.add_argument("--delay", type=float, default=0.0, help="mean delay, ms")
    parser.add_argument("--jitter", type=float, default=0.0, help="delay varies +- this, ms")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reorder", action="store_true", help="let packets overtake")
    args = parser.parse_args()
    if not 0 <= args.loss <= 100 or args.jitter > args.delay or args.jitter < 0:
        sys.exit("loss must be 0..100 percent and jitter between 0 and the delay")
    impairment = Impairment(args.loss, args.delay, args.jitter, args.seed, args.reorder)
    run(open_tun(args.device), impairment)


if __name__ == "__main__":
    main()
