"""Start the Debian `janus` binary inside a test namespace, with a config dir of its own.

Only the VideoRoom plugin and the WebSockets transport (on 127.0.0.1 inside the namespace)
are loaded; ICE gathers on the namespace's veth end ``v0`` only.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from tests.bench.netns import SERVER_INTERFACE, Namespace

JANUS_LIB = Path("/usr/lib/x86_64-linux-gnu/janus")
WS_PORT = 8188
WS_URL = f"ws://127.0.0.1:{WS_PORT}"


class JanusNotInstalled(RuntimeError):
    """The janus binary or its plugins are missing."""


@dataclass(frozen=True)
class JanusRoom:
    room: int
    publishers: int = 16
    pin: str | None = None


def find_janus() -> str:
    binary = shutil.which("janus")
    if binary is None or not (JANUS_LIB / "plugins" / "libjanus_videoroom.so").exists():
        raise JanusNotInstalled(
            "Janus is not installed (Debian package 'janus': apt-get install janus)"
        )
    return binary


def _others(folder: str, keep: str) -> str:
    names = sorted(p.name for p in (JANUS_LIB / folder).glob("*.so") if p.name != keep)
    return ",".join(names)


def _write_config(config_dir: Path, rooms: list[JanusRoom], debug_level: int) -> None:
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "janus.jcfg").write_text(
        f"""general: {{
    configs_folder = "{config_dir}"
    plugins_folder = "{JANUS_LIB / "plugins"}"
    transports_folder = "{JANUS_LIB / "transports"}"
    events_folder = "{JANUS_LIB / "events"}"
    loggers_folder = "{JANUS_LIB / "loggers"}"
    debug_level = {debug_level}
    session_timeout = 60
}}
media: {{
    rtp_port_range = "20000-40000"
}}
nat: {{
    nice_debug = false
    ice_enforce_list = "{SERVER_INTERFACE}"
    ignore_mdns = true
}}
plugins: {{
    disable = "{_others("plugins", "libjanus_videoroom.so")}"
}}
transports: {{
    disable = "{_others("transports", "libjanus_websockets.so")}"
}}
loggers: {{
    disable = "{_others("loggers", "")}"
}}
events: {{
    broadcast = false
    disable = "{_others("events", "")}"
}}
""",
        encoding="utf-8",
    )
    room_blocks = []
    for room in rooms:
        pin = f'\n    pin = "{room.pin}"' if room.pin else ""
        room_blocks.append(
            f"""room-{room.room}: {{
    description = "Runde test room {room.room}"
    publishers = {room.publishers}
    audiocodec = "opus"
    videocodec = "vp8"
    bitrate = 0
    fir_freq = 0
    notify_joining = true
    record = false{pin}
}}"""
        )
    (config_dir / "janus.plugin.videoroom.jcfg").write_text(
        "general: {\n}\n" + "\n".join(room_blocks) + "\n", encoding="utf-8"
    )
    (config_dir / "janus.transport.websockets.jcfg").write_text(
        f"""general: {{
    json = "plain"
    ws = true
    ws_port = {WS_PORT}
    ws_ip = "127.0.0.1"
    wss = false
}}
admin: {{
    admin_ws = false
    admin_wss = false
}}
""",
        encoding="utf-8",
    )


@dataclass
class JanusServer:
    """A running Janus; :meth:`stop` ends it (SIGTERM, then SIGKILL)."""

    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def url(self) -> str:
        return WS_URL

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self, timeout: float = 10.0) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _listening(namespace: Namespace) -> bool:
    # The log says nothing below debug level 4, so ask the kernel about the socket instead.
    result = subprocess.run(
        namespace.command(["ss", "-Hltn", f"src 127.0.0.1:{WS_PORT}"]),
        capture_output=True,
        text=True,
        check=False,
    )
    return f"127.0.0.1:{WS_PORT}" in result.stdout


def start_janus(
    namespace: Namespace,
    work_dir: Path,
    rooms: list[JanusRoom],
    debug_level: int = 3,
    ready_timeout: float = 15.0,
) -> JanusServer:
    """Start Janus in ``namespace``; returns once its WebSocket transport listens."""
    binary = find_janus()
    config_dir = work_dir / "janus-config"
    _write_config(config_dir, rooms, debug_level)
    log_path = work_dir / "janus.log"
    log_path.write_text("")
    # Stdout logging off (-N): nobody drains a pipe while Janus runs for minutes.
    process = subprocess.Popen(
        namespace.command(
            [
                binary,
                "-F",
                str(config_dir),
                "-C",
                str(config_dir / "janus.jcfg"),
                "-L",
                str(log_path),
                "-N",
                "-o",
            ]
        ),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "LC_ALL": "C"},
    )
    server = JanusServer(process, log_path)
    deadline = time.monotonic() + ready_timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Janus exited with {process.returncode}:\n{server.log_tail()}")
        if _listening(namespace):
            return server
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"Janus did not start within {ready_timeout} s:\n{server.log_tail()}")
