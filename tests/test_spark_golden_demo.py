"""Golden tests on the demo data (``data/``): the database built by ``ingest_paths``, the lake
written by ``kpi lake export``, then both engines. The five contract KPIs with both grains
and filters; every other portable query with its defaults; and ``kpi show --format csv``
prints the same bytes with ``--engine spark --lake DIR`` as on DuckDB."""

from __future__ import annotations

import contextlib
import csv
import io
import math

import pytest

from dashboard import cli, kpis
from dashboard.catalog import KPI_NAMES
from dashboard.paths import DATA_DIR
from dashboard.settings import EngineSettings
from tests.spark_support import assert_same_rows, cases, start_session


@pytest.fixture(scope="module")
def spark():
    return start_session()


@pytest.fixture(scope="module")
def demo(tmp_path_factory, spark):
    from dashboard.db import connect_readonly
    from dashboard.pipeline import import_files as ingest_paths

    root = tmp_path_factory.mktemp("demo")
    db = root / "demo.duckdb"
    ingest_paths([DATA_DIR], db=db)
    lake = root / "lake"
    assert cli.main(["lake", "export", "--db", str(db), "--to", str(lake)]) == 0
    con = connect_readonly(db)
    dims = kpis.compute(con, "dimensions", engine="duckdb")
    busiest = dims.groupby("project")["rows"].sum().idxmax()
    region = dims.groupby("region")["rows"].sum().idxmax()
    sample = {
        "projects": [busiest, dims["project"].iloc[-1]],
        "region": region,
        "as_of": None,
        "date_from": None,
        "date_to": None,
    }
    orders = kpis.compute(con, "retention", grain="month", engine="duckdb")
    first, last = orders["period_start"].iloc[0], orders["period_start"].iloc[-1]
    sample["as_of"] = last.replace(day=10)  # mid-month: the month-to-date case
    sample["date_from"] = orders["period_start"].iloc[2]
    sample["date_to"] = orders["period_start"].iloc[-3]
    assert first < sample["date_from"] < sample["date_to"] < last
    yield con, db, lake, sample
    con.close()


def _kpi_cases():
    out = []
    for qid in KPI_NAMES:
        query = kpis.get_query(qid)
        labels = cases(
            query, {"projects": [], "region": "", "as_of": None, "date_from": None, "date_to": None}
        )
        # region, --from/--to on the demo data: through `kpi show` below (and every case
        # on the fixtures); here the defaults and projects + as-of + by, both grains
        out += [
            pytest.param(qid, label, id=f"{qid}-{label}")
            for label, _ in labels
            if not label.endswith(":region,from,to,by")
        ]
    return out


@pytest.mark.parametrize(("query_id", "label"), _kpi_cases())
def test_contract_kpis_on_demo_data(demo, query_id, label):
    con, _, lake, sample = demo
    kwargs = dict(cases(kpis.get_query(query_id), sample))[label]
    duck = kpis.compute(con, query_id, engine="duckdb", **kwargs)
    spark = kpis.compute(con, query_id, engine=EngineSettings("spark", str(lake)), **kwargs)
    assert len(duck) > 0, "the demo data should give rows"
    ordered = kpis.get_query(query_id).kind != "intermediate"  # views have no order by
    assert_same_rows(duck, spark, f"{query_id} {kwargs}", ordered)


OTHERS = [q.id for q in kpis.list_queries() if q.id not in KPI_NAMES and "spark" in q.engines]


@pytest.mark.parametrize("query_id", OTHERS)
def test_other_queries_on_demo_data(demo, query_id):
    con, _, lake, _ = demo
    duck = kpis.compute(con, query_id, engine="duckdb")
    spark = kpis.compute(con, query_id, engine=EngineSettings("spark", str(lake)))
    ordered = kpis.get_query(query_id).kind != "intermediate"  # views have no order by
    assert_same_rows(duck, spark, query_id, ordered)


def _show(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("kpi", "flags"),
    [
        ("retention", ["--grain", "week", "--as-of", "{as_of}", "--project", "{project}"]),
        ("cohorts", ["--region", "{region}"]),
        ("complaints", ["--grain", "month", "--by", "region"]),
        ("satisfaction", ["--from", "{date_from}", "--to", "{date_to}"]),
        ("vip_coverage", ["--grain", "month", "--as-of", "{as_of}"]),
    ],
)
def test_kpi_show_prints_the_same_csv_on_spark(demo, kpi, flags):
    _, db, lake, sample = demo
    values = {
        "as_of": sample["as_of"].isoformat(),
        "project": sample["projects"][0],
        "region": sample["region"],
        "date_from": sample["date_from"].isoformat(),
        "date_to": sample["date_to"].isoformat(),
    }
    flags = [f.format(**values) for f in flags]
    code, duck_csv, _ = _show(["show", kpi, "--db", str(db), "--format", "csv", *flags])
    assert code == 0 and duck_csv.count("\n") > 2
    code, spark_csv, err = _show(
        ["show", kpi, "--engine", "spark", "--lake", str(lake), "--format", "csv", *flags]
    )
    assert code == 0, err
    assert_same_csv(duck_csv, spark_csv)


def assert_same_csv(want: str, got: str) -> None:
    """Same header and cells; decimals (full precision) equal to 1e-9, the rest exactly."""
    want_rows, got_rows = list(csv.reader(io.StringIO(want))), list(csv.reader(io.StringIO(got)))
    assert got_rows[0] == want_rows[0]
    assert len(got_rows) == len(want_rows)
    for w_row, g_row in zip(want_rows[1:], got_rows[1:], strict=True):
        for w, g in zip(w_row, g_row, strict=True):
            if "." in w and w.replace(".", "").replace("-", "").replace("e", "").isdigit():
                assert math.isclose(float(w), float(g), rel_tol=1e-9, abs_tol=1e-9), (w_row, g_row)
            else:
                assert w == g, (w_row, g_row)


def test_kpi_show_spark_without_a_lake_is_a_usage_error(tmp_path):
    code, out, err = _show(["show", "retention", "--engine", "spark"])
    assert (code, out) == (2, "") and "--lake" in err
    code, out, err = _show(["show", "retention", "--engine", "spark", "--lake", str(tmp_path)])
    assert (code, out) == (2, "") and "kpi lake export" in err
