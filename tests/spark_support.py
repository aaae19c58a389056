"""Shared by the Spark tests: the session fixture (skips on a laptop without Java/pyspark,
fails in CI), the golden cases and the row comparison (floats to 1e-9)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import math
import os
from typing import Any

import numpy as np
import pandas as pd
import pytest

from dashboard.catalog import QueryFile


def spark_missing() -> str | None:
    """Why Spark cannot run here, or None."""
    from dashboard.engines.spark import java_available

    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install -e '.[spark]')"
    if not java_available():
        return "Java 17+ is not installed (apt-get install openjdk-17-jre-headless)"
    return None


def require_spark() -> None:
    why = spark_missing()
    if why is None:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"Spark tests cannot be skipped in CI: {why}")
    pytest.skip(f"Spark tests skipped on this machine: {why}")


def start_session() -> Any:
    """The engine's own local session (one per process: every Spark test module shares it),
    tuned for tiny data: whole-stage code generation and adaptive execution cost more than
    they save on a few hundred rows (about 2x faster here); results do not depend on them."""
    require_spark()
    from dashboard.engines import spark as spark_engine

    session = spark_engine.session()
    session.conf.set("spark.sql.shuffle.partitions", "2")
    session.conf.set("spark.sql.adaptive.enabled", "false")
    session.conf.set("spark.sql.codegen.wholeStage", "false")
    return session


def cases(query: QueryFile, sample: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Both grains; with filters (projects, a region), --from/--to, --as-of and --by, as the
    query declares them. ``sample`` holds values present in the data. The five contract
    KPIs get the filters in two separate sets (projects + as-of + by region; a region +
    from/to + by project); the other queries all filters at once (fewer Spark runs)."""
    grains = query.grains or (None,)
    declared = set(query.params)
    out: list[tuple[str, dict[str, Any]]] = []
    for grain in grains:
        base = {"grain": grain} if grain else {}
        out.append((f"{grain or '-'}:defaults", base))
        filtered = dict(base)
        if "projects" in declared:
            filtered["projects"] = sample["projects"]
        if "as_of" in declared:
            filtered["as_of"] = sample["as_of"]
        if "by" in declared:
            filtered["by"] = "region"
        ranged = dict(base)
        if "regions" in declared:
            ranged["regions"] = [sample["region"]]
        if "date_from" in declared:
            ranged["date_from"] = sample["date_from"]
            ranged["date_to"] = sample["date_to"]
        if "by" in declared:
            ranged["by"] = "project"
        if query.kind == "kpi":
            out.append((f"{grain or '-'}:projects,as_of,by", filtered))
            out.append((f"{grain or '-'}:region,from,to,by", ranged))
        else:
            out.append((f"{grain or '-'}:all filters", {**filtered, **ranged}))
    return out


def _cell(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, list | tuple | np.ndarray):  # a list column (int_work_hours' spans)
        return tuple(_cell(v) for v in value)
    if isinstance(value, dict):  # a struct
        return tuple(sorted((k, _cell(v)) for k, v in value.items()))
    if hasattr(value, "item") and not isinstance(value, dt.date):
        return value.item()
    return value


def _sort_key(row: tuple) -> tuple:
    return tuple((v is None, str(v)) for v in row)


def rows(frame: pd.DataFrame) -> list[tuple]:
    return [tuple(_cell(v) for v in row) for row in frame.itertuples(index=False, name=None)]


def assert_same_rows(
    duck: pd.DataFrame, spark: pd.DataFrame, label: str, ordered: bool = True
) -> None:
    """Same columns in the same order, same rows in the same order (``ordered=False``: in
    any order, for a view without ``order by``); floats to 1e-9."""
    assert list(spark.columns) == list(duck.columns), label
    want, got = rows(duck), rows(spark)
    if not ordered:
        want, got = sorted(want, key=_sort_key), sorted(got, key=_sort_key)
    assert len(got) == len(want), f"{label}: {len(got)} rows on Spark, {len(want)} on DuckDB"
    for i, (w, g) in enumerate(zip(want, got, strict=True)):
        for col, a, b in zip(duck.columns, w, g, strict=True):
            if isinstance(a, float) and isinstance(b, float):
                ok = math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
                assert ok, f"{label}: row {i} {col}: DuckDB {a!r}, Spark {b!r}\n{w}\n{g}"
            else:
                assert type(a) is type(b) and a == b, (
                    f"{label}: row {i} {col}: DuckDB {a!r}, Spark {b!r}\n{w}\n{g}"
                )
