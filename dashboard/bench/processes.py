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


def _wall(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def _median_wall(argv: list[str], repeat: int) -> float:
    return statistics.median(_wall(argv) for _ in range(repeat))


def _median_walls_alternating(commands: list[list[str]], repeat: int) -> list[float]:
    """Each command's median wall time, the commands run in turn round after round: a load
    that comes and goes then weighs on all of them alike (the ratio is what is reported)."""
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(repeat):
        for seconds, argv in zip(times, commands, strict=True):
            seconds.append(_wall(argv))
    return [statistics.median(t) for t in times]


def measure(db: Path, folder: Path, kpi_names: tuple[str, ...], repeat: int) -> dict[str, object]:
    export_parquet(db, folder)
    cases = []
    for kpi in kpi_names:
        show = [sys.executable, "-m", "dashboard.cli", "show", kpi, "--db", str(db),
                "--format", "csv"]  # fmt: skip
        script = [sys.executable, "-m", "dashboard.bench.pandas_script", str(folder), kpi]
        product, pandas = _median_walls_alternating([show, script], repeat)
        cases.append({"kpi": kpi, "kpi_show_seconds": product, "pandas_seconds": pandas,
                      "ratio": pandas / product if product else None})  # fmt: skip
    help_seconds = _median_wall([sys.executable, "-m", "dashboard.cli", "--help"], repeat)
    # the floor of any Python command on this machine: the interpreter starting and stopping
    python_seconds = _median_wall([sys.executable, "-c", "pass"], repeat)
    return {"cases": cases, "help_seconds": help_seconds, "python_seconds": python_seconds}
