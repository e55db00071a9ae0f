"""The SFU reads SDP before aiortc does: only Opus, VP8 and H.264 reach the answer, in Runde's
order, and every bad offer or answer is refused with one sentence.

Real aiortc peer connections in one process, gathering only on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Iterator

import pytest
from aiortc import RTCPeerConnection, RTCSessionDescription
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from client.netconfig import NetworkSettings, apply_bind_addresses
from client.sfu.offer_check import SdpError, prepare_answer, prepare_offer
from client.sfu.peers import Publication, accept_publication, offer_subscription
from tests.hostile_sdp import CHROMIUM_OFFER, HOSTILE_OFFERS, only_codecs, sections

REFUSED_CODECS = ("G722", "PCMU", "PCMA", "CN", "telephone-event", "VP9", "AV1", "red", "ulpfec")


@pytest.fixture(autouse=True)
def loopback_only() -> Iterator[None]:
    apply_bind_addresses(["127.0.0.1"])
    yield
    apply_bind_addresses([])


def rtpmaps(sdp: str, kind: str) -> list[str]:
    """Codec names of the ``kind`` section, in the order the SDP lists them."""
    _, media = sections(sdp)
    (section,) = [s for s in media if s[0].startswith(f"m={kind} ")]
    return [line.split(" ")[1].split("/")[0] for line in section if line.startswith("a=rtpmap:")]


def listing_first(sdp: str, kind: str, first: list[str]) -> str:
    """``sdp`` with the ``kind`` section listing payload types ``first`` before the others,
    in the m= line and in the codec lines (aiortc goes by the latter)."""
    head, media = sections(sdp)
    for section in media:
        if not section[0].startswith(f"m={kind} "):
            continue
        fields = section[0].split(" ")
        rest = [pt for pt in fields[3:] if pt not in first]
        section[0] = " ".join([*fields[:3], *first, *rest])

        def number(line: str) -> str | None:
            match = re.match(r"a=(?:rtpmap|fmtp|rtcp-fb):(\d+)", line)
            return match.group(1) if match else None

        codec_lines = [line for line in section if number(line)]
        other = [line for line in section if not number(line)]
        ordered = sorted(
            codec_lines,
            key=lambda line: first.index(n) if (n := number(line)) in first else len(first),
        )
        section[:] = other + ordered
    return "\r\n".join(head + [line for s in media for line in s]) + "\r\n"


async def _publish(offer: str) -> tuple[Publication, str]:
    return await accept_publication(offer, NetworkSettings(), None)


def test_a_chromium_offer_is_answered_with_opus_vp8_and_h264_only() -> None:
    async def scenario() -> None:
        publication, answer = await _publish(CHROMIUM_OFFER)
        try:
            assert rtpmaps(answer, "audio") == ["opus"]
            video = rtpmaps(answer, "video")
            assert video[:2] == ["VP8", "rtx"]
            assert set(video) == {"VP8", "H264", "rtx"}
            for refused in REFUSED_CODECS:
                assert f" {refused}/" not in answer, refused
            assert publication.codecs == {"audio": "audio/opus", "video": "video/VP8"}
        finally:
            await publication.close()

    asyncio.run(scenario())


def test_only_runde_s_codecs_are_left_in_the_sender_s_order() -> None:
    """The browser lists G722, PCMU and red before Opus, and VP9 and H.264 before VP8: Opus
    is chosen, and of VP8 and H.264 the one the sender prefers (receivers get what it sends)."""
    offer = listing_first(CHROMIUM_OFFER, "audio", ["9", "0", "63", "111"])
    offer = listing_first(offer, "video", ["98", "99", "109", "114", "96", "97"])
    assert rtpmaps(offer, "audio")[:4] == ["G722", "PCMU", "red", "opus"]
    assert rtpmaps(offer, "video")[:5] == ["VP9", "rtx", "H264", "rtx", "VP8"]

    async def scenario() -> None:
        publication, answer = await _publish(offer)
        try:
            assert rtpmaps(answer, "audio") == ["opus"]
            assert set(rtpmaps(answer, "video")) == {"H264", "rtx", "VP8"}
            assert rtpmaps(answer, "video")[0] == "H264"
            assert publication.codecs == {"audio": "audio/opus", "video": "video/H264"}
        finally:
            await publication.close()

    asyncio.run(scenario())


def test_an_offer_without_vp8_is_answered_with_h264() -> None:
    offer = only_codecs(CHROMIUM_OFFER, "video", ["98", "99", "109", "114", "45"])

    async def scenario() -> None:
        publication, answer = await _publish(offer)
        try:
            assert rtpmaps(answer, "video") == ["H264", "rtx"]
            assert publication.codecs["video"] == "video/H264"
        finally:
            await publication.close()

    asyncio.run(scenario())


@pytest.mark.parametrize(
    ("offer", "words"),
    [pytest.param(offer, words, id=name) for name, offer, words in HOSTILE_OFFERS],
)
def test_each_hostile_offer_is_refused_with_a_sentence(offer: str, words: str) -> None:
    with pytest.raises(SdpError) as refused:
        prepare_offer(offer)
    text = str(refused.value)
    assert words in text
    assert "\n" not in text and len(text) < 200
    assert "not-a-fingerprint" not in text, "the refusal must not echo the submitted values"


def test_a_hostile_offer_is_refused_by_the_sfu_too() -> None:
    """The same refusals reach accept_publication's callers, before any peer connection."""
    offer = HOSTILE_OFFERS[0][1]
    with pytest.raises(SdpError, match=r"VP8 or H\.264"):
        asyncio.run(_publish(offer))


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    changes=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=len(CHROMIUM_OFFER) - 1),
            st.sampled_from(["x", "0", "9", " ", ":", "/", "-", "=", "\r\n", "\x00", ""]),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_a_browser_offer_with_bytes_changed_is_answered_or_refused(
    changes: list[tuple[int, str]],
) -> None:
    """Nothing but an answer or an SdpError may come out, whatever aiortc makes of the text."""
    offer = CHROMIUM_OFFER
    for at, text in changes:
        offer = offer[:at] + text + offer[at + 1 :]

    async def scenario() -> None:
        try:
            publication, _ = await _publish(offer)
        except SdpError as refused:
            assert "\n" not in str(refused)
        else:
            await publication.close()

    asyncio.run(scenario())


# --- subscription answers ---------------------------------------------------------------------


async def _subscriber_answer(offer: str) -> str:
    pc = RTCPeerConnection()
    try:
        await pc.setRemoteDescription(RTCSessionDescription(sdp=offer, type="offer"))
        await pc.setLocalDescription(await pc.createAnswer())
        return str(pc.localDescription.sdp)
    finally:
        await pc.close()


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda a: a.replace("a=recvonly", "a=inactive"), "inactive"),
        (lambda a: a.replace("a=fingerprint:sha-256", "a=fingerprint:md5"), "sha-256"),
        # Readable, but not an answer to this offer: aiortc's own check refuses it.
        (
            lambda a: a.replace("a=mid:0", "a=mid:9").replace("BUNDLE 0 1", "BUNDLE 9 1"),
            "could not be used",
        ),
        (lambda a: a.replace("a=setup:active", "a=setup:actpass"), "active or passive"),
        (lambda a: a.replace("VP8/90000", "VP9/90000"), r"VP8 or H\.264"),
    ],
    ids=["inactive", "md5", "other mid", "actpass", "vp9"],
)
def test_a_bad_subscription_answer_is_refused_with_a_sentence(change: object, words: str) -> None:
    async def scenario() -> None:
        publication, _ = await _publish(CHROMIUM_OFFER)
        subscription, offer = await offer_subscription(publication, NetworkSettings())
        try:
            answer = await _subscriber_answer(offer)
            assert callable(change)
            bad = change(answer)
            assert bad != answer
            with pytest.raises(SdpError, match=words):
                await subscription.accept_answer(bad)
        finally:
            await subscription.close()
            await publication.close()

    asyncio.run(scenario())


def test_a_good_subscription_answer_is_accepted_and_filtered() -> None:
    async def scenario() -> None:
        publication, _ = await _publish(CHROMIUM_OFFER)
        subscription, offer = await offer_subscription(publication, NetworkSettings())
        try:
            assert rtpmaps(offer, "video")[0] == "VP8"
            answer = await _subscriber_answer(offer)
            assert rtpmaps(prepare_answer(answer), "video") == rtpmaps(answer, "video")
            await subscription.accept_answer(answer)
            assert not subscription.awaits_answer()
        finally:
            await subscription.close()
            await publication.close()

    asyncio.run(scenario())


def test_closing_survives_a_failing_close(caplog: pytest.LogCaptureFixture) -> None:
    """aiortc's close() raises on a half-set-up connection; cleanup must still complete."""

    async def scenario() -> None:
        publication, _ = await _publish(CHROMIUM_OFFER)
        real_close = publication.pc.close

        async def failing_close() -> None:
            await real_close()
            raise AttributeError("'NoneType' object has no attribute 'stop'")

        publication.pc.close = failing_close  # type: ignore[method-assign]
        with caplog.at_level(logging.WARNING, logger="client.sfu.peers"):
            await publication.close()
        assert [r.getMessage() for r in caplog.records] == [
            "closing a peer connection failed: AttributeError"
        ]

    asyncio.run(scenario())
