"""A Runde camera in layers on a Janus VideoRoom: how the layers are named and chosen.

Janus 1.1 (multistream) takes a publisher's several video streams in one PeerConnection and
lets a subscriber ask for some of them by ``mid``. A Runde camera in layers publishes each
layer as a stream of its own and names it in the ``publish`` request's ``descriptions`` with
:func:`layer_description`: ``runde-layer:<width>x<height>``, e.g. ``runde-layer:1280x720``.
Janus passes the descriptions on in its publisher lists, so a Runde subscriber can ask for
the audio and one layer (:func:`streams_to_subscribe`), as Runde's own SFU forwards one.
Receiving three layers and forwarding one is the same server work as browser simulcast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from client.call.janus_connection import FeedId, JsonObject, PublisherInfo

_LAYER_DESCRIPTION = re.compile(r"^runde-layer:([1-9][0-9]{0,4})x([1-9][0-9]{0,4})$")


def layer_description(width: int, height: int) -> str:
    """What a layer's stream is called in the ``publish`` request's ``descriptions``."""
    return f"runde-layer:{width}x{height}"


def layer_size(description: str | None) -> tuple[int, int] | None:
    """The (width, height) a stream description names; None when it names no Runde layer."""
    match = _LAYER_DESCRIPTION.match(description or "")
    return (int(match[1]), int(match[2])) if match else None


@dataclass(frozen=True)
class LayerStream:
    mid: str
    height: int


def choose_layer(layers: list[LayerStream], max_height: int | None) -> LayerStream:
    """The tallest layer not above ``max_height`` (None: the tallest of all); the shortest
    when none is that small, as Runde's SFU chooses."""
    by_height = sorted(layers, key=lambda layer: layer.height)
    fitting = [layer for layer in by_height if max_height is None or layer.height <= max_height]
    return fitting[-1] if fitting else by_height[0]


def streams_to_subscribe(publisher: PublisherInfo, max_height: int | None) -> list[JsonObject]:
    """The ``streams`` of a subscriber ``join`` for ``publisher``: for a camera in layers its
    audio and the one layer that fits ``max_height``; otherwise the whole feed."""
    feed: FeedId = publisher.id
    active = [s for s in publisher.streams if not s.disabled and s.mid is not None]
    layers = [
        LayerStream(str(s.mid), size[1])
        for s in active
        if s.type == "video" and (size := layer_size(s.description)) is not None
    ]
    if not layers:
        return [{"feed": feed}]
    chosen = choose_layer(layers, max_height)
    others = [s for s in active if s.type == "audio" or (s.type == "video" and s.mid == chosen.mid)]
    return [{"feed": feed, "mid": s.mid} for s in others]
