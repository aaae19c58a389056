"""Run the benchmark: per scale, generate demo exports, ingest them, time every KPI, the
Overview data and the pandas baseline, measure peak memory; then fit growth exponents.

Results are one JSON-able dict (saved next to the data as results.json); ``markdown.py``
turns it into docs/BENCHMARKS.md.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tqdm import tqdm

from dashboard.bench import pandas_baseline
from dashboard.bench.compare import frames_match
from dashboard.bench.machine import cpu_check, describe, load_average, peak_rss_mb
from dashboard.bench.stats import loglog_exponent, median_seconds, time_repeated

# Ingest order: small kinds first, so that the copy of the database each writer makes
# (dashboard.db.writer) costs the big kinds little, as in a real first import.
KIND_ORDER = ("customers", "vip_contacts", "surveys", "complaints", "orders")
# The table whose size drives each KPI's cost (the x axis of its growth fit).
KPI_TABLE = {
    "retention": "orders",
    "cohorts": "orders",
    "complaints": "complaints",
    "satisfaction": "surveys",
    "vip_coverage": "vip_contacts",
}
STAGES = (
    "generate", "ingest", "kpis", "overview", "app memory", "pandas", "processes", "browser"
)  # fmt: skip


@dataclass
class BenchConfig:
    scales: list[float]
    workdir: Path
    repeat: int = 5
    pandas_repeat: int = 3
    seed: int = 42
    progress: bool = True
    browser: bool = True  # time every page in headless Chromium (skipped without one)
    extra: dict[str, object] = field(default_factory=dict)


# The filters every KPI is measured with (#14: "all, one project, one region, three
# projects; both grains; with --as-of"); the values come from the data (``case_filters``).
SCOPES = ("all", "one project", "one region", "three projects", "as of")


def combos(kpi_names: tuple[str, ...]) -> Iterator[tuple[str, str, str]]:
    """(kpi, grain, scope) for every measured case: cohorts are month-only."""
    for kpi in kpi_names:
        for grain in ("month",) if kpi == "cohorts" else ("week", "month"):
            for scope in SCOPES:
                yield kpi, grain, scope


def case_filters(con: object) -> dict[str, dict[str, object]]:
    """The keyword filters of each scope: the largest project and region by orders, the
    three largest projects, and an as-of day four weeks before the last order."""
    projects = [
        r[0]
        for r in con.execute(
            "select project from orders group by project order by count(*) desc, project limit 3"
        ).fetchall()
    ]
    region = con.execute(
        "select region from orders group by region order by count(*) desc, region limit 1"
    ).fetchone()
    last = con.execute("select max(ordered_at)::date from orders").fetchone()[0]
    return {
        "all": {},
        "one project": {"projects": projects[:1]},
        "one region": {"regions": [region[0]] if region else []},
        "three projects": {"projects": projects},
        "as of": {"as_of": last - dt.timedelta(days=28)} if last else {},
    }


def run(config: BenchConfig) -> dict[str, object]:
    from dashboard import kpis

    config.workdir.mkdir(parents=True, exist_ok=True)
    results: dict[str, object] = {
        "machine": describe(),
        "config": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(config).items()},
        # replaced by the probe's own description once the overview stage ran
        "overview_method": "the Overview's data calls (dashboard/ui/overview_probe.py)",
        "kpi_names": list(kpis.KPI_NAMES),
        "scales": [],
    }
    bar = tqdm(
        total=len(config.scales) * len(STAGES),
        desc="benchmark",
        unit="stage",
        file=sys.stderr,
        disable=not config.progress,
        position=0,
    )
    try:
        for scale in config.scales:
            results["scales"].append(run_scale(scale, config, bar))
            method = results["scales"][-1].get("overview", {}).pop("method", None)
            results["overview_method"] = method or results["overview_method"]
            _save(config.workdir, results)
    finally:
        bar.close()
    results["bench_peak_rss_mb"] = peak_rss_mb()
    results["load_average_at_end"] = load_average()
    results["cpu_check_at_end"] = cpu_check()
    results["growth"] = growth(results["scales"])
    _save(config.workdir, results)
    return results


def _save(workdir: Path, results: dict[str, object]) -> None:
    (workdir / "results.json").write_text(json.dumps(results, indent=1, default=str), "utf-8")


def _stage(bar: tqdm, scale: float, name: str) -> None:
    bar.set_description(f"{scale:g}x: {name}")


def run_scale(scale: float, config: BenchConfig, bar: tqdm) -> dict[str, object]:
    from dashboard import kpis
    from dashboard.pipeline import connect_readonly

    scale_dir = config.workdir / f"scale-{scale:g}"
    out: dict[str, object] = {"scale": scale}

    _stage(bar, scale, "generate demo exports")
    files_by_kind, out["generate_seconds"], out["generated_now"] = generate(
        scale_dir / "exports", scale, config.seed
    )
    bar.update()

    _stage(bar, scale, "ingest")
    db = scale_dir / "bench.duckdb"
    out["ingest"] = ingest(db, files_by_kind, scale_dir, progress=config.progress)
    out["ingest_floor"] = ingest_floor(scale_dir, out["ingest"]["files_by_kind"])
    bar.update()

    con = connect_readonly(db)
    out["rows"] = {
        t: con.execute(f"select count(*) from {t}").fetchone()[0]
        for t in ("customers", *KPI_TABLE.values())
    }
    out["db_mb"] = db.stat().st_size / 1e6
    project = top_project(con)
    out["filter_project"] = project
    filters = case_filters(con)
    out["filters"] = {k: {n: str(v) for n, v in f.items()} for k, f in filters.items()}

    _stage(bar, scale, "KPI queries")
    out["kpis"] = []
    results: dict[tuple[str, str, str], object] = {}  # kept to check the baseline against
    for kpi, grain, scope in combos(kpis.KPI_NAMES):

        def product(kpi: str = kpi, grain: str = grain, scope: str = scope) -> object:
            return kpis.compute(con, kpi, grain=grain, **filters[scope])

        seconds = time_repeated(product, config.repeat)
        results[(kpi, grain, scope)] = product()
        out["kpis"].append(
            {
                "kpi": kpi,
                "grain": grain,
                "scope": scope,
                "filtered": scope != "all",
                "seconds": seconds,
                "result_rows": len(results[(kpi, grain, scope)]),
            }
        )
    bar.update()

    _stage(bar, scale, "Overview data")
    out["overview"] = overview(db, config.repeat)
    bar.update()

    _stage(bar, scale, "app memory")
    out["app_memory"] = app_memory(db, project)
    bar.update()

    _stage(bar, scale, "pandas baseline")
    out["pandas"] = pandas_stage(con, config.pandas_repeat, filters, kpis.KPI_NAMES, results)
    product_seconds = {(k["kpi"], k["grain"], k["scope"]): k["seconds"] for k in out["kpis"]}
    for p in out["pandas"]["kpis"]:
        p["ratio"] = p["seconds"] / product_seconds[(p["kpi"], p["grain"], p["scope"])]
    bar.update()
    con.close()

    _stage(bar, scale, "kpi show vs a pandas script, as processes")
    from dashboard.bench import processes

    out["processes"] = processes.measure(
        db, scale_dir / "parquet", kpis.KPI_NAMES, max(1, min(config.repeat, 3))
    )
    bar.update()

    _stage(bar, scale, "pages in a browser")
    from dashboard.bench import browser

    region = filters["one region"].get("regions", [None])[0]
    out["browser"] = browser.measure(db, region) if config.browser else {"skipped": "--no-browser"}
    bar.update()
    out["bench_peak_rss_mb_so_far"] = peak_rss_mb()
    return out


def generate(out_dir: Path, scale: float, seed: int) -> tuple[dict[str, list[str]], float, bool]:
    """Demo exports at ``scale``, reused from an earlier run with the same scale and seed."""
    from dashboard.demo import generate as demo_generate

    manifest = out_dir / "manifest.json"
    if manifest.exists():
        saved = json.loads(manifest.read_text("utf-8"))
        if saved.get("scale") == scale and saved.get("seed") == seed:
            files = saved["files_by_kind"]
            if all(Path(f).exists() for fs in files.values() for f in fs):
                return files, saved["seconds"], False
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    start = time.perf_counter()
    made = demo_generate(out_dir, scale=scale, seed=seed)
    seconds = time.perf_counter() - start
    files = {str(k): [str(p) for p in v] for k, v in made.items()}
    manifest.write_text(
        json.dumps({"scale": scale, "seed": seed, "seconds": seconds, "files_by_kind": files}),
        "utf-8",
    )
    return files, seconds, True


def ingest(
    db: Path, files_by_kind: dict[str, list[str]], scale_dir: Path, progress: bool = True
) -> dict[str, object]:
    """Ingest each kind's files with its own timed ``pipeline.import_files`` call, in a child process
    (its progress bars on stderr unless ``progress`` is off: ``kpi bench --no-progress``)."""
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)
    ordered = {k: files_by_kind[k] for k in KIND_ORDER if k in files_by_kind}
    ordered.update({k: v for k, v in files_by_kind.items() if k not in ordered})
    plan = scale_dir / "ingest-plan.json"
    plan.write_text(
        json.dumps({"db": str(db), "files_by_kind": ordered, "progress": progress}), "utf-8"
    )
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "dashboard.bench.ingest_stage", str(plan)],
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"ingest stage failed (exit {proc.returncode}); see its messages above")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["total_seconds"] = sum(k["seconds"] for k in result["kinds"].values())
    result["child_wall_seconds"] = wall
    result["files_by_kind"] = ordered
    return result


def ingest_floor(scale_dir: Path, files_by_kind: dict[str, list[str]]) -> dict[str, object]:
    """The same files moved into DuckDB by the bare libraries (``dashboard.bench.floor``),
    in a child process like the ingest, right after it: the ingest's ratio to this floor is
    a figure of this run, immune to the machine's drift between runs."""
    plan = scale_dir / "floor-plan.json"
    db = scale_dir / "floor.duckdb"
    plan.write_text(json.dumps({"db": str(db), "files_by_kind": files_by_kind}), "utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "dashboard.bench.floor", str(plan)],
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"ingest floor failed (exit {proc.returncode}); see its messages above")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def top_project(con: object) -> str | None:
    """The project with the most orders: the one-project filter of the benchmark."""
    row = con.execute(
        "select project from orders group by project order by count(*) desc, project limit 1"
    ).fetchone()
    return row[0] if row else None


def overview(db: Path, repeat: int) -> dict[str, object]:
    """Cold: a new snapshot connection and an empty cache. Cached: the same call again.
    Measured by the UI's probe in a child process (it uses the app's own cache layer, and
    the app reads $KPI_DB: set for the child only, the caller's environment stays as it is)."""
    result = _probe("overview", db, str(max(1, repeat)))
    return {
        "cold_seconds": median_seconds(result["cold"]),
        "cached_seconds": median_seconds(result["cached"]),
        "cold_breakdown": result["cold_breakdown"],
        "method": result["method"],
    }


def app_memory(db: Path, project: str | None) -> dict[str, object]:
    return _probe("memory", db, *([project] if project else []))


def _probe(what: str, db: Path, *args: str) -> dict[str, object]:
    command = [sys.executable, "-m", "dashboard.ui.overview_probe", what, str(db), *args]
    env = {**os.environ, "KPI_DB": str(db)}
    proc = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"{what} probe failed (exit {proc.returncode})")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def pandas_stage(
    con: object,
    repeat: int,
    filters: dict[str, dict[str, object]],
    kpi_names: tuple[str, ...],
    product_results: dict[tuple[str, str, str], object],
) -> dict[str, object]:
    start = time.perf_counter()
    tables = pandas_baseline.load_tables(con)  # outside the timed part
    load_seconds = time.perf_counter() - start
    timings = []
    for kpi, grain, scope in combos(kpi_names):

        def baseline(kpi: str = kpi, grain: str = grain, scope: str = scope) -> object:
            return pandas_baseline.compute(tables, kpi, grain=grain, **filters[scope])

        seconds = time_repeated(baseline, repeat)
        product = product_results.get((kpi, grain, scope))
        timings.append(
            {
                "kpi": kpi,
                "grain": grain,
                "scope": scope,
                "filtered": scope != "all",
                "seconds": seconds,
                # same numbers as the product? (otherwise the ratio compares unlike work)
                "matches": None if product is None else frames_match(product, baseline()),
            }
        )
    return {"load_seconds": load_seconds, "kpis": timings}


def _scope(case: dict[str, object]) -> str:
    """A case's filter scope; results of runs before #14 only say whether it was filtered."""
    return str(case.get("scope") or ("one project" if case.get("filtered") else "all"))


def growth(scales: list[dict[str, object]]) -> dict[str, float | None]:
    """Log-log slope of each figure against the rows it depends on, smallest to largest scale."""
    if len(scales) < 2:
        return {}
    figures: dict[str, tuple[list[float], list[float]]] = {}

    def add(name: str, size: float, value: float) -> None:
        xs, ys = figures.setdefault(name, ([], []))
        xs.append(size)
        ys.append(value)

    for s in scales:
        rows = s["rows"]
        total = sum(rows.values())
        for kind, k in s["ingest"]["kinds"].items():
            add(f"ingest {kind}", k["rows_in_file"], k["seconds"])
        add("ingest total", total, s["ingest"]["total_seconds"])
        for k in s["kpis"]:
            add(f"{k['kpi']} {k['grain']} {_scope(k)}", rows[KPI_TABLE[k["kpi"]]], k["seconds"])
        for p in s["pandas"]["kpis"]:
            label = f"pandas {p['kpi']} {p['grain']} {_scope(p)}"
            add(label, rows[KPI_TABLE[p["kpi"]]], p["seconds"])
        add("overview cold", total, s["overview"]["cold_seconds"])
        add("overview cached", total, s["overview"]["cached_seconds"])
        add("app peak memory", total, s["app_memory"]["peak_rss_mb"])
    return {name: loglog_exponent(xs, ys) for name, (xs, ys) in figures.items()}
