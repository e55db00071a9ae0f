"""Malformed and hostile SDP offers, made from a realistic Chromium 156 offer.

Each entry is (name, offer text, words the SFU's refusal must contain).
"""

from __future__ import annotations

import re
from pathlib import Path

CHROMIUM_OFFER = (Path(__file__).parent / "media" / "chromium_156_offer.sdp").read_bytes().decode()


def sections(sdp: str) -> tuple[list[str], list[list[str]]]:
    """The session lines and each media section's lines."""
    head: list[str] = []
    media: list[list[str]] = []
    for line in sdp.splitlines():
        if line.startswith("m="):
            media.append([line])
        elif media:
            media[-1].append(line)
        else:
            head.append(line)
    return head, media


def join(head: list[str], media: list[list[str]]) -> str:
    return "\r\n".join(head + [line for section in media for line in section]) + "\r\n"


def only_codecs(sdp: str, kind: str, payload_types: list[str]) -> str:
    """``sdp`` with the ``kind`` section listing only ``payload_types``."""
    head, media = sections(sdp)
    for section in media:
        if not section[0].startswith(f"m={kind} "):
            continue
        fields = section[0].split(" ")[:3]
        section[0] = " ".join([*fields, *payload_types])
        section[1:] = [
            line
            for line in section[1:]
            if not (m := re.match(r"a=(?:rtpmap|fmtp|rtcp-fb):(\d+)", line))
            or m.group(1) in payload_types
        ]
    return join(head, media)


def many_sections(sdp: str, count: int) -> str:
    """``sdp`` with video sections added up to ``count``, each kept small (VP8 only, no
    header extensions or SSRCs) so the whole fits in one signaling message."""
    head, media = sections(only_codecs(sdp, "video", ["96"]))
    video = [line for line in media[1] if not line.startswith(("a=extmap", "a=ssrc"))]
    extra = [[line.replace("a=mid:1", f"a=mid:{n}") for line in video] for n in range(2, count)]
    return join(head, [*media, *extra])


def one_byte_changed(sdp: str, anchor: str, offset: int, byte: str) -> str:
    """``sdp`` with the character ``offset`` after the first ``anchor`` replaced by ``byte``."""
    at = sdp.index(anchor) + offset
    return sdp[:at] + byte + sdp[at + 1 :]


def add_to_audio(sdp: str, lines: list[str]) -> str:
    head, media = sections(sdp)
    media[0] += lines
    return join(head, media)


def add_to_video(sdp: str, lines: list[str]) -> str:
    head, media = sections(sdp)
    media[1] += lines
    return join(head, media)


FOUR_RIDS = [f"a=rid:{rid} send" for rid in "abcd"]


# As if aimed at many other hosts; loopback, so nothing leaves the machine should one pass.
CANDIDATES = [f"a=candidate:{n} 1 udp 2122260223 127.0.0.{n} 9 typ host" for n in range(1, 41)]

_FINGERPRINT = re.search(r"a=fingerprint:sha-256 (\S+)", CHROMIUM_OFFER)
assert _FINGERPRINT is not None
SHA256 = _FINGERPRINT.group(1)

HOSTILE_OFFERS: list[tuple[str, str, str]] = [
    ("vp9 only", only_codecs(CHROMIUM_OFFER, "video", ["98", "99"]), "VP8 or H.264"),
    ("av1 and red only", only_codecs(CHROMIUM_OFFER, "video", ["45", "46", "119"]), "VP8"),
    ("g722 pcmu pcma only", only_codecs(CHROMIUM_OFFER, "audio", ["9", "0", "8"]), "Opus"),
    (
        "payload type 999",
        CHROMIUM_OFFER.replace("SAVPF 111 ", "SAVPF 999 ").replace(":111 ", ":999 "),
        "0 to 127",
    ),
    (
        "payload type -1",
        CHROMIUM_OFFER.replace("SAVPF 111 ", "SAVPF -1 ").replace(":111 ", ":-1 "),
        "0 to 127",
    ),
    (
        "rtpmap only payload type 999",
        CHROMIUM_OFFER.replace("a=rtpmap:13 ", "a=rtpmap:999 "),
        "0 to 127",
    ),
    ("duplicate mids", CHROMIUM_OFFER.replace("a=mid:1", "a=mid:0"), "same a=mid"),
    ("no mid", CHROMIUM_OFFER.replace("a=mid:1\r\n", ""), "no a=mid"),
    ("recvonly", CHROMIUM_OFFER.replace("a=sendonly", "a=recvonly"), "recvonly"),
    ("inactive", CHROMIUM_OFFER.replace("a=sendonly", "a=inactive"), "inactive"),
    (
        "no fingerprint",
        "".join(x for x in CHROMIUM_OFFER.splitlines(True) if "fingerprint" not in x),
        "no DTLS fingerprint",
    ),
    (
        "md5 fingerprint",
        CHROMIUM_OFFER.replace(f"sha-256 {SHA256}", "md5 " + ":".join(["AB"] * 16)),
        "sha-256",
    ),
    ("garbage fingerprint", CHROMIUM_OFFER.replace(SHA256, "not-a-fingerprint"), "malformed"),
    ("short fingerprint", CHROMIUM_OFFER.replace(SHA256, SHA256[:-3]), "malformed"),
    ("50 m-lines", many_sections(CHROMIUM_OFFER, 50), "50 media sections"),
    (
        "a payload type mapped twice",
        CHROMIUM_OFFER.replace("a=rtpmap:13 CN/8000", "a=rtpmap:111 CN/8000"),
        "twice",
    ),
    ("500 lines", add_to_audio(CHROMIUM_OFFER, ["a=rtcp-fb:111 nack"] * 340), "400 lines"),
    ("40 candidates", add_to_audio(CHROMIUM_OFFER, CANDIDATES), "ICE candidates"),
    ("two video sections", CHROMIUM_OFFER.replace("m=audio", "m=video"), "two video"),
    (
        "application section",
        CHROMIUM_OFFER.replace("m=audio 9 UDP/TLS/RTP/SAVPF", "m=application 9 UDP/DTLS/SCTP"),
        "neither audio nor video",
    ),
    ("no rtcp-mux", CHROMIUM_OFFER.replace("a=rtcp-mux\r\n", ""), "rtcp-mux"),
    ("no ice password", CHROMIUM_OFFER.replace("a=ice-pwd:", "a=ice-pwx:"), "ICE credentials"),
    (
        "setup active in an offer",
        CHROMIUM_OFFER.replace("a=setup:actpass", "a=setup:active"),
        "actpass",
    ),
    ("no media", join(sections(CHROMIUM_OFFER)[0], []), "no audio or video"),
    ("only a version line", "v=0\r\n", "no audio or video"),
    # One byte changed in a browser's offer, at places that matter:
    ("byte in fingerprint", one_byte_changed(CHROMIUM_OFFER, SHA256, 4, "Z"), "malformed"),
    ("byte in setup", one_byte_changed(CHROMIUM_OFFER, "a=setup:actpass", 14, "z"), "a=setup"),
    ("byte in rtpmap", one_byte_changed(CHROMIUM_OFFER, "opus/48000/2", 11, "x"), "a=rtpmap"),
    ("byte in m-line", one_byte_changed(CHROMIUM_OFFER, "SAVPF 96 97", 7, "x"), "0 to 127"),
    ("byte in rtcp-mux", one_byte_changed(CHROMIUM_OFFER, "a=rtcp-mux", 7, "o"), "rtcp-mux"),
    ("byte in fmtp", one_byte_changed(CHROMIUM_OFFER, "a=fmtp:97 apt=96", 8, "x"), "0 to 127"),
    (
        "byte in candidate",
        one_byte_changed(CHROMIUM_OFFER, "udp 2122260223", 5, "x"),
        "a=candidate",
    ),
]

# Refused where the SFU reads simulcast (after the checks above, before aiortc answers).
HOSTILE_SIMULCAST_OFFERS: list[tuple[str, str, str]] = [
    (
        "simulcast of an undeclared rid",
        add_to_video(CHROMIUM_OFFER, ["a=rid:l send", "a=simulcast:send l;x"]),
        "names rid x, which has no a=rid",
    ),
    (
        "four simulcast layers",
        add_to_video(CHROMIUM_OFFER, [*FOUR_RIDS, "a=simulcast:send a;b;c;d"]),
        "offers 4 simulcast layers",
    ),
    (
        "simulcast of sound",
        add_to_audio(CHROMIUM_OFFER, ["a=rid:l send", "a=simulcast:send l"]),
        "audio section asks for simulcast",
    ),
]
