"""A browser's simulcast offer (RFC 8853 ``a=simulcast``, RFC 8851 ``a=rid``), read and answered.

A browser asked for several encodings of one camera (``sendEncodings`` with rids) offers one
video section with ``a=rid:X send`` lines and ``a=simulcast:send l;m;h``. It sends all of them
only if the answer accepts them (``a=rid:X recv``, ``a=simulcast:recv l;m;h``); otherwise it
sends the first alone. aiortc neither reads nor writes these lines, so the SFU reads them here
before aiortc sees the offer and adds them to aiortc's answer. Every layer arrives on one SSRC
of its own, named by the rid header extension (:mod:`client.sfu.simulcast_demux` sorts them).

The SFU takes simulcast of VP8 only (a layer's height is read from its keyframes) and only from
a sender that estimates its uplink with transport feedback: all layers share one link, and a
REMB per layer would be taken for the cap of the whole link, so the SFU sends none (the offer's
abs-send-time, which would feed one, is dropped). An offer it cannot take in layers is answered
for one layer; a malformed one is refused with one sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from client.sfu.offer_check import SdpError

MAX_LAYERS = 3  # as Runde's own cameras (720, 360, 180 rows)
RID_URI = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"
TRANSPORT_CC_URI = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"
ABS_SEND_TIME_URI = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"
_RID = re.compile(r"[A-Za-z0-9_-]{1,16}")
_RID_LINE = re.compile(r"a=rid:(\S+) (\S+)(?: .*)?$")
_EXTMAP = re.compile(r"a=extmap:\d+(?:/\w+)? (\S+)")
_NAME = "the SDP offer's video section"


@dataclass(frozen=True)
class SimulcastOffer:
    """The layers a publisher offers to send in one video section."""

    mid: str
    rids: tuple[str, ...]  # in the offer's order
    paused: frozenset[str] = frozenset()  # offered with ``~``: not sent at first


def read_simulcast(sdp: str) -> tuple[SimulcastOffer | None, str]:
    """The simulcast a publisher's (checked) offer asks for: (offer, "") when the SFU takes
    it, (None, why) when it answers for one layer instead, (None, "") without simulcast.
    Raises :class:`SdpError` on malformed simulcast lines."""
    sections = _media_sections(sdp.splitlines())
    found: tuple[list[str], str, str] | None = None
    for lines in sections:
        simulcast = [line for line in lines if line.startswith("a=simulcast:")]
        if not simulcast:
            continue
        kind = lines[0][2:].split(" ", 1)[0]
        if kind != "video":
            raise SdpError(f"the SDP offer's {kind} section asks for simulcast, which is for video")
        if len(simulcast) > 1 or found is not None:
            raise SdpError("the SDP offer has more than one a=simulcast line")
        mid = next((line[6:].strip() for line in lines if line.startswith("a=mid:")), "")
        found = lines, mid, simulcast[0]
    if found is None:
        return None, ""
    lines, mid, simulcast_line = found
    entries = _send_list(simulcast_line)
    rids = tuple(rid.lstrip("~") for rid in entries)
    _check_rids(rids, _rid_lines(lines))
    paused = frozenset(rid.lstrip("~") for rid in entries if rid.startswith("~"))
    offer = SimulcastOffer(mid, rids, paused)
    codec = _first_codec(lines)
    if codec != "vp8":
        return None, f"it sends {codec or 'no codec'}; the SFU takes simulcast of VP8 only"
    extensions = {m.group(1) for m in map(_EXTMAP.match, lines) if m}
    if RID_URI not in extensions:
        return None, "its video section lacks the rid header extension"
    if TRANSPORT_CC_URI not in extensions:
        return None, "its video section lacks transport-wide congestion control"
    return offer, ""


def _media_sections(lines: list[str]) -> list[list[str]]:
    starts = [i for i, line in enumerate(lines) if line.startswith("m=")]
    return [lines[a:b] for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]


def _first_codec(lines: list[str]) -> str:
    """The (lower-case) name of the codec a section lists first: the one it will send."""
    numbers = lines[0].split()[3:]
    if not numbers:
        return ""
    prefix = f"a=rtpmap:{numbers[0]} "
    rtpmap = next((line[len(prefix) :] for line in lines if line.startswith(prefix)), "")
    return rtpmap.split("/")[0].lower()


def _send_list(line: str) -> list[str]:
    """The rids (``~`` kept) of ``a=simulcast:send ...``, the first of each alternative."""
    words = line[len("a=simulcast:") :].split()
    directions = words[0::2]
    malformed = len(words) not in (2, 4) or len(set(directions)) < len(directions)
    if malformed or not set(directions) <= {"send", "recv"}:
        raise SdpError(f"the a=simulcast line of {_NAME} is malformed")
    if "send" not in directions:
        raise SdpError(f"{_NAME} asks to receive simulcast, but a publication only sends")
    send = words[words.index("send") + 1]
    streams = send.split(";")
    if len(streams) > MAX_LAYERS:
        raise SdpError(
            f"{_NAME} offers {len(streams)} simulcast layers; the meeting takes at most "
            f"{MAX_LAYERS}"
        )
    # a stream offered as alternatives (``a,b``) is taken as its first
    return [stream.split(",")[0] for stream in streams]


def _rid_lines(lines: list[str]) -> dict[str, str]:
    """rid -> direction of the section's ``a=rid`` lines."""
    rids: dict[str, str] = {}
    for line in lines:
        if not line.startswith("a=rid:"):
            continue
        match = _RID_LINE.match(line)
        if match is None or not _RID.fullmatch(match.group(1)):
            raise SdpError(f"an a=rid line of {_NAME} is malformed")
        if match.group(1) in rids:
            raise SdpError(f"{_NAME} has two a=rid lines for rid {match.group(1)}")
        rids[match.group(1)] = match.group(2)
    return rids


def _check_rids(rids: tuple[str, ...], declared: dict[str, str]) -> None:
    for rid in rids:
        if not _RID.fullmatch(rid):
            raise SdpError(f"the a=simulcast line of {_NAME} names a malformed rid")
        if rid not in declared:
            raise SdpError(f"the a=simulcast line of {_NAME} names rid {rid}, which has no a=rid")
        if declared[rid] != "send":
            raise SdpError(f"rid {rid} of {_NAME} is not offered for sending (a=rid:{rid} send)")
    if len(set(rids)) < len(rids):
        raise SdpError(f"the a=simulcast line of {_NAME} names a rid twice")


def without_abs_send_time(sdp: str, mid: str) -> str:
    """``sdp`` without the abs-send-time extension in the section ``mid``: a simulcast sender
    gets no REMB (see the module's docstring), so nothing is to be estimated from it."""
    lines = sdp.splitlines()
    kept = lines[: _first_media(lines)]
    for section in _media_sections(lines):
        if f"a=mid:{mid}" in section:
            section = [
                line
                for line in section
                if not ((m := _EXTMAP.match(line)) and m.group(1) == ABS_SEND_TIME_URI)
            ]
        kept += section
    return "\r\n".join(kept) + "\r\n"


def _first_media(lines: list[str]) -> int:
    return next((i for i, line in enumerate(lines) if line.startswith("m=")), len(lines))


def accept_in_answer(answer_sdp: str, offer: SimulcastOffer) -> str:
    """aiortc's answer with the layers of ``offer`` accepted in its video section ``mid``."""
    lines = answer_sdp.splitlines()
    head = lines[: _first_media(lines)]
    sections = _media_sections(lines)
    listed = ";".join(("~" if rid in offer.paused else "") + rid for rid in offer.rids)
    accepted = [*(f"a=rid:{rid} recv" for rid in offer.rids), f"a=simulcast:recv {listed}"]
    out = list(head)
    found = False
    for section in sections:
        if f"a=mid:{offer.mid}" in section:
            found = True
            # before the candidates, after the section's other attributes
            at = next(
                (i for i, line in enumerate(section) if line.startswith("a=candidate:")),
                len(section),
            )
            section = [*section[:at], *accepted, *section[at:]]
        out += section
    if not found:
        raise SdpError(f"the SDP answer has no video section with mid {offer.mid}")
    return "\r\n".join(out) + "\r\n"
