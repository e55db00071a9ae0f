"""Secrets go to the OS password store through keyring, and never into settings or logs."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest
from PySide6.QtCore import QSettings

from client.secrets import NO_STORE, SERVICE, SecretStore, turn_secret_name, user_turn_server
from client.settings import SettingsStore
from tests.memory_keyring import MemoryKeyring

SECRET = "Turn-Pa55word-7f3a91"
URL = "turns:turn.example.org:443"


@pytest.fixture
def backend_restored() -> Iterator[None]:
    before = keyring.get_keyring()
    yield
    keyring.set_keyring(before)


@pytest.fixture
def debug_log(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "runde.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    root = logging.getLogger()
    old_level = root.level
    root.setLevel(logging.DEBUG)
    root.addHandler(handler)
    yield path
    root.removeHandler(handler)
    handler.close()
    root.setLevel(old_level)


def save_turn_login(store: SecretStore, settings: SettingsStore, password: str) -> str | None:
    """What the settings dialog does on Save: server and user to QSettings, password to
    the password store."""
    settings.update(turn_server=URL, turn_username="ute")
    return store.store(turn_secret_name(URL, "ute"), password)


def test_secret_round_trips_through_the_registered_keyring(
    tmp_path: Path, backend_restored: None, debug_log: Path
) -> None:
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    store = SecretStore()  # picks up keyring's configured backend, as the app does
    assert store.available
    settings = SettingsStore(QSettings(str(tmp_path / "runde.ini"), QSettings.Format.IniFormat))

    assert save_turn_login(store, settings, SECRET) is None
    assert memory.items == {(SERVICE, "turn:ute@" + URL): SECRET}
    server = user_turn_server(URL, "ute", SecretStore())
    assert server is not None and server.credential == SECRET and server.username == "ute"
    assert SECRET not in repr(server)

    ini = (tmp_path / "runde.ini").read_text()
    assert URL in ini and "ute" in ini  # the settings were written...
    assert SECRET not in ini  # ...without the password
    log = debug_log.read_text()
    assert "kept in the password store" in log and SECRET not in log

    store.forget(turn_secret_name(URL, "ute"))
    assert memory.items == {}


def test_without_a_usable_keyring_nothing_is_stored_and_the_user_is_told(
    tmp_path: Path, backend_restored: None, debug_log: Path
) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    store = SecretStore()
    assert not store.available
    settings = SettingsStore(QSettings(str(tmp_path / "runde.ini"), QSettings.Format.IniFormat))

    message = save_turn_login(store, settings, SECRET)
    assert message == NO_STORE and "no password store" in message
    assert store.load(turn_secret_name(URL, "ute")) is None
    # Without its password the TURN server is not used (and says why in the log).
    assert user_turn_server(URL, "ute", store) is None

    for path in tmp_path.iterdir():
        assert SECRET not in path.read_text(errors="replace"), path
    assert "not kept" in debug_log.read_text()


def test_the_null_backend_counts_as_no_store(backend_restored: None) -> None:
    import keyring.backends.null

    assert not SecretStore(keyring.backends.null.Keyring()).available
    assert SecretStore(keyring.backends.null.Keyring()).store("x", SECRET) == NO_STORE
