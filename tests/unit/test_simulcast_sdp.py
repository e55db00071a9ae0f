"""client/sfu/simulcast.py and peers.py: a browser's simulcast offer, read and answered.

The offer is Chromium 156's own (``addTransceiver`` with ``sendEncodings`` l, m, h), taken from
a headless browser; variants of it are made by editing its lines.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from client.netconfig import NetworkSettings
from client.protocol.messages import VideoLayer
from client.sfu.offer_check import SdpError, prepare_offer
from client.sfu.peers import Publication, accept_publication
from client.sfu.simulcast import (
    ABS_SEND_TIME_URI,
    SimulcastOffer,
    accept_in_answer,
    read_simulcast,
    without_abs_send_time,
)

OFFER = (
    (Path(__file__).parents[1] / "media" / "chromium_156_simulcast_offer.sdp").read_bytes().decode()
)
SIMULCAST_LINE = "a=simulcast:send l;m;h"
# a codec the SFU does not forward in VP8's place: the browser's next choice is H.264
VP8, NOT_VP8 = "a=rtpmap:96 VP8/90000", "a=rtpmap:96 X-VP8/90000"


def _edit(old: str, new: str, sdp: str = OFFER) -> str:
    assert old in sdp, old
    return sdp.replace(old, new)


def _read(sdp: str) -> tuple[SimulcastOffer | None, str]:
    return read_simulcast(prepare_offer(sdp))


def test_chromium_simulcast_is_read_with_its_rids_in_order() -> None:
    assert _read(OFFER) == (SimulcastOffer("1", ("l", "m", "h")), "")


def test_an_offer_without_simulcast_has_none() -> None:
    plain = "\r\n".join(
        line for line in OFFER.splitlines() if not line.startswith(("a=rid:", "a=simulcast:"))
    )
    assert _read(plain + "\r\n") == (None, "")


def test_paused_layers_and_alternatives() -> None:
    offer, why_not = _read(_edit(SIMULCAST_LINE, "a=simulcast:send l;~m;h,l"))
    assert why_not == ""
    assert offer == SimulcastOffer("1", ("l", "m", "h"), frozenset({"m"}))


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        (SIMULCAST_LINE, "a=simulcast:send l;m;x", "names rid x, which has no a=rid"),
        (SIMULCAST_LINE, "a=simulcast:send l;m;h;l", "offers 4 simulcast layers; .* at most 3"),
        (SIMULCAST_LINE, "a=simulcast:send l;m;l", "names a rid twice"),
        (SIMULCAST_LINE, "a=simulcast:recv l;m;h", "asks to receive simulcast"),
        (SIMULCAST_LINE, "a=simulcast:send", "a=simulcast line .* is malformed"),
        (SIMULCAST_LINE, "a=simulcast:sideways l;m;h", "a=simulcast line .* is malformed"),
        (SIMULCAST_LINE, "a=simulcast:send l;m;h$", "names a malformed rid"),
        ("a=rid:m send", "a=rid:m recv", "rid m .* is not offered for sending"),
        ("a=rid:m send", "a=rid:m! send", "an a=rid line .* is malformed"),
        ("a=rid:m send", "a=rid:h send", "two a=rid lines for rid h"),
        ("a=mid:0\r\n", "a=mid:0\r\na=simulcast:send l\r\n", "audio section asks for simulcast"),
        (SIMULCAST_LINE, SIMULCAST_LINE + "\r\n" + SIMULCAST_LINE, "more than one a=simulcast"),
    ],
)
def test_malformed_simulcast_is_refused_with_one_sentence(old: str, new: str, words: str) -> None:
    with pytest.raises(SdpError, match=words) as refused:
        _read(_edit(old, new))
    assert str(refused.value).count(". ") == 0  # one sentence


@pytest.mark.parametrize(
    ("old", "new", "why"),
    [
        (VP8, NOT_VP8, "sends h264; the SFU takes simulcast of VP8 only"),
        (
            "a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id\r\n",
            "",
            "lacks the rid header extension",
        ),
        (
            "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"
            "\r\na=extmap:5",
            "a=extmap:5",
            "lacks transport-wide congestion control",
        ),
    ],
)
def test_simulcast_the_sfu_cannot_take_falls_back_to_one_layer(
    old: str, new: str, why: str
) -> None:
    offer, why_not = _read(_edit(old, new))
    assert offer is None
    assert why in why_not


def test_the_answer_accepts_the_offered_rids_in_the_video_section() -> None:
    answer = "\r\n".join(
        ["v=0", "m=audio 9 x 111", "a=mid:0", "m=video 9 x 96", "a=mid:1", "a=candidate:1 x"]
    )
    offer = SimulcastOffer("1", ("l", "m", "h"), frozenset({"m"}))
    lines = accept_in_answer(answer, offer).splitlines()
    assert lines == [
        "v=0",
        "m=audio 9 x 111",
        "a=mid:0",
        "m=video 9 x 96",
        "a=mid:1",
        "a=rid:l recv",
        "a=rid:m recv",
        "a=rid:h recv",
        "a=simulcast:recv l;~m;h",
        "a=candidate:1 x",
    ]
    with pytest.raises(SdpError, match="no video section with mid 7"):
        accept_in_answer(answer, SimulcastOffer("7", ("l",)))


def test_abs_send_time_leaves_only_the_simulcast_section() -> None:
    stripped = without_abs_send_time(OFFER, "1")
    video = stripped[stripped.index("m=video") :]
    audio = stripped[: stripped.index("m=video")]
    assert ABS_SEND_TIME_URI not in video
    assert ABS_SEND_TIME_URI in audio


async def _publish(sdp: str, layers: tuple[VideoLayer, ...] = ()) -> tuple[Publication, str]:
    return await accept_publication(sdp, NetworkSettings(), None, layers)


def test_the_sfu_answers_chromium_simulcast_and_makes_a_layer_per_rid() -> None:
    async def scenario() -> tuple[str, int, bool]:
        publication, answer = await _publish(OFFER)
        try:
            forwarders = {id(layer.forwarder) for layer in publication.video_layers}
            return answer, len(forwarders), publication.layer_watch is not None
        finally:
            await publication.close()

    answer, layers, watched = asyncio.run(scenario())
    video = answer[answer.index("m=video") :]
    for rid in "lmh":
        assert f"a=rid:{rid} recv\r\n" in video
    assert "a=simulcast:recv l;m;h\r\n" in video
    # the packets' rids are negotiated at the browser's ids, abs-send-time is not (no REMB)
    assert "a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id\r\n" in video
    assert "a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id\r\n" in video
    assert ABS_SEND_TIME_URI not in video
    assert layers == 3 and watched


def test_h264_simulcast_is_answered_for_one_layer() -> None:
    h264_first = _edit(VP8, NOT_VP8)

    async def scenario() -> tuple[str, Publication]:
        publication, answer = await _publish(h264_first)
        await publication.close()
        return answer, publication

    answer, publication = asyncio.run(scenario())
    assert "a=simulcast" not in answer and "a=rid" not in answer
    assert publication.layer_watch is None
    assert publication.codecs["video"].lower() == "video/h264"


def test_a_camera_in_layers_cannot_also_use_simulcast() -> None:
    layer = VideoLayer(mid="1", width=1280, height=720)
    with pytest.raises(SdpError, match="a camera sent in layers cannot also be sent in simulcast"):
        asyncio.run(_publish(OFFER, (layer,)))
