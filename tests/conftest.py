"""Shared fixtures: a real headless host on loopback for each test that wants one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers import HostProcess, start_host


@pytest.fixture
def host() -> Iterator[HostProcess]:
    process = start_host()
    yield process
    process.stop()
