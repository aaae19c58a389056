"""The one Python API for KPIs: ``compute(con, kpi, ...)`` runs a query file of ``queries/``
with bound parameters and returns a DataFrame; ``compute_rows`` returns the same rows as
plain tuples (the command line's CSV/JSON path, which must not pay ~1 s to import pandas and
pyarrow). The CLI, the app and reports all call them; no KPI is ever recomputed in pandas
(the SQL files are the single source of truth)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from dashboard import engines, kpi_cache, materialized
from dashboard.access.scope import Scope, check_query, needs_pairs, restrict
from dashboard.catalog import (
    BY_COLUMN,
    BY_VALUES,
    KNOWN_PARAMS,
    KPI_NAMES,
    LazyQueries,
    QueryFile,
    QueryFileError,
    render_sql,
    scan_queries,
    serves_cleanly,
    used_params,
)
from dashboard.engines.duck import run_arrow, run_rows
from dashboard.prepared import PreparedQuery
from dashboard.settings import EngineSettings, Settings, load_settings

if TYPE_CHECKING:  # imported where used: ``compute_rows`` never loads them
    import pandas as pd
    import pyarrow as pa

__all__ = [
    "KPI_NAMES",
    "PreparedQuery",
    "Rows",
    "compute",
    "compute_rows",
    "get_query",
    "list_queries",
    "run_arrow",
    "run_rows",
    "sql_for",
]


@lru_cache(maxsize=4)
def _catalog(
    directory: str | None, signature: tuple
) -> tuple[dict[str, QueryFile], dict[str, str]]:
    # Lenient: a broken file removes only itself (the app and CLI keep working), #5.
    return scan_queries(Path(directory) if directory else None)


@lru_cache(maxsize=4)
def _parsed(directory: str | None, signature: tuple) -> Mapping[str, QueryFile]:
    # The files without the statement check, each parsed when first read: a `kpi show`
    # parses the files its query runs, not all of them; ``_get_query`` checks what it serves.
    return LazyQueries([Path(path) for path, _, _ in signature])


@lru_cache(maxsize=256)
def _rendered(directory: str | None, signature: tuple, query_id: str) -> str:
    # Rendering is pure given the files, so it is cached with the same key as the catalog.
    queries = _parsed(directory, signature)
    return render_sql(queries[query_id], queries)


def _signature(directory: Path | None) -> tuple:
    # Reload when a file is added, removed or edited (analysts add files while the app runs).
    # Checked on every call, so it must be cheap: one scandir pass, one stat per file.
    from dashboard.paths import QUERIES_DIR

    root = directory or QUERIES_DIR
    found: list[tuple[str, int, int]] = []
    pending = [str(root)]
    while pending:
        try:
            entries = list(os.scandir(pending.pop()))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            if entry.is_dir():
                pending.append(entry.path)
            elif entry.name.endswith(".sql") and entry.is_file():
                st = entry.stat()
                found.append((entry.path, st.st_mtime_ns, st.st_size))
    return tuple(sorted(found))


def _key(directory: Path | None) -> tuple[str | None, tuple]:
    return (str(directory) if directory else None, _signature(directory))


def catalog(directory: Path | None = None) -> dict[str, QueryFile]:
    return _catalog(*_key(directory))[0]


def broken_queries(directory: Path | None = None) -> dict[str, str]:
    """``{id: error}`` of the query files that failed to load (see ``catalog.scan_queries``)."""
    return _catalog(*_key(directory))[1]


def list_queries(directory: Path | None = None) -> list[QueryFile]:
    """Every non-staging query (the five KPIs first, then the others by id)."""
    queries = [q for q in catalog(directory).values() if q.kind != "staging"]
    order = {name: i for i, name in enumerate(KPI_NAMES)}
    return sorted(queries, key=lambda q: (order.get(q.id, len(order)), q.id))


def get_query(query_id: str, directory: Path | None = None) -> QueryFile:
    return _get_query(query_id, directory, _key(directory))


def _get_query(query_id: str, directory: Path | None, key: tuple) -> QueryFile:
    parsed = _parsed(*key)
    query = parsed.get(query_id)
    if query is not None and serves_cleanly(query, parsed):
        return query
    # unknown or broken: the full scan (every file checked) knows which, and why
    queries, broken = _catalog(*key)
    if query_id in broken:
        raise QueryFileError(broken[query_id])
    if query_id not in queries:
        known = ", ".join(q.id for q in list_queries(directory))
        raise ValueError(f"unknown KPI or query '{query_id}'; choose one of: {known}")
    return queries[query_id]


def sql_for(query_id: str, directory: Path | None = None) -> str:
    """The full SQL that runs for ``query_id`` (staging views inlined). The app keys its
    caches on it on every call, so it reuses ``prepare``'s cached rendering: one look at
    the files, no re-render."""
    key = _key(directory)
    return _rendered(*key, _get_query(query_id, directory, key).id)


def _as_date(name: str, value: Any) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"{name} must be a date YYYY-MM-DD, got {value!r}")


def _as_names(name: str, values: Sequence[str] | str | None) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):  # a single name, not its characters
        values = [values]
    out = [str(v) for v in values if v is not None and str(v) != ""]
    return list(dict.fromkeys(out))


def prepare(
    kpi: str,
    *,
    grain: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    projects: Sequence[str] = (),
    regions: Sequence[str] = (),
    by: str | None = None,
    as_of: dt.date | None = None,
    settings: Settings | None = None,
    params: dict[str, Any] | None = None,
    queries_dir: Path | None = None,
    scope: Scope | None = None,
    scope_pairs: Any = None,
) -> PreparedQuery:
    """Check the arguments of ``compute`` and render the SQL (see ``compute``)."""
    key = _key(queries_dir)  # one look at the files per call
    query = _get_query(kpi, queries_dir, key)
    if query.kind == "staging":
        raise ValueError(f"'{kpi}' is a staging view, not a KPI; query it with SQL instead")
    # Access (#15): the user's scope meets the filters here, below every entry point.
    check_query(scope, query.id, query.params)
    projects, regions = restrict(scope, projects, regions, pairs=scope_pairs)
    settings = settings or load_settings()
    extra = dict(params or {})
    if as_of is None:  # ``params={"as_of": ...}`` is the older spelling of ``as_of=``
        as_of = extra.pop("as_of", None)
    extra.pop("as_of", None)
    unknown = sorted(set(extra) - set(KNOWN_PARAMS))
    if unknown:
        raise ValueError(f"unknown parameter(s) {', '.join(unknown)} for '{kpi}'")

    if "grain" in query.params:
        grain = grain or query.default_grain
        if grain not in query.grains:
            raise ValueError(
                f"grain '{grain}' is not available for '{kpi}'; use " + " or ".join(query.grains)
            )
    if by is not None:
        if by not in BY_VALUES:
            raise ValueError(f"--by must be 'project' or 'region', got {by!r}")
        if "by" not in query.params:
            raise ValueError(f"'{kpi}' cannot be grouped by {by}")
    date_from = _as_date("date_from", date_from)
    date_to = _as_date("date_to", date_to)
    if date_from and date_to and date_from > date_to:
        raise ValueError(f"the from date {date_from} is after the to date {date_to}")

    values: dict[str, Any] = {
        "grain": grain,
        "date_from": date_from,
        "date_to": date_to,
        "projects": _as_names("projects", projects),
        "regions": _as_names("regions", regions),
        "by": by,
        "as_of": _as_date("as_of", as_of),
        **settings.sql_params(),
        **extra,
    }
    sql = _rendered(*key, query.id)
    # DuckDB refuses parameters the statement does not use: bind exactly the used ones.
    bound = {name: values[name] for name in _used_params(sql)}
    return PreparedQuery(query=query, sql=sql, values=values, bound=bound)


@dataclass(frozen=True)
class Rows:
    """A query's result as plain Python: column names and one tuple per row (NULL is None,
    dates are ``datetime.date``, decimals ``decimal.Decimal``)."""

    columns: list[str]
    rows: list[tuple]
    numeric: list[bool]  # per column: a number type (the CLI right-aligns those)


def compute(
    con: duckdb.DuckDBPyConnection,
    kpi: str,
    *,
    grain: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    projects: Sequence[str] = (),
    regions: Sequence[str] = (),
    by: str | None = None,
    as_of: dt.date | None = None,
    settings: Settings | None = None,
    params: dict[str, Any] | None = None,
    queries_dir: Path | None = None,
    scope: Scope | None = None,
    engine: str | EngineSettings | None = None,
) -> pd.DataFrame:
    """Run query ``kpi`` (any id in ``queries/``) and return its rows.

    Filters a query does not declare are ignored (e.g. ``grain`` for ``dimensions``), so
    callers can pass one filter set to every query. ``params`` supplies extra declared
    parameters such as ``as_of``. Raises ``ValueError`` with a clear message for an unknown
    id, grain or ``by``. The slowest KPIs' unfiltered results may come from the copy stored
    at import time (``dashboard.kpi_cache``): the same rows, produced by the same SQL file.
    ``scope`` (``dashboard.access``) limits the rows to a user's projects/regions: it is
    intersected with the filters, and a filter outside it raises ``ScopeError`` (a
    ``ValueError``) naming the refused project or region.
    ``engine`` (``"duckdb"``/``"spark"`` or ``EngineSettings``; default the settings'
    ``[engine]``) chooses where the SQL runs (``dashboard.engines``); ``con`` is only used by
    DuckDB, and the stored results (DuckDB's) never answer for another engine.
    """
    prepared, chosen = _prepare_call(
        con, kpi, grain=grain, date_from=date_from, date_to=date_to, projects=projects,
        regions=regions, by=by, as_of=as_of, settings=settings, params=params,
        queries_dir=queries_dir, scope=scope, engine=engine,
    )  # fmt: skip
    table = kpi_cache.lookup(con, prepared) if chosen.name == "duckdb" else None
    if table is None:
        if chosen.name == "duckdb":
            prepared = _with_stored(con, prepared, queries_dir)
        table = engines.run_arrow(con, prepared, chosen)
    if BY_COLUMN in table.column_names:  # on the Arrow table: cheaper than in pandas
        if by is None:
            table = table.drop_columns([BY_COLUMN])
        else:
            table = table.rename_columns([by if n == BY_COLUMN else n for n in table.column_names])
    return _to_pandas(table)


def compute_rows(
    con: duckdb.DuckDBPyConnection,
    kpi: str,
    *,
    grain: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    projects: Sequence[str] = (),
    regions: Sequence[str] = (),
    by: str | None = None,
    as_of: dt.date | None = None,
    settings: Settings | None = None,
    params: dict[str, Any] | None = None,
    queries_dir: Path | None = None,
    scope: Scope | None = None,
    engine: str | EngineSettings | None = None,
) -> Rows:
    """``compute`` without pandas or pyarrow: the same rows as (column names, tuples).
    On DuckDB nothing heavier than duckdb is imported; another engine's Arrow result is
    converted here."""
    prepared, chosen = _prepare_call(
        con, kpi, grain=grain, date_from=date_from, date_to=date_to, projects=projects,
        regions=regions, by=by, as_of=as_of, settings=settings, params=params,
        queries_dir=queries_dir, scope=scope, engine=engine,
    )  # fmt: skip
    if chosen.name == "duckdb":
        described, rows = kpi_cache.lookup_rows(con, prepared) or run_rows(
            con, _with_stored(con, prepared, queries_dir)
        )
        columns = [name for name, _ in described]
        numeric = [_is_number_type(kind) for _, kind in described]
    else:
        import pyarrow as pa

        table = engines.run_arrow(con, prepared, chosen)
        columns = list(table.column_names)
        numeric = [
            pa.types.is_integer(f.type)
            or pa.types.is_floating(f.type)
            or pa.types.is_decimal(f.type)
            for f in table.schema
        ]
        rows = list(zip(*(table.column(c).to_pylist() for c in columns), strict=True))
    if BY_COLUMN in columns:
        at = columns.index(BY_COLUMN)
        if by is None:
            del columns[at], numeric[at]
            rows = [row[:at] + row[at + 1 :] for row in rows]
        else:
            columns[at] = by
    return Rows(columns=columns, rows=rows, numeric=numeric)


_NUMBER_TYPES = frozenset(
    [
        "TINYINT",
        "SMALLINT",
        "INTEGER",
        "BIGINT",
        "HUGEINT",
        "UTINYINT",
        "USMALLINT",
        "UINTEGER",
        "UBIGINT",
        "UHUGEINT",
        "FLOAT",
        "DOUBLE",
    ]
)


def _is_number_type(duckdb_type: str) -> bool:
    return duckdb_type in _NUMBER_TYPES or duckdb_type.startswith("DECIMAL")


def run_arrow_stored(con: duckdb.DuckDBPyConnection, prepared: PreparedQuery) -> pa.Table:
    """``run_arrow`` reading the stored intermediates that are current on ``con``: how the
    publish step builds the stored KPI rows, right after it wrote those tables (inline,
    retention alone would re-read every order for each of its copies: 15 s at 2M orders)."""
    return run_arrow(con, _with_stored(con, prepared, None))


def _with_stored(
    con: duckdb.DuckDBPyConnection, prepared: PreparedQuery, queries_dir: Path | None
) -> PreparedQuery:
    """The query reading the stored intermediates that are current on ``con``
    (``dashboard.materialized``); the same rows as computing them inline."""
    return materialized.use_stored(con, prepared, _parsed(*_key(queries_dir)))


def _prepare_call(
    con: duckdb.DuckDBPyConnection,
    kpi: str,
    *,
    settings: Settings | None,
    engine: str | EngineSettings | None,
    **filters: Any,
) -> tuple[PreparedQuery, EngineSettings]:
    """What ``compute`` and ``compute_rows`` share: the engine, the scope's pairs when it
    needs them, and ``prepare`` with the caller's filters (their signature, checked there)."""
    settings = settings or load_settings()
    chosen = engines.resolve(engine, settings.engine)
    scope = filters.get("scope")
    pairs = (
        dimension_pairs(con, settings, chosen)
        if needs_pairs(scope, filters.get("projects", ()), filters.get("regions", ()))
        else None
    )
    return prepare(kpi, settings=settings, scope_pairs=pairs, **filters), chosen


def dimension_pairs(
    con: duckdb.DuckDBPyConnection,
    settings: Settings | None,
    engine: str | EngineSettings | None = None,
) -> list:
    # The data's (region, project) pairs, for a scope limited on the other dimension only.
    found = compute_rows(con, "dimensions", settings=settings, engine=engine)
    region, project = found.columns.index("region"), found.columns.index("project")
    return [(str(row[region]), str(row[project])) for row in found.rows]


def unknown_filter_values(
    con: duckdb.DuckDBPyConnection,
    *,
    projects: Sequence[str] = (),
    regions: Sequence[str] = (),
    settings: Settings | None = None,
    engine: str | EngineSettings | None = None,
) -> dict[str, list[str]]:
    """The asked-for projects/regions that no row of the data has (``dimensions`` query),
    so every entry point can name a mistyped value instead of silently showing nothing."""
    projects, regions = _as_names("projects", projects), _as_names("regions", regions)
    if not projects and not regions:
        return {"projects": [], "regions": []}
    known = compute_rows(con, "dimensions", settings=settings, engine=engine)
    project, region = known.columns.index("project"), known.columns.index("region")
    have_projects = {row[project] for row in known.rows}
    have_regions = {row[region] for row in known.rows}
    return {
        "projects": [p for p in projects if p not in have_projects],
        "regions": [r for r in regions if r not in have_regions],
    }


@lru_cache(maxsize=256)
def _used_params(sql: str) -> tuple[str, ...]:
    return used_params(sql)


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    """Arrow -> pandas keeping integer columns integers even with NULLs (nullable Int64),
    dates as ``datetime.date`` objects and decimals as floats."""
    import pandas as pd
    import pyarrow as pa

    def mapper(arrow_type: pa.DataType) -> Any:
        if pa.types.is_integer(arrow_type):
            return pd.Int64Dtype()
        return None

    if any(pa.types.is_decimal(f.type) for f in table.schema):
        cast_fields = [
            pa.field(f.name, pa.float64()) if pa.types.is_decimal(f.type) else f
            for f in table.schema
        ]
        table = table.cast(pa.schema(cast_fields))
    return table.to_pandas(types_mapper=mapper, date_as_object=True)
