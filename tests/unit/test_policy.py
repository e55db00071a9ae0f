"""The administrator policy: reading the JSON file and the registry, and failing closed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from client.netconfig import IceServerSetting, NetworkSettings
from client.policy import POLICY_KEY, Policy, load_file, load_policy

FULL = {
    "default_server": "Meet.Example.org",
    "allowed_link_hosts": ["*.example.org", "10.1.2.3"],
    "hosting_allowed": False,
    "screen_sharing_allowed": False,
    "ice_servers": ["stun:stun.example.org:3478", "turns:turn.example.org:443"],
    "turn_username": "runde",
    "turn_credential": "org-wide-secret",
    "proxy": "http://proxy.example.org:3128",
    "camera_on_at_join": False,
    "microphone_on_at_join": True,
    "language": "de",
    "display_name_source": "account",
}


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "policy.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def test_no_policy_file_restricts_nothing(tmp_path: Path) -> None:
    policy = load_file(tmp_path / "absent.json")
    assert policy == Policy.unrestricted()
    assert policy.hosting_refusal() is None
    assert policy.link_refusal("anywhere.example.com") is None


def test_every_key_is_read(tmp_path: Path) -> None:
    policy = load_file(write(tmp_path, FULL))
    assert policy.problem is None
    assert policy.default_server == "meet.example.org"
    # the organisation's own server is always an allowed link host
    assert policy.allowed_link_hosts == ("*.example.org", "10.1.2.3", "meet.example.org")
    assert not policy.hosting_allowed and not policy.screen_sharing_allowed
    assert policy.ice_servers == (
        IceServerSetting("stun:stun.example.org:3478"),
        IceServerSetting("turns:turn.example.org:443", "runde", "org-wide-secret"),
    )
    assert policy.proxy == "http://proxy.example.org:3128"
    assert policy.locked.camera_on is False and policy.locked.microphone_on is True
    assert policy.locked.language == "de" and policy.locked.name_from_account
    assert "org-wide-secret" not in repr(policy)


def test_the_environment_variable_points_at_another_file(tmp_path: Path) -> None:
    path = write(tmp_path, {"hosting_allowed": False})
    policy = load_policy("linux", {"RUNDE_POLICY_FILE": str(path)})
    assert not policy.hosting_allowed and policy.source == str(path)


def test_allowed_link_hosts() -> None:
    policy = Policy(source="p.json", allowed_link_hosts=("*.example.org", "10.1.2.3"))
    assert policy.link_refusal("meet.example.org") is None
    assert policy.link_refusal("A.B.Example.ORG") is None
    assert policy.link_refusal("10.1.2.3") is None
    refusal = policy.link_refusal("evil-example.org")
    assert refusal is not None and "evil-example.org" in refusal and "*.example.org" in refusal
    assert policy.link_refusal("example.org.attacker.net") is not None


def test_hosting_refusal_names_the_policy(tmp_path: Path) -> None:
    path = write(tmp_path, {"hosting_allowed": False})
    refusal = load_file(path).hosting_refusal()
    assert refusal is not None and "turned off hosting" in refusal and str(path) in refusal


def test_policy_ice_servers_and_proxy_join_the_users_network_settings() -> None:
    policy = Policy(ice_servers=(IceServerSetting("stun:10.0.0.1:3478"),), proxy="http://p:1")
    user = NetworkSettings(
        bind_addresses=("127.0.0.1",), ice_servers=(IceServerSetting("stun:10.0.0.2:3478"),)
    )
    network = policy.network(user)
    assert network.signaling_proxy == "http://p:1"
    assert network.bind_addresses == ("127.0.0.1",)
    urls = [s.urls for s in network.rtc_configuration().iceServers]
    assert urls == ["stun:10.0.0.1:3478", "stun:10.0.0.2:3478"]


@pytest.mark.parametrize(
    ("content", "named"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ({"hosting_allowed": "no"}, "hosting_allowed"),
        ({"hosting_allowed": 0}, "hosting_allowed"),
        ({"allow_everything": True}, "allow_everything is not a policy key"),
        ({"allowed_link_hosts": "example.org"}, "allowed_link_hosts"),
        ({"allowed_link_hosts": ["exa mple.org"]}, "exa mple.org"),
        ({"ice_servers": ["http://x"]}, "http://x"),
        ({"ice_servers": ["turn:t.example.org:3478"]}, "turn_username"),
        ({"proxy": "socks5://p:1080"}, "socks5://p:1080"),
        ({"language": "fr"}, "language"),
    ],
)
def test_a_malformed_policy_locks_everything_and_says_why(
    tmp_path: Path, content: object, named: str
) -> None:
    path = write(tmp_path, content)
    policy = load_file(path)
    assert policy.problem is not None and named in policy.problem
    assert not policy.hosting_allowed and not policy.screen_sharing_allowed
    assert not policy.joining_allowed and policy.allowed_link_hosts == ()
    assert policy.locked.camera_on is False and policy.locked.microphone_on is False
    for refusal in (policy.hosting_refusal(), policy.link_refusal("meet.example.org")):
        assert refusal is not None and str(path) in refusal and named in refusal


def test_an_unreadable_policy_file_fails_closed(tmp_path: Path) -> None:
    # A directory where the file should be: reading fails even for root, like a file
    # without read permission fails for a user.
    path = tmp_path / "policy.json"
    path.mkdir()
    policy = load_file(path)
    assert policy.problem is not None and "cannot be read" in policy.problem
    assert not policy.joining_allowed and not policy.hosting_allowed


def test_a_file_that_is_not_utf8_fails_closed(tmp_path: Path) -> None:
    path = tmp_path / "policy.json"
    path.write_bytes(b'{"default_server": "\xff"}')
    assert "UTF-8" in (load_file(path).problem or "")


class FakeRegistry:
    """Stands in for the Windows registry, which does not exist on Linux: keys as dicts of
    values the way winreg returns them (REG_DWORD int, REG_SZ str, REG_MULTI_SZ list)."""

    def __init__(self, keys: dict[tuple[str, str], dict[str, object]]) -> None:
        self.keys = keys

    def values(self, hive: str, path: str) -> dict[str, object] | None:
        found = self.keys.get((hive, path))
        return dict(found) if found is not None else None

    def subkeys(self, hive: str, path: str) -> list[str]:
        prefix = path + "\\"
        return [
            p[len(prefix) :]
            for h, p in self.keys
            if h == hive and p.startswith(prefix) and "\\" not in p[len(prefix) :]
        ]


def test_registry_machine_policy_wins_over_user_policy() -> None:
    registry = FakeRegistry(
        {
            ("HKLM", POLICY_KEY): {"hosting_allowed": 0, "proxy": "http://machine:3128"},
            ("HKCU", POLICY_KEY): {"proxy": "http://user:3128", "screen_sharing_allowed": 0},
            ("HKLM", POLICY_KEY + "\\allowed_link_hosts"): {"2": "b.example.org", "1": "a.org"},
        }
    )
    policy = load_policy("win32", {}, registry)
    assert policy.problem is None
    assert not policy.hosting_allowed and not policy.screen_sharing_allowed
    assert policy.proxy == "http://machine:3128"
    assert policy.allowed_link_hosts == ("a.org", "b.example.org")
    assert "HKLM" in policy.source and "HKCU" in policy.source


def test_registry_without_the_key_restricts_nothing() -> None:
    assert load_policy("win32", {}, FakeRegistry({})) == Policy.unrestricted()


def test_registry_value_of_the_wrong_type_fails_closed() -> None:
    registry = FakeRegistry({("HKLM", POLICY_KEY): {"hosting_allowed": "yes", "Extra": 1}})
    policy = load_policy("win32", {}, registry)
    assert policy.problem is not None and "hosting_allowed" in policy.problem
    assert "Extra is not a policy key" in policy.problem
    assert not policy.joining_allowed and "HKLM" in (policy.problem_sentence or "")


def test_registry_dword_other_than_0_or_1_fails_closed() -> None:
    policy = load_policy("win32", {}, FakeRegistry({("HKCU", POLICY_KEY): {"hosting_allowed": 7}}))
    assert policy.problem is not None and not policy.hosting_allowed
