"""A sandboxed, read-only DuckDB connection and a guarded run of one analyst query.

The connection (``open_sandbox``) is a reader of ``dashboard.db`` (the file ATTACHed
READ_ONLY, then ``db.lock_down``: external access, extension autoload/autoinstall and the
configuration off) with the SQL lab's own, smaller limits on memory and threads.

DuckDB calls these settings defence in depth, not a sandbox, so ``run_query`` first passes
the text through ``statement.check_statement``, then runs it bounded in every dimension:

* time: a timer thread calls ``con.interrupt()``; whichever layer then raises (DuckDB, or
  pyarrow's ``OSError: INTERRUPT`` while batches are fetched) it is reported as the time
  limit;
* rows: at most ``max_rows + 1`` rows are fetched, so truncation can be reported;
* bytes: the query is wrapped so every text cell is cut at ``max_cell_chars`` (nested and
  binary values are shown as text, cut the same way) and batches are fetched only until
  their Arrow size passes ``max_result_bytes`` - the issue's
  ``select repeat('x', 10000000) from range(100)`` (1 GB) returns 100 short cells;
* concurrency: at most ``max_concurrent`` SQL-lab queries run at once per process; one
  more is refused at once with "busy" (``QueryStopped("busy")``), never queued.

A fresh connection is used per query: nothing one query does (or breaks) reaches the next
one. Every message a user sees passes ``messages.redact_paths``: no server path.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.db import DatabaseMissing, ReaderLimits
from dashboard.pipeline import connect_readonly
from dashboard.redaction import redact_paths
from dashboard.settings import SqlLabLimits
from dashboard.sql_statement import MAX_SQL_CHARS, Refused, check_statement

_DEFAULTS = SqlLabLimits()
MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one SQL-lab query may use (the ``[sqllab]`` settings plus fixed resources)."""

    timeout_seconds: float = _DEFAULTS.timeout_seconds
    max_rows: int = _DEFAULTS.max_rows
    max_chars: int = MAX_SQL_CHARS
    threads: int = 2
    memory_limit: str = _DEFAULTS.memory_limit
    max_temp_directory_size: str = "256MB"
    max_result_bytes: int = int(_DEFAULTS.max_result_mb * MB)
    max_cell_chars: int = _DEFAULTS.max_cell_chars
    max_concurrent: int = _DEFAULTS.max_concurrent

    @classmethod
    def from_settings(cls, lab: SqlLabLimits) -> Limits:
        return cls(
            timeout_seconds=lab.timeout_seconds,
            max_rows=lab.max_rows,
            memory_limit=lab.memory_limit,
            max_result_bytes=int(lab.max_result_mb * MB),
            max_cell_chars=lab.max_cell_chars,
            max_concurrent=lab.max_concurrent,
        )

    @property
    def reader(self) -> ReaderLimits:
        return ReaderLimits(self.threads, self.memory_limit, self.max_temp_directory_size)

    @property
    def max_result_mb(self) -> str:
        return f"{self.max_result_bytes / MB:g}"


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class LabResult:
    frame: pd.DataFrame  # at most limits.max_rows rows, at most max_result_bytes of Arrow
    truncated: bool  # the query returned more rows than max_rows
    max_rows: int
    kind: str  # SELECT, UNION, DESCRIBE, ...
    seconds: float  # how long the query took (shown to the user, never asserted)
    over_budget: bool = False  # fetching stopped at the byte budget (more rows existed)
    max_result_bytes: int = DEFAULT_LIMITS.max_result_bytes
    cells_cut: bool = False  # at least one text cell was cut at max_cell_chars
    max_cell_chars: int = DEFAULT_LIMITS.max_cell_chars
    arrow_bytes: int = 0  # the size of what was fetched (shown, never asserted on time)


class QueryStopped(RuntimeError):
    """The query did not run to the end.

    ``code``: ``timeout``, ``out_of_memory``, ``too_deep``, ``syntax``, ``denied`` (a
    sandbox setting refused it), ``busy`` (too many SQL-lab queries at once),
    ``unavailable`` (no database) or ``error``; ``detail`` holds the limit or DuckDB's
    first line, with server paths removed."""

    def __init__(self, code: str, message: str, detail: str = "") -> None:
        super().__init__(redact_paths(message))
        self.code = code
        self.detail = redact_paths(detail)


class _Gate:
    """Counts the SQL-lab queries running in this process; refuses one over capacity.

    The capacity is passed per call, so a changed ``[sqllab] max_concurrent`` applies to
    the next query without a restart."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.running = 0

    @contextlib.contextmanager
    def enter(self, capacity: int) -> Iterator[None]:
        with self._lock:
            if self.running >= capacity:
                raise QueryStopped(
                    "busy",
                    f"{self.running} SQL-lab queries are running (the limit is {capacity}); "
                    "try again in a moment",
                    str(capacity),
                )
            self.running += 1
        try:
            yield
        finally:
            with self._lock:
                self.running -= 1


LAB_GATE = _Gate()


def open_sandbox(
    db: str | os.PathLike[str] | None = None, limits: Limits = DEFAULT_LIMITS
) -> duckdb.DuckDBPyConnection:
    """A locked-down read-only connection to the database file (see module docstring)."""
    return connect_readonly(db, limits.reader)


@contextlib.contextmanager
def time_limit(con: duckdb.DuckDBPyConnection, seconds: float) -> Iterator[threading.Event]:
    """Interrupt ``con`` when the block runs longer than ``seconds``.

    Yields an event that is set when the limit fired, so callers can tell a timeout from
    any other interruption. Once fired, the interrupt is repeated every 0.1 s until the
    block ends: DuckDB drops an interrupt that arrives between two statements (e.g. after
    binding, before the fetch starts), and the next statement would then run unbounded."""
    fired = threading.Event()
    done = threading.Event()

    def watch() -> None:
        if done.wait(seconds):
            return
        fired.set()
        while True:
            con.interrupt()
            if done.wait(0.1):
                return

    watcher = threading.Thread(target=watch, name="sqllab-time-limit", daemon=True)
    watcher.start()
    try:
        yield fired
    finally:
        done.set()
        watcher.join()


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    # Display conversion only: integers stay integers with NULLs, decimals become floats.
    fields = [
        pa.field(f.name, pa.float64()) if pa.types.is_decimal(f.type) else f for f in table.schema
    ]
    table = table.cast(pa.schema(fields))

    def mapper(arrow_type: pa.DataType) -> Any:
        return pd.Int64Dtype() if pa.types.is_integer(arrow_type) else None

    return table.to_pandas(types_mapper=mapper, date_as_object=True)


# Column types whose values have a small fixed size: fetched as they are. Text is cut at
# max_cell_chars; everything else (lists, structs, maps, blobs, bit strings, big numbers)
# is shown as its text form, cut the same way - a 1 GB list must not reach Python whole.
_FIXED_TYPES = frozenset(
    {
        "boolean",
        "tinyint",
        "smallint",
        "integer",
        "bigint",
        "hugeint",
        "utinyint",
        "usmallint",
        "uinteger",
        "ubigint",
        "uhugeint",
        "float",
        "double",
        "decimal",
        "date",
        "time",
        "time_tz",
        "time with time zone",
        "timestamp",
        "timestamp_s",
        "timestamp_ms",
        "timestamp_ns",
        "timestamp_tz",
        "timestamp with time zone",
        "interval",
        "uuid",
        "enum",
        "null",
        '"null"',
    }
)
CUT_MARK = "…"
_CUT_FLAG = "__sqllab_cut"
_FIXED_WIDTH = 16  # bytes per fixed-size value in the batch-size estimate


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _bounded_sql(
    sql: str, columns: list[str], type_ids: list[str], max_cell_chars: int
) -> tuple[str, int]:
    """The query wrapped so no cell exceeds ``max_cell_chars`` characters, plus a flag
    column telling whether any cell of the row was cut, and the widest row it can return
    in bytes (for the batch size). Columns are addressed by position (``_lab(c1, ...)``),
    so duplicate or odd result names are kept as they are."""
    cap = int(max_cell_chars)
    aliases = [f"c{i}" for i in range(1, len(columns) + 1)]
    exprs: list[str] = []
    cut_tests: list[str] = []
    row_bytes = 0
    for alias, name, type_id in zip(aliases, columns, type_ids, strict=True):
        if type_id in _FIXED_TYPES:
            exprs.append(f"{alias} as {_quoted(name)}")
            row_bytes += _FIXED_WIDTH
            continue
        text = alias if type_id == "varchar" else f"cast({alias} as varchar)"
        exprs.append(
            f"case when length({text}) > {cap} then left({text}, {cap}) || '{CUT_MARK}' "
            f"else {text} end as {_quoted(name)}"
        )
        cut_tests.append(f"coalesce(length({text}) > {cap}, false)")
        row_bytes += 4 * (cap + 1) + _FIXED_WIDTH  # UTF-8: at most 4 bytes a character
    flag = " or ".join(cut_tests) if cut_tests else "false"
    exprs.append(f"({flag}) as {_CUT_FLAG}")
    wrapped = f"select {', '.join(exprs)}\nfrom (\n{sql}\n) as _lab({', '.join(aliases)})"
    return wrapped, row_bytes + _FIXED_WIDTH


@dataclass
class _Fetched:
    table: pa.Table
    truncated: bool  # more rows than max_rows
    over_budget: bool  # stopped at the byte budget
    cells_cut: bool
    arrow_bytes: int


def _fetch(con: duckdb.DuckDBPyConnection, sql: str, limits: Limits) -> _Fetched:
    relation = con.sql(sql)  # binds the query (names and types) without running a SELECT
    if relation is None:  # cannot happen for the statements check_statement lets through
        raise QueryStopped("error", "the statement returned no result", "no result")
    columns = list(relation.columns)
    type_ids = [str(t.id).lower() for t in relation.types]
    wrapped, row_bytes = _bounded_sql(sql, columns, type_ids, limits.max_cell_chars)
    # Batches small enough that one batch cannot overshoot the budget by much (a quarter).
    rows_per_batch = max(
        1, min(limits.max_rows + 1, 100_000, limits.max_result_bytes // (4 * row_bytes))
    )
    reader = con.execute(wrapped).to_arrow_reader(batch_size=rows_per_batch)
    batches: list[pa.RecordBatch] = []
    rows = size = 0
    over_budget = False
    for batch in reader:
        if size + batch.nbytes > limits.max_result_bytes:
            room = limits.max_result_bytes - size
            keep = int(batch.num_rows * room / batch.nbytes) if batch.nbytes else 0
            if keep > 0:
                batches.append(batch.slice(0, keep))
                rows += keep
            over_budget = True
            break
        batches.append(batch)
        size += batch.nbytes
        rows += batch.num_rows
        if rows > limits.max_rows:  # one row more than the cap tells us there is more
            break
    table = pa.Table.from_batches(batches, schema=reader.schema)
    del batches, reader
    truncated = table.num_rows > limits.max_rows
    table = table.slice(0, limits.max_rows)
    flags = table.column(_CUT_FLAG)
    cells_cut = bool(pc.any(flags).as_py()) if table.num_rows else False
    table = table.drop_columns([_CUT_FLAG])
    # DuckDB renames duplicate names in the wrapper (a, a_1); show the query's own names.
    table = table.rename_columns(columns)
    return _Fetched(table, truncated, over_budget, cells_cut, table.nbytes)


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _syntax_detail(exc: BaseException) -> str:
    """DuckDB's first line plus the position its ``LINE n: ...`` / ``^`` lines point at."""
    lines = str(exc).strip().splitlines()
    first = _first_line(exc)
    for i, line in enumerate(lines):
        match = re.match(r"LINE (\d+): ", line)
        if not match:
            continue
        caret = lines[i + 1].find("^") if i + 1 < len(lines) else -1
        if caret >= match.end() and not line[match.end() :].startswith("..."):
            return f"{first} (line {match.group(1)}, column {caret - match.end() + 1})"
        return f"{first} (line {match.group(1)})"
    return first


def stopped_error(exc: BaseException, limits: Limits, timed_out: bool) -> QueryStopped:
    """The user-facing form of an error raised while a query ran (DuckDB's or pyarrow's)."""
    first = _first_line(exc)
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
    if "expression depth" in first.lower():
        return QueryStopped("too_deep", f"the query is nested too deeply: {first}", first)
    if isinstance(exc, duckdb.ParserException):
        detail = _syntax_detail(exc)
        return QueryStopped("syntax", f"syntax error: {detail}", detail)
    if isinstance(exc, duckdb.PermissionException) or "lock" in first and "config" in first:
        return QueryStopped("denied", f"not allowed in the SQL lab: {first}", first)
    return QueryStopped("error", f"the query failed: {first}", first)


# What a running query can raise: DuckDB's errors, pyarrow's (``OSError: INTERRUPT`` when
# the time limit fires between two batches) and sqlglot-free recursion in DuckDB's binder.
_RUN_ERRORS = (duckdb.Error, pa.ArrowException, OSError, RecursionError)


def run_query(
    sql: str, db: str | os.PathLike[str] | None = None, limits: Limits = DEFAULT_LIMITS
) -> LabResult:
    """Check and run one analyst query. Raises ``Refused`` (not run) or ``QueryStopped``."""
    checked = check_statement(sql, max_chars=limits.max_chars)
    with LAB_GATE.enter(limits.max_concurrent):
        try:
            con = open_sandbox(db, limits)
        except (DatabaseMissing, duckdb.Error) as exc:
            raise QueryStopped(
                "unavailable", f"the database cannot be opened: {_first_line(exc)}", ""
            ) from None
        try:
            started = time.perf_counter()
            with time_limit(con, limits.timeout_seconds) as fired:
                try:
                    fetched = _fetch(con, checked.sql, limits)
                except _RUN_ERRORS as exc:
                    if isinstance(exc, RecursionError):
                        exc = duckdb.Error("expression depth: nested too deeply")
                    raise stopped_error(exc, limits, fired.is_set()) from None
            seconds = time.perf_counter() - started
        finally:
            con.close()
    return LabResult(
        frame=_to_pandas(fetched.table),
        truncated=fetched.truncated,
        max_rows=limits.max_rows,
        kind=checked.kind,
        seconds=seconds,
        over_budget=fetched.over_budget,
        max_result_bytes=limits.max_result_bytes,
        cells_cut=fetched.cells_cut,
        max_cell_chars=limits.max_cell_chars,
        arrow_bytes=fetched.arrow_bytes,
    )


__all__ = [
    "DEFAULT_LIMITS",
    "LAB_GATE",
    "LabResult",
    "Limits",
    "QueryStopped",
    "Refused",
    "open_sandbox",
    "run_query",
    "stopped_error",
    "time_limit",
]
