"""The five KPIs of shared/spec/kpis.md written the way a pandas user would write them.

This is the *baseline* the benchmark compares the product against ("what would it cost to
do it with a pandas script over the same data?"). It lives inside the benchmark only: the
product computes every KPI in SQL under ``queries/`` and never calls this module.

It is deliberately straightforward - groupby, merge, a loop over periods where a user would
write one - not tuned. tests/test_bench.py checks that it returns the same numbers as
``dashboard.kpis.compute`` so that the speed comparison is a fair one, and
tests/test_kpi_property.py compares the two on random data: it must stay independent of the
SQL (written from the spec's words, sharing no code with ``queries/``).

``as_of`` follows shared/spec/kpis.md "Point in time": events after the end of that day are
dropped, a complaint resolved (or first answered) later is still open (unanswered), and the
period containing the day ends with it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # a pandas script over Parquet (bench/pandas_script.py) needs no DuckDB
    import duckdb

KPI_NAMES = ("retention", "cohorts", "complaints", "satisfaction", "vip_coverage")
FREQ = {"week": "W", "month": "M"}  # pandas "W" = weeks ending Sunday, i.e. ISO Mon-Sun
SLA_HOURS = 24.0
OVERDUE_DAYS = 30


@dataclass
class Tables:
    """The canonical tables as pandas DataFrames (only the columns the KPIs read)."""

    customers: pd.DataFrame
    orders: pd.DataFrame
    complaints: pd.DataFrame
    surveys: pd.DataFrame
    vip_contacts: pd.DataFrame

    @property
    def rows(self) -> int:
        return sum(len(getattr(self, n)) for n in self.__dataclass_fields__)


_COLUMNS = {
    "customers": "customer_id, project, region, is_vip, vip_since, joined_on",
    "orders": "customer_id, project, region, ordered_at",
    "complaints": "project, region, opened_at, first_response_at, resolved_at",
    "surveys": "project, region, submitted_at, csat, nps",
    "vip_contacts": "customer_id, contacted_at, method",
}


def load_tables(con: duckdb.DuckDBPyConnection) -> Tables:
    """Read the tables once (the benchmark does this outside the timed part)."""
    frames = {
        name: con.execute(f"select {cols} from {name}").df() for name, cols in _COLUMNS.items()
    }
    return tables_from_frames(frames)


def tables_from_frames(frames: dict[str, pd.DataFrame]) -> Tables:
    """``Tables`` from one DataFrame per table (read from DuckDB or from Parquet)."""
    frames = {
        name: frames[name][[c.strip() for c in cols.split(",")]] for name, cols in _COLUMNS.items()
    }
    for col in ("vip_since", "joined_on"):
        frames["customers"][col] = pd.to_datetime(frames["customers"][col])
    return Tables(**frames)


def compute(
    tables: Tables,
    kpi: str,
    *,
    grain: str | None = None,
    date_from: date | str | None = None,
    date_to: date | str | None = None,
    projects: Sequence[str] = (),
    regions: Sequence[str] = (),
    as_of: date | str | None = None,
) -> pd.DataFrame:
    """One KPI table with the spec's columns, like ``dashboard.kpis.compute``."""
    if kpi not in _KPIS:
        raise ValueError(f"unknown KPI {kpi!r}; choose one of {', '.join(KPI_NAMES)}")
    grain = grain or ("month" if kpi == "cohorts" else "week")
    if kpi == "cohorts" and grain != "month":
        raise ValueError("cohorts are computed by month only")
    if as_of is not None:
        tables = _as_of(tables, pd.Timestamp(as_of) + pd.Timedelta(days=1))
    cut = None if as_of is None else pd.Timestamp(as_of) + pd.Timedelta(days=1)
    result = _KPIS[kpi](tables, FREQ[grain], list(projects), list(regions), cut)
    first_col = result.columns[0]
    if date_from is not None:
        result = result[result[first_col] >= pd.Timestamp(date_from)]
    if date_to is not None:
        result = result[result[first_col] <= pd.Timestamp(date_to)]
    return result.reset_index(drop=True)


def _as_of(t: Tables, cut: pd.Timestamp) -> Tables:
    """The tables as they were at ``cut`` (the first moment after the as-of day)."""
    complaints = t.complaints[t.complaints["opened_at"] < cut].copy()
    for col in ("resolved_at", "first_response_at"):  # not yet happened: still open
        complaints.loc[complaints[col] >= cut, col] = pd.NaT
    return Tables(
        customers=t.customers,
        orders=t.orders[t.orders["ordered_at"] < cut],
        complaints=complaints,
        surveys=t.surveys[t.surveys["submitted_at"] < cut],
        vip_contacts=t.vip_contacts[t.vip_contacts["contacted_at"] < cut],
    )


def _period_end(period: pd.Period, cut: pd.Timestamp | None) -> pd.Timestamp:
    """Where a period ends: the next one's start, or the as-of cut if that is earlier."""
    end = (period + 1).start_time
    return end if cut is None else min(end, cut)


def _in_scope(df: pd.DataFrame, projects: list[str], regions: list[str]) -> pd.DataFrame:
    mask = pd.Series(True, index=df.index)
    if projects:
        mask &= df["project"].isin(projects)
    if regions:
        mask &= df["region"].isin(regions)
    return df[mask]


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    """num / den, NaN (printed empty) where the denominator is zero."""
    return (num / den.where(den != 0)).astype("float64")


def _all_periods(periods: pd.Series, freq: str) -> pd.PeriodIndex:
    if periods.empty:
        return pd.PeriodIndex([], freq=freq)
    return pd.period_range(periods.min(), periods.max(), freq=freq)


def retention(
    t: Tables, freq: str, projects: list[str], regions: list[str], cut: pd.Timestamp | None
) -> pd.DataFrame:
    orders = _in_scope(t.orders, projects, regions)
    orders = orders.assign(period=orders["ordered_at"].dt.to_period(freq))
    active = orders[["customer_id", "period"]].drop_duplicates()
    periods = _all_periods(active["period"], freq)

    active_count = active.groupby("period").size().reindex(periods, fill_value=0)
    previous = active.assign(period=active["period"] + 1)  # "active last period" moved on
    retained = (
        active.merge(previous, on=["customer_id", "period"])
        .groupby("period")
        .size()
        .reindex(periods, fill_value=0)
    )
    previous_active = active_count.shift(1, fill_value=0)
    first_period = active.groupby("customer_id")["period"].min()
    new = first_period.value_counts().reindex(periods, fill_value=0)

    rate = _ratio(retained, previous_active)
    return pd.DataFrame(
        {
            "period_start": periods.start_time,
            "active_customers": active_count.to_numpy(),
            "previous_active": previous_active.to_numpy(),
            "retained_customers": retained.to_numpy(),
            "new_customers": new.to_numpy(),
            "retention_rate": rate.to_numpy(),
            "churn_rate": (1 - rate).to_numpy(),
        }
    )


def cohorts(
    t: Tables, freq: str, projects: list[str], regions: list[str], cut: pd.Timestamp | None
) -> pd.DataFrame:
    orders = _in_scope(t.orders, projects, regions)
    month = orders["ordered_at"].dt.year * 12 + orders["ordered_at"].dt.month - 1
    active = pd.DataFrame({"customer_id": orders["customer_id"], "month": month}).drop_duplicates()
    cohort = active.groupby("customer_id")["month"].min().rename("cohort")
    active = active.join(cohort, on="customer_id")
    active["months_since_first"] = active["month"] - active["cohort"]
    counts = active.groupby(["cohort", "months_since_first"]).size()
    sizes = cohort.value_counts()
    if sizes.empty:
        return _empty(
            [
                "cohort_month",
                "months_since_first",
                "cohort_size",
                "active_customers",
                "retention_rate",
            ]
        )

    last_month = active["month"].max()
    rows = [
        (c, k, sizes[c], counts.get((c, k), 0))
        for c in sorted(sizes.index)
        for k in range(last_month - c + 1)
    ]
    out = pd.DataFrame(
        rows, columns=["cohort", "months_since_first", "cohort_size", "active_customers"]
    )
    out.insert(
        0,
        "cohort_month",
        pd.to_datetime({"year": out["cohort"] // 12, "month": out["cohort"] % 12 + 1, "day": 1}),
    )
    out["retention_rate"] = _ratio(out["active_customers"], out["cohort_size"])
    return out.drop(columns="cohort").astype(
        {"months_since_first": "int64", "cohort_size": "int64", "active_customers": "int64"}
    )


def complaints(
    t: Tables, freq: str, projects: list[str], regions: list[str], cut: pd.Timestamp | None
) -> pd.DataFrame:
    c = _in_scope(t.complaints, projects, regions)
    c = c.assign(
        period=c["opened_at"].dt.to_period(freq),
        hours=(c["resolved_at"] - c["opened_at"]).dt.total_seconds() / 3600,
        first_hours=(c["first_response_at"] - c["opened_at"]).dt.total_seconds() / 3600,
    )
    c["sla_met"] = c["hours"] <= SLA_HOURS  # NaN (open) compares False: not met
    periods = _all_periods(c["period"], freq)
    g = c.groupby("period")
    out = pd.DataFrame(
        {
            "opened": g.size(),
            "resolved": g["resolved_at"].count(),
            "median_resolution_hours": g["hours"].median(),
            "p90_resolution_hours": g["hours"].quantile(0.9),
            "sla_met": g["sla_met"].sum(),
        }
    ).reindex(periods)
    out["median_first_response_hours"] = g["first_hours"].median().reindex(periods)
    for col in ("opened", "resolved", "sla_met"):
        out[col] = out[col].fillna(0).astype("int64")
    out["sla_met_rate"] = _ratio(out["sla_met"], out["opened"])

    # Backlog at each period's end: a loop over periods, as one would write it.
    backlog = []
    for end in (_period_end(p, cut) for p in periods):
        still_open = (c["opened_at"] < end) & (c["resolved_at"].isna() | (c["resolved_at"] >= end))
        backlog.append(int(still_open.sum()))
    out["backlog_end"] = np.array(backlog, dtype="int64")

    out.insert(0, "period_start", periods.start_time)
    return out.reset_index(drop=True)[
        [
            "period_start",
            "opened",
            "resolved",
            "median_resolution_hours",
            "p90_resolution_hours",
            "sla_met",
            "sla_met_rate",
            "median_first_response_hours",
            "backlog_end",
        ]
    ]


def satisfaction(
    t: Tables, freq: str, projects: list[str], regions: list[str], cut: pd.Timestamp | None
) -> pd.DataFrame:
    s = _in_scope(t.surveys, projects, regions)
    s = s.assign(
        period=s["submitted_at"].dt.to_period(freq),
        satisfied=s["csat"] >= 4,
        promoter=s["nps"] >= 9,
        detractor=s["nps"] <= 6,
    )
    periods = _all_periods(s["period"], freq)
    g = s.groupby("period")
    out = pd.DataFrame(
        {
            "responses": g.size(),
            "csat_avg": g["csat"].mean(),
            "satisfied": g["satisfied"].sum(),
            "nps_responses": g["nps"].count(),
            "promoters": g["promoter"].sum(),
            "detractors": g["detractor"].sum(),
        }
    ).reindex(periods)
    for col in ("responses", "satisfied", "nps_responses", "promoters", "detractors"):
        out[col] = out[col].fillna(0).astype("int64")
    return pd.DataFrame(
        {
            "period_start": periods.start_time,
            "responses": out["responses"].to_numpy(),
            "csat_avg": out["csat_avg"].astype("float64").to_numpy(),
            "satisfied_rate": _ratio(out["satisfied"], out["responses"]).to_numpy(),
            "nps_responses": out["nps_responses"].to_numpy(),
            "nps": (
                100 * _ratio(out["promoters"] - out["detractors"], out["nps_responses"])
            ).to_numpy(),
        }
    )


def vip_coverage(
    t: Tables, freq: str, projects: list[str], regions: list[str], cut: pd.Timestamp | None
) -> pd.DataFrame:
    customers = _in_scope(t.customers, projects, regions)
    vips = customers[customers["is_vip"].fillna(False).astype(bool)]
    contacts = t.vip_contacts.merge(
        vips[["customer_id", "vip_since", "joined_on"]], on="customer_id"
    )
    contacts = contacts.assign(period=contacts["contacted_at"].dt.to_period(freq))
    # A contact counts only when its customer is a VIP in the contact's period.
    last_day = pd.Series(
        [_period_end(p, cut) - pd.Timedelta(days=1) for p in contacts["period"]],
        index=contacts.index,
        dtype="datetime64[ns]",
    )
    is_vip_then = (contacts["vip_since"].isna() | (contacts["vip_since"] <= last_day)) & (
        contacts["joined_on"].isna() | (contacts["joined_on"] <= last_day)
    )
    contacts = contacts[is_vip_then]
    periods = _all_periods(contacts["period"], freq)

    def vips_from(day: pd.Timestamp) -> pd.Series:
        """VIPs whose VIP start (both dates, where given) is on or before ``day``."""
        started = (vips["vip_since"].isna() | (vips["vip_since"] <= day)) & (
            vips["joined_on"].isna() | (vips["joined_on"] <= day)
        )
        return vips[started]["customer_id"]

    rows = []
    for period in periods:  # one pass per period, as one would write it
        end = _period_end(period, cut)
        last = end - pd.Timedelta(days=1)
        window_start = last - pd.Timedelta(days=OVERDUE_DAYS - 1)
        vip_now = vips_from(last)
        due = vips_from(window_start)  # a VIP for the whole window
        mine = contacts[contacts["customer_id"].isin(vip_now)]
        in_period = mine[mine["period"] == period]
        # any contact of the VIP in the window counts, whichever period it fell in
        every = t.vip_contacts
        recent = every[(every["contacted_at"] >= window_start) & (every["contacted_at"] < end)]
        rows.append(
            (
                period.start_time,
                len(vip_now),
                in_period["customer_id"].nunique(),
                int((in_period["method"] == "phone").sum()),
                int((in_period["method"] == "visit").sum()),
                int((~due.isin(recent["customer_id"])).sum()),
            )
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "period_start",
            "vip_customers",
            "vip_contacted",
            "phone_contacts",
            "visit_contacts",
            "overdue_vips",
        ],
    )
    out = out.astype({c: "int64" for c in out.columns[1:]})
    out.insert(3, "coverage_rate", _ratio(out["vip_contacted"], out["vip_customers"]))
    return out


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})


_KPIS: dict[
    str, Callable[[Tables, str, list[str], list[str], pd.Timestamp | None], pd.DataFrame]
] = {
    "retention": retention,
    "cohorts": cohorts,
    "complaints": complaints,
    "satisfaction": satisfaction,
    "vip_coverage": vip_coverage,
}
