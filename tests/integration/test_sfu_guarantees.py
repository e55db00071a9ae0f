"""What the SFU promises: no transcoding, pinned TLS, and clear refusals."""

from __future__ import annotations

import hashlib
import json
import socket
import subprocess
import sys
from pathlib import Path

from client.protocol.link import LinkForm, fingerprint_to_text, parse_link
from tests.helpers import (
    LOOPBACK,
    HostProcess,
    finish,
    read_stats,
    runde_command,
    start_host,
    start_participant,
    wait_for,
)


def test_sfu_never_creates_an_encoder_or_decoder(tmp_path: Path) -> None:
    report = tmp_path / "codecs.json"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.integration.codec_guard_host",
            str(report),
            "--bind",
            LOOPBACK,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    host = HostProcess(process, process.stdout.readline().strip())
    assert host.link, process.communicate()[1]
    participants = [
        start_participant(
            host.link, name, tmp_path / f"{name}.json", 6.0, "--video", "testsrc", "--audio", "sine"
        )
        for name in ("Anna", "Bernd")
    ]
    for participant in participants:
        assert finish(participant)[0] == 0
    host.stop()
    # Media really went through this SFU...
    stats = read_stats(tmp_path / "Anna.json")
    assert stats["remotes"]["Bernd"]["video_frames"] > 30
    assert stats["remotes"]["Bernd"]["audio_frames"] > 100
    # ...and it created no codec of any kind on the way.
    assert wait_for(report.exists, 5)
    created = json.loads(report.read_text())
    assert created == [], created[0]["where"] if created else ""


def test_the_guard_does_notice_codecs(tmp_path: Path) -> None:
    """The guard itself must be able to fail: a decode in the guarded process is recorded."""
    script = (
        "import json, sys\n"
        "from tests.integration import codec_guard_host as g\n"
        "g.install()\n"
        "import aiortc.codecs\n"
        "from aiortc.rtcrtpparameters import RTCRtpCodecParameters\n"
        "aiortc.codecs.get_decoder(RTCRtpCodecParameters("
        "mimeType='video/VP8', clockRate=90000, payloadType=97))\n"
        "print(json.dumps([c['factory'] for c in g.created]))\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert "get_decoder" in json.loads(output)


def _join(link: str, tmp_path: Path) -> tuple[int, str]:
    process = start_participant(link, "Mallory", tmp_path / "m.json", 2.0)
    code, err = finish(process, timeout=30)
    return code, err.strip()


def test_server_with_another_certificate_is_refused(host: HostProcess, tmp_path: Path) -> None:
    impostor = start_host()
    try:
        genuine = parse_link(host.link)
        impostor_port = parse_link(impostor.link).port
        # The genuine link, but the connection reaches a server with another certificate.
        redirected = genuine.to_text(LinkForm.HTTPS).replace(
            f":{genuine.port}/", f":{impostor_port}/"
        )
        code, err = _join(redirected, tmp_path)
    finally:
        impostor.stop()
    assert code == 3
    assert "does not match the fingerprint in the link" in err
    assert len(err.splitlines()) == 1


def test_wrong_fingerprint_in_link_is_refused(host: HostProcess, tmp_path: Path) -> None:
    link = parse_link(host.link)
    forged = host.link.replace(
        fingerprint_to_text(link.fingerprint), fingerprint_to_text(hashlib.sha256(b"x").digest())
    )
    code, err = _join(forged, tmp_path)
    assert code == 3
    assert "does not match the fingerprint" in err


def test_wrong_secret_is_refused_without_detail(host: HostProcess, tmp_path: Path) -> None:
    link = parse_link(host.link)
    code, err = _join(host.link.replace(link.secret, "A" * 32), tmp_path)
    assert code == 3
    assert err == (
        "runde: could not join the meeting: the meeting refused the join: "
        "the meeting does not exist or its secret is wrong"
    )
    code, err_unknown_room = _join(host.link.replace(link.room, "nosuchroom"), tmp_path)
    # A wrong room and a wrong secret look exactly the same to the caller.
    assert err_unknown_room.replace("nosuchroom", link.room) == err


def test_unreachable_host_is_named(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        port = probe.getsockname()[1]
    host = start_host()
    link = host.link
    host.stop()
    dead = link.replace(f":{parse_link(link).port}/", f":{port}/")
    code, err = _join(dead, tmp_path)
    assert code == 3
    assert f"cannot reach the meeting host 127.0.0.1:{port}" in err


def test_bad_link_is_named_and_nothing_starts(tmp_path: Path) -> None:
    result = subprocess.run(
        runde_command("join", "runde://x --evil", "--headless"),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "runde: bad meeting link: the link contains spaces, line breaks or control characters"
    )


def test_secret_never_reaches_the_logs(tmp_path: Path) -> None:
    host = start_host(log_level="debug")
    secret = parse_link(host.link).secret
    process = subprocess.Popen(
        runde_command(
            "--log-level",
            "debug",
            "join",
            host.link,
            "--headless",
            "--name",
            "Anna",
            "--bind",
            LOOPBACK,
            "--duration",
            "3",
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    code, participant_log = finish(process)
    host_log = host.stop()
    assert code == 0, participant_log
    assert "joined" in participant_log and "joined room" in host_log  # debug logs were on
    assert secret not in participant_log
    assert secret not in host_log


def test_https_link_opens_a_guest_page_that_hands_over_to_the_app(host: HostProcess) -> None:
    import asyncio

    import aiohttp

    link = parse_link(host.link)

    async def fetch(path: str) -> tuple[int, str, str]:
        async with (
            aiohttp.ClientSession() as session,
            session.get(
                f"https://{link.host}:{link.port}{path}", ssl=aiohttp.Fingerprint(link.fingerprint)
            ) as response,
        ):
            return response.status, await response.text(), response.headers["Referrer-Policy"]

    status, page, referrer = asyncio.run(fetch(f"/r/{link.room}"))
    assert status == 200 and referrer == "no-referrer"
    assert "runde://" in page and "location.hash" in page
    # Unknown rooms get the very same page: it reveals nothing about which rooms exist.
    assert asyncio.run(fetch("/r/nosuchroom"))[1] == page
