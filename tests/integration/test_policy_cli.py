"""The administrator policy as the headless `runde` command obeys it: real processes on
127.0.0.1, a real HTTP CONNECT proxy (tinyproxy) and a UDP socket standing as STUN server."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import LOOPBACK, HostProcess, finish, runde_command, start_participant, wait_for

EXIT_POLICY = 6
STUN_MAGIC_COOKIE = bytes.fromhex("2112a442")


def policy_env(tmp_path: Path, policy: object) -> dict[str, str]:
    path = tmp_path / "policy.json"
    path.write_text(policy if isinstance(policy, str) else json.dumps(policy))
    return {**os.environ, "RUNDE_POLICY_FILE": str(path), "PYTHONUNBUFFERED": "1"}


def run_runde(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(runde_command(*args), env=env, capture_output=True, text=True, timeout=60)


def join(link: str, tmp_path: Path, env: dict[str, str], duration: float = 2.0) -> tuple[int, str]:
    process = subprocess.Popen(
        start_participant(link, "Ute", tmp_path / "ute.json", duration).args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    return finish(process)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
    return port


def accepts(port: int) -> bool:
    try:
        socket.create_connection((LOOPBACK, port), timeout=1).close()
    except OSError:
        return False
    return True


def test_hosting_turned_off_refuses_runde_host(tmp_path: Path) -> None:
    env = policy_env(tmp_path, {"hosting_allowed": False})
    result = run_runde(env, "host", "--headless", "--bind", LOOPBACK)
    assert result.returncode == EXIT_POLICY
    assert "administrator has turned off hosting" in result.stderr
    assert result.stdout == ""  # no link was printed: nothing was hosted


def test_a_malformed_policy_refuses_hosting_and_joining(tmp_path: Path) -> None:
    env = policy_env(tmp_path, '{"hosting_allowed": tru')
    hosted = run_runde(env, "host", "--headless", "--bind", LOOPBACK)
    joined = run_runde(env, "join", "https://meet.example.org:443/r/room#k=x&fp=y", "--headless")
    for result in (hosted, joined):
        assert result.returncode == EXIT_POLICY, result.stderr
        assert str(tmp_path / "policy.json") in result.stderr
        assert "not valid JSON" in result.stderr
        assert "neither joins nor hosts" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_a_link_to_a_host_not_allowed_is_refused_naming_it(
    host: HostProcess, tmp_path: Path
) -> None:
    env = policy_env(tmp_path, {"allowed_link_hosts": ["meet.example.org"]})
    code, err = join(host.link, tmp_path, env)
    assert code == EXIT_POLICY
    assert "only to meet.example.org" in err and "this link goes to 127.0.0.1" in err


def test_a_link_to_an_allowed_host_joins(host: HostProcess, tmp_path: Path) -> None:
    env = policy_env(tmp_path, {"allowed_link_hosts": ["meet.example.org", "127.0.0.1"]})
    code, err = join(host.link, tmp_path, env)
    assert code == 0, err


@pytest.fixture
def tinyproxy(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    binary = shutil.which("tinyproxy")
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("tinyproxy is missing: bootstrap.sh installs tinyproxy-bin")
        pytest.skip("tinyproxy is missing (apt-get install tinyproxy-bin)")
    port = free_port()
    config = tmp_path / "tinyproxy.conf"
    config.write_text(
        f"Port {port}\nListen {LOOPBACK}\nTimeout 60\nLogLevel Connect\nAllow {LOOPBACK}\n"
    )
    log = tmp_path / "tinyproxy.log"
    with log.open("w") as stream:
        process = subprocess.Popen(
            [binary, "-d", "-c", str(config)], stdout=stream, stderr=subprocess.STDOUT
        )
    try:
        assert wait_for(lambda: accepts(port), 10), log.read_text()
        yield f"http://{LOOPBACK}:{port}", log
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_signaling_goes_through_the_policy_proxy(
    host: HostProcess, tmp_path: Path, tinyproxy: tuple[str, Path]
) -> None:
    proxy, log = tinyproxy
    port = host.link.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)[1]
    env = policy_env(tmp_path, {"proxy": proxy})
    code, err = join(host.link, tmp_path, env)
    assert code == 0, err
    assert f"CONNECT {LOOPBACK}:{port} HTTP/1.1" in log.read_text()


def test_a_policy_proxy_that_is_down_is_named(host: HostProcess, tmp_path: Path) -> None:
    proxy = f"http://{LOOPBACK}:{free_port()}"
    code, err = join(host.link, tmp_path, policy_env(tmp_path, {"proxy": proxy}))
    assert code != 0
    assert f"through the proxy {proxy}" in err


def test_policy_stun_server_reaches_the_peer_connections(host: HostProcess, tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as stun:
        stun.bind((LOOPBACK, 0))
        stun.settimeout(0.2)
        env = policy_env(tmp_path, {"ice_servers": [f"stun:{LOOPBACK}:{stun.getsockname()[1]}"]})
        process = subprocess.Popen(
            start_participant(host.link, "Ute", tmp_path / "ute.json", 4.0).args,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        requests: list[bytes] = []

        def binding_request_arrived() -> bool:
            try:
                data, _ = stun.recvfrom(2048)
            except TimeoutError:
                return False
            requests.append(data)
            # STUN Binding Request: type 0x0001, then length, then the magic cookie.
            return data[:2] == b"\x00\x01" and data[4:8] == STUN_MAGIC_COOKIE

        arrived = wait_for(binding_request_arrived, 20, interval=0)
        code, err = finish(process)
    assert arrived, requests
    assert code == 0, err


def test_screen_sharing_turned_off_refuses_share_screen(host: HostProcess, tmp_path: Path) -> None:
    env = policy_env(tmp_path, {"screen_sharing_allowed": False})
    result = run_runde(env, "join", host.link, "--headless", "--share-screen", ":99")
    assert result.returncode == 6
    assert "administrator has turned off screen sharing" in result.stderr
