"""Events and public holidays drawn on a time chart (#12). Pure: a chart in, a chart out.

``annotate(chart, events, holidays, lang)`` finds the chart's time axis (a temporal ``x``
of any layer, e.g. ``period_start``) and the dates its data spans, and adds layers on the
same axis, so zooming and panning move them with the data:

* an event of one day: a dashed purple rule with a triangle at the top;
* an event over several days: a light purple band from its first to the end of its last day;
* a public holiday run: a light grey band.

Each carries a tooltip (title, dates, where it applies / the holiday's name), drawn above
the data so pointing at it reads it. Only what overlaps the chart's dates is drawn (an event
outside would stretch the axis); ranges are clipped to them. Charts without a time axis,
and charts without events or holidays, come back unchanged (the same object).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import altair as alt
import pandas as pd

from dashboard.events.holidays import HolidayBand
from dashboard.present.i18n import t

EVENT_COLOUR = "#6a3d9a"  # purple: not a series colour, not the red target
HOLIDAY_COLOUR = "#9e9e9e"
EVENT_LAYER = "timeline_events"  # layer names, so tests and the browser can find them
RANGE_LAYER = "timeline_ranges"
HOLIDAY_LAYER = "timeline_holidays"


def time_extent(chart: alt.TopLevelMixin) -> tuple[object, pd.Timestamp, pd.Timestamp] | None:
    """(x channel, first, last) of the chart's temporal x axis over its layers' data."""
    found: list[tuple[object, pd.Timestamp, pd.Timestamp]] = []
    for layer, data in _layers(chart, None):
        encoding = getattr(layer, "encoding", alt.Undefined)
        if data is None or encoding is alt.Undefined or data.empty:
            continue
        channel = getattr(encoding, "x", alt.Undefined)
        field = _temporal_field(channel)
        if not field or field not in data.columns:
            continue
        values = pd.to_datetime(data[field], errors="coerce").dropna()
        end_field = _field(getattr(encoding, "x2", alt.Undefined))
        ends = (
            pd.to_datetime(data[end_field], errors="coerce").dropna()
            if end_field and end_field in data.columns
            else values + _last_day_offset(values)
        )
        if len(values):
            found.append((channel, values.min(), max(ends.max(), values.max())))
    if not found:
        return None
    return found[0][0], min(f[1] for f in found), max(f[2] for f in found)


def _last_day_offset(values: pd.Series) -> pd.Timedelta:
    """A point stands for its period (a week's Monday, a month's first day): an event later
    in the last period belongs to the chart too. The period is the smallest gap between the
    points (a week when there is one point)."""
    gaps = pd.Series(sorted(values.unique())).diff().dropna()
    step = gaps.min() if len(gaps) else pd.Timedelta(days=7)
    return min(step, pd.Timedelta(days=31)) - pd.Timedelta(days=1)


def _layers(
    chart: object, inherited: pd.DataFrame | None
) -> list[tuple[alt.Chart, pd.DataFrame | None]]:
    """Every unit chart with the data it draws (Altair moves data shared by all layers up
    to the layer chart)."""
    own = getattr(chart, "data", alt.Undefined)
    data = own if isinstance(own, pd.DataFrame) else inherited
    if isinstance(chart, alt.LayerChart):
        return [leaf for layer in chart.layer for leaf in _layers(layer, data)]
    if isinstance(chart, alt.Chart):
        return [(chart, data)]
    return []  # concatenated, faceted, repeated charts: not annotated


def _field(channel: object) -> str | None:
    if channel is alt.Undefined or channel is None:
        return None
    if isinstance(channel, str):
        return alt.utils.parse_shorthand(channel).get("field")
    field = getattr(channel, "field", alt.Undefined)
    if isinstance(field, str):
        return field
    shorthand = getattr(channel, "shorthand", alt.Undefined)
    if isinstance(shorthand, str):
        return alt.utils.parse_shorthand(shorthand).get("field")
    return None


def _temporal_field(channel: object) -> str | None:
    if channel is alt.Undefined or channel is None:
        return None
    shorthand = channel if isinstance(channel, str) else getattr(channel, "shorthand", None)
    parsed = alt.utils.parse_shorthand(shorthand) if isinstance(shorthand, str) else {}
    kind = parsed.get("type") or getattr(channel, "type", None)
    if kind != "temporal":
        return None
    return _field(channel)


def _dates_text(first: dt.date, last: dt.date, lang: str) -> str:
    if first == last:
        return first.isoformat()
    days = (last - first).days + 1
    return t("event_range", lang, start=first.isoformat(), end=last.isoformat(), days=days)


def _applies(projects: str, regions: str, lang: str) -> str:
    parts = [p for p in (projects, regions) if p]
    sep = "；" if lang == "zh" else "; "
    return sep.join(parts) if parts else t("event_everywhere", lang)


def event_frame(
    events: pd.DataFrame | None, first: pd.Timestamp, last: pd.Timestamp, lang: str
) -> pd.DataFrame:
    """The events (rows of ``queries/events.sql``) overlapping first..last, ready to draw:
    start/end clipped to the chart, and the tooltip's texts."""
    columns = ["start", "end", "top", "is_range", "event", "dates", "applies"]
    if events is None or events.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for event in events.itertuples(index=False):
        starts = pd.Timestamp(event.starts_on)
        last_day = pd.Timestamp(event.ends_on) if pd.notna(event.ends_on) else starts
        if last_day < first.normalize() or starts > last:
            continue
        title_zh = getattr(event, "title_zh", None)
        title = title_zh if lang == "zh" and isinstance(title_zh, str) and title_zh else event.title
        rows.append(
            {
                "start": max(starts, first),
                "end": min(last_day + pd.Timedelta(days=1), last),  # to the end of its day
                "top": 0,
                "is_range": last_day > starts,
                "event": str(title),
                "dates": _dates_text(starts.date(), last_day.date(), lang),
                "applies": _applies(
                    _text(getattr(event, "projects", "")),
                    _text(getattr(event, "regions", "")),
                    lang,
                ),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def holiday_frame(
    holidays: Sequence[HolidayBand], first: pd.Timestamp, last: pd.Timestamp, lang: str
) -> pd.DataFrame:
    rows = [
        {
            "start": max(pd.Timestamp(b.first_day), first),
            "end": min(pd.Timestamp(b.last_day) + pd.Timedelta(days=1), last),
            "holiday": b.name,
            "dates": _dates_text(b.first_day, b.last_day, lang),
        }
        for b in holidays
        if pd.Timestamp(b.last_day) >= first.normalize() and pd.Timestamp(b.first_day) <= last
    ]
    return pd.DataFrame(rows, columns=["start", "end", "holiday", "dates"])


def _event_tooltip(lang: str) -> list[alt.Tooltip]:
    return [
        alt.Tooltip("event:N", title=t("event", lang)),
        alt.Tooltip("dates:N", title=t("event_dates", lang)),
        alt.Tooltip("applies:N", title=t("event_applies_to", lang)),
    ]


def _x_like(channel: object) -> alt.X:
    """An x on ``start`` with the chart's own axis and title: layers sharing a scale merge
    their axes, and a different (or no) axis here would change the chart's."""
    own = channel.to_dict() if isinstance(channel, alt.X) else {}
    kept = {k: v for k, v in own.items() if k in ("title", "axis")}
    return alt.X.from_dict({"field": "start", "type": "temporal", **kept})


def layers(
    events: pd.DataFrame, holidays: pd.DataFrame, lang: str, x_channel: object = None
) -> tuple[list, list]:
    """(layers below the data, layers above it); empty frames give no layer. Bands go below
    (pointing at a bar inside one still reads the bar), rules and markers above."""
    below: list[alt.Chart] = []
    above: list[alt.Chart] = []
    x = _x_like(x_channel)
    if not holidays.empty:
        below.append(
            alt.Chart(holidays, name=HOLIDAY_LAYER)
            .mark_rect(color=HOLIDAY_COLOUR, opacity=0.16)
            .encode(
                x=x,
                x2="end:T",
                tooltip=[
                    alt.Tooltip("holiday:N", title=t("holiday", lang)),
                    alt.Tooltip("dates:N", title=t("event_dates", lang)),
                ],
            )
        )
    if events.empty:
        return below, above
    ranges = events[events["is_range"]]
    if not ranges.empty:
        below.append(
            alt.Chart(ranges, name=RANGE_LAYER)
            .mark_rect(color=EVENT_COLOUR, opacity=0.12)
            .encode(x=x, x2="end:T", tooltip=_event_tooltip(lang))
        )
    days = events[~events["is_range"]]
    if not days.empty:
        above.append(
            alt.Chart(days, name=EVENT_LAYER)
            .mark_rule(color=EVENT_COLOUR, strokeDash=[4, 3], strokeWidth=1.5)
            .encode(x=x, tooltip=_event_tooltip(lang))
        )
    # a marker at the top of every event: easier to point at than a 1.5 px line
    above.append(
        alt.Chart(events, name=f"{EVENT_LAYER}_marker")
        .mark_point(shape="triangle-down", filled=True, size=90, color=EVENT_COLOUR, opacity=0.9)
        .encode(x=x, y=alt.value(4), tooltip=_event_tooltip(lang))
    )
    return below, above


def annotate(
    chart: alt.TopLevelMixin,
    events: pd.DataFrame | None,
    holidays: Sequence[HolidayBand],
    lang: str,
) -> alt.TopLevelMixin:
    """``chart`` with the events and holidays that overlap its dates (see module docstring)."""
    extent = time_extent(chart)
    if extent is None:
        return chart
    channel, first, last = extent
    below, above = layers(
        event_frame(events, first, last, lang),
        holiday_frame(holidays, first, last, lang),
        lang,
        channel,
    )
    if not below and not above:
        return chart
    config = chart.config
    if isinstance(chart, alt.LayerChart):
        out = chart.copy(deep=False)
        out.layer = [*below, *chart.layer, *above]
        return out
    inner = chart.copy(deep=False)
    top = {k: getattr(chart, k) for k in ("height", "width", "title", "autosize")}
    for key in (*top, "config"):
        setattr(inner, key, alt.Undefined)
    out = alt.LayerChart(layer=[*below, inner, *above])
    for key, value in top.items():
        if value is not alt.Undefined:
            setattr(out, key, value)
    out.config = config
    return out
