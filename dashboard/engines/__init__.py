"""Engines that run the ``queries/`` files: DuckDB (the default, on the database file) and
Spark (on the Parquet lake, for data that outgrows one machine). One SQL source: the
files stay in DuckDB's dialect; ``transpile.py`` turns them into Spark SQL.

The registry is explicit: ``ENGINES`` maps a name to its runner. ``resolve`` turns a
``--engine`` name (or ``None``) plus the ``[engine]`` settings into one ``EngineSettings``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from dashboard.settings import ENGINE_NAMES, EngineSettings

if TYPE_CHECKING:
    import pyarrow as pa

    from dashboard.prepared import PreparedQuery

__all__ = ["ENGINES", "ENGINE_NAMES", "EngineSettings", "data_version", "resolve", "run_arrow"]


def _run_duckdb(con: Any, prepared: PreparedQuery, engine: EngineSettings) -> pa.Table:
    from dashboard.engines import duck

    return duck.run_arrow(con, prepared)


def _run_spark(con: Any, prepared: PreparedQuery, engine: EngineSettings) -> pa.Table:
    from dashboard.engines import spark

    return spark.run_arrow(prepared, engine.lake, engine.spark_remote)


ENGINES: dict[str, Callable[[Any, PreparedQuery, EngineSettings], pa.Table]] = {
    "duckdb": _run_duckdb,
    "spark": _run_spark,
}


def resolve(
    engine: str | EngineSettings | None,
    configured: EngineSettings,
    *,
    lake: str | None = None,
    spark_remote: str | None = None,
) -> EngineSettings:
    """The engine to use: an explicit one (name or settings) over the configured one; an
    explicit ``lake``/``spark_remote`` over the configured ones."""
    if isinstance(engine, EngineSettings):
        chosen = engine
    else:
        name = engine or configured.name
        if name not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(ENGINES)}, got {name!r}")
        chosen = EngineSettings(name, configured.lake, configured.spark_remote)
    return EngineSettings(chosen.name, lake or chosen.lake, spark_remote or chosen.spark_remote)


def run_arrow(con: Any, prepared: PreparedQuery, engine: EngineSettings) -> pa.Table:
    return ENGINES[engine.name](con, prepared, engine)


def data_version(engine: EngineSettings) -> str:
    """What the answers of ``engine`` depend on besides the query: for Spark, the lake export
    (DuckDB answers are keyed by the database version elsewhere)."""
    if engine.name == "duckdb":
        return "duckdb"
    from dashboard.engines.lake import lake_version

    return f"{engine.name}:{engine.lake}:{engine.spark_remote}:{lake_version(engine.lake)}"
