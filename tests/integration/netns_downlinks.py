"""A server namespace and one namespace per receiver, each joined to it by a veth pair whose
server end can cap (``tc tbf``: this kernel has no netem, see ENGINEERING.md §3b) and count
what the SFU sends that receiver.

The host runs in the server namespace (and may share it with a publisher: both then talk over
``lo``); receiver ``i`` lives in a namespace of its own at 10.99.(20+i).2, reaching the host's
address through its link. No namespace has a route out, so no test traffic can leave the
machine.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field

from tests.integration.netns_uplink import NamespaceError, _run, cannot_create

__all__ = ["NamespaceError", "ReceiverLinks", "cannot_create"]

HOST_ADDRESS = "10.99.19.1"  # on the server namespace's loopback (no dummy devices here)


def _subnet(index: int) -> str:
    return f"10.99.{20 + index}"


@dataclass
class ReceiverLinks:
    server: str
    receivers: dict[str, str] = field(default_factory=dict)  # name -> its namespace
    _index: dict[str, int] = field(default_factory=dict)

    @classmethod
    def create(cls, names: Sequence[str]) -> ReceiverLinks:
        pid = os.getpid()
        links = cls(f"rdsv{pid}")
        for index, name in enumerate(names):
            links.receivers[name] = f"rdr{index}{pid}"
            links._index[name] = index
        links.delete()  # left over from an interrupted run with the same pid
        try:
            server = links.server
            _run("ip", "netns", "add", server)
            _run("ip", "-n", server, "link", "set", "lo", "up")
            _run("ip", "-n", server, "addr", "add", f"{HOST_ADDRESS}/32", "dev", "lo")
            for name, namespace in links.receivers.items():
                net = _subnet(links._index[name])
                _run("ip", "netns", "add", namespace)
                _run("ip", "-n", namespace, "link", "set", "lo", "up")
                _run("ip", "-n", server, "link", "add", links.device(name), "type", "veth",
                     "peer", "name", "v1", "netns", namespace)  # fmt: skip
                _run("ip", "-n", server, "addr", "add", f"{net}.1/24", "dev", links.device(name))
                _run("ip", "-n", namespace, "addr", "add", f"{net}.2/24", "dev", "v1")
                _run("ip", "-n", server, "link", "set", links.device(name), "up")
                _run("ip", "-n", namespace, "link", "set", "v1", "up")
                # the host's address only, through the server end: nothing else is reachable
                _run("ip", "-n", namespace, "route", "add", f"{HOST_ADDRESS}/32", "via",
                     f"{net}.1")  # fmt: skip
        except BaseException:
            links.delete()
            raise
        return links

    def device(self, name: str) -> str:
        """The server end of ``name``'s link (what the SFU sends it leaves through it)."""
        return f"d{self._index[name]}"

    def address(self, name: str) -> str:
        return f"{_subnet(self._index[name])}.2"

    def in_server(self, args: Sequence[str]) -> list[str]:
        return ["ip", "netns", "exec", self.server, *args]

    def in_receiver(self, name: str, args: Sequence[str]) -> list[str]:
        return ["ip", "netns", "exec", self.receivers[name], *args]

    def cap_downlink(self, name: str, kbit: int) -> None:
        """Shape what reaches ``name`` to ``kbit``; a queue of up to 300 ms builds before
        drops, as in a home router, so a delay-based estimate can see it."""
        _run("tc", "-n", self.server, "qdisc", "replace", "dev", self.device(name), "root",
             "tbf", "rate", f"{kbit}kbit", "burst", "4kb", "latency", "300ms")  # fmt: skip

    def bytes_sent_to(self, name: str) -> int:
        """Bytes the server end of ``name``'s link has passed on (its root qdisc's count)."""
        out = _run("tc", "-n", self.server, "-s", "-j", "qdisc", "show", "dev", self.device(name))
        root = next(q for q in json.loads(out) if q.get("root"))
        return int(root.get("bytes", 0))

    def delete(self) -> None:
        for namespace in (self.server, *self.receivers.values()):
            subprocess.run(["ip", "netns", "delete", namespace], capture_output=True, check=False)
