"""The German translation is complete: every text of the window has its German, none is left
unfinished, none belongs to a text the code no longer has, and placeholders survive."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "runde_de.ts"
SOURCES = sorted((ROOT / "client" / "ui").glob("*.py"))
STALE = ("unfinished", "vanished", "obsolete")


def problems(ts: Path) -> list[str]:
    """Every entry that is not a finished German text, named by context and source."""
    found = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            assert translation is not None
            kind = translation.get("type")
            forms = [f.text or "" for f in translation.iter("numerusform")] or [
                translation.text or ""
            ]
            if kind in STALE:
                found.append(f"{name}: {source!r} is {kind}")
            elif not all(form.strip() for form in forms):
                found.append(f"{name}: {source!r} has no translation")
            else:
                for placeholder in set(re.findall(r"%\d", source)):
                    if not all(placeholder in form for form in forms):
                        found.append(f"{name}: {source!r} loses {placeholder}")
    return found


def test_every_entry_is_translated() -> None:
    assert problems(TS) == []


def test_the_translation_covers_the_code_as_it_is(tmp_path: Path) -> None:
    """lupdate over the sources adds nothing unfinished and finds nothing vanished: a new
    text without German, or a changed text whose old German stayed behind, fails here."""
    lupdate = shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent))
    lupdate = lupdate or shutil.which("pyside6-lupdate")
    assert lupdate, "pyside6-lupdate (from PySide6) is needed to check the translation"
    copy = tmp_path / TS.name
    copy.write_bytes(TS.read_bytes())
    subprocess.run(
        [lupdate, *map(str, SOURCES), "-ts", str(copy)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert problems(copy) == [], (
        "update the translation: pyside6-lupdate client/ui/*.py -ts "
        "resources/translations/runde_de.ts, then translate every new text"
    )
