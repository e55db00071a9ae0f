"""RTP header extensions aiortc does not negotiate by itself: transport-wide sequence numbers
and the rid extensions of a browser's simulcast."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from aiortc.rtcrtpparameters import RTCRtcpFeedback, RTCRtpHeaderExtensionParameters

if TYPE_CHECKING:
    pass


TRANSPORT_CC_URI = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"
TRANSPORT_CC_EXTENSION_ID = 5  # in aiortc's own offers; ids 1-3 are aiortc's, shared by BUNDLE


def negotiate_transport_cc() -> None:
    """Make every peer connection in this process accept (and offer) the transport-wide
    sequence number header extension and the ``transport-cc`` feedback on every codec, so
    browsers publishing to the SFU stamp their packets and take its transport feedback
    (idempotent). aiortc parses the extension once negotiated but lists neither."""
    media_module = importlib.import_module("aiortc.codecs")
    extensions: dict[str, list[Any]] = getattr(media_module, "HEADER_EXTENSIONS")  # noqa: B009
    codecs: dict[str, list[Any]] = getattr(media_module, "CODECS")  # noqa: B009
    for kind in ("audio", "video"):
        if not any(e.uri == TRANSPORT_CC_URI for e in extensions[kind]):
            extensions[kind].append(
                RTCRtpHeaderExtensionParameters(id=TRANSPORT_CC_EXTENSION_ID, uri=TRANSPORT_CC_URI)
            )
        for codec in codecs[kind]:
            if codec.mimeType.lower().endswith("/rtx"):
                continue
            if not any(f.type == "transport-cc" for f in codec.rtcpFeedback):
                codec.rtcpFeedback.append(RTCRtcpFeedback(type="transport-cc"))


RTP_STREAM_ID_URIS = (
    "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id",
    "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id",
)
RTP_STREAM_ID_EXTENSION_IDS = (10, 11)  # in aiortc's own offers, clear of its 1-3 and ours 5


def negotiate_rtp_stream_ids() -> None:
    """Make every peer connection in this process accept (and offer) the video header
    extensions that name a simulcast layer (rid) and the layer a retransmission repairs, so a
    browser's simulcast packets arrive with them parsed (idempotent). aiortc parses both once
    negotiated but lists neither."""
    media_module = importlib.import_module("aiortc.codecs")
    extensions: dict[str, list[Any]] = getattr(media_module, "HEADER_EXTENSIONS")  # noqa: B009
    for uri, extension_id in zip(RTP_STREAM_ID_URIS, RTP_STREAM_ID_EXTENSION_IDS, strict=True):
        if not any(e.uri == uri for e in extensions["video"]):
            extensions["video"].append(RTCRtpHeaderExtensionParameters(id=extension_id, uri=uri))
