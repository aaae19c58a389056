"""The benchmark: its pandas baseline computes the spec's KPIs (checked by hand and against
the product's SQL, so the speed comparison is fair) and `kpi bench` writes every section.

No test here asserts a wall-clock time.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard.bench import pandas_baseline as pb
from dashboard.bench.compare import frames_match
from dashboard.bench.machine import describe
from dashboard.bench.markdown import render
from dashboard.bench.runner import combos, growth
from dashboard.bench.stats import loglog_exponent, median_seconds

# A tiny hand-checkable dataset. Weeks of January 2024 start on Mondays 01-01, 01-08, ...
ORDERS = [
    # order_id, customer_id, project, region, ordered_at
    ("o1", "c1", "P1", "R1", "2024-01-01 10:00"),  # week 01-01, Jan
    ("o2", "c2", "P1", "R1", "2024-01-03 00:00"),  # week 01-01, Jan
    ("o3", "c1", "P1", "R1", "2024-01-09 00:00"),  # week 01-08, Jan
    ("o4", "c3", "P2", "R2", "2024-01-10 00:00"),  # week 01-08, Jan
    ("o5", "c2", "P1", "R1", "2024-01-24 00:00"),  # week 01-22, Jan
    ("o6", "c1", "P1", "R1", "2024-02-05 00:00"),  # week 02-05, Feb
    ("o7", "c4", "P2", "R2", "2024-02-20 00:00"),  # week 02-19, Feb
    ("o8", "c3", "P2", "R2", "2024-03-04 00:00"),  # week 03-04, Mar
]
COMPLAINTS = [
    # complaint_id, project, region, opened_at, first_response_at, resolved_at
    ("k1", "P1", "R1", "2024-01-01 08:00", "2024-01-01 09:00", "2024-01-01 20:00"),  # 12 h, met
    ("k2", "P1", "R1", "2024-01-02 00:00", "2024-01-02 06:00", "2024-01-04 00:00"),  # 48 h
    ("k3", "P2", "R2", "2024-01-03 12:00", None, None),  # still open
    ("k4", "P1", "R1", "2024-01-15 00:00", None, "2024-01-16 00:00"),  # 24 h, met (<=)
]
SURVEYS = [
    # response_id, project, region, submitted_at, csat, nps
    ("s1", "P1", "R1", "2024-01-01 00:00", 5, 10),
    ("s2", "P1", "R1", "2024-01-02 00:00", 3, 6),
    ("s3", "P2", "R2", "2024-01-03 00:00", 4, None),
    ("s4", "P1", "R1", "2024-01-16 00:00", 2, 8),
]
CUSTOMERS = [
    # customer_id, project, region, is_vip, vip_since, joined_on
    ("c1", "P1", "R1", True, "2023-06-01", "2023-01-01"),
    ("c2", "P1", "R1", True, "2024-01-10", None),  # a VIP from week 01-08 on
    ("c3", "P2", "R2", False, None, None),
    ("c4", "P2", "R2", True, None, None),
]
VIP_CONTACTS = [
    # contact_id, customer_id, contacted_at, method
    ("v1", "c1", "2024-01-02 10:00", "phone"),
    ("v2", "c2", "2024-01-03 10:00", "visit"),  # c2 not a VIP yet in week 01-01
    ("v3", "c3", "2024-01-04 10:00", "phone"),  # never a VIP: ignored
    ("v4", "c4", "2024-01-09 10:00", "visit"),
    ("v5", "c1", "2024-01-10 10:00", "phone"),
    ("v6", "c2", "2024-01-11 10:00", "phone"),
]


@pytest.fixture
def tiny(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    con.executemany(
        "insert into orders (order_id, customer_id, project, region, ordered_at) "
        "values (?, ?, ?, ?, ?::timestamp)",
        ORDERS,
    )
    con.executemany(
        "insert into complaints (complaint_id, project, region, opened_at, first_response_at,"
        " resolved_at) values (?, ?, ?, ?::timestamp, ?::timestamp, ?::timestamp)",
        COMPLAINTS,
    )
    con.executemany(
        "insert into surveys (response_id, project, region, submitted_at, csat, nps) "
        "values (?, ?, ?, ?::timestamp, ?, ?)",
        SURVEYS,
    )
    con.executemany(
        "insert into customers (customer_id, project, region, is_vip, vip_since, joined_on) "
        "values (?, ?, ?, ?, ?::date, ?::date)",
        CUSTOMERS,
    )
    con.executemany(
        "insert into vip_contacts (contact_id, customer_id, contacted_at, method) "
        "values (?, ?, ?::timestamp, ?)",
        VIP_CONTACTS,
    )
    return con


@pytest.fixture
def tables(tiny: duckdb.DuckDBPyConnection) -> pb.Tables:
    return pb.load_tables(tiny)


def rows(df: pd.DataFrame) -> list[tuple]:
    """Rows with dates as ISO strings and NaN as None, for comparison with hand values."""
    out = []
    for rec in df.itertuples(index=False):
        vals = []
        for v in rec:
            if isinstance(v, pd.Timestamp):
                vals.append(v.strftime("%Y-%m-%d"))
            elif isinstance(v, float) and math.isnan(v):
                vals.append(None)
            else:
                vals.append(v)
        out.append(tuple(vals))
    return out


def close(actual: list[tuple], expected: list[tuple]) -> bool:
    return len(actual) == len(expected) and all(
        len(a) == len(e)
        and all(
            x == y or (isinstance(y, float) and x == pytest.approx(y))
            for x, y in zip(a, e, strict=True)
        )
        for a, e in zip(actual, expected, strict=False)
    )


def test_baseline_retention_by_month(tables: pb.Tables) -> None:
    got = rows(pb.compute(tables, "retention", grain="month"))
    expected = [
        # Jan: c1,c2,c3 active, all new; nothing before -> rate empty
        ("2024-01-01", 3, 0, 0, 3, None, None),
        # Feb: c1,c4 active; of Jan's 3 only c1 kept -> 1/3; c4 new
        ("2024-02-01", 2, 3, 1, 1, 1 / 3, 2 / 3),
        # Mar: c3 active; of Feb's c1,c4 none kept -> 0/2
        ("2024-03-01", 1, 2, 0, 0, 0.0, 1.0),
    ]
    assert close(got, expected), got


def test_baseline_retention_by_week_fills_empty_periods(tables: pb.Tables) -> None:
    got = rows(pb.compute(tables, "retention", grain="week"))
    assert len(got) == 10  # weeks 01-01 .. 03-04, contiguous
    assert close(
        got[:3],
        [
            ("2024-01-01", 2, 0, 0, 2, None, None),
            ("2024-01-08", 2, 2, 1, 1, 0.5, 0.5),  # c1 kept, c3 new
            ("2024-01-15", 0, 2, 0, 0, 0.0, 1.0),  # nobody: empty week kept
        ],
    ), got


def test_baseline_retention_project_filter(tables: pb.Tables) -> None:
    got = rows(pb.compute(tables, "retention", grain="month", projects=["P1"]))
    # P1 orders: Jan c1,c2; Feb c1 -> 1/2 kept; no P1 order in March: periods stop in Feb
    assert close(
        got,
        [("2024-01-01", 2, 0, 0, 2, None, None), ("2024-02-01", 1, 2, 1, 0, 0.5, 0.5)],
    ), got


def test_baseline_cohorts(tables: pb.Tables) -> None:
    got = rows(pb.compute(tables, "cohorts"))
    expected = [
        ("2024-01-01", 0, 3, 3, 1.0),  # Jan cohort c1,c2,c3
        ("2024-01-01", 1, 3, 1, 1 / 3),  # Feb: c1
        ("2024-01-01", 2, 3, 1, 1 / 3),  # Mar: c3
        ("2024-02-01", 0, 1, 1, 1.0),  # Feb cohort c4
        ("2024-02-01", 1, 1, 0, 0.0),  # Mar: nobody, up to the last month with data
    ]
    assert close(got, expected), got


def test_baseline_complaints_by_week(tables: pb.Tables) -> None:
    got = rows(pb.compute(tables, "complaints"))
    expected = [
        # k1 12 h, k2 48 h resolved; median (12+48)/2 = 30; p90 12 + 0.9*(48-12) = 44.4;
        # SLA met k1 only -> 1/3; first responses 1 h, 6 h -> 3.5; open at 01-08: k3
        ("2024-01-01", 3, 2, 30.0, 44.4, 1, 1 / 3, 3.5, 1),
        ("2024-01-08", 0, 0, None, None, 0, None, None, 1),  # empty week, k3 still open
        ("2024-01-15", 1, 1, 24.0, 24.0, 1, 1.0, None, 1),  # k4 24 h meets 24 h
    ]
    assert close(got, expected), got


def test_baseline_satisfaction(tables: pb.Tables) -> None:
    got = rows(pb.compute(tables, "satisfaction"))
    expected = [
        # csat 5,3,4 -> 4.0; satisfied 5,4 -> 2/3; nps 10 (promoter), 6 (detractor) -> 0
        ("2024-01-01", 3, 4.0, 2 / 3, 2, 0.0),
        ("2024-01-08", 0, None, None, 0, None),
        ("2024-01-15", 1, 2.0, 0.0, 1, 0.0),  # nps 8 is passive
    ]
    assert close(got, expected), got
    p1 = rows(pb.compute(tables, "satisfaction", projects=["P1"]))
    assert close(p1[:1], [("2024-01-01", 2, 4.0, 0.5, 2, 0.0)]), p1


def test_baseline_vip_coverage(tables: pb.Tables) -> None:
    got = rows(pb.compute(tables, "vip_coverage"))
    expected = [
        # last day 01-07: VIPs c1, c4 (c2 from 01-10); contacted c1 (v1 phone; v2 ignored)
        ("2024-01-01", 2, 1, 0.5, 1, 0, 1),  # c4 not contacted in 30 days -> overdue
        # last day 01-14: VIPs c1,c2,c4 all contacted (v4 visit, v5, v6 phone)
        ("2024-01-08", 3, 3, 1.0, 2, 1, 0),
    ]
    assert close(got, expected), got
    month = rows(pb.compute(tables, "vip_coverage", grain="month"))
    # January: c2 is a VIP by 01-31, so v2 (visit) counts; c3's v3 never does
    assert close(month, [("2024-01-01", 3, 3, 1.0, 3, 2, 0)]), month
    p2 = rows(pb.compute(tables, "vip_coverage", projects=["P2"]))
    assert close(p2, [("2024-01-08", 1, 1, 1.0, 0, 1, 0)]), p2


def test_baseline_rejects_week_cohorts(tables: pb.Tables) -> None:
    with pytest.raises(ValueError, match="month"):
        pb.compute(tables, "cohorts", grain="week")


CASES = [
    (kpi, grain, projects)
    for kpi in pb.KPI_NAMES
    for grain in (("month",) if kpi == "cohorts" else ("week", "month"))
    for projects in ((), ("P1",), ("P2",))
]


@pytest.mark.parametrize(("kpi", "grain", "projects"), CASES)
def test_baseline_matches_product(
    tiny: duckdb.DuckDBPyConnection, tables: pb.Tables, kpi: str, grain: str, projects: tuple
) -> None:
    """The baseline and the product's SQL agree, so the speed ratio compares like with like."""
    kpis = pytest.importorskip("dashboard.kpis")
    if kpi not in {q.id for q in kpis.list_queries()}:
        pytest.skip(f"queries/{kpi}.sql not written yet")
    product = kpis.compute(tiny, kpi, grain=grain, projects=projects)
    baseline = pb.compute(tables, kpi, grain=grain, projects=projects)
    assert list(baseline.columns) == list(product.columns)
    product_rows = rows(_timestamps(product))
    baseline_rows = rows(baseline)
    assert close(baseline_rows, [tuple(_floatify(v) for v in r) for r in product_rows]), (
        baseline_rows,
        product_rows,
    )


def _timestamps(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    for col in df.columns[:1]:
        df[col] = pd.to_datetime(df[col])
    return df


def _floatify(v: object) -> object:
    if v is None or isinstance(v, (str, bool)):
        return v
    if isinstance(v, int):
        return v
    try:
        f = float(v)  # Decimal, numpy numbers
    except (TypeError, ValueError):
        return v
    return None if math.isnan(f) else f


def test_stats_helpers() -> None:
    # time = 2 * rows**1 -> exponent 1; time = rows**0.5 -> 0.5
    assert loglog_exponent([10, 100, 1000], [20, 200, 2000]) == pytest.approx(1.0)
    assert loglog_exponent([100, 10000], [10, 100]) == pytest.approx(0.5)
    assert loglog_exponent([100], [1.0]) is None  # one scale: no slope
    assert median_seconds([3.0, 1.0, 2.0]) == 2.0


def test_kpi_bench_smoke(tmp_path: Path) -> None:
    """A tiny end-to-end run writes a report with every section (timings not checked)."""
    for module, name in (("dashboard.demo", "generate"), ("dashboard.ingest", "ingest_paths")):
        if not hasattr(pytest.importorskip(module), name):
            pytest.skip(f"{module}.{name} not written yet")
    from dashboard.cli import main

    out = tmp_path / "BENCH.md"
    code = main(
        [
            "bench",
            "--scales",
            "0.05",
            "--repeat",
            "1",
            "--out",
            str(out),
            "--workdir",
            str(tmp_path / "work"),
            "--no-browser",  # timed in test_browser_stage_times_every_page
        ]
    )
    assert code == 0
    text = out.read_text(encoding="utf-8")
    for section in (
        "## Machine",
        "## Reproduce",
        "## Targets",
        "## Ingest",
        "## Command line, as processes",
        "## KPI queries",
        "## Pandas baseline",
        "## Overview data",
        "## Memory",
        "## Growth",
    ):
        assert section in text, section
    assert "retention" in text and "vip_coverage" in text
    # kpi show and the pandas script timed as processes, for every KPI
    assert re.search(r"\| 0\.05x \| vip_coverage \| \d+\.\d\d \| \d+\.\d\d \| \d+\.\dx \|", text)
    assert "| pages in a browser | <= 1.5 s | skipped: --no-browser | n/a |" in text
    # the ingest floor was measured in the same run and judged
    assert re.search(r"\| ingest vs the bare libraries[^|]*\|[^|]*\| \d+\.\dx \(", text)
    # the machine's speed at the start and end of the run, measured both times
    number = r"\d+\.\d\d s"
    check = rf"{number}, {number}"
    assert re.search(rf"\| CPU check at start / end[^|]*\| {check} / {check} \|", text)


def _fake_scale(scale: float, kpi_seconds: float, ratio: float) -> dict:
    kinds = {
        k: {
            "seconds": 0.5 * scale,
            "files": 1,
            "bytes": 1e6 * scale,
            "formats": ["csv"],
            "rows_in_file": int(1000 * scale),
            "loaded": int(1000 * scale),
            "rejected": 0,
            "duplicates": 0,
            "failed": [],
        }
        for k in ("customers", "orders", "complaints", "surveys", "vip_contacts")
    }
    cases = [
        {
            "kpi": k,
            "grain": g,
            "scope": scope,
            "filtered": scope != "all",
            "seconds": kpi_seconds,
            "result_rows": 3,
        }
        for k, g, scope in combos(pb.KPI_NAMES)
    ]
    return {
        "scale": scale,
        "rows": {t: int(1000 * scale) for t in kinds},
        "db_mb": 1.0,
        "filter_project": "P1",
        "ingest": {"kinds": kinds, "total_seconds": 2.5 * scale, "peak_rss_mb": 100.0},
        "kpis": cases,
        "overview": {"cold_seconds": 0.5, "cached_seconds": 0.01},
        "app_memory": {"peak_rss_mb": 200.0, "imports_rss_mb": 100.0},
        "pandas": {
            "load_seconds": 1.0,
            "kpis": [{**c, "seconds": c["seconds"] * ratio, "ratio": ratio} for c in cases],
        },
    }


def test_render_marks_targets_and_growth() -> None:
    """Rendering alone (no data): targets are judged at the largest scale."""
    scales = [_fake_scale(1, 0.01, 20.0), _fake_scale(100, 0.3, 4.0)]
    results = {
        "machine": describe(),
        "config": {"scales": [1, 100], "repeat": 5, "pandas_repeat": 3, "seed": 42, "workdir": "w"},
        "overview_method": "stand-in",
        "kpi_names": list(pb.KPI_NAMES),
        "scales": scales,
        "bench_peak_rss_mb": 300.0,
        "growth": growth(scales),
    }
    text = render(results)
    targets = text.split("## Targets at 100x")[1].split("## Ingest")[0]
    # ingest 2.5 s * 100 = 250 s > 30 s; KPI 300 ms > 20 ms; Overview cold 500 ms > 100 ms;
    # pandas summed 4x < 5x: four misses. Overview cached 10 ms, ingest memory 100 MB, app
    # memory 200 MB, never slower than pandas (4x >= 1x) and growth (below) pass
    assert targets.count("**MISS**") == 4
    # log(0.3/0.01) / log(100) = 0.74: within "about linear", so growth passes
    assert "| retention week all | 0.74 | pass |" in text
    assert "| cohorts | month | all | 10.0 | 300 | 3 | **MISS** |" in text
    # results without the end check (an older results.json) still render
    assert re.search(
        r"CPU check at start / end[^|]*\| \d+\.\d\d s, \d+\.\d\d s / not measured \|", text
    )


def test_ingest_floor_moves_every_format_into_duckdb(tmp_path: Path) -> None:
    """The floor reads what the ingest reads: UTF-8 and GB18030 CSV (title line included),
    every XLSX sheet and Parquet; it counts raw rows (no header detection, no checks)."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from openpyxl import Workbook

    from dashboard.bench.floor import measure

    utf8 = tmp_path / "orders.csv"
    utf8.write_text("order_id,customer_id\no1,c1\no2,c2\n", encoding="utf-8")
    gbk = tmp_path / "投诉.csv"
    gbk.write_bytes("2026年投诉台账\n投诉编号,项目\nk1,华南\n".encode("gb18030"))
    book = Workbook()
    book.active.append(["response_id", "csat"])
    book.active.append(["s1", 5])
    book.create_sheet("二月").append(["response_id", "csat"])
    book.save(tmp_path / "surveys.xlsx")
    pq.write_table(pa.table({"contact_id": ["v1", "v2", "v3"]}), tmp_path / "vip.parquet")
    files = {
        "orders": [str(utf8)],
        "complaints": [str(gbk)],
        "surveys": [str(tmp_path / "surveys.xlsx")],
        "vip_contacts": [str(tmp_path / "vip.parquet")],
    }
    result = measure(tmp_path / "floor.duckdb", files)
    rows = {kind: k["rows"] for kind, k in result["kinds"].items()}
    # 3 lines; title + header + 1; 2 rows + 1 row (two sheets); 3 Parquet rows
    assert rows == {"orders": 3, "complaints": 3, "surveys": 3, "vip_contacts": 3}
    assert result["total_seconds"] == pytest.approx(
        sum(k["seconds"] for k in result["kinds"].values())
    )
    assert not (tmp_path / "floor.duckdb").exists()  # a scratch database, removed


def test_browser_stage_skips_cleanly_without_chromium(tmp_path: Path, monkeypatch) -> None:
    from dashboard.bench import browser

    monkeypatch.setenv("CHROMIUM", str(tmp_path / "no-such-browser"))
    result = browser.measure(tmp_path / "kpi.duckdb", region="East")
    assert result == {
        "skipped": f"no chromium at {tmp_path / 'no-such-browser'} (apt-get install chromium)"
    }


@pytest.mark.browser
def test_browser_stage_times_every_page(tmp_path: Path) -> None:
    import os

    from tests_ui_support import build_tiny_db

    from dashboard.bench import browser

    if browser.missing():
        if os.environ.get("CI"):
            pytest.fail(f"browser timing cannot run in CI: {browser.missing()}")
        pytest.skip(browser.missing())
    db = build_tiny_db(tmp_path / "tiny.duckdb")
    result = browser.measure(db, region="East", repeat=1, pages=("", "complaints"))
    pages = {p["page"]: p for p in result["pages"]}
    assert set(pages) == {"overview", "complaints"}
    assert all(p["seconds"] > 0 and p["filtered_seconds"] > 0 for p in pages.values())
    # the floor: a one-line page, timed the same way, in the same browser
    assert result["floor_seconds"] > 0


def test_the_browser_section_names_the_floor() -> None:
    from dashboard.bench.report_measured import browser_section

    pages = [{"page": "overview", "seconds": 0.84, "filtered_seconds": 0.9}]
    text = browser_section(
        [{"scale": 100.0, "browser": {"pages": pages, "region": "East", "floor_seconds": 0.31}}]
    )
    assert "| 100x | overview | 0.84 | 0.90 |" in text
    assert "100x: the floor, a one-line Streamlit page served and loaded the same way, " in text
    assert "settles in 0.31 s" in text
    # an earlier run's results without a floor still render
    assert "floor" not in browser_section([{"scale": 1.0, "browser": {"pages": pages}}])


def test_frames_match_treats_null_as_nan_and_spots_differences() -> None:
    product = pd.DataFrame(
        {"period_start": [pd.Timestamp("2024-01-01").date()], "n": [3], "rate": [None]}
    )
    same = pd.DataFrame(
        {"period_start": [pd.Timestamp("2024-01-01")], "n": [3.0], "rate": [math.nan]}
    )
    other = same.assign(n=[4.0])
    assert frames_match(product, same)
    assert not frames_match(product, other)
    assert not frames_match(product, same.rename(columns={"n": "m"}))


def test_overview_stage_leaves_kpi_db_alone(
    tiny: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """The app reads $KPI_DB; the benchmark points it at its database only while measuring."""
    import os

    from dashboard.bench.runner import overview

    db = tmp_path / "tiny.duckdb"
    tiny.execute(f"attach '{db}' as out")
    tiny.execute("copy from database memory to out")
    tiny.execute("detach out")
    before = os.environ.get("KPI_DB")
    result = overview(db, repeat=1)
    assert os.environ.get("KPI_DB") == before
    assert result["cold_seconds"] > 0 and result["cached_seconds"] >= 0
    assert any(c["query"] == "retention" for c in result["cold_breakdown"])


def test_busy_warning_says_when_a_core_was_missing() -> None:
    from dashboard.bench.report_run import busy_warning

    quiet = {"cores": 2, "load_average_at_start": [0.1, 0.1, 0.1]}
    both_free = {**quiet, "cpu_check_at_start": {"one": 0.25, "two": 0.27}}
    one_free = {**quiet, "cpu_check_at_start": {"one": 0.25, "two": 0.5}}  # 2.0x > 1.6x
    end = {"load_average_at_end": [0.2, 0.1, 0.1], "cpu_check_at_end": {"one": 0.25, "two": 0.26}}
    assert busy_warning({"machine": both_free, **end}) == ""
    assert "Fewer than two cores were free" in busy_warning({"machine": one_free, **end})
    busy = {**both_free, "load_average_at_start": [1.9, 1.0, 1.0]}  # > 0.75 * 2 cores
    assert "The machine was busy" in busy_warning({"machine": busy, **end})


def test_process_section_shows_the_interpreter_floor() -> None:
    from dashboard.bench.report_measured import process_section

    text = process_section(
        [
            {
                "scale": 1,
                "processes": {
                    "cases": [
                        {
                            "kpi": "retention",
                            "kpi_show_seconds": 0.3,
                            "pandas_seconds": 1.2,
                            "ratio": 4.0,
                        },
                    ],  # fmt: skip
                    "help_seconds": 0.2,
                    "python_seconds": 0.05,
                },
            }
        ]
    )
    assert "| 1x | retention | 0.30 | 1.20 | 4.0x |" in text
    assert "`python -c pass` (the floor) | 0.05" in text
