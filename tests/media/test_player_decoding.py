"""The player thread reads each pass of a source through one decoder, and frees it.

Real sources (FFmpeg's lavfi sine and test picture, a short WAV file) and aiortc's real
``MediaPlayer`` tracks; the reading function runs in a thread as the player runs it.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
from aiortc.contrib.media import MediaPlayer
from av.container import InputContainer

from client import compat
from client.media import player_decoding
from client.media.player_decoding import decode_source
from client.media.sources import open_audio_source


class CountingContainer:
    """A real container that counts how often a decoder was started on it."""

    def __init__(self, container: InputContainer, quit_after_seeks: int | None = None) -> None:
        self.container = container
        self.name = container.name
        self.decoders = 0
        self.seeks = 0
        self.quit_after_seeks = quit_after_seeks
        self.quit_event = threading.Event()

    def decode(self, *streams: Any) -> Iterator[av.frame.Frame]:
        self.decoders += 1
        return self.container.decode(*streams)

    def seek(self, offset: int) -> None:
        self.container.seek(offset)
        self.seeks += 1
        if self.seeks == self.quit_after_seeks:
            self.quit_event.set()  # the reading stops before the next frame


def _read_all(
    source: str, fmt: str | None, loop_playback: bool = False, passes: int = 1
) -> tuple[CountingContainer, list[Any]]:
    player = MediaPlayer(source, format=fmt)  # its own thread starts only on recv(): never here
    track = player.audio
    assert track is not None
    quit_after = passes if loop_playback else None
    container = CountingContainer(av.open(source, format=fmt), quit_after_seeks=quit_after)
    queue = compat.player_track_queue(track)
    loop = asyncio.new_event_loop()
    received: list[Any] = []

    async def collect() -> None:
        while (frame := await queue.get()) is not None:
            received.append(frame)

    streams = [container.container.streams.audio[0]]
    arguments = (loop, container, streams, track, None, container.quit_event, False, loop_playback)
    thread = threading.Thread(target=decode_source, args=arguments)
    thread.start()
    loop.run_until_complete(asyncio.wait_for(collect(), 20))  # until the track ends
    thread.join(10)
    loop.close()
    container.container.close()
    return container, received


def test_one_pass_of_a_source_is_read_through_one_decoder() -> None:
    container, frames = _read_all("sine=frequency=440:sample_rate=48000:duration=2", "lavfi")
    assert container.decoders == 1  # (and the end of the source ended the track)
    audio = frames
    assert len(audio) == 100  # 2 s in 20 ms frames
    assert all(frame.samples == 960 and frame.sample_rate == 48000 for frame in audio)
    assert [frame.pts for frame in audio] == [960 * i for i in range(100)]  # no gap, no jump


def test_a_looped_file_gets_one_decoder_per_pass(tmp_path: Path) -> None:
    wav = tmp_path / "tone.wav"
    with av.open(str(wav), "w") as out:
        stream = out.add_stream("pcm_s16le", rate=48000, layout="mono")
        with av.open("sine=frequency=440:sample_rate=48000:duration=0.5", format="lavfi") as src:
            for frame in src.decode(audio=0):
                for packet in stream.encode(frame):
                    out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    container, frames = _read_all(str(wav), None, loop_playback=True, passes=3)
    assert container.decoders == 4  # three passes read, the fourth started
    pts = [frame.pts for frame in frames]
    assert len(pts) >= 3 * 25  # three passes of 0.5 s
    assert pts == sorted(pts) and len(set(pts)) == len(pts)  # one clock across the passes


def test_a_test_tone_through_the_installed_reading_reaches_its_track() -> None:
    player_decoding.install()
    opened = open_audio_source("sine:880")
    assert opened is not None

    async def first_frames() -> list[Any]:
        return [await asyncio.wait_for(opened.track.recv(), 5) for _ in range(10)]

    try:
        frames = asyncio.run(first_frames())
    finally:
        opened.stop()
    assert [frame.pts for frame in frames] == [960 * i for i in range(10)]
