"""The client benchmark's Chromium side: where everyone runs, and what Chromium spent and saw.

With ``--chromium`` (tests/bench/client_load.py) the meeting moves off loopback, which
Chromium will not use for media: host, load generator and app run in one network namespace
(10.99.7.1), Chromium (``tests/bench/chromium_tiles.py``) in a second one joined to it by a
veth pair with no route out (``tests/integration/netns_uplink.py``). Without it everything
stays on 127.0.0.1, as before.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from tests.helpers import LOOPBACK, HostProcess, runde_command
from tests.integration.netns_uplink import HOST_ADDRESS, UplinkPair, cannot_create

_REPO = Path(__file__).resolve().parents[2]


@dataclass
class Placement:
    """Where the meeting's processes run: ``prefix`` runs host, generator and app (on
    ``address``); ``browser_prefix`` runs Chromium."""

    address: str
    prefix: list[str]
    browser_prefix: list[str]
    pair: UplinkPair | None = None

    @classmethod
    def loopback(cls) -> Placement:
        return cls(LOOPBACK, [], [])

    @classmethod
    def namespaces(cls) -> Placement:
        why = cannot_create()
        if why is not None:
            raise RuntimeError(f"--chromium needs network namespaces, but {why}")
        pair = UplinkPair.create()
        return cls(HOST_ADDRESS, pair.in_server([]), pair.in_publisher([]), pair)

    def command(self, args: list[str]) -> list[str]:
        """``args`` where host, generator and app run (GeneratorProcess calls this)."""
        return [*self.prefix, *args]

    def close(self) -> None:
        if self.pair is not None:
            self.pair.delete()


def start_host(placement: Placement, log: Path, *extra: str) -> HostProcess:
    """``runde host --headless [extra]`` on the placement's address, its log into ``log``;
    waits for its links."""
    address = placement.address
    args = runde_command(
        "--log-level", "warning", "host", "--headless", "--bind", address, *extra
    )  # fmt: skip
    with log.open("w") as stderr:
        process = subprocess.Popen(
            placement.command(args), stdout=subprocess.PIPE, stderr=stderr, text=True
        )
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], 20.0)
    link = process.stdout.readline().strip() if ready else ""
    moderator_link = process.stdout.readline().strip() if link else ""
    if not link or not moderator_link:
        process.kill()
        process.wait()
        raise RuntimeError(f"the host printed no link: {log.read_text()[-2000:]}")
    return HostProcess(process, link, moderator_link)


@dataclass
class ChromiumRow:
    cpu: float  # % of one core, all Chromium's processes
    pss: float  # MB, proportional set size summed over its processes
    rss: float  # MB, summed (counts shared pages once per process)
    fps: list[float]  # decoded video frames per second, per remote tile
    shown: list[float]  # frames the <video> presented per second, per remote tile
    heights: list[int]  # the frame height each remote tile received at the end
    asked: list[int]  # the max_height each tile asked for
    sent: dict[str, dict[str, Any]]  # rid -> {height, limited} of its own layers
    errors: list[str]


@dataclass
class ChromiumTiles:
    """``tests.bench.chromium_tiles`` in ``placement``; its stats lines read as they come."""

    placement: Placement
    link: str
    seconds: float
    env: dict[str, str]
    camera: bool = True  # publishes its fake camera (else its microphone only)
    latest: dict[str, Any] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        command = [sys.executable, "-m", "tests.bench.chromium_tiles", self.link, str(self.seconds)]
        if not self.camera:
            command.append("--no-camera")
        self.process = subprocess.Popen(
            [*self.placement.browser_prefix, *command],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=self.env,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._window: tuple[dict[str, Any], dict[int, float], float] | None = None

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            stats = json.loads(line)
            stats["at"] = time.monotonic()
            with self._lock:
                self.latest = stats

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return dict(self.latest)

    def receiving(self, tiles: int) -> bool:
        """Whether ``tiles`` remote tiles have decoded pictures; raises if Chromium ended."""
        if self.process.poll() is not None:
            assert self.process.stderr is not None
            raise RuntimeError(f"Chromium's page ended: {self.process.stderr.read()[-2000:]}")
        seen = self.stats().get("tiles", {})
        return sum(1 for tile in seen.values() if tile["frames"] > 0) >= tiles

    def ask(self, asked: dict[str, int]) -> None:
        """Ask for each target's camera at most these rows (what the app asked of it)."""
        assert self.process.stdin is not None
        for target, max_height in asked.items():
            self.process.stdin.write(json.dumps({"target": target, "max_height": max_height}))
            self.process.stdin.write("\n")
        self.process.stdin.flush()

    def _processes(self) -> list[psutil.Process]:
        """Chromium's processes (the browser and its children), not the driving script."""
        try:
            found: list[psutil.Process] = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []
        return found

    def start_window(self) -> None:
        cpu = {}
        for process in self._processes():
            try:
                cpu[process.pid] = sum(process.cpu_times()[:2])
            except psutil.NoSuchProcess:
                continue
        self._window = (self.stats(), cpu, time.monotonic())

    def end_window(self) -> ChromiumRow:
        assert self._window is not None, "start_window first"
        before, cpu_before, started = self._window
        elapsed = time.monotonic() - started
        spent, pss, rss = 0.0, 0.0, 0.0
        for process in self._processes():
            try:
                spent += sum(process.cpu_times()[:2]) - cpu_before.get(process.pid, 0.0)
                memory = process.memory_full_info()
            except psutil.NoSuchProcess:
                continue
            pss += memory.pss / 1e6
            rss += memory.rss / 1e6
        after = self.stats()
        seconds = after["at"] - before["at"]
        tiles_before = before.get("tiles", {})
        fps: list[float] = []
        shown: list[float] = []
        for target, tile in after["tiles"].items():
            # a tile subscribed anew within the window counts from its new start
            for key, rates in (("frames", fps), ("shown", shown)):
                start = tiles_before.get(target, {}).get(key, 0)
                rates.append((tile[key] - (start if start <= tile[key] else 0)) / seconds)
        tiles = list(after["tiles"].values())
        return ChromiumRow(
            cpu=spent / elapsed * 100,
            pss=pss,
            rss=rss,
            fps=fps,
            shown=shown,
            heights=[tile["height"] for tile in tiles],
            asked=[tile["asked"] or 0 for tile in tiles],
            sent=dict(after.get("sent", {})),
            errors=list(after.get("errors", [])),
        )

    def close(self) -> None:
        """End the page like Ctrl-C (the script then ends its browser), then any straggler."""
        browser = self._processes()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for process in browser:
            with contextlib.suppress(psutil.NoSuchProcess):
                process.kill()


def summary(values: list[float]) -> str:
    """median (min–max) of per-tile figures."""
    if not values:
        return "–"
    return f"{statistics.median(values):.1f} ({min(values):.1f}–{max(values):.1f})"


def heights_text(heights: list[int]) -> str:
    """Each distinct height with how many tiles have it, e.g. ``180 ×8, 360 ×1``."""
    counts = {h: heights.count(h) for h in sorted(set(heights))}
    return ", ".join(f"{h} ×{n}" for h, n in counts.items()) or "–"


def chromium_env(pulse_env: dict[str, str]) -> dict[str, str]:
    """Chromium's environment: sound to the benchmark's private PulseAudio server."""
    return {**os.environ, **pulse_env, "PYTHONPATH": str(_REPO)}


@dataclass
class AppFigures:
    """The app's side of the comparison, from one run of tests/bench/client_load.py."""

    label: str
    cpu: float
    rss: float
    decoded_per_tile: float
    shown_per_tile: float  # pictures painted
    tiles: int
    asked: list[int]
    received: list[int]
    sent_fps: float
    camera: bool = True


COMPARISON_HEADER = (
    "\n| client | CPU % of a core | memory MB | decoded fps per tile | shown fps per tile "
    "| pictures decoded per s, all tiles | CPU ms per decoded picture "
    "| max_height asked per tile | layer height received per tile | own camera sent |"
    "\n|---|---|---|---|---|---|---|---|---|---|"
)


def _per_picture(cpu: float, pictures: float) -> str:
    """Milliseconds of CPU per decoded picture: both clients may be starved here, and then
    this says more than the CPU alone."""
    return f"{cpu * 10 / pictures:.1f}" if pictures > 0 else "–"


def comparison(app: AppFigures, browser: ChromiumRow) -> str:
    """Two table rows (app, Chromium) and the CPU ratio under them."""
    sent = ", ".join(
        f"{rid} {layer['height']} ({layer['limited']})"
        for rid, layer in sorted(browser.sent.items())
    )
    ratio = f"{app.cpu / browser.cpu:.2f}" if browser.cpu > 0 else "–"
    own_camera = (
        f"720/360/180; {app.sent_fps:.1f} fps arrive at p0" if app.camera else "none (--no-camera)"
    )
    app_total = app.decoded_per_tile * app.tiles
    browser_total = sum(browser.fps)
    lines = [
        f"| {app.label} | {app.cpu:.0f} | RSS {app.rss:.0f} "
        f"| {app.decoded_per_tile:.1f} (mean of {app.tiles}) | {app.shown_per_tile:.1f} "
        f"| {app_total:.0f} "
        f"| {_per_picture(app.cpu, app_total)} | {heights_text(app.asked)} "
        f"| {heights_text(app.received)} "
        f"| {own_camera} |",
        f"| Chromium | {browser.cpu:.0f} | PSS {browser.pss:.0f} (RSS sum {browser.rss:.0f}) "
        f"| {summary(browser.fps)} | {summary(browser.shown)} | {browser_total:.0f} "
        f"| {_per_picture(browser.cpu, browser_total)} | {heights_text(browser.asked)} "
        f"| {heights_text(browser.heights)} | {sent or '–'} |",
        f"\napp / Chromium CPU: {ratio}",
    ]
    if browser.errors:
        lines.append(f"Chromium's page was answered with errors: {browser.errors}")
    return "\n".join(lines)
