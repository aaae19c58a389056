"""The pandas way as a process: ``python -m dashboard.bench.pandas_script DIR KPI`` reads the
clean tables from ``DIR/<table>.parquet`` with pandas and prints one KPI as CSV - what a
pandas user's script over the same data does, the competitor of ``kpi show KPI`` (#14)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from dashboard.bench import pandas_baseline

TABLES = ("customers", "orders", "complaints", "surveys", "vip_contacts")


def main() -> int:
    folder, kpi = Path(sys.argv[1]), sys.argv[2]
    frames = {name: pd.read_parquet(folder / f"{name}.parquet") for name in TABLES}
    result = pandas_baseline.compute(pandas_baseline.tables_from_frames(frames), kpi)
    result.to_csv(sys.stdout, index=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
