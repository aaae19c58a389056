"""Import-time copies of the KPIs' unfiltered results (issues #6, #14).

Why: the Overview's default view, the CLI's default call and the Projects page ask for the
KPIs with no project/region filter, over all data. Even through the stored intermediates
(``dashboard.materialized``) each such call costs 10-40 ms at 2M orders, and the Overview
makes eleven of them. Their unfiltered results are computed once per import, by the
publish step of ``dashboard.pipeline`` (``build``), and stored in the schema ``kpi_cache``
of the database file: over all data, and - for the (grain, by) combinations the Overview's
weekly view reads - a second time as of the Overview's day (``overview_as_of``: the Sunday
ending the data's latest complete week), so that view opens from stored rows.
``kpis.compute`` reads a stored copy only when it is the exact answer:

* no project/region filter, and a (KPI, grain, by) combination listed in ``CACHED``;
* the stored definition hash equals the hash of the call's definition: the SQL file as it
  is now plus the settings it binds (SLA hours, VIP interval) and the as-of day - an edited
  query file or ``kpi.toml``, or another as-of day, bypasses the copy (until the next
  import, for the first two);
* the tables the KPI reads have not changed since: row count, newest import id, and the
  table's storage layout (``pragma_storage_info``: every row group's segments and blocks).
  An import gives replaced rows a new ``_import_id``; a DELETE by another tool changes the
  count; an UPDATE by another tool rewrites the row groups it touches at its checkpoint,
  which gives them new blocks - so the analysts' workbench cannot leave a copy stale
  (tests/test_kpi_cache.py updates and deletes rows behind the importer's back).

The copy is the query's own result, produced by ``queries/<kpi>.sql`` through
``kpis.prepare``/``run_arrow`` with no date filter; ``--from``/``--to`` then keep the rows
whose period column lies in the range, which is what every KPI file does with them (they
choose printed periods, never the data). The SQL files stay the single source of truth: this
module stores and selects rows, it computes no KPI.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb

from dashboard.data_version import (
    composed,
    current_version,
    remembered_per_file,
)

if TYPE_CHECKING:
    import pyarrow as pa

    from dashboard.prepared import PreparedQuery

# How the copies are produced: ``kpis.prepare`` and ``kpis.run_arrow``, handed in by the
# orchestrator (dashboard/derived.py), so this module sits below the KPI API it serves.
Prepare = Callable[..., "PreparedQuery"]
Run = Callable[[duckdb.DuckDBPyConnection, "PreparedQuery"], "pa.Table"]

SCHEMA = "kpi_cache"

_BY_GRAIN = (("week", None), ("week", "project"), ("month", None), ("month", "project"))


# What the Overview's default (weekly) view asks for as of its day (``overview_as_of``):
# the 13 weeks of the headline tiles, and the week-on-week movers by project (retention,
# complaints, satisfaction); nothing more, since every copy costs publish time.
_OVERVIEW_WEEKS = (("week", None), ("week", "project"))
_OVERVIEW_HEADLINE = (("week", None),)


@dataclass(frozen=True)
class Cached:
    period_column: str  # what --from/--to select on
    combos: tuple[tuple[str, str | None], ...]  # the (grain, by) combinations kept
    tables: tuple[str, ...]  # the tables the KPI reads (through its staging views)
    # the (grain, by) combinations kept a second time, as of the Overview's day
    as_of_combos: tuple[tuple[str, str | None], ...] = ()

    def variants(self, overview_day: dt.date | None) -> tuple[Variant, ...]:
        """Every stored (grain, by, as_of): over all data, then as of the Overview's day."""
        plain = tuple((grain, by, None) for grain, by in self.combos)
        if overview_day is None:
            return plain
        return plain + tuple((grain, by, overview_day) for grain, by in self.as_of_combos)


Variant = tuple[str, str | None, "dt.date | None"]

# every KPI picks its periods from the date spine (dashboard/spine.py): it is an input too
CACHED: dict[str, Cached] = {
    "retention": Cached("period_start", _BY_GRAIN, ("orders", "date_spine"), _OVERVIEW_WEEKS),
    "customer_flow": Cached(
        "period_start", _BY_GRAIN, ("orders", "date_spine"), _OVERVIEW_HEADLINE
    ),
    "cohorts": Cached(
        "cohort_month", (("month", None), ("month", "project")), ("orders", "date_spine")
    ),
    "complaints": Cached("period_start", _BY_GRAIN, ("complaints", "date_spine"), _OVERVIEW_WEEKS),
    "satisfaction": Cached("period_start", _BY_GRAIN, ("surveys", "date_spine"), _OVERVIEW_WEEKS),
    "vip_coverage": Cached(
        "period_start",
        _BY_GRAIN,
        ("customers", "vip_contacts", "date_spine"),
        (*_OVERVIEW_HEADLINE, ("month", None)),  # and the month-to-date VIP tile
    ),
}

# The filters a stored copy answers by itself; every other bound value (the settings, and
# the as-of day of a copy kept as of the Overview's day) is part of the copy's definition.
_FILTERS = frozenset({"grain", "date_from", "date_to", "projects", "regions", "by"})

# The event kinds whose last day is the data's last day (customers carry join dates, not
# events): as ``ui.data_access.last_event_day`` reads ``data_freshness``.
_EVENT_KINDS = ("orders", "complaints", "surveys", "vip_contacts")

_META_TABLE = f"{SCHEMA}._meta"


def definition_hash(prepared: PreparedQuery) -> str:
    """The SQL that runs plus the settings it binds: what makes a stored copy the answer."""
    settings = {k: v for k, v in sorted(prepared.bound.items()) if k not in _FILTERS}
    text = prepared.sql + "\n-- settings: " + json.dumps(settings, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _data_version(con: duckdb.DuckDBPyConnection, kpi: str) -> str:
    return current_version(con, CACHED[kpi].tables)


def _stored(
    con: duckdb.DuckDBPyConnection, prepared: PreparedQuery
) -> duckdb.DuckDBPyConnection | None:
    """The executed statement selecting the stored rows for this call (none when the copy is
    stale), or None when no copy can answer."""
    kpi = prepared.query.id
    cached = CACHED.get(kpi)
    if cached is None:
        return None
    values = prepared.values
    if values["projects"] or values["regions"]:
        return None
    combos = cached.combos if values.get("as_of") is None else cached.as_of_combos
    if (values["grain"], values["by"]) not in combos:
        return None
    sql_hash = definition_hash(prepared)
    try:
        if not _is_fresh(con, kpi, values["grain"], values["by"], sql_hash):
            return None
        # No rows back (a range that selects nothing): the live query answers.
        # kpi and the period column come from CACHED above, never from a caller.
        return con.execute(
            f"""select stored.* exclude (grain, by_kind, stored_as_of, row_no)
            from {SCHEMA}.{kpi} as stored
            where stored.grain = $grain and stored.by_kind is not distinct from $by
              and stored.stored_as_of is not distinct from $as_of
              and ($date_from is null or stored.{cached.period_column} >= $date_from)
              and ($date_to is null or stored.{cached.period_column} <= $date_to)
            order by stored.row_no""",
            {
                "grain": values["grain"],
                "by": values["by"],
                "as_of": values.get("as_of"),
                "date_from": values["date_from"],
                "date_to": values["date_to"],
            },
        )
    # a database imported before this cache (or this KPI, or its as-of copies)
    except (duckdb.CatalogException, duckdb.BinderException):
        return None


def _is_fresh(
    con: duckdb.DuckDBPyConnection, kpi: str, grain: str, by: str | None, sql_hash: str
) -> bool:
    """Whether the stored copy for (kpi, grain, by) was made by this definition from the data
    as it is now; remembered per read-only file (``data_version.remembered_per_file``)."""

    def copy_is_fresh() -> bool:
        return con.execute(
            f"""select count(*) > 0 from {_META_TABLE}
            where kpi = $kpi and grain = $grain and by_kind is not distinct from $by
              and sql_hash = $sql_hash
              and data_version = $version""",
            {
                "kpi": kpi,
                "grain": grain,
                "by": by,
                "sql_hash": sql_hash,
                "version": current_version(con, CACHED[kpi].tables),
            },
        ).fetchone()[0]

    return remembered_per_file(con, ("kpi_cache", kpi, grain, by, sql_hash), copy_is_fresh)


def lookup(con: duckdb.DuckDBPyConnection, prepared: PreparedQuery) -> pa.Table | None:
    """The stored rows for this call as Arrow, or None when the live query must run."""
    result = _stored(con, prepared)
    table = result.to_arrow_table() if result is not None else None
    return table if table is not None and table.num_rows else None


def lookup_rows(
    con: duckdb.DuckDBPyConnection, prepared: PreparedQuery
) -> tuple[list[tuple[str, str]], list[tuple]] | None:
    """The stored rows as ((name, DuckDB type), ...) and tuples - no pyarrow, for the CLI."""
    result = _stored(con, prepared)
    if result is None:
        return None
    columns = [(d[0], str(d[1])) for d in result.description]
    rows = result.fetchall()
    return (columns, rows) if rows else None


def overview_as_of(con: duckdb.DuckDBPyConnection, prepare: Prepare) -> dt.date | None:
    """The as-of day of the Overview's default view: the Sunday ending the latest complete ISO
    week of the data, whose last day is the last event of ``data_freshness`` (orders,
    complaints, surveys, VIP contacts) - the rule of ``present.periods.latest_complete_week``,
    which the tests hold this to. None without events (or without the query file)."""
    try:
        freshness = prepare("data_freshness")
    except ValueError:
        return None
    rows = con.execute(freshness.sql, freshness.bound).fetchall()
    names = [d[0] for d in con.description] if con.description else []
    if "kind" not in names or "last_event_at" not in names:
        return None
    kind, last_at = names.index("kind"), names.index("last_event_at")
    days = [row[last_at] for row in rows if row[kind] in _EVENT_KINDS and row[last_at]]
    if not days:
        return None
    last = max(days)
    last = last.date() if isinstance(last, dt.datetime) else last
    return last - dt.timedelta(days=(last.weekday() + 1) % 7)  # back to Sunday


def _plan(
    con: duckdb.DuckDBPyConnection, kpi: str, prepare: Prepare, overview_day: dt.date | None
) -> tuple[str, list, set, bool]:
    """(data version, (variant, prepared call) pairs, wanted meta rows, whether the stored
    copy is current)."""
    cached = CACHED[kpi]
    version = _data_version(con, kpi)
    prepared = [
        (variant, prepare(kpi, grain=variant[0], by=variant[1], as_of=variant[2]))
        for variant in cached.variants(overview_day)
    ]
    wanted = {(grain, by, definition_hash(p)) for (grain, by, _), p in prepared}
    try:
        stored = con.execute(
            f"select grain, by_kind, sql_hash from {_META_TABLE} "
            "where kpi = $kpi and data_version = $version",
            {"kpi": kpi, "version": version},
        ).fetchall()
    except duckdb.CatalogException:  # no copies stored yet
        stored = []
    return version, prepared, wanted, set(stored) == wanted


def is_current(con: duckdb.DuckDBPyConnection, prepare: Prepare) -> bool:
    """Whether every stored copy matches the data, the SQL files and the settings as they
    are now (e.g. false after ``kpi.toml`` changed): an import that published nothing uses
    it to decide whether to refresh the copies anyway."""
    day = overview_as_of(con, prepare)
    return all(_is_current(con, kpi, prepare, day) for kpi in CACHED)


def _is_current(
    con: duckdb.DuckDBPyConnection, kpi: str, prepare: Prepare, overview_day: dt.date | None
) -> bool:
    try:
        return _plan(con, kpi, prepare, overview_day)[3]
    except ValueError:  # no such query file here (or a broken one): nothing to store
        return True


def build(con: duckdb.DuckDBPyConnection, prepare: Prepare, run: Run) -> None:
    """Publish hook: (re)store the copies that are missing or out of date.

    A KPI whose tables and definition did not change is skipped in a few ms (e.g. retention
    on an import of complaints only). A KPI whose file is missing from the queries folder in
    use, or broken, is skipped (the views hook reports broken files); one that fails to run
    only warns, and its old copy is no longer used (its data version no longer matches).
    """
    # The data version includes the storage layout, which a checkpoint settles: take it
    # as readers will see it (the kpi_cache tables written below leave the others alone).
    con.execute("checkpoint")
    con.execute(f"create schema if not exists {SCHEMA}")
    con.execute(
        f"""create table if not exists {_META_TABLE} (
            kpi varchar, grain varchar, by_kind varchar, sql_hash varchar, data_version varchar
        )"""
    )
    overview_day = overview_as_of(con, prepare)
    for kpi in CACHED:
        try:
            _store(con, kpi, prepare, run, overview_day)
        except ValueError:
            continue
        except (duckdb.Error, RuntimeError) as exc:
            print(f"warning: stored results of '{kpi}' not refreshed: {exc}", file=sys.stderr)


def _store(
    con: duckdb.DuckDBPyConnection,
    kpi: str,
    prepare: Prepare,
    run: Run,
    overview_day: dt.date | None,
) -> None:
    import pyarrow as pa  # only when building: the CLI's read path must not pay for it

    version, prepared, wanted, current = _plan(con, kpi, prepare, overview_day)
    if current:
        return
    parts = []
    for (grain, by, as_of), prep in prepared:
        table = run(con, prep)
        n = table.num_rows
        table = (
            table.add_column(0, "row_no", pa.array(range(n), pa.int64()))
            .add_column(0, "stored_as_of", pa.array([as_of] * n, pa.date32()))
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


def restamp(con: duckdb.DuckDBPyConnection, before: dict[str, str], after: dict[str, str]) -> None:
    """Publish step, after a checkpoint that moved only the storage layout (see
    ``materialized.restamp``): a copy recorded current before is recorded current after."""
    for kpi, cached in CACHED.items():
        old, new = composed(before, cached.tables), composed(after, cached.tables)
        if old == new:
            continue
        try:
            con.execute(
                f"update {_META_TABLE} set data_version = $new "
                "where kpi = $kpi and data_version = $old",
                {"kpi": kpi, "old": old, "new": new},
            )
        except duckdb.CatalogException:  # nothing stored in this database
            return


def publish_cache(con: duckdb.DuckDBPyConnection, prepare: Prepare, run: Run) -> None:
    """The publish step: a failure only warns - the imported data matters more than speed
    (without the copies every KPI is still computed live, just slower)."""
    try:
        build(con, prepare, run)
    except Exception as exc:  # noqa: BLE001 - never fail an import for a cache
        print(f"warning: KPI result cache not built: {exc}", file=sys.stderr)
