"""Small statistics for the benchmark: medians of repeated timings and growth exponents."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence

import numpy as np


def median_seconds(samples: Sequence[float]) -> float:
    return float(statistics.median(samples))


def time_repeated(fn: Callable[[], object], repeat: int, warmup: int = 1) -> float:
    """Median wall-clock seconds of ``repeat`` calls after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return median_seconds(samples)


def loglog_exponent(sizes: Sequence[float], values: Sequence[float]) -> float | None:
    """Slope of log(value) against log(size): 1 = linear growth, 0 = flat.

    None when fewer than two distinct sizes (or a non-positive value) make a slope meaningless.
    """
    pairs = [(s, v) for s, v in zip(sizes, values, strict=True) if s and v and s > 0 and v > 0]
    if len({s for s, _ in pairs}) < 2:
        return None
    x = np.log([s for s, _ in pairs])
    y = np.log([v for _, v in pairs])
    return float(np.polyfit(x, y, 1)[0])
