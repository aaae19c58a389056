"""Ranking projects on one KPI for one period (pure: picks and ranks displayed values)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import pandas as pd

from dashboard.present.headlines import HEADLINES

# Every headline with its own column (lost customers is derived; its parts are ranked).
RANKABLE: tuple[str, ...] = tuple(h.key for h in HEADLINES if h.column)


def _values_at(frame: pd.DataFrame, column: str, period: date | None) -> pd.Series:
    if period is None:
        return pd.Series(dtype="float64")
    starts = pd.to_datetime(frame["period_start"]).dt.date
    rows = frame[(starts == period) & frame[column].notna()]
    return pd.Series(rows[column].astype("float64").to_numpy(), index=rows["project"].astype(str))


def _rank(values: pd.Series, ascending: bool) -> pd.Series:
    # Competition ranking ("1, 2, 2, 4"): tied projects share a rank.
    return values.rank(method="min", ascending=ascending).astype("Int64")


def rank_projects(
    frame: pd.DataFrame,
    column: str,
    period: date,
    previous: date | None,
    direction: str | None,
) -> pd.DataFrame:
    """Projects with a value in ``period``, best first (``direction`` 'lower': smallest first;
    'higher' or None: largest first), with their rank in ``previous`` and the change
    (positive = moved up). Columns: rank, project, value, previous_rank, previous_value,
    rank_change."""
    ascending = direction == "lower"
    now = _values_at(frame, column, period)
    before = _values_at(frame, column, previous)
    if now.empty:
        return pd.DataFrame(
            columns=["rank", "project", "value", "previous_rank", "previous_value", "rank_change"]
        )
    ranks_now = _rank(now, ascending)
    ranks_before = _rank(before, ascending) if not before.empty else pd.Series(dtype="Int64")
    out = pd.DataFrame(
        {
            "rank": ranks_now.to_numpy(),
            "project": now.index,
            "value": now.to_numpy(),
            "previous_rank": ranks_before.reindex(now.index).astype("Int64").to_numpy(),
            "previous_value": before.reindex(now.index).to_numpy(),
        },
        index=now.index,
    )
    out = out.reset_index(drop=True)
    out["rank_change"] = (out["previous_rank"] - out["rank"]).astype("Int64")
    return out.sort_values(["rank", "project"]).reset_index(drop=True)


def period_last_day(start: date, grain: str) -> date:
    """The last day of the week (Sunday) or month starting on ``start``."""
    if grain == "month":
        following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return following - timedelta(days=1)
    return start + timedelta(days=6)


def is_complete(start: date, grain: str, last_event_day: date | None) -> bool:
    """A period is complete when the data reach its last day."""
    return last_event_day is not None and period_last_day(start, grain) <= last_event_day


def default_period(periods: Sequence[date], grain: str, last_event_day: date | None) -> int:
    """Index of the newest complete period in ``periods`` (newest first); 0 if none is."""
    for i, start in enumerate(periods):
        if is_complete(start, grain, last_event_day):
            return i
    return 0
