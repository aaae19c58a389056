"""The week's numbers, gathered once: the single place the report's data comes from.

Every number is a value of ``dashboard.kpis.compute`` for the report week and filters (or
the 11 weeks before it, for trends); the HTML and XLSX writers only format this object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import duckdb
import pandas as pd

from dashboard.present.headlines import (
    ACTIVITY_COLUMNS,
    BY_KEY,
    HEADLINE_KPIS,
    HEADLINES,
    MIN_MOVER_BASE,
    MOVER_BASE,
    MOVER_KEYS,
    WEEKLY_KPIS,
    Headline,
    headline_value,
    number,
    sample_size,
    too_few_cases,
)
from dashboard.present.periods import IsoWeek, latest_complete_week
from dashboard.present.status import Direction, Status, Unit, change_is_good, target_status

TREND_WEEKS = 12
MOVERS_SHOWN = 5


@dataclass(frozen=True)
class HeadlineValue:
    key: str
    unit: Unit
    direction: Direction | None
    value: float | None
    previous: float | None
    change: float | None  # value - previous; for rates a fraction (x100 = percentage points)
    change_good: bool | None
    target: float | None
    status: Status | None
    trend: tuple[tuple[date, float | None], ...]  # the 12 weeks up to the report week
    period: str = "week"  # "week", or "month_to_date" for VIP coverage
    period_start: date | None = None  # first day of the period the value is for
    n: int | None = None  # cases behind a rate or average (None: a count)
    too_few: bool = False  # under the settings' min_cases: no status, not a mover


@dataclass(frozen=True)
class ProjectMove:
    project: str
    key: str  # a headline key among MOVER_KEYS
    previous: float
    value: float
    change: float  # fraction; x100 = percentage points


@dataclass
class WeeklyReport:
    week: IsoWeek
    projects: tuple[str, ...]
    regions: tuple[str, ...]
    has_data: bool  # any order, complaint, survey response or VIP contact in the week
    last_event_day: date | None  # the newest event in the database (all kinds)
    latest_complete: IsoWeek | None
    headlines: list[HeadlineValue]
    tables: dict[str, pd.DataFrame]  # kpi id -> weekly rows (kpi show columns), 12 weeks
    improving: list[ProjectMove]
    worsening: list[ProjectMove]
    open_past_sla: pd.DataFrame
    overdue_vips: pd.DataFrame
    freshness: pd.DataFrame
    vip_interval_days: int = 30
    generated_at: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))

    @property
    def headline(self) -> dict[str, HeadlineValue]:
        return {h.key: h for h in self.headlines}


def gather(
    con: duckdb.DuckDBPyConnection,
    *,
    week: IsoWeek | None = None,
    projects: tuple[str, ...] | list[str] = (),
    regions: tuple[str, ...] | list[str] = (),
    settings: Any = None,
    min_mover_base: int | None = None,
) -> WeeklyReport:
    """Compute everything the report shows for ``week`` (default: latest complete week)."""
    from dashboard import kpis  # local: keeps `import dashboard.report` light
    from dashboard.settings import load_settings

    settings = settings if settings is not None else load_settings()
    projects, regions = tuple(projects), tuple(regions)
    scope = {"projects": projects, "regions": regions, "settings": settings}

    freshness = kpis.compute(con, "data_freshness", settings=settings)
    last_event_day = _last_event_day(freshness)
    latest = latest_complete_week(last_event_day) if last_event_day else None
    if week is None:
        week = latest or _this_week()

    # The report of a week is the as-of view of its Sunday (shared/spec/kpis.md): nothing
    # after it has happened, so a past week's report reads as it did that Monday, and the
    # month containing the Sunday gives the month-to-date VIP coverage.
    scope["as_of"] = week.sunday
    first = week.shift(-(TREND_WEEKS - 1))
    # the weekly KPI tables the report prints, and the other queries the headlines read
    sources = {
        kpi: kpis.compute(
            con, kpi, grain="week", date_from=first.monday, date_to=week.monday, **scope
        )
        for kpi in dict.fromkeys(WEEKLY_KPIS + HEADLINE_KPIS)
    }
    tables = {kpi: sources[kpi] for kpi in WEEKLY_KPIS}
    rows = {kpi: _row(frame, week.monday) for kpi, frame in sources.items()}
    prev_rows = {kpi: _row(frame, week.shift(-1).monday) for kpi, frame in sources.items()}
    has_data = any((number(rows[k].get(col)) or 0) > 0 for k, col in ACTIVITY_COLUMNS.items())

    targets = getattr(settings, "targets", {}) or {}
    min_cases = int(getattr(settings, "min_cases", MIN_MOVER_BASE) or MIN_MOVER_BASE)
    if min_mover_base is None:  # the same minimum as the tiles': the settings' min_cases
        min_mover_base = min_cases
    headlines = [
        _headline_value(h, sources[h.kpi], rows[h.kpi], prev_rows[h.kpi], targets, week, min_cases)
        for h in HEADLINES
        if h.key != "coverage_rate"
    ]
    coverage = _coverage_month_to_date(kpis, con, week, scope, targets, min_cases)
    headlines.insert([h.key for h in HEADLINES].index("coverage_rate"), coverage)
    improving, worsening = _movers(kpis, con, week, scope, targets, min_mover_base)

    # Snapshot lists as of the week's last day (the queries look at the end of that day).
    open_past_sla = kpis.compute(con, "open_complaints_past_sla", **scope)
    overdue = kpis.compute(con, "overdue_vips", **scope)
    return WeeklyReport(
        week=week,
        projects=projects,
        regions=regions,
        has_data=has_data,
        last_event_day=last_event_day,
        latest_complete=latest,
        headlines=headlines,
        tables=tables,
        improving=improving,
        worsening=worsening,
        open_past_sla=open_past_sla,
        overdue_vips=overdue,
        freshness=freshness,
        vip_interval_days=int(getattr(settings, "vip_interval_days", 30) or 30),
    )


def _headline_value(
    h: Headline,
    table: pd.DataFrame,
    row: dict[str, Any],
    prev: dict[str, Any],
    targets: dict[str, Any],
    week: IsoWeek,
    min_cases: int = MIN_MOVER_BASE,
) -> HeadlineValue:
    target_setting = targets.get(h.key)
    target = number(getattr(target_setting, "value", None))
    direction = getattr(target_setting, "direction", None) or h.direction
    value, previous = headline_value(row, h), headline_value(prev, h)
    change = None if value is None or previous is None else value - previous
    trend = tuple(
        (week.shift(-i).monday, headline_value(_row(table, week.shift(-i).monday), h))
        for i in reversed(range(TREND_WEEKS))
    )
    n = sample_size(row, h)
    few = too_few_cases(n, min_cases)
    return HeadlineValue(
        key=h.key,
        unit=h.unit,
        direction=direction,
        value=value,
        previous=previous,
        change=change,
        change_good=None if few else change_is_good(change, direction),
        target=target,
        status=None if few else target_status(value, target, direction or "higher", h.unit),
        trend=trend,
        period_start=week.monday,
        n=n,
        too_few=few,
    )


def _coverage_month_to_date(
    kpis: Any,
    con: duckdb.DuckDBPyConnection,
    week: IsoWeek,
    scope: dict,
    targets: dict,
    min_cases: int = MIN_MOVER_BASE,
) -> HeadlineValue:
    """VIP coverage is a monthly programme (target 100 % a month), so, like the dashboard's
    Overview, the report shows the coverage of the month containing the week's last day,
    with the months of the 12-week window as its trend. A month still running at the week's
    end is not compared with the full month before it (change left empty)."""
    h = BY_KEY["coverage_rate"]
    month = week.sunday.replace(day=1)
    first_month = week.shift(-(TREND_WEEKS - 1)).monday.replace(day=1)
    previous_month = (month - timedelta(days=1)).replace(day=1)
    table = kpis.compute(
        con, "vip_coverage", grain="month", date_from=first_month, date_to=month, **scope
    )
    value = headline_value(_row(table, month), h)
    n = sample_size(_row(table, month), h)
    few = too_few_cases(n, min_cases)
    month_complete = (week.sunday + timedelta(days=1)).day == 1
    previous = headline_value(_row(table, previous_month), h) if month_complete else None
    change = None if value is None or previous is None else value - previous
    setting = targets.get(h.key)
    target = number(getattr(setting, "value", None))
    direction = getattr(setting, "direction", None) or h.direction
    months = sorted({pd.Timestamp(d).date() for d in table.get("period_start", [])})
    return HeadlineValue(
        key=h.key,
        unit=h.unit,
        direction=direction,
        value=value,
        previous=previous,
        change=change,
        change_good=None if few else change_is_good(change, direction),
        target=target,
        status=None if few else target_status(value, target, direction or "higher", h.unit),
        trend=tuple((m, headline_value(_row(table, m), h)) for m in months),
        period="month_to_date",
        period_start=month,
        n=n,
        too_few=few,
    )


def _movers(
    kpis: Any,
    con: duckdb.DuckDBPyConnection,
    week: IsoWeek,
    scope: dict,
    targets: dict,
    min_base: int,
) -> tuple[list[ProjectMove], list[ProjectMove]]:
    """Per project, the change of each mover rate between the previous week and this one;
    like the Overview, only projects with ``min_base`` cases behind the rate in both weeks."""
    moves: list[tuple[float, ProjectMove]] = []
    prev_monday = week.shift(-1).monday
    for kpi in sorted({BY_KEY[k].kpi for k in MOVER_KEYS}):
        df = kpis.compute(
            con,
            kpi,
            grain="week",
            date_from=prev_monday,
            date_to=week.monday,
            by="project",
            **scope,
        )
        if df.empty:
            continue
        for project, rows in df.groupby("project", sort=True):
            by_week = {pd.Timestamp(r["period_start"]).date(): r for r in rows.to_dict("records")}
            now, before = by_week.get(week.monday), by_week.get(prev_monday)
            if not now or not before:
                continue
            for key in (k for k in MOVER_KEYS if BY_KEY[k].kpi == kpi):
                base = MOVER_BASE[key]
                if min(number(now.get(base)) or 0, number(before.get(base)) or 0) < min_base:
                    continue
                value, previous = number(now.get(key)), number(before.get(key))
                if value is None or previous is None or value == previous:
                    continue
                setting = targets.get(key)
                direction = getattr(setting, "direction", None) or BY_KEY[key].direction
                good_sign = 1 if direction == "higher" else -1
                move = ProjectMove(str(project), key, previous, value, value - previous)
                moves.append((good_sign * (value - previous), move))
    improving = [m for score, m in sorted(moves, key=lambda x: -x[0]) if score > 0]
    worsening = [m for score, m in sorted(moves, key=lambda x: x[0]) if score < 0]
    return improving[:MOVERS_SHOWN], worsening[:MOVERS_SHOWN]


def _row(df: pd.DataFrame, monday: date) -> dict[str, Any]:
    if df is None or df.empty:
        return {}
    starts = pd.to_datetime(df["period_start"]).dt.date
    hit = df[starts == monday]
    return hit.iloc[0].to_dict() if len(hit) else {}


def _last_event_day(freshness: pd.DataFrame) -> date | None:
    if freshness is None or freshness.empty or "last_event_at" not in freshness:
        return None
    # Customers' joined_on is not an event of any weekly KPI: only the four event kinds count.
    events = freshness[freshness["kind"] != "customers"] if "kind" in freshness else freshness
    last = pd.to_datetime(events["last_event_at"]).max()
    return None if pd.isna(last) else last.date()


def _this_week() -> IsoWeek:
    today = date.today()
    return IsoWeek(today - timedelta(days=today.weekday()))
