"""The background effect's choices, its model rate under load, and its policy."""

from __future__ import annotations

import av
import numpy as np
import pytest

from client.headless.snapshots import snapshot_name
from client.media.background.cadence import ModelCadence
from client.media.background.choice import (
    BackgroundChoice,
    BackgroundChoiceError,
    BackgroundKind,
    background_argument,
)
from client.media.background.pictures import BackgroundPictureError
from client.media.background.stage import TURNED_OFF, BackgroundStage
from client.policy import Policy, PolicyDocument


def test_choices_read_back_as_written() -> None:
    for text in ("none", "blur", "blur-strong", "picture:office-wall", "file:/home/u/b.png"):
        assert BackgroundChoice.parse(text).text() == text
    with pytest.raises(BackgroundChoiceError, match="picture:office-wall"):
        BackgroundChoice.parse("picture:beach")
    assert BackgroundChoice.parse_or_none("sparkles") == BackgroundChoice()


def test_the_command_line_takes_a_bare_file_name_as_picture() -> None:
    assert background_argument("me/wall.png", None) == BackgroundChoice(
        BackgroundKind.FILE, "me/wall.png"
    )
    assert background_argument(None, "blur").kind is BackgroundKind.BLUR
    assert background_argument(None, None).kind is BackgroundKind.NONE


def test_the_model_runs_less_often_when_busy_and_returns_when_calm() -> None:
    cadence = ModelCadence(fps=30)
    assert cadence.every == 4  # 7.5 model runs a second at 30 pictures a second
    now, changes = 0.0, []
    for _ in range(200):  # 60% of the time spent on the effect
        now += 1 / 30
        change = cadence.observe(now, 0.6 / 30)
        if change is not None:
            changes.append(change.every)
    assert changes == [8, 15]
    for _ in range(30 * 30):  # then 5%: back to the full rate, step by step
        now += 1 / 30
        cadence.observe(now, 0.05 / 30)
    assert cadence.every == 4


def test_a_sender_falling_behind_halves_the_model_rate_down_to_the_slowest() -> None:
    cadence = ModelCadence(fps=30)
    assert cadence.relieve() and cadence.every == 8
    assert cadence.relieve() and cadence.every == 15
    assert not cadence.relieve()
    assert not BackgroundStage().relieve()  # no effect: nothing to give up


def test_an_effect_the_computer_cannot_carry_turns_itself_off() -> None:
    said: list[str] = []
    readings = iter(np.repeat(np.arange(0.0, 100.0, 0.066), 2)[1:])  # each picture: 66 ms
    stage = BackgroundStage(
        BackgroundChoice.parse("blur"),
        fps=15,
        on_turned_off=said.append,
        clock=lambda: float(next(readings)),
    )
    frame = av.VideoFrame.from_ndarray(np.full((72, 128, 3), 90, np.uint8), format="rgb24")
    for _ in range(200):
        stage.apply(frame)
        if said:
            break
    assert said == [TURNED_OFF]
    assert not stage.choice.is_on
    assert stage.apply(frame) is frame  # off: pictures pass untouched
    assert "cannot keep up" in TURNED_OFF


def test_a_missing_picture_file_is_refused_by_name() -> None:
    with pytest.raises(BackgroundPictureError, match=r"nowhere\.png"):
        BackgroundStage(BackgroundChoice(BackgroundKind.FILE, "/nowhere.png"))


def test_the_policy_can_require_blur_and_forbid_own_pictures() -> None:
    policy = Policy.from_document(
        PolicyDocument(background_effect="blur", own_background_pictures_allowed=False), "p.json"
    )
    assert policy.locked.background == "blur"
    assert policy.background_refusal("blur") is None
    refusal = policy.background_refusal("none")
    assert refusal is not None and "requires the background effect 'blur'" in refusal
    free = Policy.from_document(PolicyDocument(own_background_pictures_allowed=False), "p.json")
    assert free.background_refusal("picture:grey") is None
    refusal = free.background_refusal("file:/a.png")
    assert refusal is not None and "own background pictures" in refusal


def test_snapshot_names_stay_inside_the_folder() -> None:
    taken: set[str] = set()
    assert snapshot_name("Anna", taken) == "Anna"
    assert snapshot_name("Anna", taken) == "Anna-2"
    assert snapshot_name("../../etc/passwd", taken) == "etc_passwd"
    assert snapshot_name("///", taken) == "participant"
