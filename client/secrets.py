"""Credentials in the operating system's password store (keyring), and nowhere else.

Where no usable store exists (keyring's ``fail`` or ``null`` backend, as without a desktop
session) nothing is kept: callers tell the user the secret was not saved. A secret never goes
into QSettings, a file or the log.
"""

from __future__ import annotations

import contextlib
import logging

import keyring
import keyring.backends.chainer
import keyring.backends.fail
import keyring.backends.null
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError

from client.netconfig import IceServerSetting, NetworkSettingsError

logger = logging.getLogger(__name__)

SERVICE = "Runde"
NO_STORE = (
    "this computer has no password store (keyring) Runde can use, so the password was not "
    "saved; type it again after Runde restarts"
)


class SecretStore:
    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend if backend is not None else keyring.get_keyring()

    @property
    def available(self) -> bool:
        backend = self._backend
        if isinstance(backend, keyring.backends.fail.Keyring | keyring.backends.null.Keyring):
            return False
        if isinstance(backend, keyring.backends.chainer.ChainerBackend):
            return bool(backend.backends)
        return True

    def store(self, name: str, secret: str) -> str | None:
        """Keep ``secret`` under ``name``; a sentence saying why not when it was not kept."""
        if not self.available:
            logger.warning(
                "no usable keyring backend (%s): secret %s not kept", self.backend_name, name
            )
            return NO_STORE
        try:
            self._backend.set_password(SERVICE, name, secret)
        except KeyringError as exc:
            logger.warning("the password store refused secret %s: %s", name, type(exc).__name__)
            return f"the password store refused to keep the password ({type(exc).__name__})"
        logger.info("secret %s kept in the password store", name)
        return None

    def load(self, name: str) -> str | None:
        if not self.available:
            return None
        try:
            return self._backend.get_password(SERVICE, name)
        except KeyringError as exc:
            logger.warning(
                "the password store could not give secret %s: %s", name, type(exc).__name__
            )
            return None

    def forget(self, name: str) -> None:
        if not self.available:
            return
        with contextlib.suppress(KeyringError):  # nothing stored under that name
            self._backend.delete_password(SERVICE, name)

    @property
    def backend_name(self) -> str:
        return type(self._backend).__module__ + "." + type(self._backend).__name__


def turn_secret_name(url: str, username: str) -> str:
    return f"turn:{username}@{url}"


def user_turn_server(url: str, username: str, store: SecretStore) -> IceServerSetting | None:
    """The TURN server the user configured, with its password from the store; None when not
    configured, or when the password is not (or no longer) there."""
    if not url:
        return None
    credential = store.load(turn_secret_name(url, username)) if username else None
    try:
        return IceServerSetting(url=url, username=username or None, credential=credential)
    except NetworkSettingsError as exc:
        logger.warning("own ICE server not used: %s", exc)
        return None
