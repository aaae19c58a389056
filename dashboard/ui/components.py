"""Small Streamlit building blocks shared by the pages (tables with CSV download, charts,
empty states). Pages stay thin: data_access -> charts/tiles -> these."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.safe_export import csv_bytes
from dashboard.ui.charts import BAD, GOOD
from dashboard.ui.context import Context
from dashboard.ui.i18n import has


def chart(spec: alt.TopLevelMixin, key: str | None = None, *, hint: str | None = None) -> None:
    """A chart across the column; ``hint`` (e.g. how to zoom) is a small caption below it."""
    st.altair_chart(spec, width="stretch", key=key)
    if hint:
        st.caption(hint)


def localised(frame: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """Column headers in the user's language (labels for known KPI columns)."""
    return frame.rename(columns={c: ctx.t(c) for c in frame.columns if has(c)})


def blank_missing_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing text shown as an empty cell: Streamlit prints a grey "None" otherwise, in
    English whatever the language. Numbers and dates keep their missing values."""
    text = [c for c in frame.columns if _is_text(frame[c])]
    return frame.fillna(dict.fromkeys(text, "")) if text else frame


def _is_text(column: pd.Series) -> bool:
    if isinstance(column.dtype, pd.StringDtype):
        return True
    # object columns of str values and None (e.g. rows built in Python)
    return column.dtype == object and bool(column.dropna().map(type).eq(str).all())


def table(
    frame: pd.DataFrame,
    ctx: Context,
    name: str,
    *,
    column_config: dict | None = None,
    key: str | None = None,
    height: int | str = "auto",
    colour: dict[str, Sequence[bool | None]] | None = None,
) -> None:
    """A table with a CSV download of exactly what is shown (UTF-8 with BOM for Excel;
    text that Excel would run as a formula is neutralised, see ``dashboard.safe_export``).

    ``colour`` maps a column to per-row good (green) / bad (red) / None flags.
    """
    shown = localised(blank_missing_text(frame), ctx)
    config = {
        ctx.t(c) if has(c) else c: st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")
        for c in frame.columns
        if pd.api.types.is_datetime64_any_dtype(frame[c])
    }
    config.update(column_config or {})
    data = shown
    if colour:
        styles = {ctx.t(c) if has(c) else c: flags for c, flags in colour.items()}

        def paint(column: pd.Series) -> list[str]:
            flags = styles.get(column.name)
            if flags is None:
                return [""] * len(column)
            return [
                f"color: {GOOD}" if f is True else f"color: {BAD}" if f is False else ""
                for f in flags
            ]

        data = shown.style.apply(paint)
    st.dataframe(data, hide_index=True, column_config=config, height=height)
    st.download_button(
        ctx.t("download_csv"),
        csv_bytes(shown),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=key or f"dl_{name}",
        icon=":material/download:",
    )


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
        return ctx.t("month_of", start=start)
    return ctx.t("week_of", start=start.isoformat())


def kind_label(ctx: Context, kind: object) -> str:
    key = f"kind_{kind}"
    return ctx.t(key) if has(key) else str(kind)
