"""Small Streamlit building blocks shared by the pages (tables with CSV download, charts,
empty states). Pages stay thin: data_access -> charts/tiles -> these."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import kpis
from dashboard.catalog import QueryFile
from dashboard.present.chart_style import BAD, GOOD
from dashboard.present.formats import (
    MISSING,
    cell_text,
    date_text,
    datetime_text,
    is_missing,
    month_text,
    value_text,
)
from dashboard.present.i18n import has
from dashboard.present.query_labels import column_labels
from dashboard.safe_export import csv_bytes
from dashboard.ui.chart_cache import Recipe, spec_of, vega_lite
from dashboard.ui.charts.parts import PICK
from dashboard.ui.context import Context


def chart(
    spec: alt.TopLevelMixin | Recipe,
    key: str | None = None,
    *,
    hint: str | None = None,
    drill: bool = False,
    values: pd.DataFrame | None = None,
    empty: str | None = None,
):
    """A chart across the column; ``hint`` (e.g. how to zoom) is a small caption below it.
    ``drill``: the chart carries a ``PICK`` selection (a click on a point); the selection
    event is returned (see ``dashboard.ui.drilldown``), nothing else reruns the page.
    ``values``: the columns the chart plots; when none holds a number (a rate of no cases
    in any period) the chart is replaced by ``empty`` ("no data for these filters"), not
    drawn as empty axes. A time chart gets the events on the timeline and holidays (#12,
    ``events_layer``). A ``Recipe`` (``chart_cache.recipe(builder, *inputs)``) is built
    once per input and reused (#14); a built Altair chart is converted on every run."""
    from dashboard.ui import events_layer

    if values is not None and not values.notna().to_numpy().any():
        st.info(empty or "—", icon=":material/filter_alt_off:")
        return None
    if isinstance(spec, Recipe):
        notes, annotate = events_layer.notes()
        drawn = spec_of(spec, notes, annotate)
    else:
        drawn = vega_lite(events_layer.on_chart(spec).copy(deep=True))  # the caller's stays
    if drill:
        event = st.vega_lite_chart(
            spec=drawn, width="stretch", key=key, on_select="rerun", selection_mode=[PICK]
        )
    else:
        event = st.vega_lite_chart(spec=drawn, width="stretch", key=key)
    if hint:
        st.caption(hint)
    return event if drill else None


def localised(frame: pd.DataFrame, ctx: Context, query: QueryFile | None = None) -> pd.DataFrame:
    """Column headers in the user's language: the query file's labels, else the words of
    known KPI columns (``dashboard.present.query_labels``)."""
    return frame.rename(columns=column_labels(query, frame.columns, ctx.lang))


def blank_missing_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing text shown as an empty cell: Streamlit prints a grey "None" otherwise, in
    English whatever the language. Numbers and dates keep their missing values."""
    text = [c for c in frame.columns if _is_text(frame[c])]
    return frame.fillna(dict.fromkeys(text, "")) if text else frame


def _is_text(column: pd.Series) -> bool:
    if isinstance(column.dtype, pd.StringDtype):
        return True
    # object columns of str values and None (e.g. rows built in Python)
    return column.dtype == object and all(isinstance(v, str) for v in column.dropna())


def query_of(name: str) -> QueryFile | None:
    """The query a table shows (``name`` is its id, maybe with a suffix), if it is one."""
    try:
        return kpis.get_query(name.split("-")[0])
    except Exception:  # not a query (e.g. the import summary)
        return None


def column_units(name: str) -> dict[str, str]:
    """The [units] of the query a table shows (none when it shows no query)."""
    query = query_of(name)
    return dict(query.units) if query is not None else {}


def _formatter(column: pd.Series, unit: str | None, ctx: Context):
    """A display function for one column (``dashboard.present.formats``): units, words for
    booleans, '—' for missing, whole numbers without float noise, date columns as days and
    time columns to the minute."""
    lang = ctx.lang
    present = column.dropna()
    if pd.api.types.is_bool_dtype(column) or (
        len(present) and all(isinstance(v, bool) for v in present)
    ):
        return lambda v: cell_text(v, None, lang)
    if pd.api.types.is_datetime64_any_dtype(column):
        days = bool(len(present)) and bool((present == present.dt.normalize()).all())
        shown = date_text if days else datetime_text
        return lambda v: MISSING if is_missing(v) else shown(pd.Timestamp(v), lang)
    if pd.api.types.is_float_dtype(column) and unit is None:
        # ranks and counts that became floats (a NULL in the column) stay whole numbers
        whole = len(present) and all(float(v).is_integer() for v in present)
        unit = "count" if whole else "decimal"
    if pd.api.types.is_numeric_dtype(column):
        return lambda v: cell_text(v, unit, lang)
    # a value with its own word (kind 'orders', flow 'lost', sla_clock 'calendar') reads
    # as that word in the user's language; other text as it is
    name = str(column.name)
    if any(has(f"{name}_{v}") for v in present.unique()[:100]):
        return lambda v: (
            "" if is_missing(v) else ctx.t(f"{name}_{v}") if has(f"{name}_{v}") else str(v)
        )
    return lambda v: "" if is_missing(v) else str(v)


# Rows of a table drawn on screen; the CSV download always has every row.
MAX_SHOWN_ROWS = 1_000


def table(
    frame: pd.DataFrame,
    ctx: Context,
    name: str,
    *,
    column_config: dict | None = None,
    key: str | None = None,
    height: int | str = "auto",
    colour: dict[str, Sequence[bool | None]] | None = None,
    units: dict[str, str] | None = None,
    select_row: bool = False,
):
    """A table with a CSV download of its rows (full precision; UTF-8 with BOM for Excel;
    text that Excel would run as a formula is neutralised, see ``dashboard.safe_export``).

    On screen every value reads as a person expects in either language: rates as
    percentages, hours with one decimal, whole numbers without ".000000", booleans as
    words, missing values as "—" (never "None" or "nan"), following the query's [units]
    (``units`` overrides them). ``colour`` maps a column to per-row good (green) / bad (red)
    / None flags. ``select_row``: a click selects one row; the selection event is returned
    (the drill-down from a ranking row, see ``dashboard.ui.drilldown``).
    """

    total = len(frame)
    everything = frame
    if total > MAX_SHOWN_ROWS:  # formatting and sending a million rows takes minutes
        frame = frame.head(MAX_SHOWN_ROWS)
        colour = {c: list(flags)[:MAX_SHOWN_ROWS] for c, flags in (colour or {}).items()}
    shown = localised(blank_missing_text(frame), ctx, query_of(name))
    known = {**column_units(name), **(units or {})}
    labels = dict(zip(frame.columns, shown.columns, strict=True))
    formats = {labels[c]: _formatter(frame[c], known.get(c), ctx) for c in frame.columns}
    config = dict(column_config or {})
    # Streamlit draws date/time columns, and missing numbers, itself (as a grey "None"),
    # ignoring the Styler's text: hand it the text. "YYYY-MM-DD HH:MM" still sorts in time
    # order; a number column with a gap sorts as text (the price of never showing "None").
    for original, label in labels.items():
        column = frame[original]
        gap = pd.api.types.is_numeric_dtype(column) and bool(column.isna().any())
        if pd.api.types.is_datetime64_any_dtype(column) or gap:
            shown[label] = [formats[label](v) for v in frame[original]]
            formats[label] = str
    data = shown.style.format(formats)
    if colour:
        styles = {labels.get(c, c): flags for c, flags in colour.items()}

        def paint(column: pd.Series) -> list[str]:
            flags = styles.get(column.name)
            if flags is None:
                return [""] * len(column)
            return [
                f"color: {GOOD}" if f is True else f"color: {BAD}" if f is False else ""
                for f in flags
            ]

        data = data.apply(paint)
    event = (
        st.dataframe(
            data,
            hide_index=True,
            column_config=config,
            height=height,
            on_select="rerun",
            selection_mode="single-row",
            key=f"{key or name}_rows",
        )
        if select_row
        else st.dataframe(data, hide_index=True, column_config=config, height=height)
    )
    if total > MAX_SHOWN_ROWS:
        shown_n, total_n = (value_text(n, "count", ctx.lang) for n in (MAX_SHOWN_ROWS, total))
        st.caption(ctx.t("table_first_rows", shown=shown_n, total=total_n))

        def every_row() -> bytes:  # built when the button is clicked, not on every run
            return csv_bytes(localised(blank_missing_text(everything), ctx, query_of(name)))

        data = every_row
    else:
        data = csv_bytes(shown)
    st.download_button(
        ctx.t("download_csv"),
        data,
        file_name=f"{name}.csv",
        mime="text/csv",
        key=key or f"dl_{name}",
        icon=":material/download:",
        on_click="ignore",  # a download changes nothing on the page: no rerun (#14)
    )
    return event if select_row else None


@contextmanager
def tables_expander(ctx: Context, key: str) -> Iterator[bool]:
    """The collapsed "Data table" section under a page's charts, drawn only once opened
    (#14): its tables with their CSV downloads cost a third of a chart page's load, for a
    section most visits never open. Opening it reruns the page (cached, fast); it stays
    open for the session. Yields whether to draw the tables."""
    box = st.expander(ctx.t("table"), expanded=False, key=key, on_change="rerun")
    with box:
        yield bool(box.open)


def has_rows(frame: pd.DataFrame | None, ctx: Context, message_key: str = "no_match") -> bool:
    """False (after telling the user why) when there is nothing to show."""
    if ctx.is_empty:
        st.info(ctx.t("empty_db"), icon=":material/info:")
        return False
    if frame is None or frame.empty:
        st.info(ctx.t(message_key), icon=":material/filter_alt_off:")
        return False
    return True


def nonzero(frame: pd.DataFrame, columns: Sequence[str]) -> bool:
    """Whether any of ``columns`` has a non-zero value (a period table of only zeros is empty)."""
    present = [c for c in columns if c in frame.columns]
    if not present:
        return False
    return bool((frame[present].fillna(0).astype(float) != 0).to_numpy().any())


def period_label(ctx: Context, start) -> str:
    start = pd.Timestamp(start).date()
    if ctx.state.grain == "month":
        return month_text(start, ctx.lang)
    return ctx.t("week_of", start=start.isoformat())


def kind_label(ctx: Context, kind: object) -> str:
    key = f"kind_{kind}"
    return ctx.t(key) if has(key) else str(kind)
