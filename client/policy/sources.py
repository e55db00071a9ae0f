"""Where the policy comes from: a JSON file on Linux and macOS, the registry on Windows."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from pydantic import ValidationError

from client.policy.document import POLICY_KEYS, PolicyDocument
from client.policy.effective import Policy
from client.policy.registry import MACHINE, POLICY_KEY, USER, Registry, WindowsRegistry

logger = logging.getLogger(__name__)

POLICY_FILE = Path("/etc/runde/policy.json")
# Only for tests and trials: a user can point Runde at another file, but a user can as well
# run any program they like, so this unlocks nothing an administrator could enforce.
POLICY_FILE_ENV = "RUNDE_POLICY_FILE"
MAX_POLICY_BYTES = 256 * 1024
_LIST_KEYS = ("allowed_link_hosts", "ice_servers")
_BOOL_KEYS = tuple(
    name
    for name, info in PolicyDocument.model_fields.items()
    if info.annotation in (bool, bool | None)
)


def describe(error: ValidationError) -> str:
    """pydantic's errors as one short sentence naming each key."""
    parts = []
    for item in error.errors()[:5]:
        where = ".".join(str(p) for p in item["loc"]) or "the policy"
        if item["type"] == "extra_forbidden":
            parts.append(f"{where} is not a policy key Runde knows")
        else:
            parts.append(f"{where}: {item['msg']}")
    return "; ".join(parts)


def _validated(data: object, source: str) -> Policy:
    try:
        document = PolicyDocument.model_validate(data)
    except ValidationError as exc:
        return _failed(source, describe(exc))
    logger.info("administrator policy from %s in force", source)
    return Policy.from_document(document, source)


def _failed(source: str, problem: str) -> Policy:
    # Not logged here: the app writes it to its log file and the command prints it, each once.
    return Policy.failed(source, problem)


def load_file(path: Path) -> Policy:
    source = str(path)
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_POLICY_BYTES + 1)
    except FileNotFoundError:
        return Policy.unrestricted()
    except OSError as exc:
        return _failed(source, f"the file cannot be read ({exc.strerror or exc})")
    if len(raw) > MAX_POLICY_BYTES:
        return _failed(source, f"the file is larger than {MAX_POLICY_BYTES // 1024} KiB")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return _failed(source, "the file is not UTF-8 text")
    except json.JSONDecodeError as exc:
        return _failed(source, f"it is not valid JSON ({exc.msg} at line {exc.lineno})")
    if not isinstance(data, dict):
        return _failed(source, "it must be a JSON object ({ … })")
    return _validated(data, source)


def _hive_values(registry: Registry, hive: str) -> dict[str, object] | None:
    values = registry.values(hive, POLICY_KEY)
    subkeys = registry.subkeys(hive, POLICY_KEY)
    if values is None and not subkeys:
        return None
    found: dict[str, object] = dict(values or {})
    for name in subkeys:
        # ADMX list elements keep one value per entry in a sub-key named after the policy.
        entries = registry.values(hive, f"{POLICY_KEY}\\{name}") or {}
        found[name] = [entries[k] for k in sorted(entries, key=_entry_order)]
    for name in _BOOL_KEYS:
        if found.get(name) in (0, 1) and not isinstance(found[name], bool):
            found[name] = found[name] == 1
    for name in _LIST_KEYS:
        value = found.get(name)
        if isinstance(value, str):  # a single REG_SZ is a one-entry list
            found[name] = [value]
    return found


def _entry_order(name: str) -> tuple[int, str]:
    return (int(name), name) if name.isdigit() else (1 << 30, name)


def load_registry(registry: Registry) -> Policy:
    """Machine policy wins over user policy key by key."""
    source = f"HKLM or HKCU\\{POLICY_KEY}"
    try:
        machine = _hive_values(registry, MACHINE)
        user = _hive_values(registry, USER)
    except OSError as exc:
        return _failed(source, f"the registry key cannot be read ({exc})")
    if machine is None and user is None:
        return Policy.unrestricted()
    where = [f"{hive}\\{POLICY_KEY}" for hive, v in ((MACHINE, machine), (USER, user)) if v]
    return _validated({**(user or {}), **(machine or {})}, " and ".join(where))


def load_policy(
    platform: str = sys.platform,
    environ: Mapping[str, str] = os.environ,
    registry: Registry | None = None,
) -> Policy:
    """The policy in force on this computer; read once when Runde starts."""
    if platform == "win32":
        return load_registry(registry or WindowsRegistry())
    return load_file(Path(environ.get(POLICY_FILE_ENV) or POLICY_FILE))


__all__ = ["POLICY_FILE", "POLICY_FILE_ENV", "POLICY_KEYS", "load_file", "load_policy"]
