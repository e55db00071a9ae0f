"""Chat through a real headless host: delivery latency, and what chat costs the host beside media.

    .venv/bin/python -m tests.bench.chat [--seconds 20] [--participants 10] [--rate 1.0]
                                         [--media 4] [--warmup 5]

Starts ``runde host --headless --bind 127.0.0.1`` and joins ``--participants`` signaling-only
clients in this process: plain aiohttp WebSockets pinned to the link's fingerprint, joined
without media, that read every frame (JSON only, no pydantic). Four windows of ``--seconds``
each, on the same host:

1. *idle*: the clients are in the meeting and send nothing;
2. *chat*: every client sends ``--rate`` room messages a second (below the host's limit of
   2/s with bursts of 10), the clients' sends spread evenly over each second;
3. *media*: ``--media`` participants from ``tests.bench.generator`` join on 127.0.0.1,
   publish pre-encoded 640x360 VP8 at 30 fps with Opus and receive each other (no encoding or
   decoding), the chat clients idle;
4. *media + chat*: both at once.

Per window the table gives the host process's CPU (user + system, psutil, % of one core),
the chat messages the host accepted and the deliveries it made, the delay from a client's
``send_str`` to another client reading the ``chat_message`` (one clock: this process; the
sender's echo is not counted), the media forwarded, and what the rest of the machine used.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import psutil

from client.protocol import PROTOCOL_VERSION
from client.protocol.link import MeetingLink, parse_link
from tests.bench.media import VIDEO_FPS, build_clip
from tests.bench.sfu import GeneratorProcess, Report, Server, machine_description
from tests.helpers import LOOPBACK, HostProcess, start_host

TAG = "bench"  # chat text: "bench <window> <sender> <seq> <monotonic send time>"


class _Loopback:
    """Runs generator commands as they are: everything stays on 127.0.0.1 here."""

    def command(self, args: list[str]) -> list[str]:
        return list(args)


@dataclass
class Window:
    """What the clients saw in one measurement window."""

    name: str
    sent: int = 0
    echoes: int = 0
    delays: list[float] = field(default_factory=list)  # s, to the other participants
    refused: list[str] = field(default_factory=list)  # the host's error texts


class ChatClient:
    """One signaling-only participant: joins without media, reads everything, can chat."""

    def __init__(self, index: int, windows: dict[str, Window]) -> None:
        self.index = index
        self.windows = windows
        self.participant_id = ""
        self._session: aiohttp.ClientSession | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task[None] | None = None

    async def join(self, link: MeetingLink) -> None:
        self._session = aiohttp.ClientSession()
        self._ws = await self._session.ws_connect(
            link.signaling_url,
            ssl=aiohttp.Fingerprint(link.fingerprint),
            heartbeat=10.0,
            max_msg_size=256 * 1024,
        )
        await self._send(
            "core",
            {
                "action": "join",
                "protocol_version": PROTOCOL_VERSION,
                "room": link.room,
                "secret": link.secret,
                "display_name": f"chat{self.index}",
                "media": {"audio": False, "video": False},
            },
        )
        while True:
            payload = (await self._receive())["payload"]
            if payload.get("message") == "join_success":
                self.participant_id = payload["participant_id"]
                break
            if payload.get("message") == "error":
                raise RuntimeError(f"join refused: {payload['text']}")
        self._reader = asyncio.ensure_future(self._read())

    async def send_chat(self, window: str, seq: int) -> None:
        text = f"{TAG} {window} {self.index} {seq} {time.monotonic():.6f}"
        await self._send("chat", {"action": "send_message", "text": text})

    async def leave(self) -> None:
        with contextlib.suppress(ConnectionError, RuntimeError):
            await self._send("core", {"action": "leave"})
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        if self._ws is not None:
            with contextlib.suppress(TimeoutError, ConnectionError):
                await asyncio.wait_for(self._ws.close(), timeout=2.0)
        if self._session is not None:
            await self._session.close()

    async def _send(self, namespace: str, payload: dict[str, Any]) -> None:
        assert self._ws is not None
        await self._ws.send_str(json.dumps({"namespace": namespace, "payload": payload}))

    async def _receive(self) -> dict[str, Any]:
        assert self._ws is not None
        frame = await self._ws.receive()
        if frame.type != aiohttp.WSMsgType.TEXT:
            raise ConnectionError(f"the host closed the signaling connection ({frame.type!r})")
        message: dict[str, Any] = json.loads(frame.data)
        return message

    async def _read(self) -> None:
        while True:
            message = await self._receive()
            arrived = time.monotonic()
            payload = message["payload"]
            kind = payload.get("message")
            if message["namespace"] == "chat" and kind == "chat_message":
                tag, window, sender, _seq, sent = payload["text"].split(" ")
                if tag != TAG or window not in self.windows:
                    continue
                record = self.windows[window]
                if int(sender) == self.index:
                    record.echoes += 1
                else:
                    record.delays.append(arrived - float(sent))
            elif kind == "error":
                current = next(reversed(self.windows.values()))
                current.refused.append(payload["text"])


@dataclass
class Row:
    window: Window
    seconds: float
    host_cpu: float  # % of one core
    host_kernel: float  # share of host_cpu spent in the kernel
    host_rss: float  # MB at the end of the window
    bench_cpu: float  # this process (the chat clients), % of one core
    generator_cpu: float | None
    other_cpu: float  # % of one core used outside the benchmark's processes
    expected_deliveries: int
    media: Report | None = None


async def _cpu_window(
    seconds: float,
    host: psutil.Process,
    generator: psutil.Process | None,
    work: asyncio.Future[Any] | None = None,
) -> tuple[float, float, float, float, float | None, float, float]:
    """Host CPU %, its kernel share, RSS MB, bench %, generator %, other load %, wall s."""
    me = psutil.Process()
    psutil.cpu_percent(None)
    host_before = host.cpu_times()
    me_before = sum(me.cpu_times()[:2])
    gen_before = sum(generator.cpu_times()[:2]) if generator is not None else 0.0
    started = time.monotonic()
    if work is not None:
        await work
    else:
        await asyncio.sleep(seconds)
    wall = time.monotonic() - started
    machine = psutil.cpu_percent(None) * (os.cpu_count() or 1)
    host_after = host.cpu_times()
    user = host_after.user - host_before.user
    kernel = host_after.system - host_before.system
    host_cpu = (user + kernel) / wall * 100
    bench = (sum(me.cpu_times()[:2]) - me_before) / wall * 100
    gen = (sum(generator.cpu_times()[:2]) - gen_before) / wall * 100 if generator else None
    other = machine - host_cpu - bench - (gen or 0.0)
    rss = host.memory_info().rss / 2**20
    kernel_share = kernel / (user + kernel) if user + kernel else 0.0
    return host_cpu, kernel_share, rss, bench, gen, other, wall


async def _chat(clients: list[ChatClient], window: Window, rate: float, seconds: float) -> None:
    """Every client sends ``rate`` messages a second for ``seconds``, spread over the second."""
    start = time.monotonic()
    interval = 1.0 / rate

    async def one(client: ChatClient, offset: float) -> None:
        seq = 0
        while (due := start + offset + seq * interval) < start + seconds:
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            await client.send_chat(window.name, seq)
            window.sent += 1
            seq += 1
        await asyncio.sleep(max(0.0, start + seconds - time.monotonic()))

    offsets = [i * interval / len(clients) for i in range(len(clients))]
    await asyncio.gather(*(one(c, o) for c, o in zip(clients, offsets, strict=True)))


async def _measure(
    name: str,
    clients: list[ChatClient],
    windows: dict[str, Window],
    args: argparse.Namespace,
    host: psutil.Process,
    generator: GeneratorProcess | None,
) -> Row:
    window = windows[name] = Window(name)
    gen_process = psutil.Process(generator.process.pid) if generator is not None else None
    if generator is not None:
        await asyncio.to_thread(generator.ask, "start")
    work = None
    if "chat" in name:
        work = asyncio.ensure_future(_chat(clients, window, args.rate, args.seconds))
    cpu, kernel, rss, bench, gen, other, wall = await _cpu_window(
        args.seconds, host, gen_process, work
    )
    media = None
    if generator is not None:
        media = Report.from_json(await asyncio.to_thread(generator.ask, "stop", 60.0))
    await asyncio.sleep(1.0)  # the last messages' deliveries
    return Row(
        window,
        wall,
        cpu,
        kernel,
        rss,
        bench,
        gen,
        other,
        expected_deliveries=window.sent * (len(clients) - 1),
        media=media,
    )


async def _wait_for_video(generator: GeneratorProcess, n: int) -> None:
    """Until each media participant receives video from all the others."""
    while True:
        frames = await asyncio.to_thread(generator.frames)
        if len(frames) == n and all(
            sum(1 for kinds in remotes.values() if kinds["video"] > 0) == n - 1
            for remotes in frames.values()
        ):
            return
        await asyncio.sleep(1.0)


async def run(args: argparse.Namespace, host: HostProcess, scratch: Path) -> list[Row]:
    link = parse_link(host.link)
    target = psutil.Process(host.process.pid)
    windows: dict[str, Window] = {}
    clients = [ChatClient(i, windows) for i in range(args.participants)]
    generator: GeneratorProcess | None = None
    rows: list[Row] = []
    try:
        for client in clients:
            await client.join(link)
        await asyncio.sleep(args.warmup)
        rows.append(await _measure("idle", clients, windows, args, target, None))
        rows.append(await _measure("chat", clients, windows, args, target, None))
        if args.media:
            clip = scratch / "clip.mkv"
            await asyncio.to_thread(build_clip, clip)
            server = Server("runde", host.process, host.link, host.stop)  # type: ignore[arg-type]
            generator = GeneratorProcess(
                _Loopback(),  # type: ignore[arg-type]
                server,
                [f"media{i}" for i in range(args.media)],
                list(range(args.media)),
                clip,
                scratch / "generator.log",
                bind=LOOPBACK,
            )
            await asyncio.to_thread(generator.read, 60.0)  # "joined"
            try:
                async with asyncio.timeout(30.0):
                    await _wait_for_video(generator, args.media)
            except TimeoutError:
                raise RuntimeError("the media participants did not all get video") from None
            await asyncio.sleep(args.warmup)
            rows.append(await _measure("media", clients, windows, args, target, generator))
            rows.append(await _measure("media+chat", clients, windows, args, target, generator))
    finally:
        if generator is not None:
            await asyncio.to_thread(generator.close)
        await asyncio.gather(*(c.leave() for c in clients), return_exceptions=True)
    return rows


def _ms(values: list[float], q: int | None) -> str:
    if not values:
        return "–"
    if q is None:
        return f"{statistics.median(values) * 1000:.1f}"
    if len(values) < 100:
        return "–"
    return f"{statistics.quantiles(values, n=100)[q - 1] * 1000:.1f}"


def _media(report: Report | None) -> tuple[str, str]:
    if report is None:
        return "–", "–"
    seconds = report.end - report.start
    packets = sum(report.packets.values()) / seconds
    fps = min(
        (
            kinds["video"] / seconds
            for remotes in report.frames.values()
            for kinds in remotes.values()
        ),
        default=0.0,
    )
    return f"{packets:.0f}", f"{fps:.1f}"


def render_table(rows: list[Row]) -> str:
    by_name = {r.window.name: r for r in rows}
    lines = [
        "| window | host CPU % of a core | in kernel | Δ vs. same without chat "
        "| chat msgs/s to host | deliveries (of expected) | chat delay p50 / p99 / max ms "
        "| fwd media pkt/s | min video fps | host RSS MB | clients / generator / other CPU % |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        w = row.window
        base = {"chat": "idle", "media+chat": "media"}.get(w.name)
        delta = f"{row.host_cpu - by_name[base].host_cpu:+.1f}" if base in by_name else "–"
        delivered = f"{len(w.delays)} ({row.expected_deliveries})" if w.sent else "–"
        delay = (
            f"{_ms(w.delays, None)} / {_ms(w.delays, 99)} / {max(w.delays) * 1000:.1f}"
            if w.delays
            else "–"
        )
        pps, fps = _media(row.media)
        gen = f"{row.generator_cpu:.0f}" if row.generator_cpu is not None else "–"
        lines.append(
            f"| {w.name} | {row.host_cpu:.1f} | {row.host_kernel:.0%} | {delta} "
            f"| {w.sent / row.seconds:.1f} | {delivered} | {delay} | {pps} | {fps} "
            f"| {row.host_rss:.0f} | {row.bench_cpu:.0f} / {gen} / {row.other_cpu:.0f} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.chat",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--seconds", type=float, default=20.0, help="each window (default 20)")
    parser.add_argument("--participants", type=int, default=10, help="chat clients (default 10)")
    parser.add_argument(
        "--rate", type=float, default=1.0, help="messages per second per client (default 1)"
    )
    parser.add_argument(
        "--media", type=int, default=4, help="media participants, 0: no media windows (default 4)"
    )
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds before measuring")
    args = parser.parse_args()
    if not 0 < args.rate <= 2.0:
        parser.error("--rate must be above 0 and at most the host's limit of 2 per second")
    if args.participants < 2:
        parser.error("--participants needs a sender and a receiver")
    load = os.getloadavg()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="runde-chat-bench-") as scratch_name:
        host = start_host(log_level="warning")
        try:
            rows = asyncio.run(run(args, host, Path(scratch_name)))
        finally:
            errors = host.stop()
    refused = [text for row in rows for text in row.window.refused]
    print(
        f"Machine: {machine_description()}; load average before {load[0]:.2f} {load[1]:.2f} "
        f"{load[2]:.2f}; {args.participants} chat clients at {args.rate:g} msg/s each, "
        f"{args.media} media participants ({VIDEO_FPS} fps VP8 + Opus), windows of "
        f"{args.seconds:g} s; run took {time.monotonic() - started:.0f} s\n"
    )
    print(render_table(rows))
    for row in rows:
        if row.window.echoes != row.window.sent:
            print(f"\n{row.window.name}: {row.window.sent} sent, {row.window.echoes} echoed back")
    if refused:
        print(f"\nthe host refused {len(refused)} requests, first: {refused[0]}")
    warnings = [line for line in errors.splitlines() if line.strip()]
    if warnings:
        print(f"\nthe host logged {len(warnings)} lines at warning or above; the last:")
        print("\n".join(warnings[-5:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
