"""What is derived from the data and stored beside it at every publish (#13).

``refresh_derived(con)`` runs on a writer's private copy right before it is published
(``dashboard.pipeline`` passes it to ``dashboard.db.writer``), in this order:

1. the date spine, widened to the data's range (``dashboard.spine``);
2. the staging views of ``queries/stg_*.sql``, for analysts (``catalog.publish_views``);
3. with ``slow=True``: the stored intermediates (``dashboard.materialized``: the ``int_*``
   files marked ``materialize = true``) and the stored unfiltered KPI rows
   (``dashboard.kpi_cache``) whose definition or input tables changed are rewritten
   (seconds at 2M orders, so an import of several files runs them once, with the last
   file; the others are checked in ms: an import of VIP contacts rebuilds nothing that
   reads only orders);
4. the layer version, so a database published by an older release is refreshed once when
   it is opened (``is_current``);
5. with ``slow=True``: the last checkpoint (``checkpoint_keeping_versions``), then the check
   that what was stored is current as it will be published (the return value: the import
   opens the published file to check again only when it is not).

Nothing here is registered as a side effect of an import: the orchestrator calls it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import duckdb

from dashboard import catalog, kpi_cache, kpis, materialized, spine
from dashboard.catalog import QueryFile
from dashboard.data_version import table_versions
from dashboard.schema import KINDS
from dashboard.settings import load_settings

# Bump when a derived table is added or changes shape: databases published before are then
# refreshed when opened (dashboard.pipeline.connect_readonly).
LAYER_VERSION = "3"  # 2: stored intermediates (schema materialized); 3: as-of copies
META_TABLE = "derived_meta"


# the tables a stored intermediate or KPI row can read (their data versions are recorded)
_DATA_TABLES = (*KINDS, spine.TABLE, "events")
_CHECKPOINT_ROUNDS = 4


def refresh_derived(con: duckdb.DuckDBPyConnection, *, slow: bool = True) -> bool:
    """The derived layer on a writer's copy (see module docstring). Returns whether the
    stored intermediates and KPI rows were checked current as they will be published
    (always False with ``slow=False``, which leaves them alone)."""
    spine.refresh_spine(con)
    catalog.publish_views(con)
    if not slow:
        _write_meta(con, "layer_version", LAYER_VERSION)
        return False
    queries, settings = kpis.catalog(), load_settings().sql_params()
    materialized.build(con, queries, settings)
    try:
        # the KPI rows' build checkpoints first: keep what was just stored current
        checkpoint_keeping_versions(con, queries, settings)
        kpi_cache.publish_cache(con, kpis.prepare, kpis.run_arrow_stored)
        _write_meta(con, "layer_version", LAYER_VERSION)
        checkpoint_keeping_versions(con, queries, settings)
        return not stored_rows_outdated(con)
    except duckdb.Error:
        _write_meta(con, "layer_version", LAYER_VERSION)
        return False


def _write_meta(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    con.execute(f"create table if not exists {META_TABLE} (key varchar primary key, value varchar)")
    con.execute(
        f"insert or replace into {META_TABLE} values ($key, $value)", {"key": key, "value": value}
    )


def checkpoint_keeping_versions(
    con: duckdb.DuckDBPyConnection, queries: dict[str, QueryFile], settings: Mapping[str, Any]
) -> None:
    """Checkpoint, keeping what was stored current when only the storage layout moved.

    Why: the data version of a stored table includes the storage layout of what it read
    (``dashboard.data_version``), and DuckDB merges the row groups of a table with deleted
    rows (an upsert replaced some) over more than one checkpoint, not always the first.
    The versions recorded by the builds then no longer matched after the writer's last
    checkpoint (100x surveys, three sheets: the stored satisfaction rows were stale at once,
    and the import published everything a second time to rebuild them). Between the two
    looks here nothing but the checkpoint touches the data tables, so their rows are the
    same: what was current before it is recorded current after it. The loop ends with a
    checkpoint that moved nothing, so the writer's own checkpoint finds nothing to write.
    """
    for _ in range(_CHECKPOINT_ROUNDS):
        before = table_versions(con, _DATA_TABLES)
        con.execute("checkpoint")
        after = table_versions(con, _DATA_TABLES)
        if after == before:
            return
        materialized.restamp(con, queries, settings, before, after)
        kpi_cache.restamp(con, before, after)


def is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the derived layer was written by this release's ``refresh_derived``."""
    try:
        row = con.execute("select value from derived_meta where key = 'layer_version'").fetchone()
    except duckdb.CatalogException:
        return False
    return bool(row) and row[0] == LAYER_VERSION


def stored_rows_outdated(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the stored intermediates or KPI rows no longer match the data, query files or
    settings (e.g. after a ``kpi.toml`` edit, or an UPDATE made with another tool); unknown
    (a broken query file...) counts as no."""
    try:
        return not (
            materialized.is_current(con, kpis.catalog(), load_settings().sql_params())
            and kpi_cache.is_current(con, kpis.prepare)
        )
    except Exception:  # noqa: BLE001 - the import result stands; the live query answers
        return False
