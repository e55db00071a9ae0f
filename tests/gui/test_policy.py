"""The administrator policy in the desktop app: locked controls say so, refused actions say
why, and a malformed policy shows a banner naming the file and the problem."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring.backends.fail
import pytest

from client.policy import Policy, load_file
from client.policy.account import account_full_name
from client.secrets import SecretStore
from client.ui.dialogs import SettingsDialog
from tests.gui.conftest import App
from tests.gui.test_app import start_meeting
from tests.helpers import HostProcess, runde_command, start_host, wait_for
from tests.memory_keyring import MemoryKeyring

LOCKED = "Set by your administrator"


@pytest.fixture
def policy_app(make_app: Callable[..., App]) -> Callable[..., App]:
    """The real main window, as conftest's make_app builds it, with a given policy."""

    def make(policy: Policy, secrets: SecretStore | None = None) -> App:
        return make_app(policy=policy, secrets=secrets)

    return make


@pytest.fixture
def headless_host() -> Iterator[HostProcess]:
    process = start_host()
    yield process
    process.stop()


def write_policy(tmp_path: Path, data: object) -> Policy:
    path = tmp_path / "policy.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return load_file(path)


def test_hosting_turned_off_disables_start_meeting_with_the_reason(
    policy_app: Callable[..., App], tmp_path: Path
) -> None:
    app = policy_app(write_policy(tmp_path, {"hosting_allowed": False}))
    start = app.window.start_view
    assert not start.start_button.isEnabled()
    assert start.start_button.accessibleDescription() == LOCKED
    assert start.start_button.toolTip() == LOCKED
    assert start.policy_label.isVisibleTo(app.window)
    assert "turned off hosting" in start.policy_label.text()
    # Joining is not affected: Join is offered once a usable link is in the field.
    assert start.link_edit.isEnabled()
    start.link_edit.setText("https://127.0.0.1:9/r/room#k=" + "a" * 32 + "&fp=" + "b" * 43)
    assert start.join_button.isEnabled()
    # Hosting started another way than the button is refused with the same reason.
    app.window.begin_hosting()
    assert app.window.stack.currentWidget() is start
    assert "turned off hosting" in start.error_label.text()


def test_a_malformed_policy_shows_a_banner_and_refuses_everything(
    policy_app: Callable[..., App], tmp_path: Path, headless_host: HostProcess
) -> None:
    app = policy_app(write_policy(tmp_path, {"hosting_allowed": True, "typo_key": 1}))
    start = app.window.start_view

    async def scenario() -> None:
        banner = start.policy_label
        assert banner.isVisibleTo(app.window)
        assert str(tmp_path / "policy.json") in banner.text()
        assert "typo_key is not a policy key" in banner.text()
        for control in (start.start_button, start.join_button, start.link_edit):
            assert not control.isEnabled() and control.accessibleDescription() == LOCKED
        # A link handed over on the command line is refused too, with the same sentence.
        app.window.open_link(headless_host.link, prejoin=False)
        await asyncio.sleep(0.5)
        assert app.controller.state.value == "idle"
        assert app.window.stack.currentWidget() is start
        assert "typo_key" in start.error_label.text()

    app.run(scenario())


def test_link_hosts_not_allowed_are_refused_in_the_join_field(
    policy_app: Callable[..., App], tmp_path: Path, headless_host: HostProcess
) -> None:
    app = policy_app(
        write_policy(
            tmp_path, {"allowed_link_hosts": ["*.example.org"], "default_server": "meet.ex.de"}
        )
    )
    start = app.window.start_view

    async def scenario() -> None:
        assert "meet.ex.de" in start.link_edit.placeholderText()
        start.link_edit.setText(headless_host.link)
        start.join_button.click()
        await asyncio.sleep(0.3)
        assert app.window.stack.currentWidget() is start
        message = start.error_label.text()
        assert "this link goes to 127.0.0.1" in message
        assert "*.example.org, meet.ex.de" in message
        assert start.link_edit.text() == headless_host.link  # the pasted link is kept
        assert app.controller.state.value == "idle"

    app.run(scenario())


def test_an_allowed_link_host_joins(
    policy_app: Callable[..., App], tmp_path: Path, headless_host: HostProcess
) -> None:
    app = policy_app(write_policy(tmp_path, {"allowed_link_hosts": ["127.0.0.1"]}))

    async def scenario() -> None:
        app.window.open_link(headless_host.link, prejoin=False)
        await app.until(lambda: app.controller.state.value == "joined", 15, "joined")

    app.run(scenario())


def test_a_refused_link_handed_over_in_a_meeting_keeps_the_meeting(
    policy_app: Callable[..., App], tmp_path: Path, headless_host: HostProcess
) -> None:
    app = policy_app(write_policy(tmp_path, {"allowed_link_hosts": ["meet.example.org"]}))

    async def scenario() -> None:
        # The app's own meeting is not a link it was given: the host list does not apply.
        await start_meeting(app)
        app.window.receive_link(headless_host.link, prejoin=True)
        await asyncio.sleep(0.3)
        assert app.controller.state.value == "joined"
        assert app.window.stack.currentWidget() is app.window.meeting_view
        assert "this link goes to 127.0.0.1" in app.window.statusBar().currentMessage()

    app.run(scenario())


def test_locked_camera_microphone_and_name_in_the_prejoin(
    policy_app: Callable[..., App], tmp_path: Path
) -> None:
    app = policy_app(
        write_policy(
            tmp_path,
            {
                "camera_on_at_join": False,
                "microphone_on_at_join": True,
                "display_name_source": "account",
            },
        )
    )
    app.settings.update(camera_on=True, microphone_on=False)
    prejoin = app.window.prejoin_view

    async def scenario() -> None:
        app.window.open_link("https://127.0.0.1:9/r/room#k=" + "a" * 32 + "&fp=" + "b" * 43)
        await app.until(lambda: app.window.stack.currentWidget() is prejoin, 5, "pre-join")
        for control in (prejoin.camera_button, prejoin.microphone_button, prejoin.name_edit):
            assert not control.isEnabled()
            assert control.accessibleDescription() == LOCKED and control.toolTip() == LOCKED
        assert not prejoin.camera_button.isChecked() and prejoin.microphone_button.isChecked()
        assert not app.controller.camera_on and app.controller.microphone_on
        assert prejoin.name_edit.text() == account_full_name()
        prejoin.camera_button.click()  # a disabled control cannot be changed
        assert not app.controller.camera_on
        prejoin.back_button.click()
        # The user's own choices stay stored for when the lock is lifted.
        stored = app.settings.load()
        assert stored.camera_on and not stored.microphone_on and stored.display_name == "Ute"

    app.run(scenario())


def test_joining_without_the_prejoin_keeps_the_locked_camera_off(
    policy_app: Callable[..., App], tmp_path: Path, headless_host: HostProcess
) -> None:
    # A link opened with --no-prejoin joins at once: the administrator's lock and the
    # user's stored choices must apply there too, not the app's defaults.
    app = policy_app(write_policy(tmp_path, {"camera_on_at_join": False}))
    app.settings.update(camera_on=True, microphone_on=False)

    async def scenario() -> None:
        app.window.open_link(headless_host.link, prejoin=False)
        await app.until(lambda: app.controller.state.value == "joined", 15, "joined")
        assert app.window.stack.currentWidget() is app.window.meeting_view
        assert not app.controller.camera_on  # locked off
        assert not app.controller.microphone_on  # the user's stored choice

    app.run(scenario())


def test_locked_language_and_name_in_the_settings_dialog(
    policy_app: Callable[..., App], tmp_path: Path
) -> None:
    policy = write_policy(tmp_path, {"language": "de", "display_name_source": "account"})
    app = policy_app(policy)
    dialog = SettingsDialog(app.settings.load(), app.window, locked=policy.locked)
    assert not dialog.language_box.isEnabled() and dialog.language_box.currentData() == "de"
    assert dialog.language_box.accessibleDescription() == LOCKED
    assert not dialog.name_edit.isEnabled() and dialog.name_edit.toolTip() == LOCKED
    assert dialog.resolution_box.isEnabled()
    changes = dialog.changes()
    assert "language" not in changes and "display_name" not in changes
    dialog.deleteLater()


def test_without_a_keyring_a_typed_turn_password_is_not_stored_and_the_user_is_told(
    policy_app: Callable[..., App], tmp_path: Path
) -> None:
    secret = "Typed-Turn-Secret-42"
    app = policy_app(Policy.unrestricted(), SecretStore(keyring.backends.fail.Keyring()))
    dialog = SettingsDialog(app.settings.load(), app.window, secrets_available=False)
    assert "no password store" in dialog.secrets_note.text()
    dialog.turn_server_edit.setText("turn:127.0.0.1:3478")
    dialog.turn_user_edit.setText("ute")
    dialog.turn_password_edit.setText(secret)
    app.window.save_settings(dialog.changes(), dialog.turn_password())
    assert "TURN password was not saved" in app.window.statusBar().currentMessage()
    stored = app.settings.load()
    assert stored.turn_server == "turn:127.0.0.1:3478" and stored.turn_username == "ute"
    assert secret not in (tmp_path / "runde.ini").read_text()
    # Used for this session only: the controller's next join has it.
    ice = app.controller._network.rtc_configuration().iceServers
    assert [(s.urls, s.username, s.credential) for s in ice] == [
        ("turn:127.0.0.1:3478", "ute", secret)
    ]
    dialog.deleteLater()


def test_a_typed_turn_password_goes_to_the_keyring_only(
    policy_app: Callable[..., App], tmp_path: Path
) -> None:
    secret = "Typed-Turn-Secret-43"
    memory = MemoryKeyring()
    app = policy_app(Policy.unrestricted(), SecretStore(memory))
    dialog = SettingsDialog(app.settings.load(), app.window)
    assert dialog.secrets_note.text() == ""
    dialog.turn_server_edit.setText("turns:127.0.0.1:5349")
    dialog.turn_user_edit.setText("ute")
    dialog.turn_password_edit.setText(secret)
    app.window.save_settings(dialog.changes(), dialog.turn_password())
    assert memory.items == {("Runde", "turn:ute@turns:127.0.0.1:5349"): secret}
    assert app.window.statusBar().currentMessage() == ""
    assert secret not in (tmp_path / "runde.ini").read_text()
    # Saving again without retyping keeps using the stored password.
    app.window.save_settings(dialog.changes(), "")
    ice = app.controller._network.rtc_configuration().iceServers
    assert [(s.urls, s.credential) for s in ice] == [("turns:127.0.0.1:5349", secret)]
    dialog.deleteLater()


def test_the_app_logs_a_malformed_policy(tmp_path: Path) -> None:
    """The real `runde` app started offscreen with a broken policy file writes the problem
    into its log file (the banner it shows is checked in-process above)."""
    policy = tmp_path / "policy.json"
    policy.write_text('{"proxy": 3128}')
    env = {
        **os.environ,
        "RUNDE_POLICY_FILE": str(policy),
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    process = subprocess.Popen(
        runde_command("--log-level", "info"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    log = tmp_path / "data" / "Runde" / "Runde" / "logs" / "runde.log"
    try:
        assert wait_for(lambda: log.exists() and "cannot be used" in log.read_text(), 30), (
            log.read_text() if log.exists() else "no log"
        )
    finally:
        process.terminate()
        process.communicate(timeout=15)
    text = log.read_text()
    assert str(policy) in text and "proxy" in text and "neither joins nor hosts" in text


def test_screen_sharing_turned_off_hides_sharing(
    policy_app: Callable[..., App], tmp_path: Path
) -> None:
    app = policy_app(write_policy(tmp_path, {"screen_sharing_allowed": False}))
    view = app.window.meeting_view
    assert not app.controller.screen_sharing_allowed
    assert not view.share_button.isVisibleTo(app.window)
    assert not view.share_button.isEnabled()
    # Hosting and joining are not affected.
    assert app.window.start_view.start_button.isEnabled()
