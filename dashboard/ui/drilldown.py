"""Drill-down (#12): from a number - an Overview tile, a chart point, a ranking row - to the
rows behind it: the detail query of that period (and project), with the sidebar's other
filters kept, in a dialog with a CSV download.

Each detail list is a query file (``DETAIL_OF`` names it), so analysts can add their own.
Turning a click into filters is pure (``drill_from_selection``, ``drill_from_row``) and
tested on its own: AppTest cannot click a chart point or a table row. The dialog opens from
``K_OPEN`` in the session state, which the pages set from those functions' answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from dashboard.present.periods import period_of
from dashboard.ui import data_access
from dashboard.ui.components import table
from dashboard.ui.context import Context
from dashboard.ui.filters import FilterState

# Which detail query stands behind a KPI column (an Overview tile, a ranking, a trend).
DETAIL_OF: dict[str, str] = {
    "retention_rate": "lost_customers",
    "lost_customers": "lost_customers",
    "opened": "complaint_details",
    "median_resolution_hours": "complaint_details",
    "median_first_response_hours": "complaint_details",
    "p90_resolution_hours": "complaint_details",
    "sla_met_rate": "complaint_details",
    "backlog_end": "complaint_details",
    "csat_avg": "survey_responses",
    "satisfied_rate": "survey_responses",
    "nps": "survey_responses",
    "coverage_rate": "overdue_vips",
    "overdue_vips": "overdue_vips",
}
PICK = "pick"  # the name of the point selection a drillable chart carries
K_OPEN = "_drill_open"  # the Drill whose dialog is open
K_SEEN = "_drill_seen"  # selections already opened (a kept selection must not reopen it)


@dataclass(frozen=True)
class Drill:
    """The rows behind one number: ``detail`` (a query id) for the period starting on
    ``period_start``, narrowed to ``project`` if given, computed as of ``as_of`` (None: as
    the page's own numbers are, without one)."""

    detail: str
    grain: str
    period_start: dt.date
    project: str | None = None
    as_of: dt.date | None = None

    @property
    def period(self):
        return period_of(self.grain, self.period_start)


def _day(value: object, periods: Sequence[dt.date]) -> dt.date | None:
    """A selected period start as the period it is. Vega hands temporal fields over as
    epoch milliseconds of the browser's local midnight, so the nearest known period start
    is taken (a day's offset either way is never another week or month)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        moment = pd.Timestamp(value, unit="ms")
    else:
        try:
            moment = pd.Timestamp(value)
        except (TypeError, ValueError):
            return None
    if pd.isna(moment):
        return None
    if not periods:
        return moment.date()
    nearest = min(periods, key=lambda p: abs(pd.Timestamp(p) - moment.tz_localize(None)))
    return nearest if abs(pd.Timestamp(nearest) - moment.tz_localize(None)).days <= 1 else None


def drill_from_selection(
    event: Mapping | None,
    detail: str | None,
    grain: str,
    periods: Sequence[dt.date],
    *,
    project: str | None = None,
    period_start: dt.date | None = None,
    param: str = PICK,
) -> Drill | None:
    """The Drill a chart click asks for, or None (no click, an emptied selection, no detail
    query). ``event`` is what ``st.altair_chart(on_select="rerun")`` returned: its
    ``selection[param]`` lists the picked points' fields (``period_start`` and/or
    ``project``). A chart of one period (a ranking) passes that period as ``period_start``;
    ``project`` is a fixed project when the chart has none."""
    if not detail or not event:
        return None
    selection = event.get("selection") or {}
    points = selection.get(param) or []
    if not points or not isinstance(points[0], Mapping):
        return None
    point = points[0]
    day = _day(point.get("period_start"), periods) if "period_start" in point else period_start
    if day is None:
        return None
    picked = point.get("project", project)
    return Drill(detail, grain, day, str(picked) if picked is not None else None)


def drill_from_row(
    event: Mapping | None,
    rows: pd.DataFrame,
    detail: str | None,
    grain: str,
    period_start: dt.date,
) -> Drill | None:
    """The Drill a selected ranking row asks for: the row's ``project`` in the ranked
    period. ``event`` is ``st.dataframe(on_select="rerun")``'s answer (row positions)."""
    if not detail or not event or rows.empty:
        return None
    selected = (event.get("selection") or {}).get("rows") or []
    if not selected or not 0 <= int(selected[0]) < len(rows):
        return None
    project = rows["project"].iloc[int(selected[0])]
    if project is None or pd.isna(project):
        return None
    return Drill(detail, grain, period_start, str(project))


def filters_for(drill: Drill, state: FilterState) -> FilterState:
    """The sidebar's filters with the drill's project (regions and grain kept)."""
    if drill.project is None:
        return replace(state, grain=drill.grain)
    return replace(state, grain=drill.grain, projects=(drill.project,))


def rows(drill: Drill, state: FilterState) -> pd.DataFrame:
    """The detail rows, through the API every page uses (scope and settings included)."""
    filters = filters_for(drill, state)
    params = {"as_of": drill.as_of} if drill.as_of else {}
    if drill.detail == "overdue_vips":  # the VIPs overdue at the period's end
        return data_access.compute(
            drill.detail, filters, params={"as_of": drill.as_of or drill.period.last_day}
        )
    return data_access.compute(
        drill.detail,
        filters,
        grain=drill.grain,
        date_from=drill.period_start,
        date_to=drill.period_start,
        params=params or None,
    )


# A complaint's SLA status in words, from the two verdicts the query gives (not recomputed)
def sla_status(is_resolved: object, is_sla_met: object) -> str:
    if is_resolved is not True:
        return "sla_status_open"
    return "sla_status_met" if is_sla_met is True else "sla_status_missed"


def readable(frame: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """Complaint rows get an "SLA status" column (met / missed / still open) in place of
    the two booleans it is read from."""
    if not {"is_resolved", "is_sla_met"} <= set(frame.columns):
        return frame
    status = [
        ctx.t(sla_status(r, m))
        for r, m in zip(
            frame["is_resolved"].astype(object), frame["is_sla_met"].astype(object), strict=True
        )
    ]
    at = list(frame.columns).index("is_resolved")
    out = frame.drop(columns=["is_resolved", "is_sla_met"])
    out.insert(at, "sla_status", status)
    return out


def show(drill: Drill, ctx: Context) -> None:
    """The heading, what the rows are, the table and its download."""
    period = drill.period
    label = f"{period.label} ({period.start.isoformat()} – {period.last_day.isoformat()})"
    what = ctx.t(f"drill_{drill.detail}")
    if drill.project:
        what = f"{what} · {drill.project}"
    st.markdown(f"##### {ctx.t('drill_heading', what=what)}")
    st.caption(ctx.t("drill_caption", period=label))
    found = rows(drill, ctx.state)
    if found.empty:
        st.info(ctx.t("drill_none"), icon=":material/filter_alt_off:")
        return
    suffix = f"-{drill.project}" if drill.project else ""
    table(
        readable(found, ctx),
        ctx,
        f"{drill.detail}-{period.label}{suffix}",
        key=f"drill_table_{drill.detail}",
    )


def offer(drill: Drill | None, source: str) -> None:
    """Open ``drill``'s dialog once per new selection on ``source`` (a chart or table key):
    the selection stays in the widget across reruns, the dialog must not reopen each time."""
    seen = st.session_state.setdefault(K_SEEN, {})
    if drill is None:
        seen.pop(source, None)
        return
    if seen.get(source) != drill:
        seen[source] = drill
        st.session_state[K_OPEN] = drill


def render_dialog(ctx: Context) -> None:
    """The open drill's dialog, if any (called once at the end of a page)."""
    drill = st.session_state.pop(K_OPEN, None)
    if isinstance(drill, Drill):

        @st.dialog(ctx.t("rows_behind"), width="large")
        def dialog() -> None:
            show(drill, ctx)

        dialog()
