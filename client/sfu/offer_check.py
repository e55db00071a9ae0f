"""Reads a participant's SDP before aiortc does: refuses what the SFU cannot use, keeps its codecs.

aiortc picks the codecs inside ``setRemoteDescription`` (in the order the remote side lists
them) and raises assorted exceptions on odd SDP. So the SFU checks the text first, answers every
problem with one sentence, and hands aiortc an offer that lists only the codecs it forwards.
Among those the sender's order stays: every receiver gets what a sender sends, so a sender that
prefers H.264 (set by its administrator, or for a hardware encoder) sends H.264.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from aiortc.codecs import CODECS
from aiortc.rtcpeerconnection import is_codec_compatible
from aiortc.rtcrtpparameters import RTCRtpCodecParameters
from aiortc.sdp import MediaDescription, SessionDescription

logger = logging.getLogger(__name__)


class SdpError(ValueError):
    """An offer or answer the SFU cannot use; the text goes back to the participant."""


# The codecs the SFU forwards (it must spot keyframes of each video codec).
FORWARDED_CODECS = {"audio": ("opus",), "video": ("vp8", "h264")}
CODEC_NAMES = {"audio": "Opus", "video": "VP8 or H.264"}
# A publication is at most one audio and one video section; a subscription offer the same.
MAX_MEDIA_SECTIONS = 2
# Chromium's offer has about 160 lines with its candidates; more is room for padding that
# only costs the SFU parsing time (aiortc's parser is ~15 µs a line, a refusal bisects).
MAX_LINES = 400
# The SFU sends connectivity checks to every candidate: a long list would aim it elsewhere.
MAX_CANDIDATES = 32
FINGERPRINT_BYTES = {"sha-256": 32, "sha-384": 48, "sha-512": 64}
ACCEPTED_DIRECTIONS = {"offer": ("sendonly", "sendrecv"), "answer": ("recvonly", "sendrecv")}
# DTLS roles as aiortc parses a=setup: an offer must leave the choice to the SFU.
ACCEPTED_DTLS_ROLES = {"offer": ("auto",), "answer": ("client", "server")}

_CODEC_LINE = re.compile(r"a=(rtpmap|fmtp|rtcp-fb):(\S*)")
_MEDIA_LINE = re.compile(r"m=(\S+) (\d+)(?:/\d+)? (\S+)((?: \S+)+)$")
_LINE_LABEL = re.compile(r"[a-z]=[A-Za-z0-9-]{0,30}")


@dataclass(frozen=True)
class _Section:
    """One media section as the participant wrote it."""

    number: int  # 1-based, for sentences
    kind: str
    lines: list[str]

    def name(self, what: str) -> str:
        if self.kind in FORWARDED_CODECS:
            return f"the SDP {what}'s {self.kind} section"
        return f"media section {self.number} of the SDP {what}"


def prepare_offer(sdp: str, layer_mids: Sequence[str] = ()) -> str:
    """A publisher's offer, checked, with only the forwarded codecs. ``layer_mids`` (a camera
    sent in layers) are the mids of its video sections: exactly those, one each."""
    return _prepare(sdp, "offer", layer_mids)


def prepare_answer(sdp: str) -> str:
    """A subscriber's answer, checked, with only the forwarded codecs."""
    return _prepare(sdp, "answer")


def _prepare(sdp: str, what: str, layer_mids: Sequence[str] = ()) -> str:
    lines = sdp.splitlines()
    session_lines, sections = _split(lines, what, len(layer_mids))
    description = _parse(lines, what)
    try:
        _check_media(description, sections, what)
        if layer_mids:
            _check_layers(description, layer_mids, what)
        _check_transport(description, sections, what)
        rebuilt = list(session_lines)
        for section, media in zip(sections, description.media, strict=True):
            rebuilt += _keep_forwarded_codecs(section, media, what)
    except SdpError:
        raise
    except Exception as exc:  # a parsed value of a type nobody expected: still a bad SDP
        logger.warning("an SDP %s tripped its check: %s", what, type(exc).__name__)
        raise SdpError(f"the SDP {what} could not be read") from None
    return "\r\n".join(rebuilt) + "\r\n"


def _split(lines: list[str], what: str, layers: int = 0) -> tuple[list[str], list[_Section]]:
    """Session lines and media sections, their m= lines, numbers and candidates checked."""
    media_starts = [i for i, line in enumerate(lines) if line.startswith("m=")]
    if not media_starts:
        raise SdpError(f"the SDP {what} contains no audio or video section")
    if layers and len(media_starts) > 1 + layers:
        raise SdpError(
            f"the SDP {what} has {len(media_starts)} media sections; "
            f"a camera in {layers} layers takes at most one audio and {layers} video sections"
        )
    if not layers and len(media_starts) > MAX_MEDIA_SECTIONS:
        raise SdpError(
            f"the SDP {what} has {len(media_starts)} media sections; "
            "the meeting takes at most one audio and one video section"
        )
    if len(lines) > MAX_LINES:
        raise SdpError(f"the SDP {what} has more than {MAX_LINES} lines")
    sections = []
    for number, (start, end) in enumerate(
        zip(media_starts, [*media_starts[1:], len(lines)], strict=True), start=1
    ):
        match = _MEDIA_LINE.match(lines[start])
        if match is None:
            raise SdpError(f"the m= line of media section {number} of the SDP {what} is malformed")
        section = _Section(number, match.group(1), lines[start:end])
        if section.kind not in FORWARDED_CODECS:
            raise SdpError(f"{section.name(what)} is neither audio nor video")
        _check_numbers(section, match.group(4).split(), what)
        if sum(line.startswith("a=candidate:") for line in section.lines) > MAX_CANDIDATES:
            raise SdpError(f"{section.name(what)} has more than {MAX_CANDIDATES} ICE candidates")
        sections.append(section)
    kinds = [s.kind for s in sections if not (layers and s.kind == "video")]
    if len(set(kinds)) < len(kinds):
        raise SdpError(
            f"the SDP {what} has two {kinds[0]} sections; "
            "the meeting takes at most one audio and one video section"
        )
    return lines[: media_starts[0]], sections


def _check_numbers(section: _Section, listed: list[str], what: str) -> None:
    """Payload types in 0..127 (aiortc would fail on others), each listed and mapped once."""
    codec_lines = [m for m in map(_CODEC_LINE.match, section.lines) if m]
    numbers = listed + [m.group(2) for m in codec_lines if m.group(2) != "*"]
    if not all(re.fullmatch("[0-9]{1,3}", n) and int(n) <= 127 for n in numbers):
        raise SdpError(f"{section.name(what)} uses payload types outside 0 to 127")
    mapped = [int(m.group(2)) for m in codec_lines if m.group(1) == "rtpmap"]
    if len(set(map(int, listed))) < len(listed) or len(set(mapped)) < len(mapped):
        raise SdpError(f"{section.name(what)} lists or maps a payload type twice")


def _parse(lines: list[str], what: str) -> SessionDescription:
    try:
        return SessionDescription.parse("\r\n".join(lines))
    except Exception:  # aiortc's parser raises whatever the line gives it
        bad = _first_unreadable_line(lines)
        label = _LINE_LABEL.match(lines[bad])
        where = f" ({label.group(0)})" if label else ""
        raise SdpError(f"line {bad + 1}{where} of the SDP {what} could not be read") from None


def _first_unreadable_line(lines: list[str]) -> int:
    """The line whose addition makes the text unreadable (bisecting over prefixes)."""
    readable, unreadable = 0, len(lines)
    while unreadable - readable > 1:
        middle = (readable + unreadable) // 2
        try:
            SessionDescription.parse("\r\n".join(lines[:middle]))
            readable = middle
        except Exception:
            unreadable = middle
    return unreadable - 1


def _check_media(description: SessionDescription, sections: list[_Section], what: str) -> None:
    mids: set[str] = set()
    for section, media in zip(sections, description.media, strict=True):
        name = section.name(what)
        accepted = " or ".join(ACCEPTED_DIRECTIONS[what])
        if media.direction is None:  # aiortc cannot answer a section without one
            raise SdpError(f"{name} states no direction; it must be {accepted}")
        if media.direction not in ACCEPTED_DIRECTIONS[what]:
            raise SdpError(f"{name} is {media.direction}; it must be {accepted}")
        mid = media.rtp.muxId
        if not mid:
            raise SdpError(f"{name} has no a=mid line")
        if mid in mids:
            raise SdpError(f"two media sections of the SDP {what} have the same a=mid")
        mids.add(mid)
    # aiortc bundles on the group's first mid; a group naming a missing section leaves
    # the real sections without a transport.
    for group in description.group:
        if group.semantic == "BUNDLE" and not set(map(str, group.items)) <= mids:
            raise SdpError(f"the SDP {what}'s a=group:BUNDLE names a media section it lacks")


def _check_layers(description: SessionDescription, layer_mids: Sequence[str], what: str) -> None:
    """The video sections are the declared layers, each once (their mids are unique)."""
    video_mids = {str(m.rtp.muxId) for m in description.media if m.kind == "video"}
    missing = [mid for mid in layer_mids if mid not in video_mids]
    if missing:
        raise SdpError(
            f"the layers name mid {missing[0]}, which is no video section of the SDP {what}"
        )
    extra = sorted(video_mids - set(layer_mids))
    if extra:
        raise SdpError(f"the video section with mid {extra[0]} of the SDP {what} is no layer")


def _check_transport(description: SessionDescription, sections: list[_Section], what: str) -> None:
    for section, media in zip(sections, description.media, strict=True):
        name = section.name(what)
        if media.ice is None or not media.ice.usernameFragment or not media.ice.password:
            raise SdpError(f"{name} has no ICE credentials (a=ice-ufrag and a=ice-pwd)")
        if not media.rtcp_mux:
            raise SdpError(f"{name} lacks a=rtcp-mux, which the meeting requires")
        if media.dtls is None:
            raise SdpError(f"{name} has no a=setup line")
        if media.dtls.role not in ACCEPTED_DTLS_ROLES[what]:
            setup = "actpass" if what == "offer" else "active or passive"
            raise SdpError(f"{name} must say a=setup:{setup}")
        if not media.dtls.fingerprints:
            raise SdpError(
                f"{name} has no DTLS fingerprint; the meeting needs sha-256, sha-384 or sha-512"
            )
        for fingerprint in media.dtls.fingerprints:
            algorithm = fingerprint.algorithm.lower()
            size = FINGERPRINT_BYTES.get(algorithm)
            if size is None:
                raise SdpError(
                    f"{name} has a DTLS fingerprint of a kind the meeting does not accept; "
                    "use sha-256, sha-384 or sha-512"
                )
            pattern = rf"[0-9A-Fa-f]{{2}}(?::[0-9A-Fa-f]{{2}}){{{size - 1}}}"
            if not re.fullmatch(pattern, fingerprint.value):
                raise SdpError(f"{name} has a malformed {algorithm} DTLS fingerprint")


def _forwarded_codecs(media: MediaDescription) -> list[RTCRtpCodecParameters]:
    """The codecs of ``media`` the SFU forwards, each followed by its RTX, in the sender's order."""
    listed = [c for c in media.rtp.codecs if c.payloadType in media.fmt]
    preferred = FORWARDED_CODECS[media.kind]

    primaries = [
        c
        for c in listed
        if c.mimeType.split("/")[-1].lower() in preferred
        and any(_compatible(local, c) for local in CODECS[media.kind])
    ]
    kept = []
    for primary in primaries:
        kept.append(primary)
        kept += [c for c in listed if _repairs(c, primary)][:1]
    return kept


def _compatible(local: RTCRtpCodecParameters, remote: RTCRtpCodecParameters) -> bool:
    try:
        return is_codec_compatible(local, remote)
    except Exception:  # e.g. an H.264 packetization-mode without a value
        return False


def _repairs(codec: RTCRtpCodecParameters, primary: RTCRtpCodecParameters) -> bool:
    return (
        codec.mimeType.lower().endswith("/rtx")
        and codec.parameters.get("apt") == primary.payloadType
        and codec.clockRate == primary.clockRate
    )


def _keep_forwarded_codecs(section: _Section, media: MediaDescription, what: str) -> list[str]:
    """The section's lines with only the forwarded codecs."""
    kept = _forwarded_codecs(media)
    if not any(not c.mimeType.lower().endswith("/rtx") for c in kept):
        raise SdpError(
            f"the SDP {what}'s {media.kind} has no codec the meeting supports: "
            f"{CODEC_NAMES[media.kind]}"
        )
    numbers = [str(c.payloadType) for c in kept]
    per_codec: dict[str, list[str]] = {n: [] for n in numbers}
    lines: list[str] = []
    codec_lines_at: int | None = None
    for line in section.lines[1:]:
        match = _CODEC_LINE.match(line)
        if match is None or match.group(2) == "*":
            lines.append(line)
            continue
        if codec_lines_at is None:
            codec_lines_at = len(lines)
        number = str(int(match.group(2)))  # digits: checked in _split
        if number in per_codec:
            per_codec[number].append(line)
    ordered = [line for n in numbers for line in per_codec[n]]
    at = len(lines) if codec_lines_at is None else codec_lines_at
    head = section.lines[0].split(" ")[:3]
    return [" ".join([*head, *numbers]), *lines[:at], *ordered, *lines[at:]]
