"""Which backend carries a meeting: chosen once, from the link, for the window and headless."""

from __future__ import annotations

from client.call.backend import EventSink, MeetingBackend
from client.call.session import BackendFactory
from client.call.sfu_backend import SfuBackend
from client.netconfig import NetworkSettings
from client.protocol.link import MeetingLink


def backend_for(
    link: MeetingLink, network: NetworkSettings, video_codec: str = "VP8"
) -> BackendFactory:
    """Every meeting link names a Runde host today; a Janus link form would choose here."""

    def make(sink: EventSink) -> MeetingBackend:
        return SfuBackend(link, network, sink, video_codec=video_codec)

    return make
