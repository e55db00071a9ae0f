"""The bandwidth estimate for each received video stream, for ``--stats-json``.

The headless participant decodes with aiortc's own receive path, whose receiver estimates the
rate the SFU can send it from arrival times and abs-send-time, and reports that estimate to the
SFU as REMB. That REMB is what the SFU knows of its path toward this receiver (it caps the
publisher with the lowest one), so it is the figure the stats give.
"""

from __future__ import annotations

from aiortc import MediaStreamTrack, RTCPeerConnection, RTCRtpReceiver

from client import compat
from client.call.backend import EventSink, MeetingBackend
from client.call.session import BackendFactory


class ReceiveEstimates:
    """Wraps a backend factory to find the receiver behind each received track."""

    def __init__(self, factory: BackendFactory) -> None:
        self._factory = factory
        self._backend: MeetingBackend | None = None
        self._receivers: dict[int, RTCRtpReceiver] = {}  # by id(track)

    def make_backend(self, sink: EventSink) -> MeetingBackend:
        self._backend = self._factory(sink)  # a reconnect makes a new one: keep the latest
        self._receivers.clear()
        return self._backend

    def kbps(self, track: MediaStreamTrack) -> int | None:
        """What the receiver of ``track`` reports as REMB, in kbit/s; None where unknown
        (audio, before the first estimate, or a backend without aiortc peer connections)."""
        receiver = self._receivers.get(id(track)) or self._find(track)
        if receiver is None:
            return None
        bitrate = compat.receiver_bitrate_estimate(receiver)
        return None if bitrate is None else bitrate // 1000

    def _find(self, track: MediaStreamTrack) -> RTCRtpReceiver | None:
        pcs: list[RTCPeerConnection] = getattr(self._backend, "peer_connections", [])
        for pc in pcs:
            for receiver in pc.getReceivers():
                if receiver.track is track:
                    self._receivers[id(track)] = receiver
                    return receiver
        return None
