"""Does each query file run on Spark? For ``kpi check`` (one line per file).

Static: the file's SQL (staging views inlined, as it runs) transpiles without an
unsupported construct (``transpile.to_spark``). A file marked ``engines = ["duckdb"]`` is
reported as DuckDB-only and refused on Spark; any other file that does not transpile fails
the check, so a non-portable construct is caught when the file is added, not when a
cluster first runs it. ``kpi check --spark`` also runs every portable file on Spark in
local mode over a lake of the checked database and compares its rows with DuckDB's.
"""

from __future__ import annotations

import math
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from dashboard.catalog import QueryFile, render_sql
from dashboard.engines.transpile import UnsupportedOnSpark, to_spark

# parameters that are bound to lists (``len`` of them is ``size`` on Spark)
LIST_PARAMS = frozenset({"projects", "regions", "sla_rules"})


@dataclass(frozen=True)
class Portability:
    query_id: str
    file: str
    status: str  # "spark" | "duckdb-only" | "not portable"
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.status != "not portable"

    def line(self, width: int = 0) -> str:
        if self.status == "spark":
            return f"ok   {self.query_id.ljust(width)}  portable to Spark (transpiles)"
        if self.status == "duckdb-only":
            return f"ok   {self.query_id.ljust(width)}  DuckDB-only (marked; refused on Spark)"
        return f"FAIL {self.file}: not portable to Spark: {self.reason}"


def check_portability(queries: dict[str, QueryFile]) -> list[Portability]:
    results = []
    for query in queries.values():
        if "spark" not in query.engines:
            results.append(Portability(query.id, query.path.name, "duckdb-only"))
            continue
        try:
            to_spark(render_sql(query, queries), query.path.name, LIST_PARAMS)
        except UnsupportedOnSpark as exc:
            reason = str(exc).removeprefix(f"{query.path.name}: ")
            hint = "" if query.kind != "query" else ' (or mark it engines = ["duckdb"])'
            results.append(Portability(query.id, query.path.name, "not portable", reason + hint))
            continue
        results.append(Portability(query.id, query.path.name, "spark"))
    return results


def run_on_spark(
    db: str | os.PathLike[str] | None, queries: dict[str, QueryFile], queries_dir: Path
) -> dict[str, str]:
    """Every portable non-staging file with its defaults on both engines: ``{id: problem}``
    for those whose Spark rows differ from DuckDB's (floats to 1e-9) or that fail."""
    from dashboard import kpis
    from dashboard.engines.lake import export_lake
    from dashboard.pipeline import connect_readonly
    from dashboard.settings import EngineSettings

    problems: dict[str, str] = {}
    con = connect_readonly(db, locked=False)  # the lake export writes files
    try:
        with tempfile.TemporaryDirectory(prefix="kpi-check-lake-") as lake:
            export_lake(con, lake)
            spark = EngineSettings("spark", lake)
            for query in queries.values():
                if query.kind == "staging" or "spark" not in query.engines:
                    continue
                try:
                    duck = kpis.compute(con, query.id, engine="duckdb", queries_dir=queries_dir)
                    other = kpis.compute(con, query.id, engine=spark, queries_dir=queries_dir)
                except Exception as exc:  # reported per file, one line
                    problems[query.id] = str(exc).splitlines()[0]
                    continue
                why = _difference(duck, other)
                if why:
                    problems[query.id] = why
    finally:
        con.close()
    return problems


def _difference(duck, spark) -> str | None:
    if list(duck.columns) != list(spark.columns):
        return f"columns differ: {list(spark.columns)} on Spark"
    if len(duck) != len(spark):
        return f"{len(spark)} rows on Spark, {len(duck)} on DuckDB"
    for i, (a_row, b_row) in enumerate(
        zip(duck.itertuples(index=False), spark.itertuples(index=False), strict=True)
    ):
        for col, a, b in zip(duck.columns, a_row, b_row, strict=True):
            if _same(a, b):
                continue
            return f"row {i} column {col}: {a!r} on DuckDB, {b!r} on Spark"
    return None


def _same(a, b) -> bool:
    a_null = a is None or (isinstance(a, float) and math.isnan(a)) or str(a) in ("<NA>", "NaT")
    b_null = b is None or (isinstance(b, float) and math.isnan(b)) or str(b) in ("<NA>", "NaT")
    if a_null or b_null:
        return a_null and b_null
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b
