"""The DuckDB engine: run a prepared query's own SQL on a connection (the default engine).

Below the KPI API (``dashboard.kpis`` re-exports ``run_arrow``), so the engine registry
(``dashboard.engines``) does not import the API back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb

from dashboard.prepared import PreparedQuery
from dashboard.sqllab.result_budget import ResultTooLarge, fetch_within

if TYPE_CHECKING:
    import pyarrow as pa


def run_arrow(con: duckdb.DuckDBPyConnection, prepared: PreparedQuery) -> pa.Table:
    """Run the query's own SQL; the result keeps the ``by_value`` column."""
    try:  # at most MAX_QUERY_RESULT_BYTES: a file cannot fill the app's memory (#19)
        return fetch_within(con.execute(prepared.sql, prepared.bound))
    except (duckdb.Error, ResultTooLarge) as exc:
        query = prepared.query
        text = str(exc)
        # error('...') in a query file speaks to the user (e.g. a year the working calendar
        # does not cover): drop DuckDB's class prefix, keep the words
        if isinstance(exc, duckdb.InvalidInputException):
            text = text.removeprefix("Invalid Input Error: ")
        raise RuntimeError(f"query '{query.id}' ({query.path.name}) failed: {text}") from exc
