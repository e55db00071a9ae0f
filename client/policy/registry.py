"""Reading ``Software\\Policies\\Runde\\Runde`` from the Windows registry behind a small interface.

Group Policy writes machine policy under HKLM and user policy under HKCU; the tests pass a
fake :class:`Registry`, since there is no Windows registry on Linux.
"""

from __future__ import annotations

import importlib
from typing import Any, Protocol

POLICY_KEY = r"Software\Policies\Runde\Runde"
MACHINE = "HKLM"
USER = "HKCU"


class RegistryReadError(OSError):
    """The key exists but cannot be read."""


class Registry(Protocol):
    def values(self, hive: str, path: str) -> dict[str, object] | None:
        """The values of a key by name (DWORD as int, SZ as str, MULTI_SZ as list[str]);
        None when the key does not exist."""
        ...

    def subkeys(self, hive: str, path: str) -> list[str]: ...


def _winreg() -> Any:
    # Imported by name: the module exists only on Windows, where mypy on Linux cannot see it.
    return importlib.import_module("winreg")


class WindowsRegistry:
    """The real registry through :mod:`winreg` (Windows only)."""

    def values(self, hive: str, path: str) -> dict[str, object] | None:
        winreg = _winreg()

        root = winreg.HKEY_LOCAL_MACHINE if hive == MACHINE else winreg.HKEY_CURRENT_USER
        try:
            key = winreg.OpenKey(root, path)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise RegistryReadError(f"{hive}\\{path}: {exc.strerror or exc}") from exc
        found: dict[str, object] = {}
        with key:
            index = 0
            while True:
                try:
                    name, value, _ = winreg.EnumValue(key, index)
                except OSError:
                    return found
                found[name] = value
                index += 1

    def subkeys(self, hive: str, path: str) -> list[str]:
        winreg = _winreg()

        root = winreg.HKEY_LOCAL_MACHINE if hive == MACHINE else winreg.HKEY_CURRENT_USER
        try:
            key = winreg.OpenKey(root, path)
        except OSError:
            return []
        names: list[str] = []
        with key:
            index = 0
            while True:
                try:
                    names.append(winreg.EnumKey(key, index))
                except OSError:
                    return names
                index += 1
