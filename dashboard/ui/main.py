"""Placeholder until the dashboard issue lands: shows what is in the database."""

from __future__ import annotations

import streamlit as st

from dashboard.db import Snapshot


@st.cache_resource
def _snapshot() -> Snapshot:
    return Snapshot()


def run() -> None:
    st.set_page_config(page_title="Service KPI dashboard", layout="wide")
    st.title("Service-quality KPI dashboard / 服务质量KPI看板")
    con = _snapshot().cursor()
    counts = con.execute(
        "select table_name, estimated_size from duckdb_tables() order by table_name"
    ).df()
    st.dataframe(counts, hide_index=True)
