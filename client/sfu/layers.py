"""Which layer of a layered camera each subscriber gets.

A camera that is sent in layers (full, half and quarter height; one forwarder each) reaches
every subscriber as one stream. :func:`choose_layer` picks the tallest layer that fits the
subscriber's ``set_preferred_layer``; :class:`LayerChoice` moves the subscriber's stream over
to it, on the new layer's next keyframe (asked for at once), the old layer going on until then.
Only layers that arrive count (:class:`LayerWatch`): a sender pauses a layer its link cannot
carry, and its subscribers then get the tallest one still arriving, until it comes back.

A subscriber also gets no taller layer than its downlink carries: its REMB, against each
layer's rate as measured here, decides that (:class:`client.sfu.layer_bandwidth.DownlinkFit`,
down at once, up only with headroom held for a while). The subscribers' estimates therefore
do not cap a layered publisher (:mod:`client.sfu.feedback`): a thin downlink costs its own
subscriber the tall picture, nobody else.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

from aiortc import RTCRtpSender

from client.sfu.forwarder import TrackForwarder, subscribe
from client.sfu.layer_bandwidth import DownlinkFit, LayerRate
from client.sfu.outbound import OutboundStream

logger = logging.getLogger(__name__)


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


@dataclass(eq=False)
class Layer:
    """One quality of a layered camera, as the SFU receives it. A browser's simulcast layer
    announces no height: it is 0 until its first keyframe tells it (then
    :meth:`LayerWatch.heights_changed`)."""

    height: int
    forwarder: TrackForwarder


# what a switch the subscriber did not ask for says in the log, by the decision's reason
_WHY = {
    "downlink": "its link is full",
    "headroom": "its link has room",
    "trial": "trying whether its link has room",
}


def _kbit(rate: int | None) -> str:
    return "-" if rate is None else str(rate // 1000)


CHECK_INTERVAL = 0.5  # seconds between looks at which layers arrive
STALLED_CHECKS = 3  # a layer without a packet for this many looks has stopped


class LayerWatch:
    """Which layers of one camera arrive, and at what rate; lets the subscribers' choices
    look again when that changes, and hands each choice its subscriber's estimates."""

    def __init__(self, layers: Sequence[Layer]) -> None:
        self.layers = sorted(layers, key=lambda layer: layer.height)
        self.choices: set[LayerChoice] = set()
        self._seen = [0] * len(self.layers)  # media packets at the last look
        self._idle = [0] * len(self.layers)  # looks since the last packet
        self._rates = {id(layer.forwarder): LayerRate() for layer in self.layers}
        self._by_stream: dict[int, LayerChoice] = {}  # id(outbound) -> its choice
        self._task: asyncio.Future[None] | None = None
        for layer in self.layers:  # subscribers' REMBs choose layers instead of capping
            layer.forwarder.feedback.estimate_listener = self._on_subscriber_estimate

    def add(self, choice: LayerChoice) -> None:
        self.choices.add(choice)
        self._by_stream[id(choice.outbound)] = choice

    def discard(self, choice: LayerChoice) -> None:
        self.choices.discard(choice)
        self._by_stream.pop(id(choice.outbound), None)

    def rate_of(self, layer: Layer) -> int | None:
        """Bits per second the layer arrives at (None until measured)."""
        rate = self._rates.get(id(layer.forwarder))
        return rate.bits_per_second if rate is not None else None

    def peak_of(self, layer: Layer) -> int | None:
        """The layer's highest rate of the last seconds (None until measured)."""
        rate = self._rates.get(id(layer.forwarder))
        return rate.peak if rate is not None else None

    def _on_subscriber_estimate(self, subscriber: object, bitrate: int) -> None:
        choice = self._by_stream.get(id(subscriber))
        if choice is not None:
            choice.on_estimate(bitrate)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.ensure_future(self._watch())

    def arriving(self) -> list[Layer]:
        """The layers that arrive (all of them until one stops)."""
        return [
            layer
            for layer, idle in zip(self.layers, self._idle, strict=True)
            if idle < STALLED_CHECKS
        ]

    def look(self, now: float | None = None) -> bool:
        """Count each layer's packets and bytes since the last look; True when one stopped or
        resumed."""
        now = time.monotonic() if now is None else now
        changed = False
        for index, layer in enumerate(self.layers):
            rate = self._rates.setdefault(id(layer.forwarder), LayerRate())
            rate.sample(layer.forwarder.feedback.media_bytes, now)
            count = layer.forwarder.media_packets
            was_arriving = self._idle[index] < STALLED_CHECKS
            self._idle[index] = 0 if count != self._seen[index] else self._idle[index] + 1
            self._seen[index] = count
            changed |= was_arriving != (self._idle[index] < STALLED_CHECKS)
        return changed

    def heights_changed(self) -> None:
        """A layer's height was learnt or changed: sort the layers again, in place (the
        choices share the list), and let every subscriber's choice look again."""
        order = sorted(range(len(self.layers)), key=lambda index: self.layers[index].height)
        self.layers[:] = [self.layers[index] for index in order]
        self._seen = [self._seen[index] for index in order]
        self._idle = [self._idle[index] for index in order]
        for choice in list(self.choices):
            choice.reconsider()

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(CHECK_INTERVAL)
            self.look()
            # every look: rates move, and a subscriber's headroom must last a while
            for choice in list(self.choices):
                choice.reconsider()

    def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
        self.choices.clear()
        self._by_stream.clear()
        for layer in self.layers:
            layer.forwarder.feedback.estimate_listener = None


class LayerChoice:
    """One subscriber's stream of a layered camera, and the layer that feeds it."""

    def __init__(
        self,
        watch: LayerWatch,
        sender: RTCRtpSender,
        payload_type: int,
        max_height: int | None,
        label: str = "",
    ) -> None:
        self._watch = watch
        self._layers = watch.layers
        self.max_height = max_height
        self._fit = DownlinkFit()
        first = self._target(None)
        self.outbound: OutboundStream = subscribe(
            [layer.forwarder for layer in self._layers], first, sender, payload_type
        )
        # who gets this stream, for the log
        self.label = label or f"stream {self.outbound.ssrc}"
        watch.add(self)
        watch.start()
        if max_height == 0:
            self.outbound.pause()  # a hidden tile from the start

    def _target(self, feeding: TrackForwarder | None) -> TrackForwarder:
        """The tallest arriving layer that fits the preference and the subscriber's downlink
        (the smallest arriving when none does); ``feeding`` is the layer chosen last."""
        candidates = self._watch.arriving() or self._layers
        heights = [layer.height for layer in candidates]
        ceiling = choose_layer(heights, self.max_height)
        forwarders = [layer.forwarder for layer in candidates]
        current = forwarders.index(feeding) if feeding in forwarders else None
        rates = [self._watch.rate_of(layer) for layer in candidates]
        peaks = [self._watch.peak_of(layer) for layer in candidates]
        decision = self._fit.choose(rates, ceiling, current, time.monotonic(), peaks)
        if current is not None and decision.index != current and decision.reason != "preference":
            estimate = self._fit.estimate(time.monotonic())
            logger.info(
                "layers: %s goes from %d to %d rows, %s (its downlink estimate %s kbit/s; "
                "layers now/peak %s kbit/s)",
                self.label,
                heights[current],
                heights[decision.index],
                _WHY[decision.reason],
                "-" if estimate is None else estimate // 1000,
                ", ".join(
                    f"{height}: {_kbit(rate)}/{_kbit(peak)}"
                    for height, rate, peak in zip(heights, rates, peaks, strict=True)
                ),
            )
        return forwarders[decision.index]

    def on_estimate(self, bitrate: int) -> None:
        """The subscriber's REMB: a falling one moves it down at once."""
        self._fit.note_estimate(bitrate, time.monotonic())
        self.reconsider()

    @property
    def height(self) -> int | None:
        """The height of the layer the subscriber gets now (None before its first keyframe)."""
        source = self.outbound.source
        return next((layer.height for layer in self._layers if layer.forwarder is source), None)

    def prefer(self, max_height: int | None) -> None:
        """Switch to the layer that fits ``max_height`` (on its next keyframe)."""
        self.max_height = max_height
        self.reconsider()

    def reconsider(self) -> None:
        """Switch to the layer that fits now (on its next keyframe), if that is another."""
        outbound = self.outbound
        if self.max_height == 0:  # no video wanted (a hidden tile)
            if not outbound.paused:
                outbound.pause()
            return
        target = self._target(outbound.pending or outbound.source)
        if outbound.paused:
            outbound.resume(target)
            return
        if target is outbound.source:
            outbound.pending = None  # a switch asked for earlier is off
            return
        if target is outbound.pending:
            return
        outbound.pending = target
        target.request_keyframe(force=True)

    def close(self) -> None:
        self._watch.discard(self)
        for layer in self._layers:
            layer.forwarder.remove_subscriber(self.outbound)
