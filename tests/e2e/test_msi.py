"""The Windows installer, built with wixl and read back with msiinfo.

The real freeze needs Windows (.github/workflows/windows.yml builds it there), so the MSI here
is built around a stand-in tree in the layout PyInstaller's Windows one-folder build has: the
runde.exe in it is a placeholder file, not a program. What the test checks is the installer
database an administrator deploys: per-machine scope, the runde:// handler, the Start-menu
shortcut and the upgrade identity.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import REPO, require_tools

pytestmark = pytest.mark.e2e

BUILD_MSI = REPO / "installers" / "windows" / "build-msi.sh"
HINT = "apt-get install wixl msitools"
UPGRADE_CODE = "{6591B649-393D-47C5-B6AC-254E2429CF55}"
HKLM = "2"  # the Registry table's Root value for HKEY_LOCAL_MACHINE


def _stand_in_freeze(folder: Path) -> Path:
    """Placeholder files where the Windows freeze puts runde.exe, its runtime and data."""
    files = {
        "runde.exe": "stand-in for the windowed app",
        "runde-cli.exe": "stand-in for the console command",
        "_internal/python311.dll": "stand-in",
        "_internal/PySide6/Qt6Core.dll": "stand-in",
        "_internal/PySide6/plugins/platforms/qwindows.dll": "stand-in",
        "_internal/client/sfu/guest_page.html": "<!doctype html>",
        "_internal/client/ui/i18n/runde_de.qm": "stand-in",
    }
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return folder


def _build(tmp_path: Path, version: str, *extra: str) -> Path:
    require_tools("wixl", "wixl-heat", "msiinfo", hint=HINT)
    output = tmp_path / f"runde-{version}.msi"
    built = subprocess.run(
        [
            str(BUILD_MSI),
            "--source",
            str(_stand_in_freeze(tmp_path / "freeze")),
            "--output",
            str(output),
            "--version",
            version,
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, f"build-msi.sh failed:\n{built.stderr[-3000:]}"
    assert output.is_file()
    return output


def _table(msi: Path, name: str) -> list[dict[str, str]]:
    """Rows of one table from `msiinfo export` (column names, types, table name, rows)."""
    exported = subprocess.run(
        ["msiinfo", "export", str(msi), name], capture_output=True, text=True, check=True
    )
    lines = exported.stdout.rstrip("\r\n").split("\r\n" if "\r\n" in exported.stdout else "\n")
    columns = lines[0].split("\t")
    return [dict(zip(columns, line.split("\t"), strict=False)) for line in lines[3:]]


def _properties(msi: Path) -> dict[str, str]:
    return {row["Property"]: row["Value"] for row in _table(msi, "Property")}


def test_msi_registers_the_link_handler_per_machine_with_a_start_menu_entry(
    tmp_path: Path,
) -> None:
    msi = _build(tmp_path, "1.2.3")
    tables = subprocess.run(
        ["msiinfo", "tables", str(msi)], capture_output=True, text=True, check=True
    ).stdout.split()
    for table in ("Registry", "Shortcut", "Upgrade", "Property", "File", "Directory"):
        assert table in tables

    properties = _properties(msi)
    assert properties["ALLUSERS"] == "1", "not a per-machine install"
    assert properties["UpgradeCode"] == UPGRADE_CODE
    assert properties["ProductVersion"] == "1.2.3"

    registry = {
        (row["Root"], row["Key"], row["Name"]): row["Value"] for row in _table(msi, "Registry")
    }
    assert (HKLM, r"Software\Classes\runde", "URL Protocol") in registry
    assert registry[(HKLM, r"Software\Classes\runde", "URL Protocol")] == ""
    assert registry[(HKLM, r"Software\Classes\runde\DefaultIcon", "")] == (
        '"[INSTALLDIR]runde.exe",0'
    )
    assert registry[(HKLM, r"Software\Classes\runde\shell\open\command", "")] == (
        '"[INSTALLDIR]runde.exe" --link "%1"'
    )
    assert not [key for key in registry if key[0] != HKLM], "per-machine keys only"

    directories = {row["Directory"]: row for row in _table(msi, "Directory")}
    assert directories["INSTALLDIR"]["Directory_Parent"] == "ProgramFiles64Folder"
    assert directories["INSTALLDIR"]["DefaultDir"] == "Runde"

    shortcuts = _table(msi, "Shortcut")
    assert [(s["Directory_"], s["Name"], s["Target"]) for s in shortcuts] == [
        ("ProgramMenuFolder", "Runde", "[INSTALLDIR]runde.exe")
    ]

    files = {row["FileName"] for row in _table(msi, "File")}
    assert {"runde.exe", "runde-cli.exe", "guest_page.html", "qwindows.dll"} <= files

    # MajorUpgrade: older versions of the same UpgradeCode are found and removed.
    upgrades = _table(msi, "Upgrade")
    assert {row["UpgradeCode"] for row in upgrades} == {UPGRADE_CODE}
    assert any(
        row["ActionProperty"] == "WIX_UPGRADE_DETECTED" and row["VersionMax"] == "1.2.3"
        for row in upgrades
    )
    sequence = {row["Action"] for row in _table(msi, "InstallExecuteSequence")}
    assert {"FindRelatedProducts", "RemoveExistingProducts"} <= sequence


def test_each_version_is_a_new_product_of_the_same_upgrade_code(tmp_path: Path) -> None:
    old = _properties(_build(tmp_path / "old", "0.1.0"))
    new = _properties(_build(tmp_path / "new", "0.2.0"))
    assert old["UpgradeCode"] == new["UpgradeCode"] == UPGRADE_CODE
    assert old["ProductCode"] != new["ProductCode"]


def test_policy_templates_are_installed_when_the_folder_exists(tmp_path: Path) -> None:
    """The templates here are stand-in files; the real ones live in installers/windows/policy."""
    policy = tmp_path / "policy"
    for name in ("runde.admx", "de-DE/runde.adml", "en-US/runde.adml"):
        (policy / name).parent.mkdir(parents=True, exist_ok=True)
        (policy / name).write_text("<?xml version='1.0'?><stand-in/>")
    msi = _build(tmp_path, "1.0.0", "--policy", str(policy))

    directories = {row["Directory"]: row for row in _table(msi, "Directory")}
    by_name = {row["DefaultDir"]: row for row in directories.values()}
    assert by_name["policy"]["Directory_Parent"] == "INSTALLDIR"
    policy_id = by_name["policy"]["Directory"]
    assert by_name["de-DE"]["Directory_Parent"] == policy_id
    assert by_name["en-US"]["Directory_Parent"] == policy_id
    files = [row["FileName"] for row in _table(msi, "File")]
    assert files.count("runde.adml") == 2
    assert "runde.admx" in files

    without = _build(tmp_path / "without", "1.0.0", "--policy", str(tmp_path / "absent"))
    assert "runde.admx" not in {row["FileName"] for row in _table(without, "File")}
