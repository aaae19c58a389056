"""A sandboxed, read-only DuckDB connection and a guarded run of one analyst query.

The connection (``open_sandbox``):

1. an in-memory DuckDB that ATTACHes the database file READ_ONLY (as ``kpi``, then USE),
   the same way as ``dashboard.db.connect_readonly``;
2. ``enable_external_access = false``: no file, network or ATTACH access from SQL
   (read_csv, read_text, COPY ... TO, ATTACH, INSTALL all fail with a permission error);
3. extension auto-install/auto-load off, and limits on threads, memory and temp space;
4. ``lock_configuration = true``: SET/RESET/PRAGMA can no longer undo any of the above.

DuckDB calls these settings defence in depth, not a sandbox, so ``run_query`` first passes
the text through ``statement.check_statement``, then runs it under a time limit (a timer
thread calls ``con.interrupt()``) and fetches at most ``max_rows + 1`` rows so truncation
can be reported. A fresh connection is used per query: nothing one query does (or breaks)
can reach the next one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from dashboard.db import ATTACH_ALIAS, ensure_database
from dashboard.sqllab.statement import MAX_SQL_CHARS, Refused, check_statement


@dataclass(frozen=True)
class Limits:
    """What one SQL-lab query may use."""

    timeout_seconds: float = 15.0
    max_rows: int = 10_000
    max_chars: int = MAX_SQL_CHARS
    threads: int = 2
    memory_limit: str = "1GB"
    max_temp_directory_size: str = "256MB"


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class LabResult:
    frame: pd.DataFrame  # at most limits.max_rows rows
    truncated: bool  # the query returned more rows than max_rows
    max_rows: int
    kind: str  # SELECT, UNION, DESCRIBE, ...
    seconds: float  # how long the query took (shown to the user, never asserted)


class QueryStopped(RuntimeError):
    """The query ran but did not finish: time limit, memory limit or a DuckDB error.

    ``code`` is ``timeout``, ``out_of_memory``, ``denied`` (a sandbox setting refused it)
    or ``error``; ``detail`` holds the limit or DuckDB's message."""

    def __init__(self, code: str, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.detail = detail


def _sql_text(value: str) -> str:
    return value.replace("'", "''")


def _spill_dir() -> Path:
    # DuckDB's default temp directory is '.tmp' under the working directory: keep any spill
    # out of the project checkout.
    path = Path(tempfile.gettempdir()) / f"kpi-sqllab-{os.getuid()}"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def open_sandbox(
    db: str | os.PathLike[str] | None = None, limits: Limits = DEFAULT_LIMITS
) -> duckdb.DuckDBPyConnection:
    """A locked-down read-only connection to the database file (see module docstring)."""
    path = ensure_database(db)
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH '{_sql_text(str(path))}' AS {ATTACH_ALIAS} (READ_ONLY)")
        con.execute(f"USE {ATTACH_ALIAS}")
        # Order matters: the temp directory must be set while file access is still allowed,
        # and lock_configuration must come last.
        con.execute(f"SET temp_directory = '{_sql_text(str(_spill_dir()))}'")
        con.execute("SET enable_external_access = false")
        con.execute("SET autoinstall_known_extensions = false")
        con.execute("SET autoload_known_extensions = false")
        con.execute(f"SET threads = {int(limits.threads)}")
        con.execute(f"SET memory_limit = '{_sql_text(limits.memory_limit)}'")
        con.execute(f"SET max_temp_directory_size = '{_sql_text(limits.max_temp_directory_size)}'")
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


@contextlib.contextmanager
def time_limit(con: duckdb.DuckDBPyConnection, seconds: float) -> Iterator[threading.Event]:
    """Interrupt ``con`` when the block runs longer than ``seconds``.

    Yields an event that is set when the limit fired, so callers can tell a timeout from
    any other interruption."""
    fired = threading.Event()

    def stop() -> None:
        fired.set()
        con.interrupt()

    timer = threading.Timer(seconds, stop)
    timer.daemon = True
    timer.start()
    try:
        yield fired
    finally:
        timer.cancel()


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    # Display conversion only: integers stay integers with NULLs, decimals become floats.
    fields = [
        pa.field(f.name, pa.float64()) if pa.types.is_decimal(f.type) else f for f in table.schema
    ]
    table = table.cast(pa.schema(fields))

    def mapper(arrow_type: pa.DataType) -> Any:
        return pd.Int64Dtype() if pa.types.is_integer(arrow_type) else None

    return table.to_pandas(types_mapper=mapper, date_as_object=True)


def _fetch(con: duckdb.DuckDBPyConnection, sql: str, max_rows: int) -> tuple[pa.Table, bool]:
    reader = con.execute(sql).to_arrow_reader(batch_size=min(max_rows + 1, 100_000))
    batches: list[pa.RecordBatch] = []
    rows = 0
    for batch in reader:
        batches.append(batch)
        rows += batch.num_rows
        if rows > max_rows:  # one row more than the cap tells us there is more
            break
    table = pa.Table.from_batches(batches, schema=reader.schema)
    return table.slice(0, max_rows), rows > max_rows


def stopped_error(exc: duckdb.Error, limits: Limits, timed_out: bool) -> QueryStopped:
    """The user-facing form of a DuckDB error raised while a query ran."""
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if timed_out or isinstance(exc, duckdb.InterruptException):
        return QueryStopped(
            "timeout",
            f"stopped after the time limit of {limits.timeout_seconds:g} s; narrow the query "
            "(fewer rows, an aggregate, a filter)",
            f"{limits.timeout_seconds:g}",
        )
    if isinstance(exc, duckdb.OutOfMemoryException):
        return QueryStopped(
            "out_of_memory",
            f"stopped: the query needs more than the memory limit of {limits.memory_limit}",
            limits.memory_limit,
        )
    if isinstance(exc, duckdb.PermissionException) or "lock" in first and "config" in first:
        return QueryStopped("denied", f"not allowed in the SQL lab: {first}", first)
    return QueryStopped("error", f"the query failed: {first}", first)


def run_query(
    sql: str, db: str | os.PathLike[str] | None = None, limits: Limits = DEFAULT_LIMITS
) -> LabResult:
    """Check and run one analyst query. Raises ``Refused`` (not run) or ``QueryStopped``."""
    checked = check_statement(sql, max_chars=limits.max_chars)
    con = open_sandbox(db, limits)
    try:
        started = time.perf_counter()
        with time_limit(con, limits.timeout_seconds) as fired:
            try:
                table, truncated = _fetch(con, checked.sql, limits.max_rows)
            except duckdb.Error as exc:
                raise stopped_error(exc, limits, fired.is_set()) from None
        seconds = time.perf_counter() - started
    finally:
        con.close()
    return LabResult(_to_pandas(table), truncated, limits.max_rows, checked.kind, seconds)


__all__ = [
    "DEFAULT_LIMITS",
    "LabResult",
    "Limits",
    "QueryStopped",
    "Refused",
    "open_sandbox",
    "run_query",
    "time_limit",
]
