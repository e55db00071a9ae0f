"""Wall-clock time on NTP's epoch, as RTP's sender reports and header extensions count it."""

from __future__ import annotations

import time

NTP_UNIX_OFFSET = 2_208_988_800  # seconds from 1900 (NTP's epoch) to 1970


def ntp_seconds() -> float:
    """Now, in seconds since 1900 (aiortc's clock counts the same from datetimes, slower)."""
    return time.time() + NTP_UNIX_OFFSET


def abs_send_time() -> int:
    """Now as the abs-send-time header extension writes it: 24 bits, 6.18 fixed point."""
    return int(ntp_seconds() * 262_144) & 0xFFFFFF
