"""The buffer target's percentile (``client/media/arrival_jitter.py``) is numpy's."""

from __future__ import annotations

import numpy as np

from client.media.arrival_jitter import QUANTILE, WINDOW_FRAMES, quantile


def test_the_quantile_is_numpys_linear_one() -> None:
    rng = np.random.default_rng(7)
    for size in (1, 2, 10, 33, WINDOW_FRAMES):
        for values in (rng.exponential(0.01, size), np.round(rng.normal(0, 0.02, size), 3)):
            for q in (0.0, 0.5, QUANTILE, 1.0):
                expected = float(np.quantile(values, q))
                assert abs(quantile(list(values), q) - expected) < 1e-12, (size, q)
