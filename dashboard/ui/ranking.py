"""Ranking projects on one KPI for one period (pure: picks and ranks displayed values)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.report.headlines import HEADLINES

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
