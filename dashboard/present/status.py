"""Target status (green / amber / red) and whether a change is good news.

Pure functions with no Streamlit or DuckDB dependency, so the dashboard's tiles and the
weekly report colour a number the same way.

Thresholds (documented for users in the report footer and README):

* **green**  - the value meets the target (``>=`` target when higher is better, ``<=`` when
  lower is better);
* **amber**  - it misses the target by no more than the tolerance:
  rates (fractions such as retention or SLA attainment): 2 percentage points;
  NPS (-100..100): 5 points;
  everything else (counts, hours, CSAT 1-5): 5 % of the target;
* **red**    - it misses by more than that.

No value or no target gives no status (``None``): a KPI is never coloured on nothing.
"""

from __future__ import annotations

from typing import Literal

Direction = Literal["higher", "lower"]
Unit = Literal["count", "rate", "hours", "score", "nps"]
Status = Literal["green", "amber", "red"]

RATE_TOLERANCE_POINTS = 0.02  # fractions: 2 percentage points
NPS_TOLERANCE_POINTS = 5.0
RELATIVE_TOLERANCE = 0.05  # 5 % of the target


def tolerance(target: float, unit: Unit) -> float:
    """How far a value may miss its target and still be amber."""
    if unit == "rate":
        return RATE_TOLERANCE_POINTS
    if unit == "nps":
        return NPS_TOLERANCE_POINTS
    return abs(target) * RELATIVE_TOLERANCE


def target_status(
    value: float | None, target: float | None, direction: Direction, unit: Unit
) -> Status | None:
    """green / amber / red for ``value`` against ``target`` (see module docstring)."""
    if value is None or target is None or _is_nan(value) or _is_nan(target):
        return None
    shortfall = (target - value) if direction == "higher" else (value - target)
    if shortfall <= 0:
        return "green"
    # A tiny epsilon so that "exactly 2 points short" is amber despite float rounding.
    if shortfall <= tolerance(target, unit) + 1e-9:
        return "amber"
    return "red"


def change_is_good(change: float | None, direction: Direction | None) -> bool | None:
    """True when a change moves the right way, False the wrong way, None for no change,
    no value, or a KPI with no good direction (e.g. complaints opened)."""
    if change is None or direction is None or _is_nan(change) or change == 0:
        return None
    return (change > 0) == (direction == "higher")


def _is_nan(x: float) -> bool:
    return x != x
