"""RTP from the socket straight to a receiver's handler, past aioice's queue and aiortc's task.

aiortc reads each datagram through aioice's ``asyncio.Queue`` into the DTLS transport's receive
task: a task wake-up, a future and about eight coroutine frames per packet before SRTP is even
removed, and aioice first tries to parse every RTP packet as STUN. For the SFU, which forwards
what it receives and decodes nothing, that hand-over cost about as much as forwarding a packet
to one subscriber. :func:`intercept_rtp` hands a receiver's packets to a synchronous ``take``;
once its transport has SRTP keys, each RTP datagram is unprotected, parsed and routed (as
aiortc's ``_handle_rtp_data`` does) inside the socket's read callback. Everything else (DTLS,
RTCP, STUN, and RTP while anything older still waits in the queue, so that order is kept)
takes aiortc's path unchanged.

A receiver that decodes (a client's) keeps aiortc's own handler: :func:`receive_directly`
runs it in the read callback as far as it goes without waiting, which for a packet is all
of it (its RTCP sends never wait), so no task is made per packet.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

import pylibsrtp
from aiortc.rtcdtlstransport import State
from aiortc.rtp import RtpPacket, is_rtcp

from client.compat.decoding import decode_on_arrival, hand_over_lightly
from client.ntp import ntp_seconds

if TYPE_CHECKING:
    from aioice.ice import StunProtocol
    from aiortc import RTCPeerConnection, RTCRtpReceiver
    from aiortc.rtcdtlstransport import RTCDtlsTransport

logger = logging.getLogger(__name__)

# Called with each RTP packet routed to a receiver and its arrival time (ms on the NTP epoch,
# as aiortc's clock.current_ms counts).
RtpTake = Callable[["RtpPacket", int], None]

_takers: weakref.WeakKeyDictionary[object, RtpTake] = weakref.WeakKeyDictionary()
_direct_transports: weakref.WeakSet[RTCDtlsTransport] = weakref.WeakSet()


def arrival_ms() -> int:
    """Now, in aiortc's arrival-time unit (``clock.current_ms`` without making datetimes)."""
    return int(ntp_seconds() * 1000)


def intercept_rtp(receiver: RTCRtpReceiver, take: RtpTake) -> None:
    """Hand every RTP packet routed to ``receiver`` to ``take(packet, arrival_time_ms)``
    instead of aiortc's jitter buffer and decoder; from the first packet on, straight from
    the socket (see the module's docstring)."""
    _takers[receiver] = take

    async def handle_rtp(packet: RtpPacket, arrival_time_ms: int) -> None:
        take(packet, arrival_time_ms)
        # The receiver's transport is final once media flows (bundling may replace it before).
        dtls = receiver.transport
        if dtls not in _direct_transports:
            _deliver_directly(dtls)

    receiver._handle_rtp_packet = handle_rtp  # type: ignore[method-assign]


def receive_directly(pc: RTCPeerConnection) -> None:
    """From their first packet on, hand the RTP of ``pc``'s receivers (made by its remote
    description) from the socket straight to aiortc's own handler: jitter buffer, NACK, REMB
    and decoder, as :func:`intercept_rtp` does for a handler of ours. Voices are decoded
    right there too (:func:`~client.compat.decoding.decode_on_arrival`)."""
    for transceiver in pc.getTransceivers():
        _on_first_packet_receive_directly(transceiver.receiver)
        if transceiver.kind == "audio":
            decode_on_arrival(transceiver.receiver)
        else:
            hand_over_lightly(transceiver.receiver)


def _on_first_packet_receive_directly(receiver: RTCRtpReceiver) -> None:
    async def first_packet(packet: RtpPacket, arrival_time_ms: int) -> None:
        del receiver._handle_rtp_packet  # aiortc's method again
        await receiver._handle_rtp_packet(packet, arrival_time_ms=arrival_time_ms)
        dtls = receiver.transport
        if dtls not in _direct_transports:
            _deliver_directly(dtls)

    receiver._handle_rtp_packet = first_packet  # type: ignore[method-assign]


def _deliver_directly(dtls: RTCDtlsTransport) -> None:
    _direct_transports.add(dtls)
    connection = dtls.transport._connection
    queued = connection.data_received
    queue = connection._queue

    def data_received(data: bytes, component: int) -> None:
        srtp = dtls._rx_srtp
        if (
            component != 1
            or not data
            or not 127 < data[0] < 192
            or srtp is None
            or not queue.empty()
            or dtls._state != State.CONNECTED
            or is_rtcp(data)
        ):
            queued(data, component)
            return
        try:
            _take_datagram(dtls, srtp, data)
        except Exception:  # the socket's reader must go on: one packet is lost, not the link
            logger.exception("an RTP datagram could not be handled")

    connection.data_received = data_received  # type: ignore[method-assign]
    # aioice tries every datagram as STUN first; a first byte of 128-191 is RTP or RTCP,
    # never STUN (RFC 7983), so those skip the attempt.
    for protocol in connection._protocols:
        _skip_stun_parsing(protocol, data_received)


def _skip_stun_parsing(protocol: StunProtocol, data_received: Callable[[bytes, int], None]) -> None:
    stun_first = protocol.datagram_received
    component = protocol.local_candidate.component

    def datagram_received(data: bytes | str, addr: tuple[Any, ...]) -> None:
        if isinstance(data, bytes) and data and 127 < data[0] < 192:
            data_received(data, component)
        else:
            stun_first(data, addr)

    protocol.datagram_received = datagram_received  # type: ignore[method-assign]


def _take_datagram(dtls: RTCDtlsTransport, srtp: pylibsrtp.Session, data: bytes) -> None:
    """aiortc's ``_recv_next`` and ``_handle_rtp_data`` for one SRTP datagram, synchronously."""
    arrival = arrival_ms()
    # the transport's own counts, as aiortc keeps them for its statistics
    dtls._RTCDtlsTransport__rx_bytes += len(data)  # type: ignore[attr-defined]
    dtls._RTCDtlsTransport__rx_packets += 1  # type: ignore[attr-defined]
    try:
        packet = RtpPacket.parse(srtp.unprotect(data), dtls._rtp_header_extensions_map)
    except (pylibsrtp.Error, ValueError) as exc:
        logger.debug("an RTP datagram was dropped: %s", exc)
        return
    receiver = dtls._rtp_router.route_rtp(packet)
    if receiver is None:
        return
    take = _takers.get(receiver)
    if take is not None:
        take(packet, arrival)
        return
    # a receiver that decodes: aiortc's own handler, eagerly
    _run_eagerly(receiver._handle_rtp_packet(packet, arrival_time_ms=arrival))


def _run_eagerly(handling: Coroutine[Any, Any, None]) -> None:
    """Run ``handling`` now until it finishes or waits; when it waits on a future, go on when
    that is done (what a Task would do, without a Task and a loop turn for each packet)."""
    try:
        waiting_on = handling.send(None)
    except StopIteration:
        return
    except Exception:  # as a Task would, but say so now: one packet is lost, not the link
        logger.exception("an RTP packet could not be handled")
        return
    if waiting_on is None:  # a bare yield (asyncio.sleep(0)): the next loop turn
        asyncio.get_running_loop().call_soon(_run_eagerly, handling)
        return
    waiting_on._asyncio_future_blocking = False  # taken over, as a Task takes it over
    waiting_on.add_done_callback(lambda _done: _run_eagerly(handling))
