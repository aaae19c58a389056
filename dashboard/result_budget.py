"""A ceiling on the size of a query file's result (#19).

A KPI or analyst query returns a few thousand rows; a hostile or careless file could return
gigabytes (``select repeat('x', 10000000) from range(100)``) and the app would keep them in
its cache. ``fetch_within`` reads the result as Arrow batches and stops with
``ResultTooLarge`` once they pass the ceiling - an error, not a cut: a KPI is either
complete or not shown. ``kpi check`` runs every file, so the error shows there first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:
    import pyarrow as pa

# Far above any KPI (the largest, cohorts at 2M orders, is well under 1 MB).
MAX_QUERY_RESULT_BYTES = 256 * 1024 * 1024
_BATCH_ROWS = 100_000


class ResultTooLarge(RuntimeError):
    """The result passed ``MAX_QUERY_RESULT_BYTES``; the message says so in one line."""


def _too_large(max_bytes: int) -> ResultTooLarge:
    return ResultTooLarge(
        f"the result is larger than {max_bytes // (1024 * 1024)} MB, the limit for a "
        "query file; aggregate or filter it"
    )


def fetch_within(
    result: duckdb.DuckDBPyConnection, max_bytes: int = MAX_QUERY_RESULT_BYTES
) -> pa.Table:
    """The whole result of an executed statement as one Arrow table, or ``ResultTooLarge``."""
    import pyarrow as pa  # here, not at the top: the command line's rows path never needs it

    reader = result.to_arrow_reader(batch_size=_BATCH_ROWS)
    batches: list[pa.RecordBatch] = []
    size = 0
    for batch in reader:
        size += batch.nbytes
        if size > max_bytes:
            raise _too_large(max_bytes)
        batches.append(batch)
    return pa.Table.from_batches(batches, schema=reader.schema)


def _cell_bytes(value: Any) -> int:
    # Roughly what Arrow would hold: text by its length, everything else a machine word.
    return len(value) if isinstance(value, str | bytes) else 8


def fetch_rows_within(
    result: duckdb.DuckDBPyConnection, max_bytes: int = MAX_QUERY_RESULT_BYTES
) -> tuple[list[tuple[str, str]], list[tuple]]:
    """The same ceiling as ``fetch_within``, for a caller that wants plain Python rows
    without pyarrow (the command line's CSV/JSON path): ((name, DuckDB type), ...) and the
    rows as tuples."""
    columns = [(d[0], str(d[1])) for d in result.description]
    rows: list[tuple] = []
    size = 0
    while batch := result.fetchmany(_BATCH_ROWS):
        size += sum(_cell_bytes(v) for row in batch for v in row)
        if size > max_bytes:
            raise _too_large(max_bytes)
        rows.extend(batch)
    return columns, rows
