"""Stored intermediates (#13): ``int_*`` query files marked ``materialize = true`` are
written as tables in the schema ``materialized`` of the database file at every import, and
the queries that read them then read the table instead of computing it.

Why: a filter on a project or region must not recompute every customer's active periods
over all history (``int_activity_counts``: ~3M customer-periods at 2M orders become ~0.2M
counted rows). A stored intermediate is written with no filter (its ``projects``,
``regions`` and ``as_of``, if it declares them, bound as "none"), so it is the answer for
every filter: the files that read it apply theirs (unlike the stored final rows of
``dashboard.kpi_cache``, which only answer the unfiltered call). Settings it reads are bound
with the import's values and are part of its definition.

When a stored table is used: its definition hash (the rendered SQL and the settings values
it binds) and the data version of
the tables it reads (``dashboard.data_version``: row counts, newest import, storage layout)
equal those recorded when it was written. Otherwise the intermediate is computed inline, as
if nothing were stored: the same rows, slower. An UPDATE made with another tool therefore
never shows stale rows, and the next import (or ``refresh``) rewrites the table.

Checking the data version costs a few ms at 2M rows, too much for every call. A read-only
connection sees a file nobody can change while it is open (DuckDB's file lock keeps writers
out), so its answer is remembered per (file, size, modification time); a read-write
connection is checked on every call.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import duckdb

from dashboard.catalog import (
    NO_FILTER,
    SETTINGS_PARAMS,
    STORED_SCHEMA,
    QueryFile,
    code_only,
    render_sql,
    staging_order,
    used_params,
)
from dashboard.data_version import (
    composed,
    current_version,
    data_version_sql,
    remembered_per_file,
)
from dashboard.prepared import PreparedQuery
from dashboard.schema import KINDS

_META_TABLE = f"{STORED_SCHEMA}._meta"
# the tables an intermediate can read: the contract tables, the date spine, the events
_SOURCE_TABLES = (*KINDS, "date_spine", "events")
# a name right after AS is one being given (``count(*) as customers``: a column alias), never
# a table being read; it is captured to be skipped
_SOURCE = re.compile(r"((?i:\bas)\s+)?\b(" + "|".join(map(re.escape, _SOURCE_TABLES)) + r")\b")


def stored_ids(queries: dict[str, QueryFile]) -> tuple[str, ...]:
    """The intermediates to store, dependencies first."""
    marked = tuple(q.id for q in queries.values() if q.materialize)
    return tuple(s for s in staging_order(queries, marked) if queries[s].materialize)


def _source_tables(sql: str) -> tuple[str, ...]:
    # every table name the rendered SQL mentions but as an alias: a CTE of the same name
    # only adds a table to watch, never hides one. An alias named like a table (the count
    # column ``customers`` of int_activity_counts) watched a table the query never reads,
    # so an import of customers rebuilt it (~3 s at 2M orders, #14)
    return tuple(sorted({name for alias, name in _SOURCE.findall(code_only(sql)) if not alias}))


@dataclass(frozen=True)
class _Definition:
    sql: str  # the intermediate's SQL, its own views inlined
    bound: dict[str, Any]  # no filter, and the settings it reads
    hash: str  # of both: another SQL text or other settings make another table
    tables: tuple[str, ...]  # the tables it reads


_rendered: dict[tuple, tuple[str, tuple[str, ...], tuple[str, ...]]] = {}


def _render(queries: dict[str, QueryFile], query_id: str) -> tuple[str, tuple, tuple]:
    """(SQL, its parameters, the tables it reads), remembered per text of the files it is
    made of: rendering and scanning the SQL on every call costs more than the query."""
    files = tuple(queries[i].sql for i in staging_order(queries, (query_id,)))
    key = (query_id, files)
    found = _rendered.get(key)
    if found is None:
        sql = render_sql(queries[query_id], queries)
        found = (sql, used_params(sql), _source_tables(sql))
        if len(_rendered) > 64:
            _rendered.clear()
        _rendered[key] = found
    return found


def _definition(
    queries: dict[str, QueryFile], query_id: str, settings: Mapping[str, Any]
) -> _Definition:
    sql, params, tables = _render(queries, query_id)
    bound = {}
    for name in params:
        if name in NO_FILTER:
            bound[name] = NO_FILTER[name]
        elif name in SETTINGS_PARAMS:
            bound[name] = settings[name]
    text = sql + "\n-- bound: " + json.dumps(bound, sort_keys=True, default=str)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return _Definition(sql, bound, digest, tables)


def build(
    con: duckdb.DuckDBPyConnection, queries: dict[str, QueryFile], settings: Mapping[str, Any]
) -> None:
    """Publish step: (re)write every stored intermediate whose definition or data changed.
    ``settings``: the values bound as settings parameters (``Settings.sql_params()``).

    A failure only warns: without the table the intermediate is computed inline."""
    ids = stored_ids(queries)
    if not ids:
        return
    # the data version includes the storage layout, which a checkpoint settles
    con.execute("checkpoint")
    con.execute(f"create schema if not exists {STORED_SCHEMA}")
    con.execute(
        f"create table if not exists {_META_TABLE} "
        "(query_id varchar primary key, sql_hash varchar, data_version varchar)"
    )
    for query_id in ids:
        definition = _definition(queries, query_id, settings)
        try:
            version = con.execute(data_version_sql(definition.tables)).fetchone()[0]
            row = con.execute(
                f"select sql_hash, data_version from {_META_TABLE} where query_id = $id",
                {"id": query_id},
            ).fetchone()
            if row == (definition.hash, version):
                continue
            # query_id is a query file's name (catalog._ID), never a caller's value
            con.execute(
                f"create or replace table {STORED_SCHEMA}.{query_id} as\n{definition.sql}",
                definition.bound,
            )
            con.execute(
                f"insert or replace into {_META_TABLE} values ($id, $hash, $version)",
                {"id": query_id, "hash": definition.hash, "version": version},
            )
        except duckdb.Error as exc:
            con.execute(f"delete from {_META_TABLE} where query_id = $id", {"id": query_id})
            print(f"warning: stored '{query_id}' not refreshed: {exc}", file=sys.stderr)


def restamp(
    con: duckdb.DuckDBPyConnection,
    queries: dict[str, QueryFile],
    settings: Mapping[str, Any],
    before: dict[str, str],
    after: dict[str, str],
) -> None:
    """Publish step, after a checkpoint that moved only the storage layout (nothing wrote
    the tables between the looks ``before`` and ``after``, ``data_version.table_versions``):
    a stored intermediate recorded current before is recorded current after."""
    for query_id in stored_ids(queries):
        tables = _definition(queries, query_id, settings).tables
        old, new = composed(before, tables), composed(after, tables)
        if old != new:
            con.execute(
                f"update {_META_TABLE} set data_version = $new "
                "where query_id = $id and data_version = $old",
                {"id": query_id, "old": old, "new": new},
            )


def current(
    con: duckdb.DuckDBPyConnection,
    queries: Mapping[str, QueryFile],
    settings: Mapping[str, Any],
    among: Iterable[str] | None = None,
) -> frozenset[str]:
    """The stored intermediates that are the answer on this connection right now, for a
    call with these settings values; only those ``among`` the given ids when given (with
    every intermediate they read: a call checks just the tables it would use)."""
    ids = (
        stored_ids(queries)
        if among is None
        else [i for i in staging_order(queries, tuple(among)) if queries[i].materialize]
    )
    if not ids:
        return frozenset()
    definitions = {i: _definition(queries, i, settings) for i in ids}

    def fresh_ids() -> frozenset[str]:
        try:
            recorded = {
                r[0]: (r[1], r[2])
                for r in con.execute(
                    f"select query_id, sql_hash, data_version from {_META_TABLE}"
                ).fetchall()
            }
        except duckdb.CatalogException:  # nothing stored in this database (yet)
            recorded = {}
        fresh = set()
        for query_id, definition in definitions.items():
            stored = recorded.get(query_id)
            if stored is None or stored[0] != definition.hash:
                continue
            if current_version(con, definition.tables) == stored[1]:
                fresh.add(query_id)
        # a stored table built on a stale one would be stale too
        return frozenset(
            i
            for i in fresh
            if all(d in fresh for d in staging_order(queries, (i,)) if queries[d].materialize)
        )

    key = ("materialized", tuple((i, d.hash) for i, d in definitions.items()))
    return remembered_per_file(con, key, fresh_ids)


def is_current(
    con: duckdb.DuckDBPyConnection, queries: dict[str, QueryFile], settings: Mapping[str, Any]
) -> bool:
    """Whether every stored intermediate is current (an import that published nothing uses
    it to decide whether to refresh them anyway, like ``kpi_cache.is_current``)."""
    return current(con, queries, settings) == frozenset(stored_ids(queries))


def use_stored(
    con: duckdb.DuckDBPyConnection, prepared: PreparedQuery, queries: dict[str, QueryFile]
) -> PreparedQuery:
    """The prepared query reading the current stored intermediates it uses (unchanged when
    none is current or it uses none)."""
    needed = set(staging_order(queries, prepared.query.uses_staging))
    if not any(queries[n].materialize for n in needed):
        return prepared
    stored = current(con, queries, prepared.values, among=needed) & needed
    if not stored:
        return prepared
    sql = render_sql(prepared.query, queries, frozenset(stored))
    # DuckDB refuses parameters the statement does not use (the settings a stored table
    # was built with, say): bind exactly the used ones
    bound = {name: prepared.values[name] for name in used_params(sql)}
    return replace(prepared, sql=sql, bound=bound)
