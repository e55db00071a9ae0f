"""CPU, memory and responsiveness of the desktop app in a busy meeting.

`python -m tests.bench.client_load [--seconds 30] [--warmup 15] [--adapt both|on|off]
[--profile]` starts a headless host on 127.0.0.1, a load generator (``tests.bench.generator``)
whose 8 participants publish pre-encoded 640x360 VP8 at 30 fps with Opus (so they spend little
CPU; only the first one subscribes, to count the app's video), and the real app
(`runde --no-prejoin --link LINK` on an Xvfb display, window 1100x700, so every picture is
really painted and put on the X server) sending a 1280x720/30 camera (a lavfi test source
standing in for a webcam: generating it costs the app some CPU a real camera would not) and
its microphone, playing to speakers (a private PulseAudio null sink).

By default the app runs twice in the same meeting, one run after the other: with its camera
fixed at 1280x720, then sending smaller pictures while it cannot encode every one (the app's
default, client/media/send_scale.py). Over each window it reports the app's CPU (all threads,
process time over wall time, % of one core), its RSS, event-loop timer lateness (the app logs
it, see client/loop_monitor.py), pictures painted per remote tile per second, the frame rate
at which the generator receives the app's own video, and the camera sizes sent. Prints a
markdown table, then the hottest functions with ``--profile`` (py-spy).

``--layers``: each generator participant publishes its camera as a Runde camera does, in three
layers (1280x720, 640x360 and 320x180 VP8 clips, tests/bench/layered_clips.py, each on its own
transceiver, announced in ``publish.layers``), so the SFU gives the app the layer each tile asks
for (client/call/tile_heights.py) instead of one 640x360 stream for every tile.

``--chromium``: one headless Chromium (tests/bench/chromium_tiles.py) joins the same meeting
before the app, publishes its fake 1280x720 camera in three simulcast layers and its
microphone, shows every other participant (the 8 and the app) in a 1100x700 grid of
``<video>`` tiles, and asks each for the ``max_height`` the app's rule gives its tile. Its CPU
(all its processes) and decoded frames per remote (``getStats()``) are taken over the same
window as the app's, and a second table sets app and Chromium side by side. Chromium will not
send media over loopback, so then host, generator and app run in one network namespace and
Chromium in another (root; tests/bench/load_chromium.py). The app then has 9 remote tiles.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import psutil

from tests.audio import start_pulse
from tests.bench.layered_clips import build_layer_clips
from tests.bench.load_chromium import (
    COMPARISON_HEADER,
    AppFigures,
    ChromiumRow,
    ChromiumTiles,
    Placement,
    chromium_env,
    comparison,
    start_host,
)
from tests.bench.media import VIDEO_FPS, build_clip
from tests.bench.sfu import GeneratorProcess, Server, hot_functions, profile
from tests.helpers import HostProcess, runde_command
from tests.xvfb import start_xvfb, stop_xvfb

TILES = 8
APP_NAME = "Bench"
CAMERA = "lavfi:testsrc2=size=1280x720:rate=30"
PATIENT_HEARTBEAT = 60  # seconds; the host's default is 10
SWITCH_SECONDS = 5.0  # for Chromium's new asks to take effect (keyframes every 2 s)
REPORT_EVERY = 5  # seconds between the app's responsiveness log lines
_REPORT = re.compile(
    r"^(\S+ \S+) INFO client.app: responsiveness: "
    r"timers late by p50 ([\d.]+) ms, p99 ([\d.]+) ms, max ([\d.]+) ms "
    r"\(\d+ probes\); (\d+) remote tiles, ([\d.]+) pictures painted per second "
    r"\(([\d.]+) decoded\)(?:; received heights ([\d,]+|none))?",
    re.MULTILINE,
)

# the media loop's own lateness, at the end of the same line (newer app versions)
_MEDIA_LOOP = re.compile(
    r"^(\S+ \S+) INFO client.app: responsiveness: .*; media loop timers late by "
    r"p50 ([\d.]+) ms, p99 ([\d.]+) ms",
    re.MULTILINE,
)


def _app_environment(
    folder: Path, pulse_env: dict[str, str], display: str, adapt: bool, camera: bool
) -> dict[str, str]:
    config = folder / "config" / "Runde"
    config.mkdir(parents=True, exist_ok=True)
    (config / "Runde.conf").write_text(
        "[user]\n"
        f"display_name={APP_NAME}\ncamera={CAMERA}\n"
        "video_width=1280\nvideo_height=720\nvideo_fps=30\n"
        f"adapt_camera_to_cpu={str(adapt).lower()}\n"
        f"camera_on={str(camera).lower()}\nmicrophone_on=true\n"
    )
    (folder / "run").mkdir(mode=0o700, exist_ok=True)
    return {
        **os.environ,
        **pulse_env,
        "QT_QPA_PLATFORM": "xcb",
        "DISPLAY": display,
        "XDG_RUNTIME_DIR": str(folder / "run"),
        "XDG_CONFIG_HOME": str(folder / "config"),
        "XDG_DATA_HOME": str(folder / "data"),
        "RUNDE_PERF_REPORT_SECONDS": str(REPORT_EVERY),
    }


def _log(folder: Path) -> str:
    # runde.log and the rotated runde.log.N: a busy meeting can log enough to rotate
    return "".join(p.read_text() for p in (folder / "data").rglob("runde.log*"))


# late p50, p99, max ms; tiles; pictures painted and decoded per second
# and the heights of the pictures each tile receives (comma-separated, or "none")
Report = tuple[float, float, float, int, float, float, str]


def _reports(folder: Path, since: float = 0.0) -> list[Report]:
    """The app's responsiveness reports logged after ``since`` (wall clock)."""
    found: list[tuple[float, Report]] = []
    for stamp, a, b, c, d, e, f, g in _REPORT.findall(_log(folder)):
        when = datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S,%f").timestamp()
        if when >= since:
            report = (float(a), float(b), float(c), int(d), float(e), float(f), g or "none")
            found.append((when, report))
    return [report for _, report in sorted(found)]


def _media_loop_late(folder: Path, since: float) -> str:
    """The media loop's timer lateness (median p50 / max p99) over the reports after ``since``."""
    found = [
        (float(p50), float(p99))
        for stamp, p50, p99 in _MEDIA_LOOP.findall(_log(folder))
        if datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S,%f").timestamp() >= since
    ]
    if not found:
        return ""
    return f"; media {statistics.median(p for p, _ in found):.1f} / {max(p for _, p in found):.1f}"


def _asked(folder: Path) -> dict[str, int]:
    """The max_height the app asked last of each participant."""
    return {target: int(height) for height, target in _ASKED.findall(_log(folder))}


def _wait(predicate_text: str, check: object, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(check) and check():
            return
        time.sleep(0.5)
    raise RuntimeError(f"not within {timeout} s: {predicate_text}")


def _app_video_frames(generator: GeneratorProcess) -> int:
    """Frames of the app's video that the first generator participant received so far."""
    frames = generator.frames()
    first = next(iter(frames.values()))
    return int(first.get(APP_NAME, {}).get("video", 0))


_ASKED = re.compile(r"tile_layers: a tile \S+ rows tall asks for at most (\d+) of (\S+)")
_SCALE = re.compile(r"INFO client.media.camera: camera .* now sends (\d+)% of its size")


@dataclass
class Row:
    adapt: bool
    cpu: float
    rss_max: float
    late: str
    painted: str
    sent_fps: float
    others_cpu: dict[str, float]
    load: float
    camera_scales: list[int]  # the sizes the camera went out at, in % of 1280x720, in order
    tiles: int = TILES
    decoded_per_tile: float = 0.0
    painted_per_tile: float = 0.0
    asked: list[int] = field(default_factory=list)  # the app's max_height per tile, last asks
    received: list[int] = field(default_factory=list)  # picture heights per tile, at the end
    chromium: ChromiumRow | None = None


@dataclass
class Meeting:
    """What stays up between the app runs: host, generator, sound and display."""

    host: HostProcess
    generator: GeneratorProcess
    pulse_env: dict[str, str]
    display: str
    placement: Placement
    chromium: ChromiumTiles | None = None

    @property
    def tiles(self) -> int:
        """Remote tiles the app shows: the generator's participants, and Chromium."""
        return TILES + (1 if self.chromium is not None else 0)


def _measure(meeting: Meeting, args: argparse.Namespace, folder: Path, adapt: bool) -> Row:
    app: subprocess.Popen[bytes] | None = None
    stderr_path = folder.with_suffix(".stderr.txt")
    try:
        options = ["--log-level", "info", "--bind", meeting.placement.address, "--no-prejoin"]
        app = subprocess.Popen(
            meeting.placement.command(runde_command(*options, "--link", meeting.host.link)),
            env=_app_environment(
                folder, meeting.pulse_env, meeting.display, adapt, not args.no_camera
            ),
            stdout=subprocess.DEVNULL,
            stderr=stderr_path.open("wb"),
        )
        tiles = meeting.tiles
        _wait(
            f"the app shows {tiles} remote tiles with pictures",
            lambda: any(r[3] == tiles and r[4] > 0 for r in _reports(folder)),
            60.0,
        )
        time.sleep(args.warmup)
        chromium = meeting.chromium
        if chromium is not None:
            chromium.ask(_asked(folder))  # the same layers for both
            time.sleep(SWITCH_SECONDS)
            _wait(f"Chromium decodes {tiles} remote tiles", lambda: chromium.receiving(tiles), 30)
        process = psutil.Process(app.pid)
        window_start = time.time()
        sent_before = _app_video_frames(meeting.generator)
        cpu_before = sum(process.cpu_times()[:4])  # user, system and children's
        others = {
            "host": psutil.Process(meeting.host.process.pid),
            "generator": psutil.Process(meeting.generator.process.pid),
        }
        others_before = {name: sum(p.cpu_times()[:2]) for name, p in others.items()}
        if chromium is not None:
            chromium.start_window()
        started = time.monotonic()
        profile_path = folder.with_suffix(".profile.txt")
        spy = profile(app.pid, args.seconds, profile_path) if args.profile else None
        rss: list[float] = []
        while time.monotonic() - started < args.seconds:
            rss.append(process.memory_info().rss / 1e6)
            time.sleep(1.0)
        elapsed = time.monotonic() - started
        chromium_row = chromium.end_window() if chromium is not None else None
        if app.poll() is not None:
            stderr = stderr_path.read_text(errors="replace")
            crash = stderr.find("Fatal Python error")
            stderr = stderr[max(0, crash - 2000) : crash + 1500] if crash >= 0 else stderr[-3000:]
            raise RuntimeError(f"the app exited with {app.returncode}:\n{stderr}")
        cpu = (sum(process.cpu_times()[:4]) - cpu_before) / elapsed * 100
        others_cpu = {
            name: (sum(p.cpu_times()[:2]) - others_before[name]) / elapsed * 100
            for name, p in others.items()
        }
        sent_fps = (_app_video_frames(meeting.generator) - sent_before) / elapsed
        load = os.getloadavg()[0]
        if spy is not None:
            spy.wait(timeout=args.seconds + 30)
        # None at all means the loop stalled for the whole window: still print the rest.
        window = _reports(folder, since=window_start + REPORT_EVERY / 2)
    except RuntimeError:
        tail = _log(folder).splitlines()[-25:]
        print("the app's log ends with:\n" + "\n".join(tail), file=sys.stderr)
        raise
    finally:
        if app is not None:
            app.terminate()
            try:
                app.wait(15)
            except subprocess.TimeoutExpired:
                app.kill()
    decoded = statistics.mean(r[5] for r in window) / tiles if window else 0.0
    painted_per_tile = statistics.mean(r[4] for r in window) / tiles if window else 0.0
    if window:
        late = (
            f"{statistics.median(r[0] for r in window):.1f} / "
            f"{max(r[1] for r in window):.1f} / {max(r[2] for r in window):.1f}"
            + _media_loop_late(folder, since=window_start + REPORT_EVERY / 2)
        )
        painted = f"{painted_per_tile:.1f} / {decoded:.1f}"
    else:
        late, painted = "no report: the loop stalled", "–"
    scales = [100] + [int(x) for x in _SCALE.findall(_log(folder))]
    asked = list(_asked(folder).values())
    received = (
        [int(h) for h in window[-1][6].split(",")] if window and window[-1][6] != "none" else []
    )
    return Row(
        adapt, cpu, max(rss), late, painted, sent_fps, others_cpu, load, scales,
        tiles, decoded, painted_per_tile, asked, received, chromium_row,
    )  # fmt: skip


def _measure_chromium_alone(
    meeting: Meeting, args: argparse.Namespace, asked: dict[str, int]
) -> ChromiumRow:
    """Chromium in the meeting the app has just left: the same 8 publishers and layers."""
    chromium = ChromiumTiles(
        meeting.placement,
        meeting.host.link,
        args.warmup + args.seconds + 120,
        chromium_env(meeting.pulse_env),
        camera=not args.no_camera,
    )
    meeting.chromium = chromium
    _wait(f"Chromium decodes {TILES} remote tiles", lambda: chromium.receiving(TILES), 60.0)
    chromium.ask(asked)  # what the app asked of each
    time.sleep(args.warmup)
    _wait(f"Chromium decodes {TILES} remote tiles", lambda: chromium.receiving(TILES), 30.0)
    chromium.start_window()
    time.sleep(args.seconds)
    return chromium.end_window()


def _print_table(rows: list[Row]) -> None:
    print(
        "| camera adapts | app CPU % of a core | RSS MB max "
        "| timers late p50 / p99 / max ms (window; media loop p50 / p99) "
        "| pictures painted / decoded per tile per s "
        "| app video received fps | camera size sent, % of 720p | host / generator CPU % "
        "| load avg |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {'yes' if row.adapt else 'no'} | {row.cpu:.0f} | {row.rss_max:.0f} | {row.late} "
            f"| {row.painted} (of {VIDEO_FPS}) | {row.sent_fps:.1f} (of 30) "
            f"| {' → '.join(str(s) for s in row.camera_scales)} "
            f"| {row.others_cpu['host']:.0f} / {row.others_cpu['generator']:.0f} "
            f"| {row.load:.1f} |"
        )


def _print_comparison(rows: list[Row], no_camera: bool) -> None:
    """App and Chromium side by side, one pair of rows per app run."""
    if any(row.chromium is not None for row in rows):
        print(COMPARISON_HEADER)
    for row in rows:
        if row.chromium is not None:
            label = f"Runde app (camera adapts: {'yes' if row.adapt else 'no'})"
            app = AppFigures(label, row.cpu, row.rss_max, row.decoded_per_tile,
                             row.painted_per_tile, row.tiles, row.asked, row.received,
                             row.sent_fps, camera=not no_camera)  # fmt: skip
            print(comparison(app, row.chromium))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--warmup", type=float, default=15.0)
    parser.add_argument(
        "--adapt",
        choices=("both", "on", "off"),
        default="both",
        help="camera size follows the CPU (the app's default), is fixed at 720p, or one run each",
    )
    parser.add_argument("--profile", action="store_true", help="sample the app with py-spy")
    parser.add_argument("--keep-logs", type=Path, help="copy the logs into this folder")
    parser.add_argument(
        "--layers", action="store_true", help="the generator's cameras go in 720/360/180 layers"
    )
    parser.add_argument(
        "--chromium", action="store_true", help="a headless Chromium joins too (needs root)"
    )
    parser.add_argument(
        "--apart",
        action="store_true",
        help="with --chromium: Chromium joins after the app has left, not beside it",
    )
    parser.add_argument(
        "--no-camera", action="store_true", help="the app (and Chromium) send no camera"
    )
    args = parser.parse_args()
    if args.apart and not args.chromium:
        parser.error("--apart compares with Chromium: add --chromium")
    settings = {"both": [False, True], "on": [True], "off": [False]}[args.adapt]

    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        clip = scratch / "clip.bin"
        build_clip(clip)
        layer_clips = build_layer_clips(scratch) if args.layers else []
        placement = Placement.namespaces() if args.chromium else Placement.loopback()
        pulse = start_pulse(scratch / "pulse")
        screen = start_xvfb()
        # The generator's one loop serves 8 publishers of 3 layers: on 2 busy cores it may
        # answer the host's pings late, which must not drop its participants mid-run.
        patient = ["--heartbeat", str(PATIENT_HEARTBEAT)] if args.layers else []
        host = start_host(placement, scratch / "host.log", *patient)
        server = Server("runde", host.process, host.link, host.stop)  # type: ignore[arg-type]
        generator = GeneratorProcess(
            placement,  # type: ignore[arg-type]
            server,
            [f"p{i}" for i in range(TILES)],
            list(range(TILES)),
            clip,
            scratch / "generator.log",
            bind=placement.address,
            receivers=1,  # p0 counts the app's video; the others only publish
            # p0 receives the app's video alone: its receiving starved the generator's loop
            # (every participant in one process, on two cores shared with the app)
            extra=[
                "--watch",
                APP_NAME,
                *(["--layer-clips", *map(str, layer_clips)] * bool(layer_clips)),
            ],
        )
        meeting = Meeting(host, generator, pulse.client_env, screen.name, placement)
        rows: list[Row] = []
        try:
            generator.read(timeout=60.0)  # "joined"
            if args.chromium and not args.apart:
                seconds = len(settings) * (args.warmup + args.seconds + 120) + 60
                meeting.chromium = ChromiumTiles(
                    placement, host.link, seconds, chromium_env(pulse.client_env)
                )
                _wait(
                    f"Chromium decodes {TILES} remote tiles",
                    lambda: meeting.chromium is not None and meeting.chromium.receiving(TILES),
                    60.0,
                )
            for adapt in settings:
                folder = scratch / f"app-{'adapt' if adapt else 'fixed'}"
                rows.append(_measure(meeting, args, folder, adapt))
            if args.apart:
                rows[-1].chromium = _measure_chromium_alone(meeting, args, _asked(folder))
        finally:
            if meeting.chromium is not None:
                meeting.chromium.close()
            generator.close()
            host.stop()
            pulse.stop()
            stop_xvfb(screen)
            placement.close()
            if args.keep_logs is not None:
                args.keep_logs.mkdir(parents=True, exist_ok=True)
                for log in scratch.glob("app-*/data/**/runde.log*"):
                    shutil.copy(log, args.keep_logs / f"{log.parts[len(scratch.parts)]}-{log.name}")
                shutil.copy(scratch / "generator.log", args.keep_logs)
                shutil.copy(scratch / "host.log", args.keep_logs)
        _print_table(rows)
        _print_comparison(rows, args.no_camera)
        for row in rows:
            profile_path = scratch / f"app-{'adapt' if row.adapt else 'fixed'}.profile.txt"
            if args.profile and profile_path.exists():
                hot, busy = hot_functions(profile_path, top=15)
                print(
                    f"\nApp (camera adapts: {'yes' if row.adapt else 'no'}), self time, "
                    f"share of {busy} busy py-spy samples (all threads):"
                )
                for name, share in hot:
                    print(f"- {share:4.1f}% {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
