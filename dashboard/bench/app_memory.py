"""Peak memory of "the app", run in a child process: ``python -m dashboard.bench.app_memory DB``.

The child does what a dashboard process does with the data - open a read-only snapshot,
build the Overview data, then every KPI at every grain with and without a project filter -
and prints its own RSS high-water mark (getrusage) as JSON. Streamlit's web server itself
(about 150-250 MB, independent of the data) is not included.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from dashboard.bench.machine import peak_rss_mb


def main() -> int:
    db = Path(sys.argv[1])
    project = sys.argv[2] if len(sys.argv) > 2 else None
    from dashboard import kpis
    from dashboard.bench.overview import OverviewLoader
    from dashboard.pipeline import connect_readonly

    baseline = peak_rss_mb()  # after imports, before any data
    con = connect_readonly(db)
    loader = OverviewLoader(db)
    loader.call()
    loader.call()
    for kpi in kpis.KPI_NAMES:
        for grain in ("month",) if kpi == "cohorts" else ("week", "month"):
            kpis.compute(con, kpi, grain=grain)
            if project:
                kpis.compute(con, kpi, grain=grain, projects=[project])
    print(json.dumps({"peak_rss_mb": peak_rss_mb(), "imports_rss_mb": baseline}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
