"""Every private attribute of aiortc, aioice, pylibsrtp, aiohttp, sounddevice and asyncio that
Runde touches, in one package.

The libraries offer no public way to do what the SFU and the media loop need: forward RTP
without decoding it (aiortc hands out decoded frames only), protect and send a packet without
four coroutine hops, see subscribers' keyframe requests, choose a sender's encoder, gather ICE
candidates on chosen addresses, learn the port aiohttp bound, rescan PortAudio's devices, read
UDP in batches. Each need is one small function or class here (a module per library area,
all imported here), so a library update that renames or removes an attribute breaks one
module, not the call sites, and :func:`client.compat_check.missing_attributes` (run by
``tests/unit/test_compat.py``) names what disappeared before a meeting does. aiortc and aioice
are pinned to the tested minor versions in
``pyproject.toml`` for the same reason.

Outside this package no code under ``client/`` reads or writes a private attribute of another
library's object; ``tests/unit/test_compat.py`` checks that as well.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from client.compat.decoding import (
    depayloaded,
    lighten_decoder_handoff,
    replace_audio_jitter_buffers,
    replace_video_jitter_buffers,
    wrap_receiver_decoders,
)
from client.compat.direct_rtp import RtpTake, arrival_ms, intercept_rtp, receive_directly
from client.compat.extensions import (
    RTP_STREAM_ID_EXTENSION_IDS,
    RTP_STREAM_ID_URIS,
    TRANSPORT_CC_EXTENSION_ID,
    TRANSPORT_CC_URI,
    negotiate_rtp_stream_ids,
    negotiate_transport_cc,
)
from client.compat.network import (
    BatchReadingDatagrams,
    HostAddressLookup,
    listening_sockets,
    restart_portaudio,
    set_host_addresses,
)
from client.compat.packets import (
    dtls_connected,
    force_keyframe,
    hold_sender_frames,
    intercept_receiver_rtcp,
    intercept_rtcp,
    nominated_pair,
    protect_rtp,
    receiver_bitrate_estimate,
    receiver_enabled,
    receiver_rtcp_ssrc,
    receiver_timestamp_origin,
    rewrite_sender_rtcp,
    rtp_protector,
    send_pli,
    send_receiver_rtcp,
    sender_enabled,
    sender_ssrc,
    set_sender_encoder,
    transceiver_codecs,
    vp8_packetize,
)
from client.compat.players import (
    player_queue_length,
    player_track_queue,
    replace_player_decoding,
)
from client.compat.required import (
    OPTIONAL_MODULES,
    REQUIRED,
)

if TYPE_CHECKING:
    from client.compat.packets import RtcpHandler as RtcpHandler

__all__ = [
    "OPTIONAL_MODULES",
    "REQUIRED",
    "RTP_STREAM_ID_EXTENSION_IDS",
    "RTP_STREAM_ID_URIS",
    "TRANSPORT_CC_EXTENSION_ID",
    "TRANSPORT_CC_URI",
    "BatchReadingDatagrams",
    "HostAddressLookup",
    "RtpTake",
    "arrival_ms",
    "depayloaded",
    "dtls_connected",
    "force_keyframe",
    "hold_sender_frames",
    "intercept_receiver_rtcp",
    "intercept_rtcp",
    "intercept_rtp",
    "lighten_decoder_handoff",
    "listening_sockets",
    "negotiate_rtp_stream_ids",
    "negotiate_transport_cc",
    "nominated_pair",
    "player_queue_length",
    "player_track_queue",
    "protect_rtp",
    "receive_directly",
    "receiver_bitrate_estimate",
    "receiver_enabled",
    "receiver_rtcp_ssrc",
    "receiver_timestamp_origin",
    "replace_audio_jitter_buffers",
    "replace_player_decoding",
    "replace_video_jitter_buffers",
    "restart_portaudio",
    "rewrite_sender_rtcp",
    "rtp_protector",
    "send_pli",
    "send_receiver_rtcp",
    "sender_enabled",
    "sender_ssrc",
    "set_host_addresses",
    "set_sender_encoder",
    "transceiver_codecs",
    "vp8_packetize",
    "wrap_receiver_decoders",
]
