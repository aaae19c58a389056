"""Report building blocks that need no database: week parsing and target status."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.present.periods import BadWeek, latest_complete_week, parse_week
from dashboard.present.status import change_is_good, target_status


def test_parse_week_gives_monday() -> None:
    week = parse_week("2026-W47")
    assert week.monday == date(2026, 11, 16)  # ISO week 47 of 2026 starts Mon 16 Nov
    assert week.sunday == date(2026, 11, 22)
    assert week.end == date(2026, 11, 23)
    assert week.label == "2026-W47"


def test_parse_week_across_year_boundary() -> None:
    # 2026-01-01 is a Thursday, so ISO week 1 of 2026 starts Monday 2025-12-29.
    assert parse_week("2026-W01").monday == date(2025, 12, 29)
    assert parse_week("2026w1").label == "2026-W01"


@pytest.mark.parametrize("text", ["2026-47", "W47", "2026-W54", "2026-W00", "", "next week"])
def test_parse_week_rejects_bad_values(text: str) -> None:
    with pytest.raises(BadWeek):
        parse_week(text)


def test_parse_week_rejects_week_53_of_a_52_week_year() -> None:
    with pytest.raises(BadWeek, match="no ISO week 53"):
        parse_week("2025-W53")  # 2025 has 52 ISO weeks; 2026 has 53
    assert parse_week("2026-W53").monday == date(2026, 12, 28)


def test_latest_complete_week() -> None:
    # Last event on Sunday 2026-11-22: week 47 is complete.
    assert latest_complete_week(date(2026, 11, 22)).label == "2026-W47"
    # Last event on Wednesday 2026-11-25: week 48 is partial, so week 47.
    assert latest_complete_week(date(2026, 11, 25)).label == "2026-W47"
    # Last event on Monday 2026-11-23: week 48 has one day only.
    assert latest_complete_week(date(2026, 11, 23)).label == "2026-W47"


@pytest.mark.parametrize(
    ("value", "target", "direction", "unit", "expected"),
    [
        # rates: amber within 2 percentage points
        (0.90, 0.85, "higher", "rate", "green"),
        (0.85, 0.85, "higher", "rate", "green"),  # meeting the target exactly is green
        (0.83, 0.85, "higher", "rate", "amber"),  # 2 pp short
        (0.829, 0.85, "higher", "rate", "red"),  # 2.1 pp short
        # hours, lower is better: amber within 5 % of 24 h = 1.2 h
        (20.0, 24.0, "lower", "hours", "green"),
        (25.2, 24.0, "lower", "hours", "amber"),
        (25.3, 24.0, "lower", "hours", "red"),
        # CSAT 1-5: 5 % of 4.0 = 0.2
        (3.8, 4.0, "higher", "score", "amber"),
        (3.79, 4.0, "higher", "score", "red"),
        # NPS: 5 points
        (25.0, 30.0, "higher", "nps", "amber"),
        (24.0, 30.0, "higher", "nps", "red"),
        # counts with target 0: any miss is red (5 % of 0 is 0)
        (0, 0, "lower", "count", "green"),
        (1, 0, "lower", "count", "red"),
        # nothing to judge
        (None, 0.85, "higher", "rate", None),
        (0.9, None, "higher", "rate", None),
        (float("nan"), 0.85, "higher", "rate", None),
    ],
)
def test_target_status(value, target, direction, unit, expected) -> None:
    assert target_status(value, target, direction, unit) == expected


def test_change_is_good() -> None:
    assert change_is_good(0.03, "higher") is True
    assert change_is_good(-0.03, "higher") is False
    assert change_is_good(-2.0, "lower") is True  # e.g. backlog down
    assert change_is_good(2.0, "lower") is False
    assert change_is_good(0.0, "higher") is None
    assert change_is_good(None, "higher") is None
    assert change_is_good(5, None) is None  # complaints opened: no good direction
