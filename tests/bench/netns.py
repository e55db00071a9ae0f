"""A private network namespace with a veth pair, for media servers that skip loopback (Janus).

Both ends of the pair live inside the namespace and there is no route out, so nothing sent
there can reach another machine (docs: ENGINEERING.md §3, "ICE on loopback").
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass

SERVER_ADDRESS = "10.99.0.1"  # on v0: the media server gathers here
CLIENT_ADDRESS = "10.99.0.2"  # on v1: participants gather here
SERVER_INTERFACE = "v0"


class NamespaceError(RuntimeError):
    """The namespace could not be made; the message says why and what to do."""


def _ip(*args: str) -> None:
    result = subprocess.run(["ip", *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise NamespaceError(f"'ip {' '.join(args)}' failed: {result.stderr.strip()}")


def check_can_create() -> None:
    """Raise a clear error when this process cannot create network namespaces."""
    if sys.platform != "linux":
        raise NamespaceError("network namespaces need Linux")
    if os.geteuid() != 0:
        raise NamespaceError(
            "creating the network namespace needs root (run this as root, e.g. with sudo)"
        )
    if shutil.which("ip") is None:
        raise NamespaceError("the 'ip' command is missing (Debian package iproute2)")


@dataclass
class Namespace:
    """``ip netns`` namespace ``name``; :meth:`create` sets it up, :meth:`delete` removes it."""

    name: str

    @classmethod
    def create(cls, name: str | None = None) -> Namespace:
        check_can_create()
        namespace = cls(name or f"runde{os.getpid()}")
        if os.path.exists(f"/run/netns/{namespace.name}"):
            namespace.delete()  # left over from an interrupted run with the same pid
        _ip("netns", "add", namespace.name)
        try:
            namespace._configure()
        except BaseException:
            namespace.delete()
            raise
        return namespace

    def _configure(self) -> None:
        ns = self.name
        _ip("-n", ns, "link", "set", "lo", "up")
        _ip("-n", ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
        _ip("-n", ns, "addr", "add", f"{SERVER_ADDRESS}/24", "dev", "v0")
        _ip("-n", ns, "addr", "add", f"{CLIENT_ADDRESS}/24", "dev", "v1")
        _ip("-n", ns, "link", "set", "v0", "up")
        _ip("-n", ns, "link", "set", "v1", "up")
        # Both addresses are local to the namespace: without accept_local the kernel drops
        # packets that arrive on one veth end from the other end's (local) address.
        subprocess.run(
            [
                *self.exec_prefix(),
                "sysctl",
                "-qw",
                "net.ipv4.conf.all.accept_local=1",
                "net.ipv4.conf.v0.accept_local=1",
                "net.ipv4.conf.v1.accept_local=1",
            ],
            check=True,
        )

    def exec_prefix(self) -> list[str]:
        return ["ip", "netns", "exec", self.name]

    def command(self, args: Sequence[str]) -> list[str]:
        """``args`` run inside the namespace (``ip netns exec`` execs, so the pid is theirs)."""
        return [*self.exec_prefix(), *args]

    def delete(self) -> None:
        subprocess.run(
            ["ip", "netns", "delete", self.name], capture_output=True, text=True, check=False
        )
