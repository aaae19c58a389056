"""The DuckDB engine: run a prepared query's own SQL on a connection (the default engine).

Below the KPI API (``dashboard.kpis`` re-exports ``run_arrow``/``run_rows``), so the engine
registry (``dashboard.engines``) does not import the API back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb

from dashboard.prepared import PreparedQuery
from dashboard.result_budget import ResultTooLarge, fetch_rows_within, fetch_within

if TYPE_CHECKING:
    import pyarrow as pa


def _failed(prepared: PreparedQuery, exc: Exception) -> RuntimeError:
    query = prepared.query
    text = str(exc)
    # error('...') in a query file speaks to the user (e.g. a year the working calendar
    # does not cover): drop DuckDB's class prefix, keep the words
    if isinstance(exc, duckdb.InvalidInputException):
        text = text.removeprefix("Invalid Input Error: ")
    return RuntimeError(f"query '{query.id}' ({query.path.name}) failed: {text}")


def run_arrow(con: duckdb.DuckDBPyConnection, prepared: PreparedQuery) -> pa.Table:
    """Run the query's own SQL; the result keeps the ``by_value`` column."""
    try:  # at most MAX_QUERY_RESULT_BYTES: a file cannot fill the app's memory (#19)
        return fetch_within(con.execute(prepared.sql, prepared.bound))
    except (duckdb.Error, ResultTooLarge) as exc:
        raise _failed(prepared, exc) from exc


def run_rows(
    con: duckdb.DuckDBPyConnection, prepared: PreparedQuery
) -> tuple[list[tuple[str, str]], list[tuple]]:
    """``run_arrow`` as ((name, DuckDB type), ...) and tuples, same ceiling and messages."""
    try:
        return fetch_rows_within(con.execute(prepared.sql, prepared.bound))
    except (duckdb.Error, ResultTooLarge) as exc:
        raise _failed(prepared, exc) from exc
