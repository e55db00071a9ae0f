"""Three network namespaces with a lossy, jittery router between two of them.

``srv`` (10.99.8.1, the host and the other participants) -- ``rtr`` (10.99.8.2 / 10.99.9.1)
-- ``sub`` (10.99.9.2, the participant whose link is bad). In ``rtr`` the main routing table
sends packets for 10.99.9.2 (downlink) and, if asked, for 10.99.8.1 (uplink) into the TUN
device ``imp0``; a rule sends whatever comes out of ``imp0`` on by a second table, straight to
the veth. :mod:`tests.integration.tun_router` sits on ``imp0`` and drops and delays. No
namespace has a route out, so no test traffic can leave the machine. This kernel has no
netem (ENGINEERING.md §3b): the impairment is real packet forwarding, not a qdisc.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tests.integration import netns_uplink
from tests.integration.netns_uplink import NamespaceError

__all__ = ["SERVER_ADDRESS", "SUBSCRIBER_ADDRESS", "ImpairedLink", "cannot_create"]

SERVER_ADDRESS = "10.99.8.1"
ROUTER_SERVER_SIDE = "10.99.8.2"
ROUTER_SUBSCRIBER_SIDE = "10.99.9.1"
SUBSCRIBER_ADDRESS = "10.99.9.2"
TUN = "imp0"
_ROUTED_TABLE = "100"
_ROUTER_PROGRAM = Path(__file__).with_name("tun_router.py")


def _run(*args: str) -> None:
    result = subprocess.run(list(args), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise NamespaceError(f"'{' '.join(args)}' failed: {result.stderr.strip()}")


_PREFIXES = ("isrv", "irtr", "isub")


def cannot_create() -> str | None:
    """Why this process cannot make the impaired link, or None when it can."""
    reason = netns_uplink.cannot_create()
    if reason is None and not Path("/dev/net/tun").exists():
        reason = "/dev/net/tun is missing (the kernel's tun module, or a container without it)"
    return reason


def _delete_orphans() -> None:
    """Namespaces of test runs that were killed before their cleanup (their pid is gone),
    with the router programs still running in them."""
    listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=False)
    for line in listed.stdout.splitlines():
        name = line.split()[0] if line.split() else ""
        prefix, pid = name[:4], name[4:]
        if prefix not in _PREFIXES or not pid.isdigit() or Path(f"/proc/{pid}").exists():
            continue
        inside = subprocess.run(
            ["ip", "netns", "pids", name], capture_output=True, text=True, check=False
        )
        for leftover in inside.stdout.split():
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(leftover), signal.SIGKILL)
        subprocess.run(["ip", "netns", "delete", name], capture_output=True, check=False)


@dataclass
class ImpairedLink:
    server: str
    router: str
    subscriber: str
    _program: subprocess.Popen[str] | None = field(default=None, repr=False)
    counters: dict[str, int] = field(default_factory=dict)

    @classmethod
    def create(cls, impair_uplink: bool = True) -> ImpairedLink:
        _delete_orphans()
        pid = os.getpid()
        link = cls(f"isrv{pid}", f"irtr{pid}", f"isub{pid}")
        link.delete()  # left over from an interrupted run with the same pid
        try:
            link._build(impair_uplink)
        except BaseException:
            link.delete()
            raise
        return link

    def _build(self, impair_uplink: bool) -> None:
        srv, rtr, sub = self.server, self.router, self.subscriber
        for ns in (srv, rtr, sub):
            _run("ip", "netns", "add", ns)
            _run("ip", "-n", ns, "link", "set", "lo", "up")
        _run("ip", "-n", srv, "link", "add", "s0", "type", "veth", "peer", "name", "r0",
             "netns", rtr)  # fmt: skip
        _run("ip", "-n", sub, "link", "add", "u0", "type", "veth", "peer", "name", "r1",
             "netns", rtr)  # fmt: skip
        for ns, dev, address in (
            (srv, "s0", SERVER_ADDRESS),
            (rtr, "r0", ROUTER_SERVER_SIDE),
            (rtr, "r1", ROUTER_SUBSCRIBER_SIDE),
            (sub, "u0", SUBSCRIBER_ADDRESS),
        ):
            _run("ip", "-n", ns, "addr", "add", f"{address}/24", "dev", dev)
            _run("ip", "-n", ns, "link", "set", dev, "up")
        _run("ip", "-n", srv, "route", "add", "10.99.9.0/24", "via", ROUTER_SERVER_SIDE)
        _run("ip", "-n", sub, "route", "add", "10.99.8.0/24", "via", ROUTER_SUBSCRIBER_SIDE)
        # The router forwards; reverse-path checks would refuse what the TUN hands back.
        sysctls = ["net.ipv4.ip_forward=1", "net.ipv4.conf.all.rp_filter=0",
                   "net.ipv4.conf.default.rp_filter=0"]  # fmt: skip
        _run("ip", "netns", "exec", rtr, "sysctl", "-qw", *sysctls)
        _run("ip", "-n", rtr, "tuntap", "add", "dev", TUN, "mode", "tun")
        _run("ip", "netns", "exec", rtr, "sysctl", "-qw", f"net.ipv4.conf.{TUN}.rp_filter=0")
        _run("ip", "-n", rtr, "link", "set", TUN, "up")
        # Into the TUN: the impaired directions (a /32 beats the veth's own /24).
        _run("ip", "-n", rtr, "route", "add", f"{SUBSCRIBER_ADDRESS}/32", "dev", TUN)
        if impair_uplink:
            _run("ip", "-n", rtr, "route", "add", f"{SERVER_ADDRESS}/32", "dev", TUN)
        # Out of the TUN: straight on to the veths.
        _run("ip", "-n", rtr, "rule", "add", "iif", TUN, "lookup", _ROUTED_TABLE, "pref", "100")
        _run("ip", "-n", rtr, "route", "add", "10.99.9.0/24", "dev", "r1",
             "table", _ROUTED_TABLE)  # fmt: skip
        _run("ip", "-n", rtr, "route", "add", "10.99.8.0/24", "dev", "r0",
             "table", _ROUTED_TABLE)  # fmt: skip

    def start_impairment(
        self, loss: float, delay_ms: float, jitter_ms: float, seed: int = 1, reorder: bool = False
    ) -> None:
        """Start dropping ``loss`` percent and delaying ``delay_ms`` +- ``jitter_ms``.
        Until this is called (and after :meth:`stop_impairment`) the TUN has no reader and the
        impaired directions carry nothing."""
        self.stop_impairment()
        command = [sys.executable, str(_ROUTER_PROGRAM), "--device", TUN, "--loss", str(loss),
                   "--delay", str(delay_ms), "--jitter", str(jitter_ms),
                   "--seed", str(seed)]  # fmt: skip
        if reorder:
            command.append("--reorder")
        program = subprocess.Popen(
            self.in_router(command), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        assert program.stdout is not None
        if program.stdout.readline().strip() != "ready":
            _, err = program.communicate(timeout=5)
            raise NamespaceError(f"the TUN router did not start: {err.strip()}")
        self._program = program

    def stop_impairment(self) -> None:
        """Stop the router program; its counters are kept in :attr:`counters`."""
        program, self._program = self._program, None
        if program is None:
            return
        program.terminate()
        try:
            out, _ = program.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            program.kill()
            out, _ = program.communicate()
        lines = out.strip().splitlines()
        if lines:
            self.counters = json.loads(lines[-1])

    def in_server(self, args: Sequence[str]) -> list[str]:
        return ["ip", "netns", "exec", self.server, *args]

    def in_router(self, args: Sequence[str]) -> list[str]:
        return ["ip", "netns", "exec", self.router, *args]

    def in_subscriber(self, args: Sequence[str]) -> list[str]:
        return ["ip", "netns", "exec", self.subscriber, *args]

    def delete(self) -> None:
        try:
            self.stop_impairment()
        finally:
            for ns in (self.server, self.router, self.subscriber):
                subprocess.run(["ip", "netns", "delete", ns], capture_output=True, check=False)
