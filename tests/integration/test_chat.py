"""Chat, hands and reactions between headless participants through a real headless host."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from tests.helpers import HostProcess, finish, read_stats, start_participant, wait_for


def _stats_ready(path: Path) -> bool:
    try:
        return read_stats(path).get("join_started_s") is not None
    except (OSError, ValueError):
        return False


def _texts(stats: dict[str, Any]) -> list[tuple[str, str | None, str]]:
    return [(m["from"], m["to"], m["text"]) for m in stats["chat"]]


def test_three_colleagues_chat_raise_hands_and_react(host: HostProcess, tmp_path: Path) -> None:
    files = {name: tmp_path / f"{name}.json" for name in ("Anna", "Bernd", "Clara", "Dora")}
    bernd = start_participant(
        host.link, "Bernd", files["Bernd"], 18.0, "--stats-every", "0.3", "--raise-hand"
    )
    clara = start_participant(host.link, "Clara", files["Clara"], 12.0, "--stats-every", "0.3")
    assert wait_for(lambda: _stats_ready(files["Bernd"]) and _stats_ready(files["Clara"]), 20)
    anna = start_participant(
        host.link,
        "Anna",
        files["Anna"],
        12.0,
        "--stats-every",
        "0.3",
        "--chat",
        "Guten Morgen <b>alle</b>",
        "--chat-to",
        "Bernd=Nur für dich",
        "--chat",
        "Zweite Nachricht",
        "--raise-hand",
        "--react",
        "clap",
    )
    room_said = [
        ("Anna", None, "Guten Morgen <b>alle</b>"),
        ("Anna", None, "Zweite Nachricht"),
    ]
    assert wait_for(lambda: _texts(read_stats(files["Clara"])) == room_said, 20)
    time.sleep(5.0)  # the late joiner comes five seconds after the conversation
    dora = start_participant(host.link, "Dora", files["Dora"], 3.0)
    results = {name: finish(p) for name, p in (("Dora", dora), ("Clara", clara))}
    results |= {name: finish(p) for name, p in (("Anna", anna), ("Bernd", bernd))}
    for name, (code, err) in results.items():
        assert code == 0, f"{name}: {err[-2000:]}"

    clara_stats = read_stats(files["Clara"])
    assert _texts(clara_stats) == room_said, "a private message reached a third person"
    assert clara_stats["hands"] == ["Bernd", "Anna"], "hands in the order they went up"
    assert clara_stats["reactions"] == {"Anna": 1}
    assert clara_stats["remotes"]["Anna"]["audio_on"] is True
    assert clara_stats["remotes"]["Anna"]["video_on"] is True
    assert clara_stats["remotes"]["Anna"]["video_frames"] > 30, "media went on beside the chat"

    bernd_stats = read_stats(files["Bernd"])
    assert _texts(bernd_stats) == [room_said[0], ("Anna", "Bernd", "Nur für dich"), room_said[1]]
    assert _texts(read_stats(files["Anna"]))[1] == ("Anna", "Bernd", "Nur für dich")
    assert _texts(read_stats(files["Dora"])) == room_said, "the late joiner gets the history"
    ids = [m["id"] for m in bernd_stats["chat"]]
    assert ids == sorted(set(ids))


def test_a_private_message_to_nobody_is_named_and_the_rest_goes_on(
    host: HostProcess, tmp_path: Path
) -> None:
    process = start_participant(
        host.link,
        "Anna",
        tmp_path / "Anna.json",
        12.0,  # a private message waits up to 10 s for its addressee to come
        "--video",
        "none",
        "--chat",
        "x" * 4001,
        "--chat",
        "danach",
        "--chat-to",
        "Niemand=hallo",
    )
    code, err = finish(process, timeout=40)
    assert code == 0, err
    assert "nobody called 'Niemand' is in the meeting" in err
    assert "4,001 characters; at most 4,000" in err
    stats = read_stats(tmp_path / "Anna.json")
    assert _texts(stats) == [("Anna", None, "danach")]
