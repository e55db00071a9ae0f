"""Benchmark: what sorting a browser's simulcast by rid adds per arriving video packet.

    .venv/bin/python -m tests.bench.simulcast_sorting [--subscribers 6] [--packets 20000]

Real TrackForwarders on aiortc receivers (not connected) and real subscriber streams whose
socket send is replaced by a no-op, every subscriber on the top of three layers. "layers"
hands each packet to its layer's forwarder directly (Runde's own cameras: a receiver per
layer); "simulcast" hands it to :class:`~client.sfu.simulcast_demux.SimulcastDemux`, which
finds the layer by SSRC and looks for a keyframe size first. Alternating rounds; the median
of the cost per arriving packet (all its subscribers included) is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable

from aiortc import RTCPeerConnection
from aiortc.rtp import RtpPacket

from client.sfu.forwarder import TrackForwarder
from client.sfu.keyframes import vp8_is_keyframe
from client.sfu.layers import Layer, LayerChoice, LayerWatch
from client.sfu.simulcast_demux import SimulcastDemux, simulcast_layers

RIDS = ("l", "m", "h")
LAYERS, SIMULCAST = "layers", "simulcast"


def _packet(seq: int, key: bool, rid: str | None) -> RtpPacket:
    descriptor = bytes([0x90, 0x80, 0x80 | (seq >> 8) & 0x7F, seq & 0xFF, 0 if key else 1])
    packet = RtpPacket(
        payload_type=96,
        sequence_number=seq & 0xFFFF,
        timestamp=seq * 100,
        ssrc=3,
        payload=descriptor + b"x" * 1000,
    )
    packet.extensions.rtp_stream_id = rid
    return packet


def _no_send(data: bytes, payload_size: int = 0) -> None:
    pass


async def _microseconds_per_packet(mode: str, subscribers: int, packets: int) -> float:
    pc = RTCPeerConnection()
    try:
        handle: Callable[[RtpPacket, int], Awaitable[None]]
        if mode == SIMULCAST:
            receiver = pc.addTransceiver("video", "recvonly").receiver
            by_rid = simulcast_layers(receiver, RIDS, 96, False, None)
            for height, layer in zip((180, 360, 720), by_rid.values(), strict=True):
                layer.height = height
            layers = list(by_rid.values())
            watch = LayerWatch(layers)
            demux = SimulcastDemux(receiver, by_rid, watch, 96)
            handle = demux.take
        else:
            receivers = [pc.addTransceiver("video", "recvonly").receiver for _ in RIDS]
            forwarders = [TrackForwarder(r, "video", 96, vp8_is_keyframe) for r in receivers]
            layers = [Layer(h, f) for h, f in zip((180, 360, 720), forwarders, strict=True)]
            watch = LayerWatch(layers)
            handle = forwarders[-1].take
        for _ in range(subscribers):
            sender = pc.addTransceiver("video", "sendonly").sender
            LayerChoice(watch, sender, 96, None).outbound.send = _no_send  # type: ignore[method-assign]
        handle(_packet(0, True, "h"), 0)  # names the SSRC's layer; starts everyone
        stream = [_packet(seq, False, None) for seq in range(1, packets + 1)]
        started = time.perf_counter()
        for packet in stream:
            handle(packet, 0)
        elapsed = time.perf_counter() - started
        watch.close()
        for layer in layers:
            layer.forwarder.close()
        return elapsed / packets * 1e6
    finally:
        await pc.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=6)
    parser.add_argument("--packets", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    figures: dict[str, list[float]] = {LAYERS: [], SIMULCAST: []}
    for _ in range(args.rounds):
        for mode, values in figures.items():
            values.append(
                asyncio.run(_microseconds_per_packet(mode, args.subscribers, args.packets))
            )
    print(f"{'stream':<10} {f'µs per packet ({args.subscribers} subscribers)':>32}")
    for mode, values in figures.items():
        print(f"{mode:<10} {statistics.median(values):>32.2f}")


if __name__ == "__main__":
    main()
