"""Ingest stage, run in a child process so its peak memory is its own.

``python -m dashboard.bench.ingest_stage PLAN.json`` where the plan names the database and,
per kind, the export files. Each kind's files go through one ``pipeline.import_files`` call (with its
progress bars on stderr), timed on its own, into the same fresh database. Prints one JSON
object on stdout.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from dashboard.bench.machine import peak_rss_mb


def run_plan(
    db: Path, files_by_kind: dict[str, list[str]], progress: bool = True
) -> dict[str, object]:
    from dashboard.pipeline import import_files

    per_kind = {}
    for kind, files in files_by_kind.items():
        paths = [Path(f) for f in files]
        start = time.perf_counter()
        cpu = time.process_time()
        results = import_files(paths, db=db, kind=kind, progress=progress)
        seconds = time.perf_counter() - start
        cpu_seconds = time.process_time() - cpu
        per_kind[kind] = {
            "seconds": seconds,
            "cpu_seconds": cpu_seconds,  # all threads: steadier than wall on a shared machine
            "files": len(paths),
            "bytes": sum(p.stat().st_size for p in paths),
            "formats": sorted({p.suffix.lower().lstrip(".") for p in paths}),
            "rows_in_file": sum(int(r.rows_in_file or 0) for r in results),
            "loaded": sum(int(r.loaded or 0) for r in results),
            "rejected": sum(int(r.rejected or 0) for r in results),
            "duplicates": sum(int(r.duplicates or 0) for r in results),
            "failed": [f"{r.file}: {r.message}" for r in results if r.status == "rejected"],
        }
    return {"kinds": per_kind, "peak_rss_mb": peak_rss_mb()}


def main() -> int:
    plan = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    result = run_plan(Path(plan["db"]), plan["files_by_kind"], plan.get("progress", True))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
