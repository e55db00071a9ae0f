"""Two network namespaces joined by a veth pair, the publisher's side with a rate cap on its
uplink (``tc tbf``: this kernel has no netem, see ENGINEERING.md §3b).

The host and the receivers live in ``srv`` (10.99.7.1 on v0), the publisher in ``pub``
(10.99.7.2 on v1): everything the publisher sends crosses v1's qdisc. Neither namespace has a
route out, so no test traffic can leave the machine.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass

HOST_ADDRESS = "10.99.7.1"
PUBLISHER_ADDRESS = "10.99.7.2"
UPLINK = "v1"  # the publisher's end of the pair


class NamespaceError(RuntimeError):
    """The namespaces could not be made; the message says why."""


def cannot_create() -> str | None:
    """Why this process cannot make network namespaces, or None when it can."""
    if sys.platform != "linux":
        return "network namespaces need Linux"
    if os.geteuid() != 0:
        return "creating network namespaces needs root"
    if shutil.which("ip") is None or shutil.which("tc") is None:
        return "the 'ip' and 'tc' commands are missing (Debian package iproute2)"
    return None


def _run(*args: str) -> str:
    result = subprocess.run(list(args), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise NamespaceError(f"'{' '.join(args)}' failed: {result.stderr.strip()}")
    return result.stdout


@dataclass
class UplinkPair:
    server: str
    publisher: str

    @classmethod
    def create(cls) -> UplinkPair:
        pair = cls(f"rsrv{os.getpid()}", f"rpub{os.getpid()}")
        pair.delete()  # left over from an interrupted run with the same pid
        try:
            for ns in (pair.server, pair.publisher):
                _run("ip", "netns", "add", ns)
                _run("ip", "-n", ns, "link", "set", "lo", "up")
            _run("ip", "-n", pair.server, "link", "add", "v0", "type", "veth", "peer", "name",
                 UPLINK, "netns", pair.publisher)  # fmt: skip
            _run("ip", "-n", pair.server, "addr", "add", f"{HOST_ADDRESS}/24", "dev", "v0")
            _run(
                "ip", "-n", pair.publisher, "addr", "add", f"{PUBLISHER_ADDRESS}/24", "dev", UPLINK
            )
            _run("ip", "-n", pair.server, "link", "set", "v0", "up")
            _run("ip", "-n", pair.publisher, "link", "set", UPLINK, "up")
        except BaseException:
            pair.delete()
            raise
        return pair

    def in_server(self, args: Sequence[str]) -> list[str]:
        return ["ip", "netns", "exec", self.server, *args]

    def in_publisher(self, args: Sequence[str]) -> list[str]:
        return ["ip", "netns", "exec", self.publisher, *args]

    def cap_uplink(self, kbit: int) -> None:
        """Shape the publisher's uplink to ``kbit``; a queue of up to 300 ms builds before drops,
        as in a home router, so a delay-based estimate can see it."""
        _run("tc", "-n", self.publisher, "qdisc", "replace", "dev", UPLINK, "root", "tbf",
             "rate", f"{kbit}kbit", "burst", "4kb", "latency", "300ms")  # fmt: skip

    def uplink_counters(self) -> tuple[int, int, int, int]:
        """(bytes sent, packets sent, packets dropped, bytes queued) at the uplink's root qdisc."""
        out = _run("tc", "-n", self.publisher, "-s", "-j", "qdisc", "show", "dev", UPLINK)
        root = next(q for q in json.loads(out) if q.get("root"))
        counters = ("bytes", "packets", "drops", "backlog")
        sent, packets, drops, queued = (int(root.get(name, 0)) for name in counters)
        return sent, packets, drops, queued

    def delete(self) -> None:
        for ns in (self.server, self.publisher):
            subprocess.run(["ip", "netns", "delete", ns], capture_output=True, check=False)
