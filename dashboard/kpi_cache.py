"""Import-time copies of the slowest KPIs' unfiltered results (issue #6).

Why: retention and cohorts need every customer's active periods over all history; at
2 million orders that is a DISTINCT and a window over ~1.8 million rows, 0.4-1 s on two
cores, however the SQL is written. Their unfiltered views (the Overview's default) are
therefore computed once per import, by a publish hook (``build``), and stored in the
schema ``kpi_cache`` of the database file. ``kpis.compute`` reads a stored copy only when
it is the exact answer:

* no project/region filter, and a (KPI, grain, by) combination listed in ``CACHED``;
* the stored SQL hash equals the hash of the SQL file as it is now (an edited query file
  bypasses the copy until the next import);
* the orders table has not changed since (row count, newest import id and time range).

The copy is the query's own result, produced by ``queries/<kpi>.sql`` through
``kpis.prepare``/``run_arrow`` with no date filter; ``--from``/``--to`` then keep the rows
whose period column lies in the range, which is what the contract says they do (they choose
printed periods, never the data). The SQL files stay the single source of truth: this module
stores and selects rows, it computes no KPI.
"""

from __future__ import annotations

import hashlib
import sys
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

if TYPE_CHECKING:
    from dashboard.kpis import PreparedQuery

SCHEMA = "kpi_cache"

# kpi -> (its period column: what --from/--to select on, the (grain, by) combinations kept)
CACHED: dict[str, tuple[str, tuple[tuple[str, str | None], ...]]] = {
    "retention": (
        "period_start",
        (("week", None), ("week", "project"), ("month", None), ("month", "project")),
    ),
    "cohorts": ("cohort_month", (("month", None),)),
}

# Both KPIs read only the orders table. Cheap to check on every call (~ms at 2M rows);
# every import gives replaced rows a new _import_id, so a re-import changes it.
_DATA_VERSION_SQL = """
select concat_ws('|', count(*), max(_import_id), min(ordered_at), max(ordered_at))
from orders
"""

_META_TABLE = f"{SCHEMA}._meta"


def sql_hash(sql: str) -> str:
    return hashlib.sha256(sql.encode("utf-8")).hexdigest()


def _data_version(con: duckdb.DuckDBPyConnection) -> str:
    return con.execute(_DATA_VERSION_SQL).fetchone()[0]


def lookup(con: duckdb.DuckDBPyConnection, prepared: PreparedQuery) -> pa.Table | None:
    """The stored rows for this call, or None when the live query must run."""
    kpi = prepared.query.id
    if kpi not in CACHED:
        return None
    values = prepared.values
    if values["projects"] or values["regions"]:
        return None
    period_column, combos = CACHED[kpi]
    if (values["grain"], values["by"]) not in combos:
        return None
    try:
        fresh = con.execute(
            f"""select count(*) from {_META_TABLE}
            where kpi = $kpi and grain = $grain and by_kind is not distinct from $by
              and sql_hash = $sql_hash
              and data_version = ({_DATA_VERSION_SQL})""",
            {
                "kpi": kpi,
                "grain": values["grain"],
                "by": values["by"],
                "sql_hash": sql_hash(prepared.sql),
            },
        ).fetchone()[0]
    except duckdb.CatalogException:  # a database imported before this cache existed
        return None
    if not fresh:
        return None
    # kpi and period_column come from CACHED above, never from a caller.
    return con.execute(
        f"""select * exclude (grain, by_kind, row_no)
        from {SCHEMA}.{kpi}
        where grain = $grain and by_kind is not distinct from $by
          and ($date_from is null or {period_column} >= $date_from)
          and ($date_to is null or {period_column} <= $date_to)
        order by row_no""",
        {
            "grain": values["grain"],
            "by": values["by"],
            "date_from": values["date_from"],
            "date_to": values["date_to"],
        },
    ).to_arrow_table()


def build(con: duckdb.DuckDBPyConnection) -> None:
    """Publish hook: (re)store the copies that are missing or out of date.

    Skipped in a few ms when neither the orders nor the SQL files changed (e.g. an import of
    complaints only).
    """
    from dashboard.kpis import prepare, run_arrow

    con.execute(f"create schema if not exists {SCHEMA}")
    con.execute(
        f"""create table if not exists {_META_TABLE} (
            kpi varchar, grain varchar, by_kind varchar, sql_hash varchar, data_version varchar
        )"""
    )
    version = _data_version(con)
    for kpi, (_, combos) in CACHED.items():
        prepared = [prepare(kpi, grain=grain, by=by) for grain, by in combos]
        wanted = {
            (grain, by, sql_hash(p.sql)) for (grain, by), p in zip(combos, prepared, strict=True)
        }
        stored = con.execute(
            f"select grain, by_kind, sql_hash from {_META_TABLE} "
            "where kpi = $kpi and data_version = $version",
            {"kpi": kpi, "version": version},
        ).fetchall()
        if set(stored) == wanted:
            continue
        parts = []
        for (grain, by), prep in zip(combos, prepared, strict=True):
            table = run_arrow(con, prep)
            n = table.num_rows
            table = (
                table.add_column(0, "row_no", pa.array(range(n), pa.int64()))
                .add_column(0, "by_kind", pa.array([by] * n, pa.string()))
                .add_column(0, "grain", pa.array([grain] * n, pa.string()))
            )
            parts.append(table)
        con.register("_kpi_cache_rows", pa.concat_tables(parts))
        try:
            con.execute(f"create or replace table {SCHEMA}.{kpi} as select * from _kpi_cache_rows")
        finally:
            con.unregister("_kpi_cache_rows")
        con.execute(f"delete from {_META_TABLE} where kpi = $kpi", {"kpi": kpi})
        con.executemany(
            f"insert into {_META_TABLE} values (?, ?, ?, ?, ?)",
            [(kpi, grain, by, h, version) for grain, by, h in sorted(wanted, key=str)],
        )


def publish_cache(con: duckdb.DuckDBPyConnection) -> None:
    """The publish hook: a failure only warns - the imported data matters more than speed
    (without the copies every KPI is still computed live, just slower)."""
    try:
        build(con)
    except Exception as exc:  # noqa: BLE001 - never fail an import for a cache
        print(f"warning: KPI result cache not built: {exc}", file=sys.stderr)
