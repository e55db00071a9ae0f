"""client/compat/: the installed libraries still have what it needs, each shim does its job,
and no other code under client/ reaches into a library's private attributes."""

from __future__ import annotations

import ast
import asyncio
import importlib
import inspect
import re
import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import aioice
import aioice.ice
import pytest
from aiohttp import web
from aiortc import (
    RTCBundlePolicy,
    RTCConfiguration,
    RTCPeerConnection,
    RTCRtpTransceiver,
    VideoStreamTrack,
    clock,
)
from aiortc.codecs.vpx import VpxPayloadDescriptor
from aiortc.contrib.media import MediaPlayer
from aiortc.rtcrtpparameters import RTCRtpHeaderExtensionParameters, RTCRtpParameters
from aiortc.rtp import (
    RTCP_PSFB_APP,
    RTCP_PSFB_PLI,
    HeaderExtensionsMap,
    RtcpPsfbPacket,
    RtcpSrPacket,
    RtpPacket,
    pack_remb_fci,
    unpack_remb_fci,
)

from client import compat, compat_check
from client.compat import direct_rtp
from client.media.screen_encoder import use_screen_encoder
from tests.loopback_peers import run_on_loopback, until
from tests.udp_burst import DATAGRAMS, datagrams_read_while_busy

CLIENT = Path(__file__).resolve().parents[2] / "client"
SHIM = CLIENT / "compat"  # the shim: a package, a module per library area

# Libraries whose internals may only be touched in client/compat/.
THIRD_PARTY = {"aiortc", "aioice", "pylibsrtp", "av", "asyncio", "aiohttp", "sounddevice"}

# Private attribute accesses outside client/compat/ that are allowed although they are not
# on ``self``/``cls``: only on the project's own objects, each with the reason.
# Entries: (path relative to client/, the access as ast.unparse writes it).
ALLOWED_PRIVATE_ACCESS: frozenset[tuple[str, str]] = frozenset()


# --- the installed libraries -----------------------------------------------------------------


def test_no_attribute_the_shim_needs_is_missing() -> None:
    assert compat_check.missing_attributes() == []


def test_a_vanished_attribute_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        compat,
        "REQUIRED",
        (
            *compat.REQUIRED,
            ("aiortc.rtcrtpsender.RTCRtpSender", "_no_such_attribute"),
            ("aioice.ice", "no_such_function"),
            ("aioice.ice.NoSuchClass", "_x"),
            ("no_such_module_here", "_x"),
        ),
    )
    # an optional library that cannot be loaded is not checked
    monkeypatch.setitem(sys.modules, "sounddevice", None)
    assert compat_check.missing_attributes() == [
        "aiortc.rtcrtpsender.RTCRtpSender._no_such_attribute",
        "aioice.ice.no_such_function",
        "aioice.ice.NoSuchClass._x",
        "no_such_module_here._x",
    ]


# --- no private access outside the shim ------------------------------------------------------


def _client_sources() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(CLIENT.rglob("*.py")):
        if SHIM not in path.parents:
            yield str(path.relative_to(CLIENT)), ast.parse(path.read_text(), str(path))


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _third_party_names(tree: ast.Module) -> dict[str, str]:
    """Names a module binds by importing from THIRD_PARTY -> the dotted path they stand for."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in THIRD_PARTY:
                    if alias.asname:
                        names[alias.asname] = alias.name
                    else:
                        root = alias.name.split(".")[0]
                        names[root] = root
        elif (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.level == 0
            and node.module.split(".")[0] in THIRD_PARTY
        ):
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def test_no_private_attribute_is_touched_outside_the_shim() -> None:
    found: list[str] = []
    for path, tree in _client_sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and _is_private(node.attr):
                on_own = isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")
                if not on_own and (path, ast.unparse(node)) not in ALLOWED_PRIVATE_ACCESS:
                    found.append(f"client/{path}:{node.lineno}: {ast.unparse(node)}")
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("getattr", "setattr", "hasattr", "delattr")
                and len(node.args) > 1
                and isinstance(node.args[1], ast.Constant)
                and isinstance(node.args[1].value, str)
                and _is_private(node.args[1].value)
            ):
                found.append(f"client/{path}:{node.lineno}: {ast.unparse(node)}")
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                parts = node.module.split(".")
                if parts[0] in THIRD_PARTY and (
                    any(_is_private(p) for p in parts)
                    or any(_is_private(a.name) for a in node.names)
                ):
                    found.append(f"client/{path}:{node.lineno}: {ast.unparse(node)}")
    assert found == [], "use (or extend) client/compat/ instead"


def test_no_library_is_monkeypatched_outside_the_shim() -> None:
    found: list[str] = []
    for path, tree in _client_sources():
        imported = _third_party_names(tree)
        for node in ast.walk(tree):
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                targets = [node.target]
            elif isinstance(node, ast.Delete):
                targets = node.targets
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("setattr", "delattr")
                and node.args
            ):
                targets = [node.args[0]]
            for target in targets:
                if not isinstance(target, ast.Attribute) and not isinstance(node, ast.Call):
                    continue
                if _root_name(target) in imported:
                    found.append(f"client/{path}:{target.lineno}: {ast.unparse(node)[:80]}")
    assert found == [], "use (or extend) client/compat/ instead"


def _library_privates(cls: type) -> set[str]:
    """Private names a library class and its bases define or set on ``self``."""
    names: set[str] = set()
    for klass in cls.__mro__:
        if klass is object:
            continue
        names.update(n for n in vars(klass) if _is_private(n))
        try:
            source = inspect.getsource(klass)
        except (OSError, TypeError):
            continue
        names.update(n for n in re.findall(r"self\.(_\w+)", source) if _is_private(n))
    return names


def test_no_subclass_outside_the_shim_touches_a_library_base_class_private() -> None:
    """``self._x`` is the project's own, unless a library base class has ``_x`` too: then it
    overrides, reads or clobbers the library's (as overriding asyncio's ``_read_ready`` or
    calling aiortc's ``Vp8Encoder._packetize`` would)."""
    classes: dict[str, list[tuple[ast.ClassDef, dict[str, str]]]] = {}
    sources = list(_client_sources())
    for _, tree in sources:
        imported = _third_party_names(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                classes.setdefault(node.name, []).append((node, imported))
    for module in sorted(SHIM.glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.ClassDef):
                classes.setdefault(node.name, []).append((node, {}))

    def library_bases(cls: ast.ClassDef, imported: dict[str, str], seen: set[str]) -> list[type]:
        found: list[type] = []
        for base in cls.bases:
            root = _root_name(base)
            if root in imported:
                dotted = imported[root] + ast.unparse(base)[len(root) :]
                module_path, _, name = dotted.rpartition(".")
                try:
                    resolved = getattr(importlib.import_module(module_path), name)
                except (ImportError, AttributeError):
                    parts = dotted.split(".")
                    resolved = importlib.import_module(parts[0])
                    for part in parts[1:]:
                        resolved = getattr(resolved, part)
                if isinstance(resolved, type):
                    found.append(resolved)
            elif isinstance(base, ast.Name) and base.id in classes and base.id not in seen:
                for project_class, its_imports in classes[base.id]:
                    found += library_bases(project_class, its_imports, seen | {base.id})
        return found

    found: list[str] = []
    for path, tree in sources:
        imported = _third_party_names(tree)
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            bases = library_bases(cls, imported, {cls.name})
            if not bases:
                continue
            theirs = set().union(*(_library_privates(b) for b in bases))
            ours: dict[str, int] = {}
            for node in ast.walk(cls):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    ours.setdefault(node.name, node.lineno)
                elif (
                    isinstance(node, ast.Attribute)
                    and isinstance(node.value, ast.Name)
                    and node.value.id in ("self", "cls")
                ):
                    ours.setdefault(node.attr, node.lineno)
            for name in sorted(set(ours) & theirs):
                found.append(f"client/{path}:{ours[name]}: {cls.name}.{name}")
    assert found == [], "use (or extend) client/compat/ instead"


# --- each shim does its job ------------------------------------------------------------------


async def _negotiate(offerer: RTCPeerConnection, answerer: RTCPeerConnection) -> None:
    await offerer.setLocalDescription(await offerer.createOffer())
    await answerer.setRemoteDescription(offerer.localDescription)
    await answerer.setLocalDescription(await answerer.createAnswer())
    await offerer.setRemoteDescription(answerer.localDescription)


def _answering(answerer: RTCPeerConnection, transceiver: RTCRtpTransceiver) -> RTCRtpTransceiver:
    return next(t for t in answerer.getTransceivers() if t.mid == transceiver.mid)


def test_the_packet_path_shims_on_two_connected_peers() -> None:
    """Two aiortc peers on 127.0.0.1: RTP sent as the SFU's forwarder sends it arrives at an
    intercepted receiver, a PLI reaches an intercepted sender, a sender encodes with the
    encoder set on it."""

    async def scenario() -> None:
        config = RTCConfiguration(iceServers=[], bundlePolicy=RTCBundlePolicy.MAX_BUNDLE)
        offerer, answerer = RTCPeerConnection(config), RTCPeerConnection(config)
        try:
            raw = offerer.addTransceiver("video", direction="sendonly")
            camera = offerer.addTransceiver(VideoStreamTrack(), direction="sendonly")
            encoder = use_screen_encoder(camera.sender)  # compat.set_sender_encoder
            rtcp: list[Any] = []
            originals: list[Any] = []

            async def on_rtcp(packet: Any, original: Callable[[Any], Any]) -> None:
                rtcp.append(packet)
                originals.append(original)
                await original(packet)

            compat.intercept_rtcp(raw.sender, on_rtcp)
            await _negotiate(offerer, answerer)

            receiving = _answering(answerer, raw)
            rtp: asyncio.Queue[RtpPacket] = asyncio.Queue()

            arrivals: list[int] = []

            def on_rtp(packet: RtpPacket, arrival_time_ms: int) -> None:
                arrivals.append(arrival_time_ms)
                rtp.put_nowait(packet)

            compat.intercept_rtp(receiving.receiver, on_rtp)

            codecs = compat.transceiver_codecs(raw)
            assert codecs[0].mimeType == "video/VP8"
            assert codecs[0].payloadType is not None
            assert compat.transceiver_codecs(receiving)[0].mimeType == "video/VP8"

            ssrc = compat.sender_ssrc(raw.sender)
            assert f"a=ssrc:{ssrc} " in offerer.localDescription.sdp

            dtls = raw.sender.transport
            await until(lambda: compat.dtls_connected(dtls))
            pair = compat.nominated_pair(dtls)
            assert pair is not None
            assert pair.remote_addr[0] == "127.0.0.1"
            assert compat.receiver_enabled(receiving.receiver)

            payload = b"\x10\x00\x9d\x01\x2a" + bytes(50)
            # The first packet takes aiortc's queued path, the others come straight from the
            # socket (compat.direct_rtp): both arrive whole, in order, with aiortc's clock.
            for seq in range(4321, 4326):
                sent = RtpPacket(
                    payload_type=codecs[0].payloadType,
                    sequence_number=seq,
                    timestamp=90000,
                    ssrc=ssrc,
                    payload=payload,
                )
                data = sent.serialize()
                protected = compat.protect_rtp(dtls, data)
                assert protected != data and len(protected) > len(data)  # encrypted, tagged
                pair.protocol.transport.sendto(protected, pair.remote_addr)
                got = await asyncio.wait_for(rtp.get(), 5)
                assert (got.ssrc, got.sequence_number, got.payload) == (ssrc, seq, payload)
            assert receiving.receiver.transport in direct_rtp._direct_transports
            now_ms = clock.current_ms()
            assert all(now_ms - 5000 < at <= now_ms for at in arrivals)

            await compat.send_pli(receiving.receiver, ssrc)
            await until(
                lambda: any(
                    isinstance(p, RtcpPsfbPacket)
                    and p.fmt == RTCP_PSFB_PLI
                    and p.media_ssrc == ssrc
                    for p in rtcp
                )
            )
            assert all(getattr(o, "__self__", None) is raw.sender for o in originals)

            await until(lambda: encoder.keyframes > 0)  # aiortc encoded with our encoder
        finally:
            await offerer.close()
            await answerer.close()

    run_on_loopback(scenario)


def test_set_sender_encoder_refuses_a_sender_without_the_slot() -> None:
    with pytest.raises(RuntimeError, match="keeps its encoder elsewhere"):
        compat.set_sender_encoder(types.SimpleNamespace(), object())  # type: ignore[arg-type]


def test_vp8_packetize_splits_a_frame_into_payloads() -> None:
    data = bytes(range(256)) * 20
    payloads = compat.vp8_packetize(data, 300)
    assert len(payloads) > 1
    parsed = [VpxPayloadDescriptor.parse(p) for p in payloads]
    assert [d.partition_start for d, _ in parsed] == [1] + [0] * (len(payloads) - 1)
    assert {d.picture_id for d, _ in parsed} == {300}
    assert b"".join(chunk for _, chunk in parsed) == data


def test_player_queue_length_counts_what_the_player_decoded_ahead() -> None:
    player = MediaPlayer("sine=frequency=440:sample_rate=48000", format="lavfi")
    track = player.audio
    assert track is not None

    async def read_one_then_wait() -> int | None:
        try:
            await track.recv()  # starts the player's thread, which reads up to a second ahead
            await asyncio.sleep(0.5)
            return compat.player_queue_length(track)
        finally:
            track.stop()

    waiting = asyncio.run(read_one_then_wait())
    assert waiting is not None and waiting > 0
    assert compat.player_queue_length(VideoStreamTrack()) is None


def test_set_host_addresses_chooses_where_aioice_gathers() -> None:
    aioice_own = aioice.ice.get_host_addresses

    async def gather() -> list[str]:
        connection = aioice.Connection(ice_controlling=True)
        try:
            await connection.gather_candidates()
            return [c.host for c in connection.local_candidates]
        finally:
            await connection.close()

    compat.set_host_addresses(lambda use_ipv4, use_ipv6: ["127.0.0.1"])
    try:
        assert asyncio.run(gather()) == ["127.0.0.1"]
    finally:
        compat.set_host_addresses(None)
    assert aioice.ice.get_host_addresses is aioice_own


def test_listening_sockets_of_an_aiohttp_site() -> None:
    async def scenario() -> tuple[list[Any], list[int]]:
        runner = web.AppRunner(web.Application())
        await runner.setup()
        try:
            site = web.TCPSite(runner, "127.0.0.1", 0)
            before = compat.listening_sockets(site)
            await site.start()
            return before, [s.getsockname()[1] for s in compat.listening_sockets(site)]
        finally:
            await runner.cleanup()

    before, ports = asyncio.run(scenario())
    assert before == []
    assert ports and all(port > 0 for port in ports)


def test_restart_portaudio_terminates_then_initialises() -> None:
    calls: list[str] = []
    sd = types.ModuleType("sounddevice_stand_in")
    sd._terminate = lambda: calls.append("terminate")  # type: ignore[attr-defined]
    sd._initialize = lambda: calls.append("initialize")  # type: ignore[attr-defined]
    compat.restart_portaudio(sd)
    assert calls == ["terminate", "initialize"]


def test_batch_reading_datagrams_reads_what_waits() -> None:
    class Loop(compat.BatchReadingDatagrams, asyncio.SelectorEventLoop):
        max_datagrams_per_wakeup = 64

    loop = Loop()
    try:
        assert datagrams_read_while_busy(loop) == list(range(DATAGRAMS))
    finally:
        loop.close()


def test_wrap_receiver_decoders_wraps_what_a_receiver_decodes_with() -> None:
    import aiortc.rtcrtpreceiver
    from aiortc.codecs.base import Decoder
    from aiortc.rtcrtpparameters import RTCRtpCodecParameters

    # A headless participant earlier in this process may have wrapped it already: start
    # from aiortc's own, and leave it as found.
    found = aiortc.rtcrtpreceiver.get_decoder  # type: ignore[attr-defined]
    compat.wrap_receiver_decoders(None)
    aiortc_own = aiortc.rtcrtpreceiver.get_decoder  # type: ignore[attr-defined]
    vp8 = RTCRtpCodecParameters(mimeType="video/VP8", clockRate=90000, payloadType=96)
    wrapped: list[tuple[str, Decoder]] = []

    def wrap(codec: RTCRtpCodecParameters, decoder: Decoder) -> Decoder:
        wrapped.append((codec.mimeType, decoder))
        return decoder

    compat.wrap_receiver_decoders(wrap)
    try:
        decoder = aiortc.rtcrtpreceiver.get_decoder(vp8)  # type: ignore[attr-defined]
    finally:
        compat.wrap_receiver_decoders(None)
    restored = aiortc.rtcrtpreceiver.get_decoder  # type: ignore[attr-defined]
    aiortc.rtcrtpreceiver.get_decoder = found  # type: ignore[attr-defined]
    assert wrapped == [("video/VP8", decoder)]
    assert type(decoder).__name__ == "Vp8Decoder"
    assert restored is aiortc_own


def test_the_publisher_feedback_shims_on_two_connected_peers() -> None:
    """A receiver's RTCP SSRC, the sender reports that reach it (as the sender's rewrite left
    them), the RTCP it sends (a REMB reaches the sender), and the estimate a decoding receiver
    reports."""

    async def scenario() -> None:
        config = RTCConfiguration(iceServers=[], bundlePolicy=RTCBundlePolicy.MAX_BUNDLE)
        offerer, answerer = RTCPeerConnection(config), RTCPeerConnection(config)
        try:
            camera = offerer.addTransceiver(VideoStreamTrack(), direction="sendonly")
            at_sender: list[Any] = []

            async def on_sender_rtcp(packet: Any, original: Callable[[Any], Any]) -> None:
                at_sender.append(packet)
                await original(packet)

            compat.intercept_rtcp(camera.sender, on_sender_rtcp)

            def rewrite(packets: list[Any]) -> list[Any]:
                for packet in packets:
                    if isinstance(packet, RtcpSrPacket):
                        packet.sender_info.packet_count = 424242
                return packets

            compat.rewrite_sender_rtcp(camera.sender, rewrite)
            await _negotiate(offerer, answerer)
            receiving = _answering(answerer, camera)
            at_receiver: list[Any] = []

            async def on_receiver_rtcp(packet: Any, original: Callable[[Any], Any]) -> None:
                at_receiver.append(packet)
                await original(packet)

            compat.intercept_receiver_rtcp(receiving.receiver, on_receiver_rtcp)
            assert compat.receiver_rtcp_ssrc(receiving.receiver) == compat.sender_ssrc(
                receiving.sender
            )
            ssrc = compat.sender_ssrc(camera.sender)
            await until(lambda: any(isinstance(p, RtcpSrPacket) for p in at_receiver))
            reports = [p for p in at_receiver if isinstance(p, RtcpSrPacket)]
            assert all(p.sender_info.packet_count == 424242 for p in reports)

            remb = RtcpPsfbPacket(
                fmt=RTCP_PSFB_APP,
                ssrc=compat.receiver_rtcp_ssrc(receiving.receiver) or 0,
                media_ssrc=0,
                fci=pack_remb_fci(123_456, [ssrc]),
            )
            await compat.send_receiver_rtcp(receiving.receiver, remb)
            await until(
                lambda: any(
                    isinstance(p, RtcpPsfbPacket)
                    and p.fmt == RTCP_PSFB_APP
                    and unpack_remb_fci(p.fci) == (123_456, [ssrc])
                    for p in at_sender
                )
            )
            assert compat.receiver_bitrate_estimate(offerer.getTransceivers()[0].receiver) is None
            first = await receiving.receiver.track.recv()  # pts: from the stream's first frame
            origin = compat.receiver_timestamp_origin(receiving.receiver)
            assert isinstance(origin, int) and first.pts is not None
            assert compat.receiver_timestamp_origin(offerer.getTransceivers()[0].receiver) is None
            await until(lambda: compat.receiver_bitrate_estimate(receiving.receiver) is not None)
            estimate = compat.receiver_bitrate_estimate(receiving.receiver)
            assert estimate is not None and estimate > 0
        finally:
            await offerer.close()
            await answerer.close()

    run_on_loopback(scenario)


def test_negotiate_rtp_stream_ids_makes_an_answer_name_the_simulcast_extensions() -> None:
    """After the shim an aiortc answer takes the rid and repaired-rid extensions at the
    offer's ids, and a packet stamped with them is read back with its rid."""
    compat.negotiate_rtp_stream_ids()
    compat.negotiate_rtp_stream_ids()  # idempotent: each extension listed once

    async def scenario() -> str:
        config = RTCConfiguration(iceServers=[], bundlePolicy=RTCBundlePolicy.MAX_BUNDLE)
        offerer, answerer = RTCPeerConnection(config), RTCPeerConnection(config)
        try:
            offerer.addTransceiver("video", direction="sendonly")
            await _negotiate(offerer, answerer)
            sdp: str = answerer.localDescription.sdp
            return sdp
        finally:
            await offerer.close()
            await answerer.close()

    answer = asyncio.run(scenario())
    for uri, extension_id in zip(
        compat.RTP_STREAM_ID_URIS, compat.RTP_STREAM_ID_EXTENSION_IDS, strict=True
    ):
        assert answer.count(f"a=extmap:{extension_id} {uri}") == 1, answer
    extensions_map = HeaderExtensionsMap()
    extensions_map.configure(
        RTCRtpParameters(
            headerExtensions=[
                RTCRtpHeaderExtensionParameters(id=i, uri=u)
                for u, i in zip(
                    compat.RTP_STREAM_ID_URIS, compat.RTP_STREAM_ID_EXTENSION_IDS, strict=True
                )
            ]
        )
    )
    packet = RtpPacket(payload_type=96, sequence_number=1, ssrc=5)
    packet.extensions.rtp_stream_id = "h"
    parsed = RtpPacket.parse(packet.serialize(extensions_map), extensions_map)
    assert parsed.extensions.rtp_stream_id == "h"


def test_replace_video_jitter_buffers_gives_video_receivers_their_buffer() -> None:
    from aiortc.rtp import RtpPacket

    from client.media import receive_path
    from client.media.video_jitter import VideoJitterBuffer

    made: list[int] = []

    def factory(capacity: int) -> VideoJitterBuffer:
        made.append(capacity)
        return VideoJitterBuffer(capacity)

    async def receivers() -> None:
        pc = RTCPeerConnection()
        pc.addTransceiver("video")
        pc.addTransceiver("audio")
        await pc.close()

    compat.replace_video_jitter_buffers(factory)
    try:
        asyncio.run(receivers())
    finally:  # as a headless participant earlier in this process may have left it
        compat.replace_video_jitter_buffers(VideoJitterBuffer if receive_path._installed else None)
    assert made == [512]  # the video receiver's, with aiortc's capacity; not the audio one's
    packet = RtpPacket(payload=b"\x90\x80\x01")
    assert compat.depayloaded(packet) == b""  # not received: nothing depayloaded
    packet._data = b"vp8"  # as aiortc's receiver sets it
    assert compat.depayloaded(packet) == b"vp8"
