"""Headline tiles of the Overview: value, change, good/bad colour, target status, sparkline.

Pure functions over KPI API results (``kpis.compute`` frames): they pick rows and format,
they never compute a KPI. The headline list, the target status thresholds and the
"latest complete week" rule are shared with the weekly report (``dashboard.report``), so
both colour a number the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from dashboard.present.formats import change_text, value_text
from dashboard.present.headlines import (
    HEADLINES,
    MIN_MOVER_BASE,
    MOVER_BASE,
    Headline,
    headline_value,
    number,
    sample_size,
    too_few_cases,
)
from dashboard.present.i18n import t
from dashboard.present.periods import CalendarMonth, IsoWeek
from dashboard.present.status import change_is_good, target_status

SPARK_WEEKS = 12
SECTIONS: dict[str, tuple[str, ...]] = {
    "section_customers": ("active_customers", "retention_rate", "new_customers", "lost_customers"),
    "section_complaints": ("opened", "median_resolution_hours", "sla_met_rate", "backlog_end"),
    "section_satisfaction": ("csat_avg", "satisfied_rate", "nps"),
    "section_vip": ("coverage_rate", "overdue_vips"),
}


@dataclass(frozen=True)
class Tile:
    key: str
    label: str
    value: float | None
    value_text: str
    delta: float | None  # change vs the previous period, in the KPI's unit (rates: fraction)
    delta_text: str | None  # e.g. "+2.1 pp"; None = no comparison
    delta_color: str  # st.metric delta_color: normal | inverse | off
    target_text: str  # "Target 80.0% · off track" (plain, for reports and tests)
    status: str | None  # green | amber | red | None
    target_value_text: str | None = None  # "80.0%", None without a target
    status_text: str | None = None  # "off track"
    spark: list[float | None] = field(default_factory=list)
    spark_labels: list[str] = field(default_factory=list)  # "2026-11-09: 27,274" per value
    help: str = ""
    n: int | None = None  # the cases behind a rate or average (None: a count)
    n_text: str | None = None  # "n = 12" / "样本 12"
    too_few: bool = False  # fewer than min_cases: no verdict, no colour


def delta_color(headline: Headline) -> str:
    """st.metric colours a rise green with 'normal'; 'inverse' when lower is better."""
    if headline.direction is None:
        return "off"
    return "normal" if headline.direction == "higher" else "inverse"


def _by_period(frame: pd.DataFrame | None) -> dict[date, dict[str, object]]:
    """The frame's rows by period start (the first row of a period), converted once: the
    Overview reads 13 tiles and every project's movers from a handful of frames (#14)."""
    if frame is None or frame.empty or "period_start" not in frame.columns:
        return {}
    starts = pd.to_datetime(frame["period_start"]).dt.date
    rows: dict[date, dict[str, object]] = {}
    for start, row in zip(starts, frame.to_dict("records"), strict=True):
        rows.setdefault(start, row)
    return rows


def _spark(
    rows: dict[date, dict[str, object]], headline: Headline, last: date, lang: str
) -> tuple[list[float | None], list[str]]:
    """The last ``SPARK_WEEKS`` periods' values up to ``last``, and a label for each (the
    period's first day and the value as the tile writes it)."""
    shown = sorted(d for d in rows if d <= last)[-SPARK_WEEKS:]
    values = [headline_value(rows[d], headline) for d in shown]
    labels = [
        f"{d.isoformat()}: {value_text(v, headline.unit, lang)}"
        for d, v in zip(shown, values, strict=True)
    ]
    return values, labels


def build_tile(
    headline: Headline,
    frame: pd.DataFrame | None,
    current: date,
    previous: date | None,
    targets: Mapping[str, object],
    lang: str,
    *,
    label_key: str | None = None,
    help_text: str = "",
    min_cases: int = MIN_MOVER_BASE,
    rows: dict[date, dict[str, object]] | None = None,
) -> Tile:
    """One tile from the KPI frame: value at ``current``, change against ``previous``
    (None: no comparison, e.g. a partial month), target and status. A rate resting on
    fewer than ``min_cases`` cases gets no status and no coloured change. ``rows``: the
    frame's rows by period (``_by_period``) when the caller already has them."""
    rows = _by_period(frame) if rows is None else rows
    row = rows.get(current)
    value = headline_value(row, headline)
    n = sample_size(row, headline)
    few = too_few_cases(n, min_cases)
    prev = headline_value(rows.get(previous), headline) if previous else None
    delta = value - prev if value is not None and prev is not None else None
    if delta == 0:  # no change is neither good nor bad news
        delta = 0.0
    target = targets.get(headline.key)
    target_value = getattr(target, "value", None)
    direction = getattr(target, "direction", headline.direction) or "higher"
    status = None if few else target_status(value, target_value, direction, headline.unit)
    status_text = t(f"status_{status}", lang) if status else None
    if few:
        status_text = t("too_few_cases", lang, min=min_cases)
    target_value_text = None
    if target_value is None:
        target_text = t("no_target", lang)
    else:
        target_value_text = value_text(target_value, headline.unit, lang)
        target_text = t("target_line", lang, target=target_value_text, status=status_text or "—")
    spark, spark_labels = _spark(rows, headline, current, lang)
    return Tile(
        key=headline.key,
        label=t(label_key or headline.key, lang),
        value=value,
        value_text=value_text(value, headline.unit, lang),
        delta=delta,
        delta_text=change_text(delta, headline.unit, lang),
        delta_color="off" if delta == 0 or few else delta_color(headline),
        target_text=target_text,
        status=status,
        target_value_text=target_value_text,
        status_text=status_text,
        spark=spark,
        spark_labels=spark_labels,
        help=help_text,
        n=n,
        n_text=None if n is None else t("sample_size", lang, n=f"{n:,}"),
        too_few=few,
    )


def build_tiles(
    weekly: Mapping[str, pd.DataFrame],
    week: IsoWeek | CalendarMonth,
    targets: Mapping[str, object],
    lang: str,
    *,
    vip_month: pd.DataFrame | None = None,
    month_start: date | None = None,
    previous_month: date | None = None,
    mtd_help: str = "",
    min_cases: int = MIN_MOVER_BASE,
) -> dict[str, Tile]:
    """Every headline tile for ``week`` - a week or a month - compared with the one before;
    ``weekly`` holds the KPI frames at that grain.

    VIP coverage is a monthly programme, so its tile shows the month to date from
    ``vip_month`` (monthly vip_coverage rows); ``previous_month`` None means the month is
    still partial and is not compared with a full month.
    """
    tiles: dict[str, Tile] = {}
    by_frame: dict[int, dict[date, dict[str, object]]] = {}  # 13 tiles read 5 frames (#14)

    def rows_of(frame: pd.DataFrame | None) -> dict[date, dict[str, object]]:
        if id(frame) not in by_frame:
            by_frame[id(frame)] = _by_period(frame)
        return by_frame[id(frame)]

    for headline in HEADLINES:
        if headline.key == "coverage_rate" and vip_month is not None and month_start:
            tiles[headline.key] = build_tile(
                headline,
                vip_month,
                month_start,
                previous_month,
                targets,
                lang,
                label_key="coverage_rate_mtd",
                help_text=mtd_help,
                min_cases=min_cases,
                rows=rows_of(vip_month),
            )
            continue
        tiles[headline.key] = build_tile(
            headline,
            weekly.get(headline.kpi),
            week.start,
            week.shift(-1).start,
            targets,
            lang,
            min_cases=min_cases,
            rows=rows_of(weekly.get(headline.kpi)),
        )
    return tiles


@dataclass(frozen=True)
class Mover:
    project: str
    key: str
    current: float
    previous: float
    change: float
    good: bool | None


def _base_ok(row: Mapping[str, object] | None, key: str, min_base: int) -> bool:
    column = MOVER_BASE.get(key)
    if column is None or row is None:
        return row is not None
    base = number(row.get(column))
    return base is not None and base >= min_base


def _two_periods_by_project(
    frame: pd.DataFrame | None, current: date, previous: date
) -> dict[object, dict[date, dict[str, object]]]:
    """Each project's first row of ``current`` and of ``previous``, converted once for the
    whole frame rather than per project (#14: 16 projects x 4 KPIs on every Overview run).
    Rows without a project are left out, as a group-by leaves them out."""
    if frame is None or frame.empty or "project" not in frame.columns:
        return {}
    if "period_start" not in frame.columns:
        return {}
    starts = pd.to_datetime(frame["period_start"]).dt.date
    wanted = (starts == current) | (starts == previous)
    wanted &= frame["project"].notna()
    picked = frame[wanted.to_numpy()]
    rows: dict[object, dict[date, dict[str, object]]] = {}
    for start, row in zip(starts[wanted.to_numpy()], picked.to_dict("records"), strict=True):
        rows.setdefault(row["project"], {}).setdefault(start, row)
    return rows


def biggest_movers(
    by_project: Mapping[str, pd.DataFrame],
    keys: Sequence[str],
    current: date,
    previous: date,
    limit: int = 6,
    min_base: int = MIN_MOVER_BASE,
) -> list[Mover]:
    """Largest absolute changes between two periods, over projects and rate KPIs.

    ``by_project`` maps a KPI query id to its ``by='project'`` frame covering both periods.
    Projects with fewer than ``min_base`` cases behind a rate in either period are left out.
    """
    from dashboard.present.headlines import BY_KEY

    movers: list[Mover] = []
    for key in keys:
        headline = BY_KEY[key]
        rows = _two_periods_by_project(by_project.get(headline.kpi), current, previous)
        for project in sorted(rows):
            row_now, row_before = rows[project].get(current), rows[project].get(previous)
            if not (_base_ok(row_now, key, min_base) and _base_ok(row_before, key, min_base)):
                continue
            now = headline_value(row_now, headline)
            before = headline_value(row_before, headline)
            if now is None or before is None or now == before:
                continue
            change = now - before
            movers.append(
                Mover(
                    str(project),
                    key,
                    now,
                    before,
                    change,
                    change_is_good(change, headline.direction),
                )
            )
    movers.sort(key=lambda m: (-abs(m.change), m.project, m.key))
    return movers[:limit]
