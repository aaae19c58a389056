"""``kpi show`` as a process against a pandas script as a process (#14): what a user at a
terminal waits for, start-up and imports included. Both print the same KPI as CSV; the
pandas script reads clean Parquet copies of the tables (exported once, outside the timing).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from dashboard.bench.pandas_script import TABLES


def export_parquet(db: Path, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db), read_only=True)
    try:
        for name in TABLES:
            # table names come from TABLES, the path is bound
            con.execute(f"copy {name} to '{folder / (name + '.parquet')}' (format parquet)")
    finally:
        con.close()


def _median_wall(argv: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(db: Path, folder: Path, kpi_names: tuple[str, ...], repeat: int) -> dict[str, object]:
    export_parquet(db, folder)
    cases = []
    for kpi in kpi_names:
        product = _median_wall(
            [
                sys.executable,
                "-m",
                "dashboard.cli",
                "show",
                kpi,
                "--db",
                str(db),
                "--format",
                "csv",
            ],
            repeat,
        )
        pandas = _median_wall(
            [sys.executable, "-m", "dashboard.bench.pandas_script", str(folder), kpi], repeat
        )
        cases.append({"kpi": kpi, "kpi_show_seconds": product, "pandas_seconds": pandas,
                      "ratio": pandas / product if product else None})  # fmt: skip
    help_seconds = _median_wall([sys.executable, "-m", "dashboard.cli", "--help"], repeat)
    # the floor of any Python command on this machine: the interpreter starting and stopping
    python_seconds = _median_wall([sys.executable, "-c", "pass"], repeat)
    return {"cases": cases, "help_seconds": help_seconds, "python_seconds": python_seconds}
