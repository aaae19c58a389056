"""DuckDB vs Spark (local mode) on the same database and its lake: the figures of
docs/SCALE.md. Not part of ``kpi bench`` yet (which runs 1x/10x/100x and takes long):

    python -m dashboard.bench.engines --db var/kpi.duckdb --lake /tmp/lake [--repeat 3]

Prints, per contract KPI and grain, the median wall time of each engine's runner (not
the results DuckDB stores at import time) after one warm-up run (Spark's first query compiles code; a session is reused by
the app and the CLI's callers the same way), plus the export and Spark start-up times.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from dashboard.catalog import KPI_NAMES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--lake", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    from dashboard import engines, kpis
    from dashboard.engines import spark as spark_engine
    from dashboard.engines.lake import export_lake
    from dashboard.pipeline import connect_readonly
    from dashboard.settings import EngineSettings

    con = connect_readonly(args.db, locked=False)  # the lake export writes files
    rows = con.execute("select count(*) from orders").fetchone()[0]
    started = time.perf_counter()
    export_lake(con, args.lake)
    export_s = time.perf_counter() - started
    started = time.perf_counter()
    spark_engine.session()
    start_s = time.perf_counter() - started
    engine = EngineSettings("spark", args.lake)
    print(f"orders: {rows}; lake export {export_s:.1f} s; Spark session start {start_s:.1f} s")
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("| KPI | grain | DuckDB (ms) | Spark local (ms) | ratio |")
    print("| --- | --- | ---: | ---: | ---: |")
    for kpi in KPI_NAMES:
        for grain in kpis.get_query(kpi).grains:
            timings = {}
            prepared = kpis.prepare(kpi, grain=grain)
            duck = EngineSettings("duckdb")
            for name, chosen in (("duckdb", duck), ("spark", engine)):
                # the engines themselves: not the stored results DuckDB keeps (kpi_cache)
                engines.run_arrow(con, prepared, chosen)  # warm-up
                runs = []
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    engines.run_arrow(con, prepared, chosen)
                    runs.append((time.perf_counter() - t0) * 1000)
                timings[name] = statistics.median(runs)
            ratio = timings["spark"] / timings["duckdb"]
            print(
                f"| {kpi} | {grain} | {timings['duckdb']:.0f} | {timings['spark']:.0f} "
                f"| {ratio:.0f}x |",
                flush=True,
            )
    print(f"load average at end: {os.getloadavg()[0]:.1f}")
    con.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
