"""A decoding receiver's packets straight from the socket (``compat.receive_directly``): a
real aiortc sender's voice and camera reach the receiving tracks whole, the voice decoded
on the loop rather than in aiortc's decoder thread; and the eager run of aiortc's handler
finishes a handler that does wait, in order."""

from __future__ import annotations

import asyncio
import importlib
import logging
import threading

import av
import pytest
from aiortc import (
    AudioStreamTrack,
    RTCBundlePolicy,
    RTCConfiguration,
    RTCPeerConnection,
    VideoStreamTrack,
)
from aiortc.codecs.base import Decoder
from aiortc.jitterbuffer import JitterFrame
from aiortc.mediastreams import MediaStreamTrack
from aiortc.rtcrtpparameters import RTCRtpCodecParameters
from av.frame import Frame

from client import compat
from client.compat import direct_rtp
from tests.loopback_peers import run_on_loopback, until


def test_voice_and_camera_arrive_straight_from_the_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    decoded_in: dict[str, set[str]] = {"audio": set(), "video": set()}
    receiver_module = importlib.import_module("aiortc.rtcrtpreceiver")
    make_decoder = receiver_module.get_decoder

    def recording_decoder(codec: RTCRtpCodecParameters) -> Decoder:
        decoder = make_decoder(codec)
        decode = decoder.decode

        def recorded(encoded_frame: JitterFrame) -> list[Frame]:
            decoded_in[codec.mimeType.split("/")[0]].add(threading.current_thread().name)
            return decode(encoded_frame)

        decoder.decode = recorded  # type: ignore[method-assign]
        return decoder

    monkeypatch.setattr(receiver_module, "get_decoder", recording_decoder)

    async def scenario() -> None:
        config = RTCConfiguration(iceServers=[], bundlePolicy=RTCBundlePolicy.MAX_BUNDLE)
        sender, receiver = RTCPeerConnection(config), RTCPeerConnection(config)
        tracks: dict[str, MediaStreamTrack] = {}
        receiver.on("track", lambda track: tracks.__setitem__(track.kind, track))
        try:
            sender.addTrack(AudioStreamTrack())  # silence, Opus-encoded by aiortc
            sender.addTrack(VideoStreamTrack())  # a green picture, VP8-encoded by aiortc
            await sender.setLocalDescription(await sender.createOffer())
            await receiver.setRemoteDescription(sender.localDescription)
            compat.receive_directly(receiver)
            await receiver.setLocalDescription(await receiver.createAnswer())
            await sender.setRemoteDescription(receiver.localDescription)

            audio_frames = []
            for _ in range(20):
                audio_frames.append(await asyncio.wait_for(tracks["audio"].recv(), 10))
            picture = await asyncio.wait_for(tracks["video"].recv(), 10)
            assert all(isinstance(f, av.AudioFrame) and f.samples > 0 for f in audio_frames)
            assert isinstance(picture, av.VideoFrame) and picture.width == 640
            dtls = receiver.getTransceivers()[0].receiver.transport
            assert dtls in direct_rtp._direct_transports
            # the voice is decoded on the loop, the pictures in aiortc's decoder thread
            assert decoded_in == {
                "audio": {threading.current_thread().name},
                "video": {"video-decoder"},
            }
        finally:
            await sender.close()
            await receiver.close()
        # the voice's idle decoder thread ended with the connection
        await until(lambda: "audio-decoder" not in {t.name for t in threading.enumerate()})

    run_on_loopback(scenario)


def test_an_eager_handler_that_waits_goes_on_when_its_future_is_done() -> None:
    async def scenario() -> list[str]:
        loop = asyncio.get_running_loop()
        done: list[str] = []
        gate: asyncio.Future[str] = loop.create_future()

        async def waits() -> None:
            done.append("started")
            done.append(await gate)
            await asyncio.sleep(0)  # a bare yield: the next loop turn
            done.append("finished")

        direct_rtp._run_eagerly(waits())
        assert done == ["started"]  # ran at once, up to its wait
        gate.set_result("resumed")
        await until(lambda: "finished" in done)
        return done

    assert asyncio.run(scenario()) == ["started", "resumed", "finished"]


def test_an_eager_handler_that_fails_is_logged_and_the_reader_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def fails() -> None:
        raise ValueError("a malformed payload")

    with caplog.at_level(logging.ERROR):
        direct_rtp._run_eagerly(fails())
    assert "an RTP packet could not be handled" in caplog.text
