"""Meeting links: round trips and a clear sentence for every way a link can be wrong."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from client.protocol.link import (
    LinkError,
    LinkForm,
    MeetingLink,
    new_room_id,
    new_secret,
    parse_link,
)

FP = hashlib.sha256(b"certificate").digest()


def make_link(host: str = "127.0.0.1", port: int = 8443) -> MeetingLink:
    return MeetingLink(host, port, new_room_id(), new_secret(), FP)


@pytest.mark.parametrize("form", list(LinkForm))
@pytest.mark.parametrize("host", ["127.0.0.1", "meet.example.de", "::1"])
def test_both_forms_round_trip(form: LinkForm, host: str) -> None:
    link = make_link(host)
    assert parse_link(link.to_text(form)) == link


def test_secret_is_unguessable_and_fresh() -> None:
    secrets = {new_secret() for _ in range(100)}
    assert len(secrets) == 100
    # 24 random bytes in base64url: 192 bits, well above 128.
    assert all(len(s) == 32 for s in secrets)


def test_secret_stays_out_of_repr_and_redacted_form() -> None:
    link = make_link()
    assert link.secret not in repr(link)
    assert link.secret not in link.redacted()
    assert link.secret not in link.signaling_url


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('runde://x" --evil', "spaces, line breaks or control characters"),
        ("runde://host:1/room\n#k=x", "spaces, line breaks or control characters"),
        ("https://a:1/r/" + "x" * 600, "longer than 512"),
        ("ftp://a:1/r/room#k=x&fp=y", "unknown link scheme 'ftp'"),
        ("javascript:alert(1)", "unknown link scheme"),
        ("https://host/r/room#k=x&fp=y", "names no port"),
        ("https://host:0/r/room#k=x&fp=y", "port 0"),
        ("https://host:70000/r/room#k=x&fp=y", "not a valid URL"),
        ("https://user:pw@host:1/r/room#k=x&fp=y", "user name or password"),
        ("https://ho_st:1/r/room#k=x&fp=y", "not a valid host name"),
        ("https://host:1/room#k=x&fp=y", "path must be /r/ROOM"),
        ("https://host:1/r/ro.om#k=x&fp=y", "no valid meeting room"),
        ("https://host:1/r/room?k=x", "must not contain a query"),
        ("https://host:1/r/room", "no meeting secret and fingerprint"),
        ("https://host:1/r/room#fp=x", "no meeting secret (k=)"),
        ("https://host:1/r/room#k=short&fp=x", "malformed or too short"),
        ("https://host:1/r/room#k=" + "a" * 32, "no certificate fingerprint"),
        ("https://host:1/r/room#k=" + "a" * 32 + "&fp=abc", "not a SHA-256 fingerprint"),
        ("https://host:1/r/room#k=" + "a" * 32 + "&k=b", "appears twice"),
        ("https://host:1/r/room#k=" + "a" * 32 + "&evil=1", "unknown key 'evil'"),
        ("https://höst:1/r/room#k=x", "outside ASCII"),
    ],
)
def test_bad_links_say_what_is_wrong(text: str, problem: str) -> None:
    with pytest.raises(LinkError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        parse_link(text)


@given(st.text(max_size=600))
def test_parser_only_ever_raises_link_error(text: str) -> None:
    try:
        link = parse_link(text)
    except LinkError as exc:
        assert str(exc)
    else:
        assert parse_link(link.to_text()) == link
