"""client/sfu/offer_check.py and peers.py: a camera offered in layers, one video section each."""

from __future__ import annotations

import asyncio

import pytest
from aiortc import RTCPeerConnection
from aiortc.mediastreams import VideoStreamTrack

from client.netconfig import NetworkSettings
from client.protocol.messages import VideoLayer
from client.sfu.offer_check import SdpError, prepare_offer
from client.sfu.peers import accept_publication


def _offer(videos: int, audio: bool = True) -> tuple[str, list[str]]:
    """An aiortc offer of one audio and ``videos`` video sections, and the video mids."""
    return asyncio.run(_make_offer(videos, audio))


async def _make_offer(videos: int, audio: bool = True) -> tuple[str, list[str]]:
    pc = RTCPeerConnection()
    try:
        if audio:
            pc.addTransceiver("audio", "sendonly")
        transceivers = [pc.addTransceiver(VideoStreamTrack(), "sendonly") for _ in range(videos)]
        await pc.setLocalDescription(await pc.createOffer())
        return pc.localDescription.sdp, [str(t.mid) for t in transceivers]
    finally:
        await pc.close()


def test_three_declared_layers_pass_and_keep_their_sections() -> None:
    sdp, mids = _offer(3)
    prepared = prepare_offer(sdp, mids)
    assert prepared.count("m=video") == 3
    assert prepared.count("m=audio") == 1


@pytest.mark.parametrize(
    ("videos", "declared", "words"),
    [
        (3, None, "the meeting takes at most one audio and one video section"),
        (2, None, "has 3 media sections"),
        (3, ["1", "2", "9"], "the layers name mid 9, which is no video section"),
        (3, ["1", "2"], "a camera in 2 layers takes at most one audio and 2 video sections"),
    ],
)
def test_layers_that_do_not_match_the_offer_are_refused(
    videos: int, declared: list[str] | None, words: str
) -> None:
    sdp, _ = _offer(videos)
    with pytest.raises(SdpError, match=words):
        prepare_offer(sdp, declared or ())


def test_a_video_section_that_is_no_layer_is_refused() -> None:
    sdp, mids = _offer(3, audio=False)
    with pytest.raises(SdpError, match=f"the video section with mid {mids[2]} .* is no layer"):
        prepare_offer(sdp, mids[:2])


def test_the_sfu_forwards_each_layer_by_its_height() -> None:
    async def scenario() -> list[int]:
        sdp, mids = await _make_offer(3)
        layers = [
            VideoLayer(mid=mid, width=w, height=h)
            for mid, (w, h) in zip(mids, [(1280, 720), (640, 360), (320, 180)], strict=True)
        ]
        publication, answer = await accept_publication(sdp, NetworkSettings(), None, layers)
        try:
            assert answer.count("m=video") == 3
            assert publication.forwarders["video"] is publication.video_layers[-1].forwarder
            return [layer.height for layer in publication.video_layers]
        finally:
            await publication.close()

    assert asyncio.run(scenario()) == [180, 360, 720]
