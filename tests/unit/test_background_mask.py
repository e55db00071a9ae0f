"""The person mask over time, on a real model and a real photo (scikit-image's astronaut)."""

from __future__ import annotations

import cv2
import numpy as np
from skimage import data

from client.media.background.segmenter import PersonSegmenter, SmoothedMask, blend_weights

# rows, columns of the 512x512 photo, scaled to the model's 256x144 below
FACE = (slice(40, 180), slice(175, 285))
WALL = (slice(0, 250), slice(345, 500))


def noisy_pictures(count: int, sigma: float = 6.0) -> list[np.ndarray]:
    """The photo as a camera would deliver it: the same scene, new sensor noise each time."""
    rng = np.random.default_rng(7)
    photo = data.astronaut().astype(np.float32)
    return [
        np.clip(photo + rng.normal(0.0, sigma, photo.shape), 0, 255).astype(np.uint8)
        for _ in range(count)
    ]


def at_model_size(region: tuple[slice, slice]) -> tuple[slice, slice]:
    rows, columns = region
    scale_rows, scale_columns = 144 / 512, 256 / 512
    return (
        slice(int(rows.start * scale_rows), int(rows.stop * scale_rows)),
        slice(int(columns.start * scale_columns), int(columns.stop * scale_columns)),
    )


def test_the_model_finds_the_person_and_not_the_wall() -> None:
    mask = PersonSegmenter().mask_of_rgb(data.astronaut())
    assert mask.shape == (144, 256)
    assert mask[at_model_size(FACE)].mean() > 0.8
    assert mask[at_model_size(WALL)].mean() < 0.1


def test_a_still_picture_gives_a_steady_mask_over_60_frames() -> None:
    segmenter = PersonSegmenter()
    smoothed = SmoothedMask()
    raw_changes, smoothed_changes, mean_changes = [], [], []
    previous_raw = previous = None
    for picture in noisy_pictures(60):
        mask = segmenter.mask_of_rgb(picture)
        raw = blend_weights(mask)
        weights = blend_weights(smoothed.update(mask))
        if previous is not None and previous_raw is not None:
            raw_changes.append(float(np.abs(raw - previous_raw).max()))
            smoothed_changes.append(float(np.abs(weights - previous).max()))
            mean_changes.append(float(np.abs(weights - previous).mean()))
        previous_raw, previous = raw, weights
    # the camera noise is enough to make the unsmoothed edges flicker ...
    assert max(raw_changes) > 0.5
    # ... and smoothed, after the first frames settle, no pixel moves by more than a quarter
    # from one picture to the next, and the mask as a whole barely moves
    settled = smoothed_changes[10:]
    assert max(settled) < 0.3, settled
    assert max(mean_changes[10:]) < 0.005
    assert previous is not None
    assert previous[at_model_size(FACE)].mean() > 0.9
    assert previous[at_model_size(WALL)].mean() < 0.05


def test_the_numpy_tail_answers_as_the_whole_network_does() -> None:
    # The shortcut for the model's last layer must be taken (it halves the model's cost)
    # and give the network's own mask, on a real photo, not only on the probe it was
    # checked against when loading.
    segmenter = PersonSegmenter()
    assert segmenter.uses_numpy_tail
    picture = cv2.resize(data.astronaut(), (256, 144), interpolation=cv2.INTER_AREA)
    whole = segmenter.whole_network_mask(picture)
    np.testing.assert_allclose(segmenter.mask_of_rgb(picture), whole, atol=1e-5)
