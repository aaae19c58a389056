"""Small Streamlit building blocks shared by the pages (tables with CSV download, charts,
empty states). Pages stay thin: data_access -> charts/tiles -> these."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.ui.context import Context


def chart(spec: alt.TopLevelMixin, key: str | None = None) -> None:
    st.altair_chart(spec, width="stretch", key=key)


def localised(frame: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """Column headers in the user's language (labels for known KPI columns)."""
    from dashboard.ui.i18n import has

    return frame.rename(columns={c: ctx.t(c) for c in frame.columns if has(c)})


def table(
    frame: pd.DataFrame,
    ctx: Context,
    name: str,
    *,
    column_config: dict | None = None,
    key: str | None = None,
    height: int | str = "auto",
) -> None:
    """A table with a CSV download of exactly what is shown (UTF-8 with BOM for Excel)."""
    shown = localised(frame, ctx)
    st.dataframe(shown, hide_index=True, column_config=column_config, height=height)
    st.download_button(
        ctx.t("download_csv"),
        shown.to_csv(index=False).encode("utf-8-sig"),
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
    from dashboard.ui.i18n import has

    key = f"kind_{kind}"
    return ctx.t(key) if has(key) else str(kind)
