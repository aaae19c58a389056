"""What is derived from the data and stored beside it at every publish (#13).

``refresh_derived(con)`` runs on a writer's private copy right before it is published
(``dashboard.pipeline`` passes it to ``dashboard.db.writer``), in this order:

1. the date spine, widened to the data's range (``dashboard.spine``);
2. the staging views of ``queries/stg_*.sql``, for analysts (``catalog.publish_views``);
3. with ``slow=True``: the stored intermediates (``dashboard.materialized``: the
   ``int_*`` files marked ``materialize = true``), then the stored unfiltered KPI rows
   (``dashboard.kpi_cache``), seconds at 2M orders, so an import of several files runs
   them once, with the last file;
4. the layer version, so a database published by an older release is refreshed once when
   it is opened (``is_current``).

Nothing here is registered as a side effect of an import: the orchestrator calls it.
"""

from __future__ import annotations

import duckdb

from dashboard import catalog, kpi_cache, kpis, materialized, spine
from dashboard.settings import load_settings

# Bump when a derived table is added or changes shape: databases published before are then
# refreshed when opened (dashboard.pipeline.connect_readonly).
LAYER_VERSION = "3"  # 2: stored intermediates (schema materialized); 3: as-of copies
META_TABLE = "derived_meta"


def refresh_derived(con: duckdb.DuckDBPyConnection, *, slow: bool = True) -> None:
    spine.refresh_spine(con)
    catalog.publish_views(con)
    if slow:
        materialized.build(con, kpis.catalog(), load_settings().sql_params())
        kpi_cache.publish_cache(con, kpis.prepare, kpis.run_arrow_stored)
    con.execute("create table if not exists derived_meta (key varchar primary key, value varchar)")
    con.execute(
        "insert or replace into derived_meta values ('layer_version', $v)", {"v": LAYER_VERSION}
    )


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
