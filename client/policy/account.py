"""The full name of the operating system account, for ``display_name_source: account``."""

from __future__ import annotations

import ctypes
import getpass
import sys


def account_full_name() -> str:
    """The account's full name where the system keeps one, else the login name."""
    if sys.platform == "win32":
        return _windows_display_name() or getpass.getuser()
    import os
    import pwd

    entry = pwd.getpwuid(os.getuid())
    # GECOS: "Full Name,Room,Phone,…"
    full = entry.pw_gecos.split(",", 1)[0].strip()
    return full or entry.pw_name


def _windows_display_name() -> str:
    name_display = 3  # EXTENDED_NAME_FORMAT.NameDisplay
    size = ctypes.c_ulong(0)
    secur32 = getattr(ctypes, "windll").secur32  # noqa: B009 - Windows only
    secur32.GetUserNameExW(name_display, None, ctypes.byref(size))
    if not size.value:
        return ""
    buffer = ctypes.create_unicode_buffer(size.value)
    if not secur32.GetUserNameExW(name_display, buffer, ctypes.byref(size)):
        return ""
    return str(buffer.value).strip()
