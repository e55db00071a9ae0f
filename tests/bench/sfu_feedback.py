"""What the SFU's publisher feedback costs per received packet, without network or load noise.

    .venv/bin/python -m tests.bench.sfu_feedback [--packets 20000]

Feeds :class:`client.sfu.feedback.PublisherFeedback` synthetic video packets (1,100 bytes,
30 fps, abs-send-time like aiortc's sender, every 100th packet missing so NACKs are built) and
audio packets, and prints CPU time per packet, next to serialising a packet the way the
forwarder does with and without the abs-send-time extension it now writes for subscribers.
"""

from __future__ import annotations

import argparse
import asyncio
import time

from aiortc import RTCPeerConnection
from aiortc.rtp import HeaderExtensions, RtpPacket

from client.sfu import forwarder
from client.sfu.feedback import PublisherFeedback


def _packets(count: int, kind: str) -> list[tuple[RtpPacket, int]]:
    made = []
    for index in range(count):
        if kind == "video" and index % 100 == 99:
            continue  # lost: the NACK generator has something to report
        arrival_ms = index * 33 // 5  # 5 packets a frame at 30 fps
        packet = RtpPacket(
            payload_type=96 if kind == "video" else 111,
            sequence_number=index & 0xFFFF,
            timestamp=(index // 5) * 3000,
            ssrc=1234,
            payload=bytes(1100 if kind == "video" else 120),
        )
        send_time = int(arrival_ms / 1000 * (1 << 18)) & 0xFFFFFF  # 6.18 fixed point seconds
        packet.extensions = HeaderExtensions(abs_send_time=send_time)
        made.append((packet, arrival_ms))
    return made


async def _feedback_cost(kind: str, count: int) -> float:
    pc = RTCPeerConnection()
    receiver = pc.addTransceiver(kind).receiver
    feedback = PublisherFeedback(receiver, kind, nack=kind == "video")
    packets = _packets(count, kind)
    started = time.process_time()
    for packet, arrival_ms in packets:
        feedback.on_media(packet, arrival_ms, len(packet.payload))
    spent = time.process_time() - started
    feedback.close()
    await pc.close()
    return spent / len(packets) * 1e6


def _serialise_cost(count: int, with_extension: bool) -> float:
    packets = _packets(count, "video")
    started = time.process_time()
    for packet, _ in packets:
        if with_extension:
            packet.extensions = HeaderExtensions(abs_send_time=12345)
            packet.serialize(forwarder._VIDEO_EXTENSIONS)
        else:
            packet.extensions = HeaderExtensions()
            packet.serialize()
    return (time.process_time() - started) / len(packets) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packets", type=int, default=20000)
    args = parser.parse_args()
    video = asyncio.run(_feedback_cost("video", args.packets))
    audio = asyncio.run(_feedback_cost("audio", args.packets))
    plain = _serialise_cost(args.packets, with_extension=False)
    stamped = _serialise_cost(args.packets, with_extension=True)
    print("| per received packet | CPU µs |")
    print("|---|---|")
    print(f"| feedback, video (stats, NACK, delay-based estimate) | {video:.1f} |")
    print(f"| feedback, audio (stats) | {audio:.1f} |")
    print(f"| serialise for subscribers, no extension | {plain:.1f} |")
    print(f"| serialise for subscribers, with abs-send-time | {stamped:.1f} |")


if __name__ == "__main__":
    main()
