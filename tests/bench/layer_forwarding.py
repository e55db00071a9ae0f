"""Benchmark: the SFU's cost per forwarded video packet, one layer vs a camera in layers.

    .venv/bin/python -m tests.bench.layer_forwarding [--subscribers 6] [--packets 20000]

Real TrackForwarders on aiortc receivers (not connected) and real subscriber streams whose
socket send is replaced by a no-op: the figure is the SFU's own work per packet and
subscriber (serialising, numbering, SRTP excluded): one layer; layers before any switch
(nothing rewritten); and layers after a switch, when every packet's timestamp and VP8
picture numbers are rewritten. Alternating rounds; the median is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from aiortc import RTCPeerConnection
from aiortc.rtp import RtpPacket

from client.sfu.forwarder import TrackForwarder, subscribe
from client.sfu.keyframes import vp8_is_keyframe
from client.sfu.layers import Layer, LayerChoice, LayerWatch
from client.sfu.outbound import OutboundStream


def _packet(seq: int, key: bool) -> RtpPacket:
    descriptor = bytes([0x90, 0x80, 0x80 | (seq >> 8) & 0x7F, seq & 0xFF, 0 if key else 1])
    return RtpPacket(
        payload_type=96,
        sequence_number=seq & 0xFFFF,
        timestamp=seq * 100,
        ssrc=1,
        payload=descriptor + b"x" * 1000,
    )


def _no_send(data: bytes, payload_size: int = 0) -> None:
    pass


async def _microseconds_per_packet(mode: str, subscribers: int, packets: int) -> float:
    """``mode``: one layer, layers, or layers after a switch (rewriting every packet)."""
    layered = mode != ONE
    pc = RTCPeerConnection()
    try:
        count = 3 if layered else 1
        receivers = [pc.addTransceiver("video", "recvonly").receiver for _ in range(count)]
        forwarders = [TrackForwarder(r, "video", 96, vp8_is_keyframe) for r in receivers]
        heights = (180, 360, 720)[-count:]
        watch = LayerWatch([Layer(h, f) for h, f in zip(heights, forwarders, strict=True)])
        choices = []
        for _ in range(subscribers):
            sender = pc.addTransceiver("video", "sendonly").sender
            outbound: OutboundStream
            if layered:
                choices.append(LayerChoice(watch, sender, 96, 180 if mode == SWITCHED else None))
                outbound = choices[-1].outbound
            else:
                outbound = subscribe(forwarders, forwarders[0], sender, 96)
            outbound.send = _no_send  # type: ignore[method-assign]
        top = forwarders[-1]
        if mode == SWITCHED:  # first the small layer, then up to the top one
            forwarders[0].take(_packet(30_000, True), 0)
            for choice in choices:
                choice.prefer(None)
        top.take(_packet(0, True), 0)
        stream = [_packet(seq, False) for seq in range(1, packets + 1)]
        started = time.perf_counter()
        for packet in stream:
            top._forward(packet, 0)
        elapsed = time.perf_counter() - started
        watch.close()
        for forwarder in forwarders:
            forwarder.close()
        return elapsed / (packets * subscribers) * 1e6
    finally:
        await pc.close()


ONE, LAYERS, SWITCHED = "one layer", "layers", "switched"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=6)
    parser.add_argument("--packets", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    figures: dict[str, list[float]] = {ONE: [], LAYERS: [], SWITCHED: []}
    for _ in range(args.rounds):
        for mode, values in figures.items():
            values.append(
                asyncio.run(_microseconds_per_packet(mode, args.subscribers, args.packets))
            )
    print(f"{'stream':<10} {'µs per packet and subscriber':>30}")
    for mode, values in figures.items():
        print(f"{mode:<10} {statistics.median(values):>30.2f}")


if __name__ == "__main__":
    main()
