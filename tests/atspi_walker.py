"""Reads an application through AT-SPI, the interface screen readers (Orca) use on Linux.

Runs on the system python (pyatspi is a Debian package, python3-pyatspi, not on PyPI):

    /usr/bin/python3 tests/atspi_walker.py tree PID      # JSON: the app's accessible tree
    /usr/bin/python3 tests/atspi_walker.py events PID    # JSON lines: events, until killed
    /usr/bin/python3 tests/atspi_walker.py do PID NAME ACTION   # run a named object's action

Only what a screen reader could read is reported: role, name, description, states, the text
through the Text interface, the actions. Each is read on its own so that one broken object
does not hide the rest.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import pyatspi  # type: ignore[import-not-found]

MAX_DEPTH = 40


def _app(pid: int) -> Any:
    desktop = pyatspi.Registry.getDesktop(0)
    for index in range(desktop.childCount):
        app = desktop.getChildAtIndex(index)
        try:
            if app is not None and app.get_process_id() == pid:
                return app
        except Exception:  # an app that went away while we looked
            continue
    return None


def _text(node: Any) -> str | None:
    try:
        text = node.queryText()
    except NotImplementedError:
        return None
    return str(text.getText(0, text.characterCount))


def _actions(node: Any) -> list[str]:
    try:
        action = node.queryAction()
    except NotImplementedError:
        return []
    return [str(action.getName(i)) for i in range(action.nActions)]


def _labelled_by(node: Any) -> list[str]:
    """The names of the labels a screen reader reads with this object (a label's buddy)."""
    names = []
    for relation in node.getRelationSet():
        if relation.getRelationType() == pyatspi.RELATION_LABELLED_BY:
            for index in range(relation.getNTargets()):
                target = relation.getTarget(index)
                if target is not None:
                    names.append(str(target.name or ""))
    return names


def _describe(node: Any, depth: int) -> dict[str, Any]:
    states = node.getState()
    entry: dict[str, Any] = {
        "role": str(node.getRoleName()),
        "name": str(node.name or ""),
        "description": str(node.description or ""),
        "states": sorted(str(pyatspi.stateToString(s)) for s in states.getStates()),
        "text": _text(node),
        "actions": _actions(node),
        "labelled_by": _labelled_by(node),
        "children": [],
    }
    if depth < MAX_DEPTH:
        for index in range(node.childCount):
            child = node.getChildAtIndex(index)
            if child is not None:
                entry["children"].append(_describe(child, depth + 1))
    return entry


def tree(pid: int) -> int:
    app = _app(pid)
    if app is None:
        print(json.dumps(None))
        return 1
    print(json.dumps(_describe(app, 0)))
    return 0


def events(pid: int) -> int:
    """Print every event the app raises that a screen reader would speak from."""

    def on_event(event: Any) -> None:
        try:
            if event.host_application is None or event.host_application.get_process_id() != pid:
                return
            source = event.source
            record = {
                "type": str(event.type),
                "role": str(source.getRoleName()) if source is not None else "",
                "name": str(source.name or "") if source is not None else "",
                "detail1": event.detail1,
                "any_data": event.any_data if isinstance(event.any_data, (str, int)) else None,
            }
        except Exception as error:  # report it, keep listening
            record = {"type": str(event.type), "error": str(error)}
        print(json.dumps(record), flush=True)

    for kind in (
        "object:announcement",
        "object:text-changed",
        "object:property-change:accessible-name",
        "object:property-change:accessible-description",
        "object:state-changed:showing",
        "object:children-changed",
        "window:create",
    ):
        pyatspi.Registry.registerEventListener(on_event, kind)
    print(json.dumps({"type": "listening"}), flush=True)
    pyatspi.Registry.start()
    return 0


def _find(node: Any, name: str) -> Any:
    if str(node.name or "") == name:
        return node
    for index in range(node.childCount):
        child = node.getChildAtIndex(index)
        found = _find(child, name) if child is not None else None
        if found is not None:
            return found
    return None


def do(pid: int, name: str, action_name: str) -> int:
    app = _app(pid)
    node = _find(app, name) if app is not None else None
    if node is None:
        print(f"no object named {name!r}", file=sys.stderr)
        return 1
    action = node.queryAction()
    for index in range(action.nActions):
        if action.getName(index) == action_name:
            return 0 if action.doAction(index) else 1
    print(f"{name!r} has no action {action_name!r}", file=sys.stderr)
    return 1


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "tree":
        return tree(int(argv[1]))
    if len(argv) >= 2 and argv[0] == "events":
        return events(int(argv[1]))
    if len(argv) >= 4 and argv[0] == "do":
        return do(int(argv[1]), argv[2], argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
