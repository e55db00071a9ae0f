"""client/sfu/simulcast_demux.py and vp8_size.py: a browser's simulcast, sorted into layers.

One aiortc receiver (not connected) takes packets of three layers, each on its own SSRC and
named by its rid extension, as Chromium sends them; the pictures are real VP8 from libvpx.
A subscriber's stream (its socket replaced by a list) shows which layer feeds it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from fractions import Fraction
from typing import Any

import av
import numpy as np
import pytest
from aiortc import RTCPeerConnection, RTCRtpReceiver
from aiortc.codecs.vpx import Vp8Encoder
from aiortc.rtp import RTCP_RTPFB_NACK, RtcpRtpfbPacket, RtpPacket, wrap_rtx

from client import compat
from client.sfu.layers import LayerChoice, LayerWatch
from client.sfu.simulcast_demux import SimulcastDemux, simulcast_layers
from client.sfu.vp8_size import vp8_keyframe_size

VP8, RTX = 96, 97
SSRCS = {"l": 1001, "m": 1002, "h": 1003}
SIZES = {"l": (320, 180), "m": (640, 360), "h": (1280, 720)}


def _pictures(width: int, height: int, count: int) -> list[list[bytes]]:
    """``count`` VP8 pictures (RTP payloads each) of a moving test picture; the first a
    keyframe."""
    encoder = Vp8Encoder()
    rng = np.random.default_rng(width)
    flat = np.full((height * 3 // 2, width), 128, dtype=np.uint8)
    pictures = []
    for index in range(count):
        planes = flat.copy()
        planes[:16, :16] = rng.integers(0, 256, (16, 16), dtype=np.uint8)  # something moves
        frame = av.VideoFrame.from_ndarray(planes, format="yuv420p")
        frame.pts, frame.time_base = index * 3000, Fraction(1, 90000)
        frame.pict_type = av.video.frame.PictureType.NONE  # keyframe only when asked
        payloads, _ = encoder.encode(frame, force_keyframe=index == 0)
        pictures.append(payloads)
    return pictures


PICTURES = {rid: _pictures(*size, 2) for rid, size in SIZES.items()}


def test_a_keyframe_states_its_size_in_its_first_packet_only() -> None:
    keyframe, interframe = PICTURES["m"]
    assert vp8_keyframe_size(keyframe[0]) == (640, 360)
    assert all(vp8_keyframe_size(payload) is None for payload in keyframe[1:])
    assert all(vp8_keyframe_size(payload) is None for payload in interframe)
    assert vp8_keyframe_size(b"") is None
    assert vp8_keyframe_size(keyframe[0][:8]) is None  # cut short: no size to read


class _Publisher:
    """Packets of one rid, with the rid extension on each (as before a receiver report)."""

    def __init__(self, rid: str) -> None:
        self.rid, self.ssrc, self.seq = rid, SSRCS[rid], 100
        self.sent: list[RtpPacket] = []

    def picture(self, index: int, with_rid: bool = True) -> list[RtpPacket]:
        packets = []
        for payload in PICTURES[self.rid][index]:
            packet = RtpPacket(
                payload_type=VP8, sequence_number=self.seq, timestamp=index, ssrc=self.ssrc
            )
            packet.payload = payload
            if with_rid:
                packet.extensions.rtp_stream_id = self.rid
            self.seq += 1
            packets.append(packet)
        self.sent += packets
        return packets


def _run(steps: Any) -> None:
    async def scenario() -> None:
        pc = RTCPeerConnection()
        try:
            receiver: RTCRtpReceiver = pc.addTransceiver("video", "recvonly").receiver
            layers = simulcast_layers(receiver, list(SSRCS), VP8, True, RTX)
            watch = LayerWatch(list(layers.values()))
            demux = SimulcastDemux(receiver, layers, watch, VP8)
            sender = pc.addTransceiver("video", "sendonly").sender
            choice = LayerChoice(watch, sender, VP8, 360)
            sent: list[bytes] = []
            choice.outbound.send = lambda data, payload_size=0: sent.append(data)  # type: ignore[method-assign]
            try:
                await steps(demux, layers, watch, choice, sent)
            finally:
                watch.close()
                choice.close()
                for layer in layers.values():
                    layer.forwarder.close()
        finally:
            await pc.close()

    asyncio.run(scenario())


async def _feed(demux: SimulcastDemux, packets: list[RtpPacket]) -> None:
    for packet in packets:
        demux.take(packet, 0)


def test_layers_are_sorted_by_rid_and_learn_their_heights_from_keyframes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    keyframe_requests: list[int] = []

    def send_pli(receiver: RTCRtpReceiver, ssrc: int) -> Coroutine[Any, Any, None]:
        keyframe_requests.append(ssrc)
        return asyncio.sleep(0)

    monkeypatch.setattr(compat, "send_pli", send_pli)

    async def steps(demux: Any, layers: Any, watch: LayerWatch, choice: Any, sent: Any) -> None:
        publishers = {rid: _Publisher(rid) for rid in SSRCS}
        assert [layer.height for layer in watch.layers] == [0, 0, 0]  # nothing seen yet
        for rid in ("h", "l", "m"):
            await _feed(demux, publishers[rid].picture(0))
        assert [layer.height for layer in watch.layers] == [180, 360, 720]
        assert [layer is layers[rid] for rid, layer in zip("lmh", watch.layers, strict=True)] == [
            True
        ] * 3
        for rid, layer in layers.items():
            assert layer.forwarder.media_packets == len(publishers[rid].sent), rid
        # the subscriber wants 360 rows: layer m's keyframe told its height and fed it at once
        assert choice.height == 360
        # keyframe requests for a switch name the new layer's own SSRC
        choice.prefer(None)
        choice.prefer(180)
        assert keyframe_requests[-2:] == [SSRCS["h"], SSRCS["l"]]
        choice.prefer(360)
        await _feed(demux, publishers["m"].picture(0))
        assert choice.height == 360
        # once acknowledged, packets carry no rid: their SSRC says which layer they are
        before = len(sent)
        await _feed(demux, publishers["m"].picture(1, with_rid=False))
        assert len(sent) - before == len(PICTURES["m"][1])
        assert layers["m"].forwarder.media_packets == len(publishers["m"].sent)
        # an SSRC no rid has named is counted, not forwarded
        stray = publishers["l"].picture(1, with_rid=False)[0]
        stray.ssrc = 4242
        await _feed(demux, [stray])
        assert demux.unsorted == 1

    _run(steps)


def test_a_retransmission_is_sorted_by_its_repaired_rid() -> None:
    async def steps(demux: Any, layers: Any, watch: LayerWatch, choice: Any, sent: Any) -> None:
        publishers = {rid: _Publisher(rid) for rid in SSRCS}
        for rid in SSRCS:
            await _feed(demux, publishers[rid].picture(0))
        await _feed(demux, publishers["m"].picture(0))  # the subscriber's first keyframe
        assert choice.height == 360
        lost = publishers["m"].sent[-1]
        rtx = wrap_rtx(lost, RTX, sequence_number=7, ssrc=2002)
        rtx.extensions.repaired_rtp_stream_id = "m"
        before = len(sent)
        await _feed(demux, [rtx])
        assert len(sent) == before + 1
        resent = RtpPacket.parse(sent[-1])
        # the same picture (after the descriptor, whose picture number the stream renumbers)
        assert resent.payload[4:] == lost.payload[4:]
        # the same repair of another layer's packet does not reach this subscriber
        other = wrap_rtx(publishers["h"].sent[-1], RTX, sequence_number=8, ssrc=2003)
        other.extensions.repaired_rtp_stream_id = "h"
        await _feed(demux, [other])
        assert len(sent) == before + 1

    _run(steps)


def test_a_layer_scaled_down_later_is_sorted_again() -> None:
    async def steps(demux: Any, layers: Any, watch: LayerWatch, choice: Any, sent: Any) -> None:
        publishers = {rid: _Publisher(rid) for rid in SSRCS}
        for rid in SSRCS:
            await _feed(demux, publishers[rid].picture(0))
        # the browser now sends its "m" layer at 1280x720 and "h" at 320x180
        publishers["m"].rid, publishers["h"].rid = "h", "l"  # borrow those pictures
        publishers["m"].ssrc, publishers["h"].ssrc = SSRCS["m"], SSRCS["h"]
        for packet in publishers["m"].picture(0):
            packet.extensions.rtp_stream_id = "m"
            await _feed(demux, [packet])
        for packet in publishers["h"].picture(0):
            packet.extensions.rtp_stream_id = "h"
            await _feed(demux, [packet])
        order = zip("lhm", watch.layers, strict=True)
        assert [(layer.height, layer is layers[rid]) for rid, layer in order] == [
            (180, True),
            (180, True),
            (720, True),
        ]

    _run(steps)


def test_a_retransmitted_keyframe_start_does_not_switch_a_subscriber() -> None:
    """It is older than what the layer forwarded since: starting on it would leave the
    subscriber half a picture and nothing it could decode."""

    async def steps(demux: Any, layers: Any, watch: LayerWatch, choice: Any, sent: Any) -> None:
        publishers = {rid: _Publisher(rid) for rid in SSRCS}
        for rid in SSRCS:
            await _feed(demux, publishers[rid].picture(0))
        assert choice.height == 360
        choice.prefer(None)  # now the tall layer, on its next keyframe
        keyframe_start = publishers["h"].sent[0]
        await _feed(demux, publishers["h"].picture(1))
        rtx = wrap_rtx(keyframe_start, RTX, sequence_number=9, ssrc=2003)
        rtx.extensions.repaired_rtp_stream_id = "h"
        await _feed(demux, [rtx])
        assert choice.height == 360
        await _feed(demux, publishers["h"].picture(0))  # a new keyframe
        assert choice.height == 720

    _run(steps)


def test_a_gap_in_one_layer_is_nacked_for_that_layers_ssrc(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sent_rtcp: list[Any] = []

    async def send_receiver_rtcp(receiver: RTCRtpReceiver, packet: Any) -> None:
        sent_rtcp.append(packet)

    monkeypatch.setattr(compat, "receiver_rtcp_ssrc", lambda receiver: 5)
    monkeypatch.setattr(compat, "send_receiver_rtcp", send_receiver_rtcp)

    async def steps(demux: Any, layers: Any, watch: LayerWatch, choice: Any, sent: Any) -> None:
        publishers = {rid: _Publisher(rid) for rid in SSRCS}
        for rid in SSRCS:
            await _feed(demux, publishers[rid].picture(0))
        publishers["m"].seq += 3  # three packets of m lost on the way
        for rid in SSRCS:
            await _feed(demux, publishers[rid].picture(1))
        await asyncio.sleep(0.01)  # the NACK goes out on its own task
        nacks = [
            p for p in sent_rtcp if isinstance(p, RtcpRtpfbPacket) and p.fmt == RTCP_RTPFB_NACK
        ]
        assert [(n.media_ssrc, len(n.lost)) for n in nacks] == [(SSRCS["m"], 3)]

    _run(steps)
