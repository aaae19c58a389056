"""What a stored copy of derived rows was computed from: a version string of the tables it
read, cheap to check (a few ms at 2M rows: metadata, not data).

The version of a table is its row count, its newest ``_import_id`` (``period_no`` for the
date spine, which has no import id) and its storage layout (``pragma_storage_info``: every
row group's segments and blocks). An import gives replaced rows a new ``_import_id``; a
DELETE by another tool changes the count; an UPDATE by another tool rewrites the row groups
it touches at its checkpoint, which gives them new blocks. Used by the stored KPI rows
(``dashboard.kpi_cache``) and the stored intermediates (``dashboard.materialized``).
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Callable
from typing import TypeVar

import duckdb

T = TypeVar("T")

# connection -> (file, read-only) of its current database: a round trip saved per call
_databases: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_databases_lock = threading.Lock()

# (file key, the caller's key) -> an answer checked against the data version
_answers: dict[tuple, object] = {}
_answers_lock = threading.Lock()
_MAX_ANSWERS = 256
_UNKNOWN = object()

# the column whose maximum changes with every import (the spine has no import id)
_VERSION_COLUMN = {"date_spine": "period_no"}


def data_version_sql(tables: tuple[str, ...]) -> str:
    """One SELECT giving the version of ``tables``; the names come from the callers'
    registries (contract tables), never from a user."""
    parts = ", ".join(
        f"(select concat(count(*), ':', coalesce(max({_VERSION_COLUMN.get(table, '_import_id')}), 0)) "
        f"from {table}), "
        "(select md5(coalesce(string_agg(concat_ws(',', row_group_id, column_id, segment_id, "
        "count, block_id, block_offset, has_updates), ';' "
        "order by row_group_id, column_id, segment_id), '')) "
        f"from pragma_storage_info('{table}'))"
        for table in tables
    )
    return f"select concat_ws('|', {parts})"


def table_versions(con: duckdb.DuckDBPyConnection, tables: tuple[str, ...]) -> dict[str, str]:
    """The version of each table on its own (``composed`` puts them together)."""
    return {table: con.execute(data_version_sql((table,))).fetchone()[0] for table in tables}


def current_version(con: duckdb.DuckDBPyConnection, tables: tuple[str, ...]) -> str:
    """What ``data_version_sql(tables)`` gives now, each table's part remembered per
    read-only file (``remembered_per_file``): the first page after an import checks the
    stored copies of six KPIs and the stored intermediates, most of them reading the same
    tables (orders' storage layout alone is ~20 ms at 2M rows), so each is read once."""
    versions = {
        table: remembered_per_file(
            con, ("table_version", table), lambda table=table: table_versions(con, (table,))[table]
        )
        for table in tables
    }
    return composed(versions, tables)


def composed(versions: dict[str, str], tables: tuple[str, ...]) -> str:
    """What ``data_version_sql(tables)`` gives, from the versions of the tables one by one."""
    return "|".join(versions[table] for table in tables)


def read_only_file_key(con: duckdb.DuckDBPyConnection) -> tuple | None:
    """(file, size, modification time) of a read-only connection's database file, else None.

    While a read-only connection is open nobody can change its file (DuckDB's file lock
    keeps writers out), so a check of the data version made on it holds for as long as this
    key is the same: callers remember their answer under it instead of re-reading the
    storage layout (a few ms) on every call. A read-write or in-memory connection gets None:
    check every time.
    """
    row = _database_of(con)
    if row is None or not row[1] or not row[0]:
        return None
    try:
        st = os.stat(row[0])
    except OSError:
        return None
    return (row[0], st.st_size, st.st_mtime_ns)


def remembered_per_file(con: duckdb.DuckDBPyConnection, key: tuple, check: Callable[[], T]) -> T:
    """``check()``, remembered under ``key`` for as long as ``con``'s file is unchanged
    (``read_only_file_key``); on a read-write or in-memory connection, ``check()`` every time.
    ``key`` must name everything the answer depends on besides the file (definition hashes,
    the KPI...)."""
    file_key = read_only_file_key(con)
    if file_key is None:
        return check()
    full = (*file_key, *key)
    with _answers_lock:
        known = _answers.get(full, _UNKNOWN)
    if known is not _UNKNOWN:
        return known  # type: ignore[return-value]
    answer = check()
    with _answers_lock:
        if len(_answers) >= _MAX_ANSWERS:
            _answers.clear()
        _answers[full] = answer
    return answer


def _database_of(con: duckdb.DuckDBPyConnection) -> tuple | None:
    # The connections the API is given (read-only snapshots, writers) never switch their
    # current database after they are opened (dashboard.db does its ATTACH/USE first).
    with _databases_lock:
        known = _databases.get(con)
    if known is None:
        known = con.execute(
            "select path, readonly from duckdb_databases() where database_name = current_database()"
        ).fetchone()
        with _databases_lock:
            _databases[con] = known
    return known
