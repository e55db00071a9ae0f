"""A participant never sits in a dead meeting: it comes back, or it exits 5 and says why.

Real `runde` subprocesses on 127.0.0.1: a headless host, a publisher and receivers. The host
drops a receiver that stopped answering its heartbeat (SIGSTOP); after SIGCONT the receiver
must notice and be back with pictures, or with --no-reconnect exit 5 with a sentence. A TCP
relay between a receiver and the host cuts the signaling connection for real.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import stat
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from client.call.backend import MeetingBackend
from client.call.events import MeetingEvent, SessionState, StateChanged
from client.call.sfu_backend import SfuBackend
from client.cli import main
from client.exit_codes import EXIT_CONNECTION_LOST, EXIT_OK, EXIT_USAGE
from client.headless import HeadlessParticipant
from client.media.sources import open_audio_source, open_video_source
from client.netconfig import apply_bind_addresses
from client.protocol.link import parse_link
from tests.helpers import (
    LOOPBACK,
    HostProcess,
    finish,
    read_stats,
    runde_command,
    start_host,
    start_participant,
    until,
    wait_for,
)
from tests.integration.test_chat_resilience import (
    NETWORK,
    TcpRelay,
    participant,
    run,
    video_from,
)

# The host pings a silent participant after 2 s and drops it 1 s later: a 6 s stop is
# enough for the drop (the same happens with the default 10 s after about 15 s).
HOST_HEARTBEAT_S = 2.0
STOPPED_S = 6.0
BACK_WITHIN_S = 15.0


def frames_from(stats: Path, sender: str) -> int:
    try:
        return int(read_stats(stats)["remotes"][sender]["video_frames"])
    except (FileNotFoundError, KeyError, ValueError):
        return 0


def reconnects(stats: Path) -> int:
    try:
        return int(read_stats(stats)["reconnects"])
    except (FileNotFoundError, KeyError, ValueError):
        return 0


def receiver(link: str, name: str, stats: Path, *extra: str) -> subprocess.Popen[str]:
    return start_participant(
        link, name, stats, 60.0, "--video", "none", "--stats-every", "0.25", *extra
    )


def stop(processes: list[subprocess.Popen[str]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        finish(process, timeout=15)


@pytest.fixture
def quick_host() -> Iterator[HostProcess]:
    host = start_host("--heartbeat", str(HOST_HEARTBEAT_S))
    yield host
    host.stop()


def test_a_receiver_the_host_dropped_while_stopped_comes_back_or_exits_5(
    quick_host: HostProcess, tmp_path: Path
) -> None:
    stats = {name: tmp_path / f"{name}.json" for name in ("Pub", "Rec", "Once")}
    publisher = start_participant(quick_host.link, "Pub", stats["Pub"], 60.0, "--audio", "none")
    rec = receiver(quick_host.link, "Rec", stats["Rec"])
    once = receiver(quick_host.link, "Once", stats["Once"], "--no-reconnect")
    everyone = [publisher, rec, once]
    try:
        assert wait_for(
            lambda: (
                frames_from(stats["Rec"], "Pub") > 10 and frames_from(stats["Once"], "Pub") > 10
            ),
            30,
        ), "both receivers see the publisher"
        for process in (rec, once):
            process.send_signal(signal.SIGSTOP)
        time.sleep(STOPPED_S)
        for process in (rec, once):
            process.send_signal(signal.SIGCONT)
        continued = time.monotonic()

        assert wait_for(lambda: reconnects(stats["Rec"]) >= 1, BACK_WITHIN_S), "Rec reconnects"
        after_reconnect = frames_from(stats["Rec"], "Pub")
        left = BACK_WITHIN_S - (time.monotonic() - continued)
        assert wait_for(lambda: frames_from(stats["Rec"], "Pub") > after_reconnect + 15, left), (
            "pictures again at Rec",
            read_stats(stats["Rec"]),
        )
        assert time.monotonic() - continued < BACK_WITHIN_S

        code, err = finish(once, timeout=max(1.0, BACK_WITHIN_S - (time.monotonic() - continued)))
        assert code == EXIT_CONNECTION_LOST, err[-2000:]
        assert (
            "runde: the connection to the meeting host was lost; "
            "reconnecting is off (--no-reconnect)"
        ) in err
        assert reconnects(stats["Once"]) == 0
        assert rec.poll() is None, "Rec is still in the meeting"
    finally:
        stop(everyone)
    host_log = quick_host.stop()
    # Both were really dropped by the host's heartbeat, not merely slow.
    assert host_log.count("(timeout)") >= 2, host_log[-3000:]
    assert read_stats(stats["Rec"])["reconnects"] >= 1


class RelayThread:
    """A :class:`TcpRelay` on its own loop in a thread, so subprocesses can go through it."""

    def __init__(self, target: tuple[str, int]) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self.relay = TcpRelay(target)
        self._call(self.relay.start())

    def _call(self, coroutine: Any) -> None:
        asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=10)

    def cut(self) -> None:
        self._loop.call_soon_threadsafe(self.relay.cut)

    def close(self) -> None:
        self._call(self.relay.stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)


def test_a_cut_signaling_connection_comes_back_with_pictures(
    host: HostProcess, tmp_path: Path
) -> None:
    link = parse_link(host.link)
    relay = RelayThread((link.host, link.port))
    via_relay = host.link.replace(f":{link.port}/", f":{relay.relay.port}/", 1)
    assert via_relay != host.link
    pub_stats, rec_stats = tmp_path / "Pub.json", tmp_path / "Rec.json"
    publisher = start_participant(host.link, "Pub", pub_stats, 60.0, "--audio", "none")
    rec = receiver(via_relay, "Rec", rec_stats)
    try:
        assert wait_for(lambda: frames_from(rec_stats, "Pub") > 10, 30), "Rec sees Pub"
        relay.cut()
        cut_at = time.monotonic()
        assert wait_for(lambda: reconnects(rec_stats) >= 1, BACK_WITHIN_S), "Rec reconnects"
        after = frames_from(rec_stats, "Pub")
        left = BACK_WITHIN_S - (time.monotonic() - cut_at)
        assert wait_for(lambda: frames_from(rec_stats, "Pub") > after + 15, left), read_stats(
            rec_stats
        )
        assert rec.poll() is None
    finally:
        stop([publisher, rec])
        relay.close()


def test_a_link_from_standard_input_joins_and_moderates(host: HostProcess, tmp_path: Path) -> None:
    # The stats go into a pipe, as into /dev/null: written into, never renamed over.
    stats = tmp_path / "stats-pipe"
    os.mkfifo(stats)
    received: list[str] = []

    def read_pipe() -> None:
        while True:
            with stats.open(encoding="utf-8") as pipe:
                received.append(pipe.read())

    threading.Thread(target=read_pipe, daemon=True).start()
    process = subprocess.Popen(
        runde_command(
            "join",
            "--link-file",
            "-",
            "--headless",
            "--bind",
            "127.0.0.1",
            "--name",
            "Stdin",
            "--duration",
            "2",
            "--stats-json",
            str(stats),
        ),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Whitespace around it, as an editor or `echo` leaves it.
    _, err = process.communicate(f"  {host.link}\n\n", timeout=60)
    assert process.returncode == EXIT_OK, err[-2000:]
    assert host.link.split("#")[1] not in " ".join(process.args), "no secret on argv"
    assert wait_for(lambda: bool(received), 5), "the stats came through the pipe"
    assert json.loads(received[0])["join_started_s"] is not None
    assert stat.S_ISFIFO(stats.stat().st_mode), "the pipe is still a pipe"

    # `runde moderate` takes it the same way (here in this process: no second start-up).
    link_file = tmp_path / "moderator-link"
    link_file.write_text(host.moderator_link + "\n")
    # 0 only once the host confirmed the action.
    assert main(["moderate", "--link-file", str(link_file), "lock", "--bind", LOOPBACK]) == 0


@pytest.mark.parametrize(
    ("content", "sentence"),
    [
        (None, "cannot read the meeting link: the link file {path} does not exist"),
        ("  \n", "the link file {path} is empty; it should hold one meeting link"),
        ("https://example.org/nothing", "bad meeting link:"),
    ],
)
def test_a_bad_link_file_is_named_in_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, sentence: str
) -> None:
    path = tmp_path / "link"
    if content is not None:
        path.write_text(content)
    for command in ("join", "moderate"):
        extra = ["--headless"] if command == "join" else ["lock"]
        assert main([command, "--link-file", str(path), *extra]) == EXIT_USAGE
        lines = capsys.readouterr().err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("runde: "), lines
        assert sentence.format(path=path) in lines[0]


def test_media_that_dies_under_a_live_signaling_connection_is_noticed(host: HostProcess) -> None:
    """The peer connections close under the backend (as when the host's media plane ends
    them) while the WebSocket stays open and answers pings: only the watchdog can tell."""
    apply_bind_addresses([LOOPBACK])
    link = parse_link(host.link)
    backends: list[SfuBackend] = []

    def recording(sink: Any) -> MeetingBackend:
        backend = SfuBackend(link, NETWORK, sink)
        backends.append(backend)
        return backend

    async def scenario() -> None:
        anna = participant(link, "Anna")
        sources = [s for s in (open_audio_source("none"), open_video_source("testsrc")) if s]
        bernd = HeadlessParticipant(
            link, "Bernd", NETWORK, sources, time.monotonic(), backend=recording
        )
        reasons: list[str] = []

        def on_event(event: MeetingEvent) -> None:
            if isinstance(event, StateChanged) and event.state is SessionState.RECONNECTING:
                reasons.append(event.reason)

        bernd.session.subscribe(on_event)
        try:
            await anna.join()
            await bernd.join()
            await until(lambda: video_from(bernd, anna) > 5, 15, "Anna's video at Bernd")
            for pc in backends[-1].peer_connections:
                await pc.close()
            assert backends[-1].connected, "the signaling is still open"
            await until(lambda: bernd.session.reconnects == 1, 15, "Bernd reconnects")
            assert reasons == [
                "the connection to the meeting host was lost "
                "(the meeting host closed the media connection)"
            ]
            seen = video_from(bernd, anna)
            await until(lambda: video_from(bernd, anna) > seen + 10, 10, "video again")
            assert bernd.end is None and anna.end is None
        finally:
            await anna.leave()
            await bernd.leave()

    run(scenario)
