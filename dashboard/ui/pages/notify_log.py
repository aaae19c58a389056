"""The delivery log on the Data page (for whoever runs the dashboard): what was sent, when,
the channel's answer, and the failures and unknown deliveries that need an operator."""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from dashboard.notify.log import deliveries_frame, failures_frame
from dashboard.notify.words import ui_word
from dashboard.ui import data_access
from dashboard.ui.components import table
from dashboard.ui.context import Context

STATUS_KEYS = {"sent": "status_sent", "failed": "status_failed", "sending": "status_sending"}
COLUMNS = ("last_attempt_at", "rule", "period", "channel", "status", "attempts", "sent_at",
           "answer", "attempted_at", "attempt")  # fmt: skip


def delivery_tables(con: duckdb.DuckDBPyConnection, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(deliveries, failed attempts) with headers and statuses in ``lang``."""
    deliveries = deliveries_frame(con).drop(columns=["title"], errors="ignore")
    failures = failures_frame(con)
    if not deliveries.empty:
        deliveries["status"] = [ui_word(STATUS_KEYS.get(s, s), lang) for s in deliveries["status"]]
    rename = {c: ui_word(f"col_{c}", lang) for c in COLUMNS}
    return deliveries.rename(columns=rename), failures.rename(columns=rename)


def render_delivery_log(ctx: Context) -> None:
    """One self-contained block of the Data page."""
    lang = ctx.lang
    st.markdown(f"##### {ui_word('deliveries', lang)}")
    cur = data_access.cursor()
    try:
        deliveries, failures = delivery_tables(cur, lang)
    finally:
        cur.close()
    if deliveries.empty:
        st.info(ui_word("no_deliveries", lang))
        return
    status = ui_word("col_status", lang)
    waiting = deliveries[status] == ui_word("status_sending", lang)
    failed = deliveries[status] == ui_word("status_failed", lang)
    if waiting.any() or failed.any():
        st.warning(
            ui_word("needs_operator", lang, failed=int(failed.sum()), unknown=int(waiting.sum()))
        )
    table(deliveries, ctx, "notify_deliveries")
    if not failures.empty:
        st.markdown(f"###### {ui_word('failed_attempts', lang)}")
        table(failures, ctx, "notify_failures")
