"""A department head's projects ranked among all projects, without naming the others.

The ranking itself is ``dashboard.ui.ranking.rank_projects`` over every project (the same
numbers everyone sees); this keeps only the rows of the viewer's own projects and adds the
number of ranked projects, so the page can say "rank 5 of 15" and nothing about the rest.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


def anonymise(ranked: pd.DataFrame, own_projects: Iterable[str]) -> pd.DataFrame:
    """``ranked`` (every project) -> the own projects' rows, with ``total`` (how many
    projects were ranked) and ``previous_total`` (how many of those had a rank in the
    previous period too); other projects' names and values are gone."""
    own = set(own_projects)
    total = len(ranked)
    previous_total = int(ranked["previous_rank"].notna().sum()) if total else 0
    mine = ranked[ranked["project"].isin(own)].copy()
    mine["total"] = total
    mine["previous_total"] = previous_total
    return mine.reset_index(drop=True)
