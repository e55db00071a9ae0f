"""When the camera's pictures go out smaller, and when they grow back."""

from __future__ import annotations

from client.media.send_scale import SendScale


class Feed:
    """Windows of 2 s at 30 captured pictures per second, of which ``taken`` were sent."""

    def __init__(self, rule: SendScale) -> None:
        self.rule = rule
        self.now = 0.0
        self.captured = 0
        self.taken = 0
        rule.observe(self.now, self.captured, self.taken)

    def window(self, taken: int, captured: int = 60) -> float | None:
        self.now += 2.0
        self.captured += captured
        self.taken += taken
        change = self.rule.observe(self.now, self.captured, self.taken)
        return None if change is None else change.scale


def test_every_picture_sent_keeps_the_full_size() -> None:
    feed = Feed(SendScale(1280))
    assert [feed.window(taken=60) for _ in range(20)] == [None] * 20
    assert feed.rule.scale == 1.0


def test_skipping_steps_down_to_half_and_no_further() -> None:
    feed = Feed(SendScale(1280))
    assert feed.window(taken=40) == 0.75  # a third skipped
    assert feed.window(taken=40) == 0.5
    assert feed.window(taken=30) is None
    assert feed.rule.scale == 0.5


def test_a_little_jitter_changes_nothing() -> None:
    feed = Feed(SendScale(1280))
    assert [feed.window(taken=52) for _ in range(10)] == [None] * 10  # 13 % skipped


def test_a_calm_spell_steps_back_up_one_size_at_a_time() -> None:
    feed = Feed(SendScale(1280, calm_windows=3))
    feed.window(taken=30)
    feed.window(taken=30)
    assert [feed.window(taken=60) for _ in range(3)] == [None, None, 0.75]
    assert [feed.window(taken=60) for _ in range(3)] == [None, None, 1.0]


def test_a_step_up_that_fails_makes_the_next_wait_twice_as_long() -> None:
    feed = Feed(SendScale(1280, calm_windows=3))
    feed.window(taken=30)
    assert [feed.window(taken=60) for _ in range(3)] == [None, None, 1.0]
    assert feed.window(taken=30) == 0.75  # the full size was too much again
    waits = [feed.window(taken=60) for _ in range(6)]
    assert waits == [None] * 5 + [1.0]


def test_an_idle_sender_or_a_slow_camera_is_not_judged() -> None:
    feed = Feed(SendScale(1280))
    assert feed.window(taken=0) is None  # nobody sends yet (pre-join preview)
    assert feed.window(taken=2, captured=4) is None  # a camera giving 2 pictures a second
    assert feed.rule.scale == 1.0


def test_a_small_camera_does_not_shrink_below_a_useful_size() -> None:
    feed = Feed(SendScale(480))
    assert feed.window(taken=20) == 0.75  # 360 wide
    assert feed.window(taken=20) is None  # 240 would be too small
