"""Runde's NTP clock counts what aiortc's datetime-based clock counts."""

from __future__ import annotations

from aiortc import clock

from client import ntp


def test_ntp_seconds_and_abs_send_time_agree_with_aiortc() -> None:
    before = clock.current_ntp_time()
    seconds = ntp.ntp_seconds()
    abs_send_time = ntp.abs_send_time()
    after = clock.current_ntp_time()
    assert before / 2**32 - 0.001 <= seconds <= after / 2**32 + 0.001
    theirs = (after >> 14) & 0xFFFFFF
    behind = (theirs - abs_send_time) & 0xFFFFFF  # 24 bits wrap every 64 s
    assert behind < 262  # 262 units of 2**-18 s: 1 ms
