"""The Overview's headline KPIs as the report shows them: where each number comes from
(query + column of ``kpis.compute``), its unit, and which way is good."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboard.present.status import Direction, Unit


@dataclass(frozen=True)
class Headline:
    key: str  # the KPI column name (also the settings' target key)
    kpi: str  # query id passed to kpis.compute
    column: str  # column of that query's result
    unit: Unit
    direction: Direction | None  # None: neither up nor down is good news


HEADLINES: tuple[Headline, ...] = (
    Headline("active_customers", "retention", "active_customers", "count", "higher"),
    Headline("retention_rate", "retention", "retention_rate", "rate", "higher"),
    Headline("new_customers", "retention", "new_customers", "count", "higher"),
    # Lost = active last week but not this week, counted in SQL (customer_flow.sql).
    Headline("lost_customers", "customer_flow", "lost_customers", "count", "lower"),
    # More complaints is not plainly bad (complaints are encouraged), so no direction.
    Headline("opened", "complaints", "opened", "count", None),
    Headline("median_resolution_hours", "complaints", "median_resolution_hours", "hours", "lower"),
    Headline("sla_met_rate", "complaints", "sla_met_rate", "rate", "higher"),
    Headline("backlog_end", "complaints", "backlog_end", "count", "lower"),
    Headline("csat_avg", "satisfaction", "csat_avg", "score", "higher"),
    Headline("satisfied_rate", "satisfaction", "satisfied_rate", "rate", "higher"),
    Headline("nps", "satisfaction", "nps", "nps", "higher"),
    Headline("coverage_rate", "vip_coverage", "coverage_rate", "rate", "higher"),
    Headline("overdue_vips", "vip_coverage", "overdue_vips", "count", "lower"),
)

# The weekly KPI tables (same columns as `kpi show`); cohorts are monthly by definition and
# would reach past the report week, so the weekly report leaves them out.
WEEKLY_KPIS: tuple[str, ...] = ("retention", "complaints", "satisfaction", "vip_coverage")

# The queries the headlines read (the weekly KPIs and customer_flow for lost customers):
# the Overview and the report fetch each once per view.
HEADLINE_KPIS: tuple[str, ...] = tuple(dict.fromkeys(h.kpi for h in HEADLINES))

# Rates compared across projects for "biggest movers" week on week, in the Overview and the
# report alike (all fractions, so changes in percentage points are comparable). Weekly VIP
# coverage says little about a monthly call programme, so it is not among them.
MOVER_KEYS: tuple[str, ...] = ("retention_rate", "sla_met_rate", "satisfied_rate")

# The count each rate is a share of: a rate over 1 or 2 cases swings by 50-100 points and
# would crowd out the real movers, so a project needs MIN_MOVER_BASE cases in both weeks.
MOVER_BASE: dict[str, str] = {
    "retention_rate": "previous_active",
    "sla_met_rate": "opened",
    "satisfied_rate": "responses",
}
MIN_MOVER_BASE = 5

# The number of cases behind each rate or average (its sample size, shown as "n"). Below the
# settings' min_cases a rate says "too few cases" instead of a coloured verdict: 0 % of one
# complaint is not a missed promise worth a red tile.
SAMPLE_BASE: dict[str, str] = {
    "retention_rate": "previous_active",
    "median_resolution_hours": "resolved",
    "sla_met_rate": "opened",
    "csat_avg": "responses",
    "satisfied_rate": "responses",
    "nps": "nps_responses",
    "coverage_rate": "vip_customers",
}

# Which count says "this KPI had events this week" (a week with none of them is empty).
ACTIVITY_COLUMNS: dict[str, str] = {
    "retention": "active_customers",
    "complaints": "opened",
    "satisfaction": "responses",
    "vip_coverage": "vip_contacted",
}

BY_KEY: dict[str, Headline] = {h.key: h for h in HEADLINES}

# How the headline cards are grouped (the same groups as the Overview's tiles).
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("customers", ("active_customers", "retention_rate", "new_customers", "lost_customers")),
    ("complaints", ("opened", "median_resolution_hours", "sla_met_rate", "backlog_end")),
    ("satisfaction", ("csat_avg", "satisfied_rate", "nps")),
    ("vip", ("coverage_rate", "overdue_vips")),
)


def number(value: Any) -> float | None:
    """A KPI cell as a plain float, or None for NULL / NaN / NA / NaT."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    try:
        result = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(result) else result


def sample_size(row: Mapping[str, Any] | None, headline: Headline) -> int | None:
    """How many cases the headline's value rests on (None: a count, or no row)."""
    column = SAMPLE_BASE.get(headline.key)
    if column is None or not row:
        return None
    n = number(row.get(column))
    return None if n is None else int(n)


def too_few_cases(n: int | None, min_cases: int) -> bool:
    return n is not None and n < min_cases


def headline_value(row: Mapping[str, Any] | None, headline: Headline) -> float | None:
    """The headline's value in one row of its query's result, for the dashboard's tiles and
    the weekly report alike."""
    if not row:
        return None
    return number(row.get(headline.column))
