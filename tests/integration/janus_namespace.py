"""A real Janus in a network namespace of the test's own (Janus skips loopback), for tests
that need one; needs root and the Debian `janus` package."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.bench.janus_server import (
    JanusNotInstalled,
    JanusRoom,
    JanusServer,
    find_janus,
    start_janus,
)
from tests.bench.netns import Namespace, NamespaceError, check_can_create


def missing(reason: str) -> None:
    # CI installs every component: there a missing one is a failure, not a skip.
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@contextmanager
def janus_in_namespace(
    folder: Path, rooms: list[JanusRoom]
) -> Iterator[tuple[Namespace, JanusServer]]:
    """Janus with ``rooms``, in a namespace made for it; both go away afterwards."""
    try:
        find_janus()
        check_can_create()
    except (JanusNotInstalled, NamespaceError) as exc:
        missing(str(exc))
    namespace = Namespace.create()
    server: JanusServer | None = None
    try:
        server = start_janus(namespace, folder, rooms)
        yield namespace, server
    finally:
        if server is not None:
            server.stop()
        namespace.delete()
