"""The Spark engine: the same ``queries/`` files, transpiled (``transpile.py``), on Apache
Spark, reading the lake (``lake.py``) and returning Arrow like the DuckDB engine.

A session is local (``local[2]``, no UI) unless a Spark Connect address ``sc://HOST:PORT``
is given, then it is a client of that cluster. One session per process and address,
started on first use; the lake's tables are registered as temporary views once per lake
export (the manifest's export id says when to register them again).

The session time zone is UTC: the lake's timestamps are wall-clock times without a zone
(TIMESTAMP_NTZ), and UTC keeps Spark from shifting any of them (no daylight saving).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import warnings
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from dashboard.engines import lake as lake_mod
from dashboard.engines.transpile import UnsupportedOnSpark, spark_args, to_spark
from dashboard.schema import KINDS

if TYPE_CHECKING:
    from dashboard.prepared import PreparedQuery

# Spark types of the lake's columns (DuckDB's contract types)
_SPARK_TYPES = {
    "VARCHAR": "string",
    "TIMESTAMP": "timestamp_ntz",
    "DATE": "date",
    "BOOLEAN": "boolean",
    "INTEGER": "int",
    "BIGINT": "bigint",
    "DOUBLE": "double",
}
_IMPORT_LOG_TYPES = {
    "import_id": "bigint",
    "imported_at": "timestamp_ntz",
    "rows_in_file": "bigint",
    "rows_loaded": "bigint",
    "rows_rejected": "bigint",
    "rows_duplicate": "bigint",
}
LOCAL_CONF = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "4",  # small data per query; the default 200 is slow
    "spark.sql.session.timeZone": "UTC",
    "spark.driver.memory": "1g",
    "spark.sql.adaptive.enabled": "true",
}


_DATE_SPINE_TYPES = {
    "grain": "string",
    "period_start": "date",
    "period_end": "date",
    "last_day": "date",
    "period_no": "int",
}


class SparkUnavailable(RuntimeError):
    """Spark cannot start here (no pyspark, no Java, no Connect client); says what to install."""


class SparkQueryError(RuntimeError):
    """A query failed on Spark; the message names the query file."""


_lock = threading.RLock()
_sessions: dict[str | None, Any] = {}
# session id -> (lake, export id) its temporary views show: one lake per session at a time
_registered: dict[int, tuple[str, str]] = {}


def java_available() -> bool:
    return bool(os.environ.get("JAVA_HOME")) or shutil.which("java") is not None


def session(remote: str | None = None) -> Any:
    """The Spark session for ``remote`` (``None``: local mode), started once per process."""
    with _lock:
        if remote in _sessions:
            return _sessions[remote]
        # pyspark 4.3 warns that it "does not yet fully support pandas >= 3.0.0": results
        # come through Arrow (toArrow), never through pyspark's pandas conversion
        warnings.filterwarnings(
            "ignore", message="PySpark does not yet fully support pandas", category=FutureWarning
        )
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise SparkUnavailable(
                "the Spark engine needs pyspark: pip install -e '.[spark]' (and Java 17+)"
            ) from None
        if remote:
            try:
                spark = SparkSession.builder.remote(remote).getOrCreate()
            except ImportError as exc:
                raise SparkUnavailable(
                    f"Spark Connect needs its client libraries ({exc}): pip install "
                    "'pyspark[connect]'"
                ) from None
            except Exception as exc:
                raise SparkUnavailable(
                    f"cannot reach Spark Connect at {remote}: {_first_line(exc)}"
                ) from None
            spark.conf.set("spark.sql.session.timeZone", "UTC")
        else:
            if not java_available():
                raise SparkUnavailable(
                    "Spark in local mode needs Java 17+ (Debian: apt-get install "
                    "openjdk-17-jre-headless)"
                )
            builder = SparkSession.builder.master("local[2]").appName("kpi-dashboard")
            for key, value in LOCAL_CONF.items():
                builder = builder.config(key, value)
            try:
                spark = builder.getOrCreate()
            except Exception as exc:
                raise SparkUnavailable(f"Spark did not start: {_first_line(exc)}") from None
            # a failed query is reported once, by us; Spark would also log it (a page of JSON)
            spark.sparkContext.setLogLevel("FATAL")
        _sessions[remote] = spark
        return spark


def stop_sessions() -> None:
    """Stop every session this process started (tests, the end of a command)."""
    with _lock:
        for spark in _sessions.values():
            with contextlib.suppress(Exception):  # already gone: nothing to stop
                spark.stop()
        _sessions.clear()
        _registered.clear()


def _column_sql(table: str, column: str) -> str:
    if table in KINDS:
        sql_type = {c.name: c.sql_type for c in KINDS[table].columns}[column]
        spark_type = _SPARK_TYPES[sql_type]
    elif table == "date_spine":
        spark_type = _DATE_SPINE_TYPES[column]
    else:
        spark_type = _IMPORT_LOG_TYPES.get(column, "string")
    return f"cast(`{column}` as {spark_type}) as `{column}`"


def register_lake(spark: Any, lake: str) -> None:
    """The lake's tables as temporary views named like the DuckDB tables, again whenever the
    lake or its export changes. The views belong to the session, so a process answers from
    one lake at a time (the app and the CLI use the one of their settings)."""
    export_id = ""
    local = lake_mod.is_local(lake)
    if local:
        export_id = str(lake_mod.read_manifest(lake.removeprefix("file://")).get("export_id"))
    key = id(spark)
    with _lock:
        if local and _registered.get(key) == (lake, export_id):
            return
        for table in lake_mod.lake_tables():
            path = f"{lake.rstrip('/')}/{table}"
            if local:
                path = os.path.abspath(path.removeprefix("file://"))
            frame = spark.read.option("basePath", path).parquet(path)
            columns = ", ".join(_column_sql(table, c) for c in lake_mod.table_columns(table))
            frame.selectExpr(*columns.split(", ")).createOrReplaceTempView(table)
        _registered[key] = (lake, export_id)


def refuse_duckdb_only(prepared: PreparedQuery) -> None:
    query = prepared.query
    engines = getattr(query, "engines", ("duckdb", "spark"))
    if "spark" not in engines:
        raise UnsupportedOnSpark(
            f"'{query.id}' ({query.path.name}) is marked DuckDB-only (engines = "
            f"{list(engines)!r} in its front matter): run it with --engine duckdb"
        )


def transpiled(prepared: PreparedQuery) -> tuple[str, dict[str, Any]]:
    """The query's Spark SQL and its Spark named parameters."""
    refuse_duckdb_only(prepared)
    lists = frozenset(n for n, v in prepared.bound.items() if isinstance(v, list | tuple))
    result = to_spark(prepared.sql, prepared.query.path.name, lists)
    return result.sql, spark_args(prepared.bound, result.json_params)


def run_arrow(prepared: PreparedQuery, lake: str | None, remote: str | None = None) -> pa.Table:
    """Run the prepared query on Spark over ``lake``; the same columns as on DuckDB."""
    if not lake:
        raise lake_mod.LakeError(
            "the Spark engine reads the lake: give --lake DIR (or [engine] lake in the "
            "settings); write one with: kpi lake export --to DIR"
        )
    sql, args = transpiled(prepared)
    spark = session(remote)
    register_lake(spark, lake)
    try:
        table = spark.sql(sql, args=args).toArrow()
    except Exception as exc:
        query = prepared.query
        raise SparkQueryError(
            f"query '{query.id}' ({query.path.name}) failed on Spark: {_first_line(exc)}"
        ) from exc
    return _like_duckdb(table)


def _like_duckdb(table: pa.Table) -> pa.Table:
    """Spark's TIMESTAMP comes back tagged UTC; DuckDB's is a naive wall-clock time."""
    fields = []
    for f in table.schema:
        if pa.types.is_timestamp(f.type) and f.type.tz is not None:
            fields.append(pa.field(f.name, pa.timestamp("us")))
        else:
            fields.append(f)
    schema = pa.schema(fields)
    return table if schema == table.schema else table.cast(schema)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:500]
