"""A browser's simulcast, arriving on one receiver, sorted into one forwarder per layer.

A browser sends each simulcast layer on an SSRC of its own (and its retransmissions on another),
all on the one receiver of its video section; the packets name their layer by the rid header
extension (retransmissions by the repaired-rid one) until the browser has heard a receiver
report for the SSRC. :class:`SimulcastDemux` learns SSRC -> layer from those and hands every
packet to its layer's :class:`~client.sfu.forwarder.TrackForwarder`, so each layer has its own
sequence, NACKs, receiver reports and keyframe requests (a PLI names the layer's SSRC), and
each is a :class:`~client.sfu.layers.Layer` of one :class:`~client.sfu.layers.LayerWatch`, as
Runde's own cameras in layers are.

Heights: a browser says nothing of a layer's size (``scaleResolutionDownBy`` stays in its page,
and the order of the simulcast line is a preference, not a size), and the browser may scale a
layer down later on a slow CPU or link. So the height is read from each layer's keyframes
(:func:`~client.sfu.vp8_size.vp8_keyframe_size`), the true size of what a subscriber will
decode; until the first one a layer counts 0 rows.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from aiortc import RTCRtpReceiver
from aiortc.rtp import RtpPacket

from client import compat
from client.sfu.forwarder import TrackForwarder
from client.sfu.keyframes import vp8_is_keyframe
from client.sfu.layers import Layer, LayerWatch
from client.sfu.vp8_size import vp8_keyframe_size

logger = logging.getLogger(__name__)


def simulcast_layers(
    receiver: RTCRtpReceiver,
    rids: Sequence[str],
    payload_type: int,
    nack: bool,
    rtx_payload_type: int | None,
) -> dict[str, Layer]:
    """One forwarder per rid on ``receiver`` (VP8), each a layer of unknown height."""
    return {
        rid: Layer(
            0,
            TrackForwarder(
                receiver,
                "video",
                payload_type,
                vp8_is_keyframe,
                nack=nack,
                rtx_payload_type=rtx_payload_type,
                take_receiver=False,
            ),
        )
        for rid in rids
    }


class SimulcastDemux:
    """Takes over ``receiver`` and sorts its packets to the layers (rid -> layer)."""

    def __init__(
        self,
        receiver: RTCRtpReceiver,
        layers: dict[str, Layer],
        watch: LayerWatch,
        payload_type: int,
    ) -> None:
        self._layers = layers
        self._watch = watch
        self._payload_type = payload_type
        self._by_ssrc: dict[int, Layer] = {}
        # (rid, retransmission?) -> its SSRC: one each, so the table stays this small
        self._ssrc_of: dict[tuple[str, bool], int] = {}
        # any layer's feedback: its transport-wide feedback counts every packet of the link
        self._transport_feedback = next(iter(layers.values())).forwarder.feedback
        self.unsorted = 0  # packets of an SSRC no rid has named yet
        self.errors = 0
        compat.intercept_rtp(receiver, self.take)

    def take(self, packet: RtpPacket, arrival_time_ms: int) -> None:
        # An exception here would end the publisher's whole DTLS transport: contain it.
        try:
            layer = self._by_ssrc.get(packet.ssrc) or self._learn(packet)
            if layer is None:
                self.unsorted += 1
                self._transport_feedback.on_arrival(packet)
                return
            if packet.payload_type == self._payload_type:
                self._note_size(layer, packet.payload)
        except Exception:
            self.errors += 1
            if self.errors == 1 or self.errors % 1000 == 0:
                logger.exception("sorting a simulcast packet failed (%d so far)", self.errors)
            return
        layer.forwarder.take(packet, arrival_time_ms)

    def _learn(self, packet: RtpPacket) -> Layer | None:
        """The layer a packet's rid names, remembered for its SSRC; None without one."""
        repaired = packet.extensions.repaired_rtp_stream_id
        rid = repaired if repaired is not None else packet.extensions.rtp_stream_id
        layer = self._layers.get(rid) if rid is not None else None
        if layer is None or rid is None:
            return None
        key = (rid, repaired is not None)
        previous = self._ssrc_of.get(key)
        if previous is not None:  # the layer moved to a new SSRC
            self._by_ssrc.pop(previous, None)
        self._ssrc_of[key] = packet.ssrc
        self._by_ssrc[packet.ssrc] = layer
        return layer

    def _note_size(self, layer: Layer, payload: bytes) -> None:
        size = vp8_keyframe_size(payload)
        if size is None or size[1] == layer.height:
            return
        rid = next(r for r, candidate in self._layers.items() if candidate is layer)
        logger.info("simulcast layer %s is %dx%d", rid, *size)
        layer.height = size[1]
        self._watch.heights_changed()
