"""Every private attribute the shim uses, for :mod:`client.compat_check` to look up."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass


# (module or class, attribute) for everything below that is not a library's public API.
# ``client.compat_check.missing_attributes`` looks each one up on the class (or module), and
# for attributes set in ``__init__`` on a freshly made object.
REQUIRED: tuple[tuple[str, str], ...] = (
    # transceiver_codecs: the codecs negotiated for a transceiver (no public getter)
    ("aiortc.rtcrtptransceiver.RTCRtpTransceiver", "_codecs"),
    # sender_ssrc
    ("aiortc.rtcrtpsender.RTCRtpSender", "_ssrc"),
    # intercept_rtcp: a subscriber's RTCP arrives at its sender
    ("aiortc.rtcrtpsender.RTCRtpSender", "_handle_rtcp_packet"),
    # rewrite_sender_rtcp: the reports a sender sends of its own accord
    ("aiortc.rtcrtpsender.RTCRtpSender", "_send_rtcp"),
    # hold_sender_frames: a disabled sender reads its track's frames and drops them
    ("aiortc.rtcrtpsender.RTCRtpSender", "_enabled"),
    # force_keyframe: what a PLI from the receiver does
    ("aiortc.rtcrtpsender.RTCRtpSender", "_send_keyframe"),
    # set_sender_encoder: the sender makes its own encoder on the first frame unless one is set
    ("aiortc.rtcrtpsender.RTCRtpSender", "_RTCRtpSender__encoder"),
    # intercept_rtp: a publisher's RTP arrives at its receiver, or straight from the socket
    ("aiortc.rtcrtpreceiver.RTCRtpReceiver", "_handle_rtp_packet"),
    ("aiortc.rtcdtlstransport.RTCDtlsTransport", "_rx_srtp"),
    ("aiortc.rtcdtlstransport.RTCDtlsTransport", "_rtp_router"),
    ("aiortc.rtcdtlstransport.RTCDtlsTransport", "_rtp_header_extensions_map"),
    ("aiortc.rtcdtlstransport.RTCDtlsTransport", "_RTCDtlsTransport__rx_bytes"),
    ("aiortc.rtcdtlstransport.RTCDtlsTransport", "_RTCDtlsTransport__rx_packets"),
    ("aiortc.rtcdtlstransport.RtpRouter", "route_rtp"),
    ("aioice.ice.Connection", "data_received"),
    ("aioice.ice.Connection", "_queue"),
    ("aioice.ice.Connection", "_protocols"),
    ("aioice.ice.StunProtocol", "datagram_received"),
    ("pylibsrtp.Session", "unprotect"),
    # receive_directly: a decoding receiver's handler run without a task
    ("asyncio.Future", "_asyncio_future_blocking"),
    # decode_on_arrival: a voice decoded on the loop, into its track's queue
    ("aiortc.rtcrtpreceiver.RTCRtpReceiver", "_RTCRtpReceiver__decoder_queue"),
    ("aiortc.rtcrtpreceiver.RTCRtpReceiver", "_RTCRtpReceiver__decoder_error"),
    ("aiortc.rtcrtpreceiver.RemoteStreamTrack", "_queue"),
    ("aiortc.rtcrtpreceiver.RTCRtpReceiver", "_track"),
    # receiver_enabled
    ("aiortc.rtcrtpreceiver.RTCRtpReceiver", "_enabled"),
    # send_pli
    ("aiortc.rtcrtpreceiver.RTCRtpReceiver", "_send_rtcp_pli"),
    # intercept_receiver_rtcp: a publisher's sender reports arrive at its receiver
    ("aiortc.rtcrtpreceiver.RTCRtpReceiver", "_handle_rtcp_packet"),
    # send_receiver_rtcp, receiver_rtcp_ssrc: reports, REMB and NACK to a publisher
    ("aiortc.rtcrtpreceiver.RTCRtpReceiver", "_send_rtcp"),
    ("aiortc.rtcrtpreceiver.RTCRtpReceiver", "_RTCRtpReceiver__rtcp_ssrc"),
    # receiver_bitrate_estimate: the estimate a (decoding) receiver sends as REMB
    ("aiortc.rtcrtpreceiver.RTCRtpReceiver", "_RTCRtpReceiver__remote_bitrate_estimator"),
    # receiver_timestamp_origin: a received frame's pts back to its RTP timestamp (lip sync)
    ("aiortc.rtcrtpreceiver.RTCRtpReceiver", "_RTCRtpReceiver__timestamp_mapper"),
    # dtls_connected
    ("aiortc.rtcdtlstransport.RTCDtlsTransport", "_state"),
    ("aiortc.rtcdtlstransport.State", "CONNECTED"),
    # protect_rtp: the transport's outgoing SRTP session (a pylibsrtp Session)
    ("aiortc.rtcdtlstransport.RTCDtlsTransport", "_tx_srtp"),
    ("pylibsrtp.Session", "protect"),
    # nominated_pair: the ICE transport's aioice connection, its nominated pairs, and what the
    # forwarder reads from a pair
    ("aiortc.rtcicetransport.RTCIceTransport", "_connection"),
    ("aioice.ice.Connection", "_nominated"),
    ("aioice.ice.CandidatePair", "protocol"),
    ("aioice.ice.CandidatePair", "remote_addr"),
    # vp8_packetize
    ("aiortc.codecs.vpx.Vp8Encoder", "_packetize"),
    # player_queue_length, player_track_queue: frames aiortc's MediaPlayer decoded that its
    # track has not handed out
    ("aiortc.contrib.media.PlayerStreamTrack", "_queue"),
    # negotiate_transport_cc, negotiate_rtp_stream_ids: the header extensions and codecs
    # aiortc offers and accepts
    ("aiortc.codecs", "HEADER_EXTENSIONS"),
    ("aiortc.codecs", "CODECS"),
    # replace_player_decoding: the player looks this name up in its module when it starts
    ("aiortc.contrib.media", "player_worker_decode"),
    # wrap_receiver_decoders: a receiver's decoder thread looks this name up in its module
    ("aiortc.rtcrtpreceiver", "get_decoder"),
    # lighten_decoder_handoff: a receiver starts its decoder thread on this module's function
    ("aiortc.rtcrtpreceiver", "decoder_worker"),
    # replace_audio_jitter_buffers, replace_video_jitter_buffers: a receiver looks this name
    # up in its module when it is made
    ("aiortc.rtcrtpreceiver", "JitterBuffer"),
    # set_host_addresses: aioice looks this module-level function up when it gathers
    ("aioice.ice", "get_host_addresses"),
    # listening_sockets
    ("aiohttp.web_runner.BaseSite", "_server"),
    # restart_portaudio (sounddevice is optional: checked where it can be imported)
    ("sounddevice", "_terminate"),
    ("sounddevice", "_initialize"),
    # BatchReadingDatagrams: asyncio's selector datagram transport and the loop's factory
    ("asyncio.selector_events", "_SelectorDatagramTransport"),
    ("asyncio.selector_events._SelectorDatagramTransport", "_read_ready"),
    ("asyncio.selector_events._SelectorDatagramTransport", "_fatal_error"),
    ("asyncio.selector_events._SelectorDatagramTransport", "max_size"),
    ("asyncio.selector_events._SelectorDatagramTransport", "_sock"),
    ("asyncio.selector_events._SelectorDatagramTransport", "_conn_lost"),
    ("asyncio.selector_events._SelectorDatagramTransport", "_protocol"),
    ("asyncio.selector_events.BaseSelectorEventLoop", "_make_datagram_transport"),
)

# Libraries Runde runs without (an extra that may not be installed, or a missing system
# library): their attributes are checked only where they can be imported.
OPTIONAL_MODULES = ("sounddevice",)
