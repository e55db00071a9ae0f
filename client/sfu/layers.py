"""Which layer of a layered camera each subscriber gets.

A camera that is sent in layers (full, half and quarter height; one forwarder each) reaches
every subscriber as one stream. :func:`choose_layer` picks the tallest layer that fits the
subscriber's ``set_preferred_layer``; :class:`LayerChoice` moves the subscriber's stream over
to it, on the new layer's next keyframe (asked for at once), the old layer going on until then.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aiortc import RTCRtpSender

from client.sfu.forwarder import TrackForwarder, subscribe
from client.sfu.outbound import OutboundStream


def choose_layer(heights: Sequence[int], max_height: int | None) -> int:
    """The index of the tallest of ``heights`` (ascending) not above ``max_height``; the
    smallest when none is that small; the tallest without a limit."""
    if max_height is None:
        return len(heights) - 1
    chosen = 0
    for index, height in enumerate(heights):
        if height <= max_height:
            chosen = index
    return chosen


@dataclass(frozen=True)
class Layer:
    """One quality of a layered camera, as the SFU receives it."""

    height: int
    forwarder: TrackForwarder


class LayerChoice:
    """One subscriber's stream of a layered camera, and the layer that feeds it."""

    def __init__(
        self,
        layers: Sequence[Layer],
        sender: RTCRtpSender,
        payload_type: int,
        max_height: int | None,
    ) -> None:
        self._layers = sorted(layers, key=lambda layer: layer.height)
        self._heights = [layer.height for layer in self._layers]
        self.max_height = max_height
        first = self._layers[choose_layer(self._heights, max_height)].forwarder
        self.outbound: OutboundStream = subscribe(
            [layer.forwarder for layer in self._layers], first, sender, payload_type
        )

    @property
    def height(self) -> int | None:
        """The height of the layer the subscriber gets now (None before its first keyframe)."""
        source = self.outbound.source
        return next((layer.height for layer in self._layers if layer.forwarder is source), None)

    def prefer(self, max_height: int | None) -> None:
        """Switch to the layer that fits ``max_height`` (on its next keyframe)."""
        self.max_height = max_height
        target = self._layers[choose_layer(self._heights, max_height)].forwarder
        outbound = self.outbound
        if target is outbound.source:
            outbound.pending = None  # a switch asked for earlier is off
            return
        if target is outbound.pending:
            return
        outbound.pending = target
        target.request_keyframe(force=True)

    def close(self) -> None:
        for layer in self._layers:
            layer.forwarder.remove_subscriber(self.outbound)
