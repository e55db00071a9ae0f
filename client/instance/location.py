"""Where the per-user instance lock and socket live, and checks that nobody else owns them.

On Linux the socket goes into ``$XDG_RUNTIME_DIR`` (private to the user by design). Without
one, into ``/tmp/runde-UID`` which we create with mode 0700 and refuse to use if another user
owns it: a socket another user planted there would otherwise receive our meeting links.
On Windows, QLocalServer uses a named pipe and a lock in the user's own temp folder. Pipe
names are global on a machine: on a shared terminal server another user could create ours
first and receive our links. So the name carries a random part kept in the user's own
profile, which other users can neither read nor guess.
"""

from __future__ import annotations

import getpass
import os
import re
import secrets
import stat
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


class LocationError(RuntimeError):
    """No private place for the instance socket; Runde then runs without single instance."""


@dataclass(frozen=True)
class InstanceLocation:
    lock_file: Path
    server_name: str  # a path on Unix, a pipe name on Windows


def _private_unix_folder() -> Path:
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and Path(runtime).is_dir():
        folder = Path(runtime) / "runde"
    else:
        folder = Path(tempfile.gettempdir()) / f"runde-{os.getuid()}"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = folder.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise LocationError(f"{folder} is not a folder owned by this user")
    if stat.S_IMODE(info.st_mode) & 0o077:
        raise LocationError(f"{folder} is open to other users (mode {oct(info.st_mode)[-3:]})")
    return folder


_PIPE_TOKEN = re.compile(r"[A-Za-z0-9_-]{22,64}")


def _windows_pipe_token() -> str:
    local = os.environ.get("LOCALAPPDATA")
    folder = (Path(local) if local else Path.home() / "AppData" / "Local") / "Runde"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "instance-name"
    token = secrets.token_urlsafe(16)
    try:
        with path.open("x", encoding="ascii") as created:
            created.write(token)
        return token
    except FileExistsError:
        pass
    for _ in range(20):  # a start at the same moment may be writing it
        stored = path.read_text(encoding="ascii", errors="replace").strip()
        if _PIPE_TOKEN.fullmatch(stored):
            return stored
        time.sleep(0.05)
    path.write_text(token, encoding="ascii")  # damaged: a new name, once
    return token


def instance_location() -> InstanceLocation:
    if sys.platform == "win32":
        user = re.sub(r"[^A-Za-z0-9_.-]", "_", getpass.getuser())
        folder = Path(tempfile.gettempdir())
        pipe = f"runde-{user}-{_windows_pipe_token()}-v1"
        return InstanceLocation(folder / f"runde-{user}.lock", pipe)
    folder = _private_unix_folder()
    return InstanceLocation(folder / "instance.lock", str(folder / "instance-v1.sock"))
