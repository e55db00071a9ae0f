"""SFU benchmark: Runde's SFU and Janus VideoRoom side by side under the same load.

    sudo .venv/bin/python -m tests.bench.sfu [--n 2,4,6] [--seconds 20] [--servers runde,janus]
                                             [--soak SECONDS] [--profile] [--write]

``--servers runde-layers`` adds Runde's SFU with every participant's camera in three layers
(720, 360 and 180 rows, ``tests/bench/layered_clips.py``), as Runde cameras publish: the SFU
receives all three and forwards each subscriber the tallest (none asks for less here), so its
row shows what receiving the extra layers costs per forwarded packet. ``--servers
janus-layers`` is its Janus counterpart: the same three layers go to Janus VideoRoom as three
video streams of one PeerConnection (the aiortc generators cannot send a browser's simulcast),
named by size in Janus's stream ``descriptions``, and each subscriber asks Janus for the audio
and the tallest layer only (``client/call/janus_layers.py``) — receiving three and forwarding
one, the server work of simulcast. The "vs Janus" columns compare ``runde-layers`` with
``janus-layers`` when both ran, every other Runde row with ``janus``.

Everything runs in a network namespace made for the run (Janus skips loopback): each server
in turn binds 10.99.0.1, and two load-generator processes (``tests.bench.generator``) hold
the N participants, gathering on 10.99.0.2. Participants publish pre-encoded 640x360 VP8
(~600 kbit/s, 30 fps) and Opus, and count received frames without decoding. Per server and
N the table gives the server's CPU over a steady-state window, the packets its subscribers
received, CPU per forwarded packet, RSS, the delay from a publisher's send to a subscriber's
arrival, and the lowest video frame rate any subscriber got.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import datetime
import json
import os
import platform
import re
import select
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from tests.bench.janus_server import (
    JanusNotInstalled,
    JanusRoom,
    find_janus,
    start_janus,
)
from tests.bench.layered_clips import build_layer_clips
from tests.bench.media import build_clip, load_clip
from tests.bench.netns import (
    CLIENT_ADDRESS,
    SERVER_ADDRESS,
    Namespace,
    NamespaceError,
    check_can_create,
)

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "benchmarks.md"
# --write replaces what lies between these markers in DOC: one block per kind of result.
TABLE_BLOCK = "sfu"
SOAK_BLOCK = "sfu-soak"
JANUS_ROOM = 1234
SERVERS = ("runde", "runde-layers", "janus", "janus-layers")
LAYERED = ("runde-layers", "janus-layers")  # every camera in three layers
GENERATORS = 2
SOAK_N = 4
SOAK_EVERY = 30.0
MAX_DELAY = 2.0  # seconds; a later match is another send of the same payload


Frames = dict[str, dict[str, dict[str, int]]]


# ---- servers and generators ------------------------------------------------------------


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    target: str  # meeting link (Runde) or WebSocket URL (Janus)
    stop: Callable[[], None]

    @property
    def pid(self) -> int:
        return self.process.pid


def _stop_process(process: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_runde(namespace: Namespace, work: Path, trace_memory: bool = False) -> Server:
    log = (work / "runde-host.log").open("wb")
    host = ["tests.bench.traced_host"] if trace_memory else ["client", "host", "--headless"]
    process = subprocess.Popen(
        namespace.command([sys.executable, "-m", *host, "--bind", SERVER_ADDRESS]),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=log,
        cwd=ROOT,
        start_new_session=True,  # Ctrl+C reaches the benchmark, which then stops us in order
    )
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], 30.0)
    link = process.stdout.readline().decode().strip() if ready else ""
    if not link:
        _stop_process(process)
        raise RuntimeError(f"runde host printed no link; see {work / 'runde-host.log'}")
    return Server("runde", process, link, lambda: _stop_process(process))


def start_janus_server(namespace: Namespace, work: Path, trace_memory: bool = False) -> Server:
    janus = start_janus(namespace, work, [JanusRoom(JANUS_ROOM, publishers=16)], debug_level=3)
    return Server("janus", janus.process, janus.url, janus.stop)


class GeneratorProcess:
    """One ``tests.bench.generator`` process inside the namespace."""

    def __init__(
        self,
        namespace: Namespace,
        server: Server,
        names: list[str],
        indices: list[int],
        clip: Path,
        log: Path,
        bind: str = CLIENT_ADDRESS,
        receivers: int | None = None,
        extra: Sequence[str] = (),
    ) -> None:
        self.names = names
        self.log = log
        self.process = subprocess.Popen(
            namespace.command(
                [
                    sys.executable,
                    "-m",
                    "tests.bench.generator",
                    "--server",
                    server.name,
                    "--target",
                    server.target,
                    "--room",
                    str(JANUS_ROOM),
                    "--names",
                    ",".join(names),
                    "--indices",
                    ",".join(map(str, indices)),
                    "--clip",
                    str(clip),
                    "--bind",
                    bind,
                    *(["--receivers", str(receivers)] if receivers is not None else []),
                    *extra,
                ]
            ),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log.open("wb"),
            cwd=ROOT,
            start_new_session=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )

    def send(self, command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{command}\n".encode())
        self.process.stdin.flush()

    def read(self, timeout: float) -> dict[str, Any]:
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        line = self.process.stdout.readline() if ready else b""
        if not line:
            tail = self.log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"generator {self.names} stopped answering:\n{tail}")
        reply: dict[str, Any] = json.loads(line)
        if "error" in reply:
            raise RuntimeError(f"generator {self.names}: {reply['error']}")
        return reply

    def ask(self, command: str, timeout: float = 30.0) -> dict[str, Any]:
        self.send(command)
        return self.read(timeout)

    def frames(self) -> Frames:
        """Frames received so far: subscriber -> remote -> kind -> count."""
        frames: Frames = self.ask("status")["frames"]
        return frames

    def close(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(BrokenPipeError, OSError):
                self.send("quit")
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextlib.contextmanager
def meeting(
    namespace: Namespace,
    server_name: str,
    n: int,
    clip: Path,
    work: Path,
    trace_memory: bool = False,
    layer_clips: Sequence[Path] = (),
) -> Iterator[tuple[Server, list[GeneratorProcess]]]:
    """A server with ``n`` joined participants spread over the generator processes; with
    ``layer_clips`` (``runde-layers``, ``janus-layers``) each camera goes in those layers."""
    run_dir = work / f"{server_name}-{n}"
    run_dir.mkdir()
    starter = start_runde if server_name.startswith("runde") else start_janus_server
    extra = ["--layer-clips", *map(str, layer_clips)] if server_name in LAYERED else []
    server = starter(namespace, run_dir, trace_memory)
    generators: list[GeneratorProcess] = []
    try:
        for g in range(GENERATORS):
            indices = list(range(g, n, GENERATORS))
            if indices:
                generators.append(
                    GeneratorProcess(
                        namespace,
                        server,
                        [f"p{i}" for i in indices],
                        indices,
                        clip,
                        run_dir / f"generator{g}.log",
                        extra=extra,
                    )
                )
        for generator in generators:
            generator.read(timeout=60.0)  # "joined"
        _wait_for_video(generators, n, timeout=30.0 + 5.0 * n)
        yield server, generators
    finally:
        for generator in generators:
            generator.close()
        server.stop()


def _wait_for_video(generators: list[GeneratorProcess], n: int, timeout: float) -> None:
    """Until every participant receives video from all n-1 others."""
    deadline = time.monotonic() + timeout
    missing: dict[str, int] = {}
    while time.monotonic() < deadline:
        missing = {}
        for generator in generators:
            for name, remotes in generator.frames().items():
                with_video = sum(1 for kinds in remotes.values() if kinds["video"] > 0)
                if with_video < n - 1:
                    missing[name] = n - 1 - with_video
        if not missing:
            return
        time.sleep(1.0)
    raise RuntimeError(f"participants still without video from some others: {missing}")


# ---- measuring ---------------------------------------------------------------------------


@dataclass
class Row:
    server: str
    n: int
    seconds: float
    cpu_percent: float  # of one core
    kernel_share: float  # of that CPU, spent in the kernel (sockets, mostly)
    rss_mb: float
    audio_pps: float
    video_pps: float
    p50_ms: float | None
    p99_ms: float | None
    delay_samples: int
    min_fps: float
    generator_cpu: float  # the busier generator, % of one core
    other_cpu: float  # % of one core used outside the benchmark: should be near 0
    notes: list[str] = field(default_factory=list)

    @property
    def packets_per_second(self) -> float:
        return self.audio_pps + self.video_pps

    @property
    def us_per_packet(self) -> float:
        pps = self.packets_per_second
        return self.cpu_percent / 100 * 1e6 / pps if pps else float("nan")


def _cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return float(times.user + times.system)


def measure(server: Server, generators: list[GeneratorProcess], n: int, seconds: float) -> Row:
    target = psutil.Process(server.pid)
    loads = [psutil.Process(g.process.pid) for g in generators]
    psutil.cpu_percent(None)
    for generator in generators:
        generator.ask("start")
    times_before = target.cpu_times()
    load_before = [_cpu_seconds(p) for p in loads]
    started = time.monotonic()
    time.sleep(seconds)
    times_after = target.cpu_times()
    load_after = [_cpu_seconds(p) for p in loads]
    wall = time.monotonic() - started
    machine = psutil.cpu_percent(None)
    rss = target.memory_info().rss / 2**20
    reports = [Report.from_json(g.ask("stop", timeout=60.0)) for g in generators]
    load_cpu = [a - b for a, b in zip(load_after, load_before, strict=True)]
    user = times_after.user - times_before.user
    kernel = times_after.system - times_before.system
    row = _row(server.name, n, wall, user + kernel, rss, reports, machine, load_cpu)
    row.kernel_share = kernel / (user + kernel) if user + kernel else 0.0
    return row


@dataclass(frozen=True)
class Report:
    """One generator's measurement window, as it answered ``stop``."""

    start: float
    end: float
    frames: Frames
    packets: dict[str, int]
    sent: list[tuple[int, list[float]]]
    received: list[tuple[int, float, str]]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        start, end = data["window"]
        return cls(
            start=start,
            end=end,
            frames=data["frames"],
            packets=data["packets"],
            sent=[(key, times) for key, times in data["sent"]],
            received=[(key, arrived, kind) for key, arrived, kind in data["received"]],
        )


def _row(
    name: str,
    n: int,
    wall: float,
    cpu: float,
    rss: float,
    reports: list[Report],
    machine: float,
    load_cpu: list[float],
) -> Row:
    window = max(r.end - r.start for r in reports)
    packets = {kind: sum(r.packets.get(kind, 0) for r in reports) for kind in ("audio", "video")}
    min_fps = min(
        (
            kinds["video"] / (r.end - r.start)
            for r in reports
            for remotes in r.frames.values()
            for kinds in remotes.values()
        ),
        default=0.0,
    )
    delays = _delays(reports)
    p50 = statistics.median(delays) * 1000 if delays else None
    p99 = statistics.quantiles(delays, n=100)[98] * 1000 if len(delays) >= 100 else None
    return Row(
        server=name,
        n=n,
        seconds=wall,
        cpu_percent=cpu / wall * 100,
        kernel_share=0.0,
        rss_mb=rss,
        audio_pps=packets["audio"] / window,
        video_pps=packets["video"] / window,
        p50_ms=p50,
        p99_ms=p99,
        delay_samples=len(delays),
        min_fps=min_fps,
        generator_cpu=max(c / wall * 100 for c in load_cpu),
        # psutil's machine figure is a share of all cores; what the benchmark's own
        # processes used is subtracted, leaving other load that would skew the figures.
        other_cpu=machine * (os.cpu_count() or 1) - (cpu + sum(load_cpu)) / wall * 100,
    )


def _delays(reports: list[Report]) -> list[float]:
    """Match each sampled arrival to the latest send of the same payload before it."""
    sent: dict[int, list[float]] = {}
    for report in reports:
        for key, times in report.sent:
            sent.setdefault(key, []).extend(times)
    for times in sent.values():
        times.sort()
    delays: list[float] = []
    for report in reports:
        for key, arrived, _kind in report.received:
            sends = sent.get(key, [])
            i = bisect.bisect_right(sends, arrived)
            if i and arrived - sends[i - 1] < MAX_DELAY:
                delays.append(arrived - sends[i - 1])
    return delays


def _min_fps(before: Frames, after: Frames, seconds: float) -> float:
    return min(
        (
            (kinds["video"] - before.get(name, {}).get(remote, {}).get("video", 0)) / seconds
            for name, remotes in after.items()
            for remote, kinds in remotes.items()
        ),
        default=0.0,
    )


# ---- profiling ----------------------------------------------------------------------------


def profile(pid: int, seconds: float, out: Path) -> subprocess.Popen[bytes] | None:
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(py_spy).exists():
        print("py-spy is not installed (pip install py-spy); no profile", file=sys.stderr)
        return None
    return subprocess.Popen(
        [
            py_spy, "record", "--pid", str(pid), "--duration", str(int(seconds)),
            "--rate", "250", "--format", "raw", "--output", str(out), "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip


# Threads waiting: the event loop for packets, aiortc's idle decoder threads for work.
IDLE_LEAVES = ("select (selectors.py)", "wait (threading.py)")


def hot_functions(collapsed: Path, top: int = 10) -> tuple[list[tuple[str, float]], int]:
    """Self time per function from py-spy's collapsed stacks, as a share of busy samples."""
    own: dict[str, int] = {}
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        leaf = re.sub(r":\d+\)$", ")", stack.split(";")[-1])
        if not leaf.endswith(IDLE_LEAVES):
            own[leaf] = own.get(leaf, 0) + int(count)
    busy = sum(own.values())
    ranked = sorted(own.items(), key=lambda item: item[1], reverse=True)[:top]
    return [(name, count / busy * 100) for name, count in ranked], busy


# ---- output -------------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def render_table(rows: list[Row]) -> str:
    by_server = {(r.server, r.n): r for r in rows}
    lines = [
        "| N | server | CPU % of a core | in kernel | vs Janus | vs Janus per pkt "
        "| fwd audio pkt/s | fwd video pkt/s | CPU µs / fwd pkt | RSS MB | delay p50 / p99 ms "
        "| min video fps | generator CPU % | other load % |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in sorted(rows, key=lambda r: (r.n, r.server)):
        other = None
        if not r.server.startswith("janus"):
            layered = by_server.get(("janus-layers", r.n)) if r.server == "runde-layers" else None
            other = layered or by_server.get(("janus", r.n))
        ratio = f"{r.cpu_percent / other.cpu_percent:.2f}×" if other else "–"
        per_packet = f"{r.us_per_packet / other.us_per_packet:.2f}×" if other else "–"
        lines.append(
            f"| {r.n} | {r.server} | {r.cpu_percent:.1f} | {r.kernel_share:.0%} | {ratio} "
            f"| {per_packet} "
            f"| {r.audio_pps:.0f} | {r.video_pps:.0f} | {r.us_per_packet:.0f} | {r.rss_mb:.0f} "
            f"| {_ms(r.p50_ms)} / {_ms(r.p99_ms)} | {r.min_fps:.1f} | {r.generator_cpu:.0f} "
            f"| {r.other_cpu:.0f} |"
        )
    return "\n".join(lines)


def render_soak(samples: dict[str, list[tuple[float, float, float, float]]]) -> str:
    lines = [
        "| server | minute | RSS MB | CPU % of a core | min video fps |",
        "|---|---|---|---|---|",
    ]
    for server, rows in samples.items():
        for elapsed, rss, cpu, fps in rows:
            lines.append(f"| {server} | {elapsed / 60:.1f} | {rss:.1f} | {cpu:.1f} | {fps:.1f} |")
    return "\n".join(lines)


def machine_description() -> str:
    model = platform.processor() or "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} × {model} (`nproc` = {len(os.sched_getaffinity(0))})"


def code_version() -> str:
    """The commit measured, and whether the SFU had uncommitted changes."""

    def git(*args: str) -> str:
        result = subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        )
        return result.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", "client/sfu", "client/call")
    return f"commit {commit}" + (" with uncommitted changes to the SFU" if dirty else "")


def write_doc(name: str, block: str) -> None:
    """Replace block ``name`` in DOC (appended on first use); the prose around it stays."""
    begin, end = f"<!-- bench:{name}:begin -->", f"<!-- bench:{name}:end -->"
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    section = f"{begin}\n{block.rstrip()}\n{end}"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
        text = head + section + tail
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")


# ---- the run ------------------------------------------------------------------------------


def soak(
    namespace: Namespace,
    server_name: str,
    args: argparse.Namespace,
    clip: Path,
    work: Path,
    layer_clips: Sequence[Path] = (),
) -> list[tuple[float, float, float, float]]:
    samples: list[tuple[float, float, float, float]] = []
    seconds, warmup = args.soak, args.warmup
    with meeting(
        namespace, server_name, SOAK_N, clip, work / "soak", args.trace_memory, layer_clips
    ) as (server, generators):
        process = psutil.Process(server.pid)
        time.sleep(warmup)
        started = time.monotonic()
        last_cpu, last_time = _cpu_seconds(process), started
        last_status = [g.frames() for g in generators]
        while (now := time.monotonic()) - started < seconds:
            time.sleep(min(SOAK_EVERY, seconds - (now - started)))
            now = time.monotonic()
            cpu = _cpu_seconds(process)
            status = [g.frames() for g in generators]
            fps = min(
                _min_fps(b, a, now - last_time) for b, a in zip(last_status, status, strict=True)
            )
            rss = process.memory_info().rss / 2**20
            sample = (now - started, rss, (cpu - last_cpu) / (now - last_time) * 100, fps)
            samples.append(sample)
            print(
                f"soak {server_name}: {sample[0]:5.0f} s  RSS {rss:6.1f} MB  "
                f"CPU {sample[2]:5.1f} %  min video fps {fps:4.1f}",
                flush=True,
            )
            last_cpu, last_time, last_status = cpu, now, status
    return samples


def run(args: argparse.Namespace) -> int:
    servers = args.servers.split(",")
    sizes = [int(n) for n in args.n.split(",") if n]  # --n "" runs only the soak
    try:
        check_can_create()
        if any(name.startswith("janus") for name in servers):
            find_janus()
    except (NamespaceError, JanusNotInstalled) as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    load_before = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="runde-bench-"))
    (work / "soak").mkdir()
    namespace = Namespace.create()
    rows: list[Row] = []
    profiles: dict[tuple[str, int], tuple[list[tuple[str, float]], int]] = {}
    soaks: dict[str, list[tuple[float, float, float, float]]] = {}
    try:
        clip = work / "clip.mkv"
        build_clip(clip)
        loaded = load_clip(clip)
        layer_clips = build_layer_clips(work) if set(LAYERED) & set(servers) else []
        print(
            f"clip: {len(loaded.video)} VP8 frames at {loaded.video_bitrate / 1000:.0f} kbit/s, "
            f"{len(loaded.audio)} Opus frames; load average before: "
            f"{' '.join(f'{v:.2f}' for v in load_before)}",
            flush=True,
        )
        for n in sizes:
            for name in servers:
                with meeting(namespace, name, n, clip, work, layer_clips=layer_clips) as (
                    server,
                    generators,
                ):
                    time.sleep(args.warmup)
                    spy = None
                    if args.profile and not name.startswith("janus"):
                        spy = profile(server.pid, args.seconds, work / f"profile-{name}-{n}.txt")
                    row = measure(server, generators, n, args.seconds)
                    row.server = name  # the *-layers rows run the same servers
                    if spy is not None:
                        spy.wait(timeout=args.seconds + 30)
                        profiles[name, n] = hot_functions(work / f"profile-{name}-{n}.txt")
                rows.append(row)
                print(
                    f"{name} N={n}: CPU {row.cpu_percent:.1f} %, "
                    f"{row.audio_pps:.0f}+{row.video_pps:.0f} pkt/s, "
                    f"p99 {_ms(row.p99_ms)} ms ({row.delay_samples} samples), "
                    f"min fps {row.min_fps:.1f}, generators {row.generator_cpu:.0f} %",
                    flush=True,
                )
        if args.soak:
            for name in servers:
                soaks[name] = soak(namespace, name, args, clip, work, layer_clips)
    finally:
        namespace.delete()
        if args.keep:
            print(f"logs kept in {work}", flush=True)
        else:
            shutil.rmtree(work, ignore_errors=True)
    table = render_table(rows)
    print()
    print(table)
    for (name, n), (hot, busy) in profiles.items():
        print(f"\n{name} at N={n}, self time, share of {busy} busy py-spy samples:")
        for function, share in hot:
            print(f"  {share:5.1f} %  {function}")
    if soaks:
        print()
        print(render_soak(soaks))
    if args.write:
        _write_results(args, table if rows else None, soaks, load_before)
        print(f"\nwrote {DOC.relative_to(ROOT)}")
    return 0


def _doc_header(args: argparse.Namespace, load_before: tuple[float, float, float]) -> str:
    command = "sudo .venv/bin/python -m tests.bench.sfu " + shlex.join(args.argv)
    date = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"Command: `{command.strip()}`  \n"
        f"Machine: {machine_description()}; load average before the run "
        f"{' '.join(f'{v:.2f}' for v in load_before)}  \n"
        f"Date: {date}; {code_version()}"
    )


def _write_results(
    args: argparse.Namespace,
    table: str | None,
    soaks: dict[str, list[tuple[float, float, float, float]]],
    load_before: tuple[float, float, float],
) -> None:
    header = _doc_header(args, load_before)
    if table is not None:
        window = f"; window {args.seconds:.0f} s after {args.warmup:.0f} s of warm-up"
        write_doc(TABLE_BLOCK, f"{header}{window}\n\n{table}\n")
    if soaks:
        title = f"Soak at N={SOAK_N}, {args.soak:.0f} s, sampled every {SOAK_EVERY:.0f} s"
        write_doc(SOAK_BLOCK, f"{header}\n\n{title}:\n\n{render_soak(soaks)}\n")


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.sfu",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--n", default="2,4,6", help="participant counts (default 2,4,6)")
    parser.add_argument("--seconds", type=float, default=20.0, help="measurement window")
    parser.add_argument("--warmup", type=float, default=10.0, help="seconds before measuring")
    parser.add_argument(
        "--servers",
        default="runde,janus",
        help=f"comma-separated, measured in the order given; from {', '.join(SERVERS)}",
    )
    parser.add_argument(
        "--soak", type=float, default=0.0, metavar="SECONDS", help=f"also run N={SOAK_N} this long"
    )
    parser.add_argument(
        "--profile", action="store_true", help="sample the Runde SFU with py-spy (adds overhead)"
    )
    parser.add_argument(
        "--trace-memory",
        action="store_true",
        help="run the Runde SFU under tracemalloc (diagnosis: slows it; logs growth per line)",
    )
    parser.add_argument("--write", action="store_true", help=f"update {DOC.relative_to(ROOT)}")
    parser.add_argument("--keep", action="store_true", help="keep the work dir (logs)")
    argv = sys.argv[1:]
    args = parser.parse_args(argv)
    args.argv = argv
    unknown = set(args.servers.split(",")) - set(SERVERS)
    if unknown:
        parser.error(
            f"unknown server {', '.join(sorted(unknown))} (choose from {', '.join(SERVERS)})"
        )

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # unwinds through the finally blocks that clean up

    # Set SIGINT explicitly too: a shell starting us in the background may have ignored it.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, interrupt)
    try:
        return run(args)
    except KeyboardInterrupt:
        print("bench: interrupted; processes and namespace cleaned up", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
