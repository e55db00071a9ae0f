"""Whether the installed libraries still have every private attribute :mod:`client.compat`
uses (its :data:`~client.compat.REQUIRED` list); run by ``tests/unit/test_compat.py``."""

from __future__ import annotations

import asyncio
import concurrent.futures
import importlib

import aioice.ice

from client import compat


def missing_attributes() -> list[str]:
    """``module.Class.attribute`` for each entry of :data:`REQUIRED` the installed libraries
    lack; empty when the shim fits them. Makes a few objects to look at (an unconnected
    RTCPeerConnection, an aioice connection, a UDP socket on 127.0.0.1 in a thread)."""
    specimens: dict[str, object] | None = None
    missing: list[str] = []
    for owner_path, attribute in compat.REQUIRED:
        try:
            owner = _resolve(owner_path)
        except (ImportError, OSError):
            if owner_path.split(".")[0] in compat.OPTIONAL_MODULES:
                continue
            missing.append(f"{owner_path}.{attribute}")
            continue
        except AttributeError:
            missing.append(f"{owner_path}.{attribute}")
            continue
        if hasattr(owner, attribute):
            continue
        if isinstance(owner, type):
            if specimens is None:
                specimens = _specimens()
            specimen = specimens.get(owner_path)
            if specimen is not None and hasattr(specimen, attribute):
                continue
        missing.append(f"{owner_path}.{attribute}")
    return missing


def _resolve(path: str) -> object:
    """A module, or an attribute of one, from a dotted path."""
    parts = path.split(".")
    for split in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:split]))
        except ModuleNotFoundError:
            if split == 1:
                raise
            continue
        for name in parts[split:]:
            found = getattr(found, name)
        return found
    raise ImportError(path)  # not reached: split == 1 either returns or raises


def _specimens() -> dict[str, object]:
    """Fresh objects of the classes whose attributes are set in ``__init__``.

    Made on a loop of their own in a thread of their own: aiortc's sender takes the current
    loop when it is made, and a loop may already be running in the caller's thread.
    """
    loop = asyncio.SelectorEventLoop()
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as executor:
            return executor.submit(loop.run_until_complete, _make_specimens()).result()
    finally:
        loop.close()


async def _make_specimens() -> dict[str, object]:
    from aiortc import RTCPeerConnection
    from aiortc.contrib.media import PlayerStreamTrack
    from aiortc.rtcrtpreceiver import RemoteStreamTrack

    found: dict[str, object] = {}
    pc = RTCPeerConnection()
    transceiver = pc.addTransceiver("video")
    dtls = transceiver.sender.transport
    found["aiortc.rtcrtptransceiver.RTCRtpTransceiver"] = transceiver
    found["aiortc.rtcrtpsender.RTCRtpSender"] = transceiver.sender
    found["aiortc.rtcrtpreceiver.RTCRtpReceiver"] = transceiver.receiver
    found["aiortc.rtcrtpreceiver.RemoteStreamTrack"] = RemoteStreamTrack(kind="audio")
    found["aiortc.rtcdtlstransport.RTCDtlsTransport"] = dtls
    found["aiortc.rtcicetransport.RTCIceTransport"] = dtls.transport
    found["aioice.ice.Connection"] = aioice.ice.Connection(ice_controlling=True)
    found["aiortc.contrib.media.PlayerStreamTrack"] = PlayerStreamTrack(None, kind="audio")  # type: ignore[arg-type]
    candidate = aioice.Candidate("1", 1, "udp", 1, "127.0.0.1", 9, "host")
    found["aioice.ice.CandidatePair"] = aioice.ice.CandidatePair(None, candidate)  # type: ignore[arg-type]
    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_datagram_endpoint(
        asyncio.DatagramProtocol, local_addr=("127.0.0.1", 0)
    )
    found["asyncio.selector_events._SelectorDatagramTransport"] = transport
    transport.close()
    await pc.close()
    await asyncio.sleep(0)  # the transport closes its socket
    return found
