"""The administrator's policy: what Runde may do on this computer. Free of Qt, so the
headless command uses it too; see docs/policy.md."""

from client.policy.document import POLICY_KEYS, PolicyDocument
from client.policy.effective import LockedSettings, Policy
from client.policy.registry import POLICY_KEY, Registry
from client.policy.sources import POLICY_FILE, POLICY_FILE_ENV, load_file, load_policy

__all__ = [
    "POLICY_FILE",
    "POLICY_FILE_ENV",
    "POLICY_KEY",
    "POLICY_KEYS",
    "LockedSettings",
    "Policy",
    "PolicyDocument",
    "Registry",
    "load_file",
    "load_policy",
]
