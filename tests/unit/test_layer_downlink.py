"""A subscriber's REMB chooses its layer of a camera and leaves the publisher's estimate alone.

Real TrackForwarders (aiortc receivers, not connected) for a 180- and a 720-row layer; packets
go in through the forwarders' packet handler, the subscriber's REMB through the forwarder's
RTCP handler, as from the socket.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from aiortc import RTCPeerConnection
from aiortc.rtp import RTCP_PSFB_APP, RtcpPsfbPacket, pack_remb_fci

from client.sfu import forwarder as forwarder_module
from client.sfu.forwarder import TrackForwarder
from client.sfu.keyframes import vp8_is_keyframe
from client.sfu.layer_bandwidth import DOWN_HOLD, UP_HOLD
from client.sfu.layers import Layer, LayerChoice, LayerWatch
from tests.unit.test_layer_switch import HIGH, LOW, _feed, _Layer


async def _remb(choice: LayerChoice, bitrate: int) -> None:
    packet = RtcpPsfbPacket(fmt=RTCP_PSFB_APP, ssrc=1, media_ssrc=0)
    packet.fci = pack_remb_fci(bitrate, [choice.outbound.ssrc])

    async def not_ours(packet: Any) -> None:
        raise AssertionError("a REMB is the SFU's to handle")

    await forwarder_module._handle_subscriber_rtcp(choice.outbound, packet, not_ours)


def test_a_thin_downlink_moves_its_subscriber_down_without_capping_the_publisher(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def scenario() -> tuple[list[int | None], int | None]:
        pc = RTCPeerConnection()
        try:
            receivers = [pc.addTransceiver("video", "recvonly").receiver for _ in range(2)]
            low, high = (TrackForwarder(r, "video", 96, vp8_is_keyframe) for r in receivers)
            sender = pc.addTransceiver("video", "sendonly").sender
            watch = LayerWatch([Layer(180, low), Layer(720, high)])
            choice = LayerChoice(watch, sender, 96, None, label="Bernd (camera of Anna)")
            choice.outbound.send = lambda data, payload_size=0: None  # type: ignore[method-assign]
            low_layer, high_layer = _Layer(LOW, 1, 1, 1), _Layer(HIGH, 1, 1, 1)
            heights: list[int | None] = []

            async def stream(seconds: float, first_key: bool = False) -> None:
                # the top layer brings 8 packets to the small one's 2 (about four times the
                # bytes); the watch measures the rates on its own looks, every 0.5 s
                for step in range(int(seconds / 0.25)):
                    key = first_key and step == 0
                    await _feed(high, high_layer.picture_packets(key, count=8), 0)
                    await _feed(low, low_layer.picture_packets(key, count=2), 0)
                    await asyncio.sleep(0.25)

            await stream(2.0, first_key=True)
            heights.append(choice.height)
            low_rate, high_rate = watch.rate_of(watch.layers[0]), watch.rate_of(watch.layers[1])
            assert low_rate and high_rate and high_rate > 3 * low_rate, (low_rate, high_rate)

            await _remb(choice, high_rate)  # what arrives
            await _remb(choice, (low_rate + high_rate) // 2)  # it falls: the top layer is too much
            await stream(DOWN_HOLD + 0.5)  # the watch looks again meanwhile
            await _feed(low, low_layer.picture_packets(key=True), 0)
            heights.append(choice.height)
            await _remb(choice, high_rate * 2)  # room again: held, not at once
            await _feed(high, high_layer.picture_packets(key=True), 0)
            heights.append(choice.height)
            await stream(UP_HOLD + 0.75)  # the watch looks again meanwhile
            await _remb(choice, high_rate * 2)
            await _feed(high, high_layer.picture_packets(key=True), 0)
            heights.append(choice.height)
            # what the publisher's top layer is told: nothing from the subscriber
            publisher_estimate = high.feedback.estimate()
            choice.close()
            watch.close()
            for forwarder in (low, high):
                forwarder.close()
            return heights, publisher_estimate
        finally:
            await pc.close()

    with caplog.at_level(logging.INFO, logger="client.sfu.layers"):
        heights, publisher_estimate = asyncio.run(scenario())
    assert heights == [720, 180, 180, 720]
    assert publisher_estimate is None  # a one-layer camera would be capped (test_sfu_feedback)
    lines = [r.getMessage() for r in caplog.records]
    assert any(
        "Bernd (camera of Anna) goes from 720 to 180 rows, its link is full" in line
        for line in lines
    ), lines
    assert any("from 180 to 720 rows, its link has room" in line for line in lines), lines
