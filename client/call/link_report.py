"""What each of our streams goes through on the network, for the diagnostics view.

Per stream we send: what the host reports receiving (loss, jitter, round trip, from its
receiver reports) and the bandwidth it estimates for us (REMB), and whether the camera is
paused for it. Per stream we receive: loss and jitter as our receiver counts them and, for
video, the bandwidth our receiver estimates and reports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from aiortc import RTCPeerConnection
from aiortc.stats import RTCInboundRtpStreamStats, RTCRemoteInboundRtpStreamStats

from client import compat
from client.protocol.messages import MediaSessionType

CLOCK_RATES = {"audio": 48000, "video": 90000}  # jitter comes in RTP timestamp units


@dataclass(frozen=True)
class StreamFigures:
    direction: Literal["sending", "receiving"]
    participant_id: str | None  # whose stream we receive; None for our own
    session_type: MediaSessionType
    kind: str  # "audio" or "video"
    packets: int
    lost: int
    jitter_ms: float
    round_trip_ms: float | None = None
    estimate_kbps: int | None = None
    paused: bool = False

    def line(self, names: Mapping[str, str]) -> str:
        """One line in English (diagnostics are for support staff and logs); ``names`` are
        the display names by participant id."""
        whose = "our"
        if self.participant_id is not None:
            whose = f"{names.get(self.participant_id, self.participant_id)}'s"
        share = self.lost / (self.packets + self.lost) if self.packets + self.lost else 0.0
        parts = [
            f"{self.direction} {whose} {self.session_type.value} {self.kind}:",
            f"{self.packets} packets, {self.lost} lost ({share:.1%}),",
            f"jitter {self.jitter_ms:.0f} ms",
        ]
        if self.round_trip_ms is not None:
            parts.append(f", round trip {self.round_trip_ms:.0f} ms")
        if self.estimate_kbps is not None:
            parts.append(f", estimate {self.estimate_kbps} kbit/s")
        if self.paused:
            parts.append(", paused: too little bandwidth for video")
        return " ".join(parts).replace(" ,", ",")


async def sending_figures(
    pc: RTCPeerConnection,
    session_type: MediaSessionType,
    video_estimate_kbps: int | None,
    video_paused: bool,
) -> list[StreamFigures]:
    """Our publication ``pc``, as the host's receiver reports describe it."""
    figures = []
    for stats in (await pc.getStats()).values():
        if isinstance(stats, RTCRemoteInboundRtpStreamStats):
            video = stats.kind == "video"
            rtt: float | None = stats.roundTripTime
            figures.append(
                StreamFigures(
                    "sending",
                    None,
                    session_type,
                    stats.kind,
                    stats.packetsReceived,
                    max(stats.packetsLost, 0),
                    _ms(stats.jitter, stats.kind),
                    # None until the host's reports echo one of our sender reports
                    round_trip_ms=None if rtt is None else rtt * 1000,
                    estimate_kbps=video_estimate_kbps if video else None,
                    paused=video_paused if video else False,
                )
            )
    return sorted(figures, key=lambda f: f.kind)


async def receiving_figures(
    pc: RTCPeerConnection, participant_id: str, session_type: MediaSessionType
) -> list[StreamFigures]:
    """A subscription ``pc`` to ``participant_id``'s stream, as our receivers count it."""
    estimate: int | None = None
    for transceiver in pc.getTransceivers():
        if transceiver.kind == "video":
            bitrate = compat.receiver_bitrate_estimate(transceiver.receiver)
            estimate = None if bitrate is None else bitrate // 1000
    figures = []
    for stats in (await pc.getStats()).values():
        if isinstance(stats, RTCInboundRtpStreamStats):
            figures.append(
                StreamFigures(
                    "receiving",
                    participant_id,
                    session_type,
                    stats.kind,
                    stats.packetsReceived,
                    max(stats.packetsLost, 0),
                    _ms(stats.jitter, stats.kind),
                    estimate_kbps=estimate if stats.kind == "video" else None,
                )
            )
    return sorted(figures, key=lambda f: f.kind)


def _ms(jitter: int, kind: str) -> float:
    return jitter * 1000 / CLOCK_RATES.get(kind, 90000)
