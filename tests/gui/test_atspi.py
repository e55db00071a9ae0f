"""The window as a screen reader finds it: read through AT-SPI (what Orca uses) from outside.

The real app runs on Xvfb under openbox with a private D-Bus session and the AT-SPI bus; a
small pyatspi script on the system python (tests/atspi_walker.py) reads its accessible tree
and listens to its events. A headless participant joins and leaves a headless host's meeting,
then the host shuts down: a screen reader user must hear each of these, and must be able to
read every message and name every control (EN 301 549 / BITV 2.0: WCAG 1.3.1, 2.5.3, 4.1.2,
4.1.3).
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.desktop_session import (
    Desktop,
    Keyboard,
    accessible_desktop_fixture,
    app_log,
    start_app,
    until,
)
from tests.helpers import finish, start_host, start_participant

__all__ = ["accessible_desktop_fixture"]

WALKER = Path(__file__).resolve().parents[1] / "atspi_walker.py"
SYSTEM_PYTHON = "/usr/bin/python3"
CONTROLS = {"push button", "check box", "toggle button", "combo box", "text", "password text"}
# Statuses and errors: a screen reader must be able to read what they say, not only a name.
MESSAGES = {"Message", "Connection state", "What is wrong with the link", "Administrator policy"}

Node = dict[str, Any]


class ScreenReader:
    """What Orca would get from the app: its tree on demand, and the events as they come."""

    def __init__(self, desktop: Desktop, pid: int, log: Path) -> None:
        self._env = desktop.env
        self._pid = pid
        self._log = log
        self._listener = subprocess.Popen(
            [SYSTEM_PYTHON, str(WALKER), "events", str(pid)],
            env=self._env,
            stdout=log.open("w"),
            stderr=subprocess.DEVNULL,
        )
        until(lambda: "listening" in log.read_text(), 20, "the event listener is registered")

    def tree(self) -> Node:
        node = self.tree_if_shown()
        assert node is not None, "the app is not on the accessibility bus"
        return node

    def tree_if_shown(self) -> Node | None:
        """None while the app has not registered yet (or after it left)."""
        result = subprocess.run(
            [SYSTEM_PYTHON, str(WALKER), "tree", str(self._pid)],
            env=self._env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        node: Node | None = json.loads(result.stdout or "null")
        return node

    def press(self, name: str, action: str = "Press") -> None:
        result = subprocess.run(
            [SYSTEM_PYTHON, str(WALKER), "do", str(self._pid), name, action],
            env=self._env,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert result.returncode == 0, result.stderr

    def events(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self._log.read_text().splitlines() if line]

    def announced(self) -> list[str]:
        return [str(e.get("any_data")) for e in self.events() if e["type"] == "object:announcement"]

    def close(self) -> None:
        self._listener.terminate()
        self._listener.wait(10)


def showing(node: Node) -> Iterator[Node]:
    """Every object on screen now (a hidden view's controls are not)."""
    if "showing" not in node["states"]:
        return
    yield node
    for child in node["children"]:
        yield from showing(child)


def everything(node: Node) -> Iterator[Node]:
    yield node
    for child in node["children"]:
        yield from everything(child)


def problems(tree: Node) -> list[str]:
    """What a screen reader user would miss in the objects on screen."""
    found = []
    for node in showing(tree):
        role, name = node["role"], node["name"]
        if role in CONTROLS and not name.strip() and not node["labelled_by"]:
            found.append(f"a {role} without a name")
        if role == "combo box":
            # Qt on Linux names a combo box after its value; its purpose comes from its label.
            items = {n["name"] for n in everything(node) if n["role"] == "list item"}
            purposes = [label for label in node["labelled_by"] if label and label not in items]
            if not purposes:
                found.append(f"combo box {name!r} says its value but not what it is for")
        if name in MESSAGES and node["text"] is None:
            found.append(f"{role} {name!r} has no Text interface: what it says cannot be read")
    return found


def is_showing_combo_box(node: Node) -> bool:
    return node["role"] == "combo box" and "showing" in node["states"]


def find(tree: Node | None, predicate: Any) -> Node | None:
    return next((n for n in everything(tree) if predicate(n)), None) if tree else None


def test_a_screen_reader_follows_a_meeting(accessible_desktop: Desktop, tmp_path: Path) -> None:
    host = start_host()
    home = tmp_path / "home"
    app = start_app(
        accessible_desktop.screen, home, "--link", host.link, base_env=accessible_desktop.env
    )
    keys = Keyboard(accessible_desktop.screen)
    reader = ScreenReader(accessible_desktop, app.pid, tmp_path / "events.jsonl")
    bernd = None
    try:
        keys.activate(app.pid)
        until(
            lambda: find(reader.tree_if_shown(), lambda n: n["name"] == "Your name") is not None,
            20,
            "pre-join",
        )
        prejoin = reader.tree()
        assert problems(prejoin) == []
        keys.type("Ute")
        keys.press("Return")
        until(lambda: "joined" in app_log(home), 30, "the app joined")

        bernd = start_participant(
            host.link, "Bernd", tmp_path / "bernd.json", 20, "--audio", "sine:440"
        )

        def bernds_tile() -> Node | None:
            return find(
                reader.tree_if_shown(),
                lambda n: (
                    n["name"].startswith("Bernd")
                    and any(
                        c["name"] == "Pin Bernd" or c["name"] == "Unpin Bernd"
                        for c in n["children"]
                    )
                ),
            )

        until(lambda: bernds_tile() is not None, 30, "Bernd's tile is on the bus")
        until(lambda: "Bernd joined" in reader.announced(), 10, "'Bernd joined' is announced")
        keys.press("ctrl+shift+c")  # the chat, with its choice of recipient
        until(
            lambda: find(reader.tree_if_shown(), is_showing_combo_box) is not None, 10, "the chat"
        )
        meeting = reader.tree()
        assert problems(meeting) == []
        until(
            lambda: "speaking" in (bernds_tile() or {}).get("description", ""), 15, "Bernd speaks"
        )
        tile = bernds_tile()
        assert tile is not None
        pin = next(c for c in tile["children"] if c["name"] == "Pin Bernd")
        assert "Press" in pin["actions"]
        reader.press("Pin Bernd")
        until(lambda: "pinned" in (bernds_tile() or {}).get("name", ""), 10, "Bernd is pinned")

        def own_tile_says(words: str) -> bool:
            own = find(
                reader.tree_if_shown(),
                lambda n: n["name"].startswith("You") and "showing" in n["states"],
            )
            return own is not None and words in own["name"]

        microphone_off = "microphone off"
        said = own_tile_says(microphone_off)
        keys.press("ctrl+d")  # the microphone, off or on: the own tile says which
        until(lambda: own_tile_says(microphone_off) != said, 10, "the own tile's microphone")

        bernd.terminate()  # Bernd leaves (as with Ctrl+C)
        finish(bernd, 20)
        until(lambda: "Bernd left" in reader.announced(), 10, "'Bernd left' is announced")

        host.stop()
        until(
            lambda: any("host shut down" in said for said in reader.announced()),
            20,
            "the host's going away is announced",
        )
        start = reader.tree()
        message = find(start, lambda n: n["name"] == "Message" and "showing" in n["states"])
        assert message is not None and "host shut down" in (message["text"] or ""), message
        assert problems(start) == []
    finally:
        reader.close()
        for process in (bernd, app):
            if process is not None and process.poll() is None:
                process.terminate()
                finish(process, 15)
        host.stop()
