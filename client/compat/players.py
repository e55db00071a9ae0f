"""aiortc's ``MediaPlayer``: its queues and the way it reads its source."""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aiortc.contrib.media import PlayerStreamTrack

if TYPE_CHECKING:
    from aiortc import MediaStreamTrack


def player_queue_length(track: MediaStreamTrack) -> int | None:
    """Frames waiting in the queue of a track of aiortc's ``MediaPlayer`` (its decoding
    thread fills it without limit); None for any other track."""
    queue = getattr(track, "_queue", None)
    if not isinstance(track, PlayerStreamTrack) or not isinstance(queue, asyncio.Queue):
        return None
    return queue.qsize()


def player_track_queue(track: MediaStreamTrack) -> asyncio.Queue[Any]:
    """The queue a track of aiortc's ``MediaPlayer`` hands out frames from (``None`` ends it)."""
    queue = getattr(track, "_queue", None)
    if not isinstance(track, PlayerStreamTrack) or not isinstance(queue, asyncio.Queue):
        raise TypeError(f"{track!r} is not a track of aiortc's MediaPlayer")
    return queue


def replace_player_decoding(worker: Callable[..., None]) -> None:
    """Make every ``MediaPlayer`` started from now on in this process read its source with
    ``worker`` (called in the player's thread with the arguments aiortc's own
    ``player_worker_decode`` takes). aiortc has no per-player setting."""
    media_module = importlib.import_module("aiortc.contrib.media")
    setattr(media_module, "player_worker_decode", worker)  # noqa: B010
