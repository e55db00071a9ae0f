"""A file-free keyring kept in this process, for tests.

It stands in for the OS password store (Secret Service, Windows Credential Manager, macOS
Keychain), which needs a desktop session the test machines do not have. It goes through
keyring's real backend API, so the code under test cannot tell the difference.
"""

from __future__ import annotations

from keyring.backend import KeyringBackend


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)
