"""Deterministic demo data: a simulated service company written as messy exports.

``generate(out_dir, scale, seed)`` simulates about two years of a property-service company
(``model.py``: customers who join and churn, orders, complaints, surveys, VIP revisits,
with a story per project in ``company.py``) and writes it the way real systems export it
(``writers/``: GBK with title lines, XLSX with date cells, Parquet, mixed date formats,
planted bad rows and duplicates). Same seed and scale give byte-identical files.

The committed ``data/`` folder is ``generate(DATA_DIR, scale=1, seed=42)``; the benchmark
uses larger scales (100x is about 2 million orders).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dashboard.demo import writers
from dashboard.demo.mess import FileReport
from dashboard.demo.model import DEFAULT_END, simulate

KIND_ORDER = ("customers", "orders", "complaints", "surveys", "vip_contacts")
DEFAULT_SEED = 42

__all__ = ["DEFAULT_END", "DEFAULT_SEED", "DemoResult", "FileReport", "build", "generate"]


@dataclass
class DemoResult:
    reports: list[FileReport]  # one per file, or per sheet of the XLSX

    @property
    def files(self) -> dict[str, list[Path]]:
        files: dict[str, list[Path]] = {kind: [] for kind in KIND_ORDER}
        for report in self.reports:
            if report.path not in files[report.kind]:
                files[report.kind].append(report.path)
        return files

    def expected(self, kind: str) -> dict[str, int]:
        """What a correct loader reports for a kind: rows, loaded, rejected, duplicates."""
        mine = [r for r in self.reports if r.kind == kind]
        return {
            "rows": sum(r.rows for r in mine),
            "loaded": sum(r.loaded for r in mine),
            "rejected": sum(r.rejected for r in mine),
            "duplicates": sum(r.duplicates for r in mine),
            "unassigned": sum(r.unassigned for r in mine),
        }


def build(
    out_dir: Path,
    scale: float = 1,
    seed: int = DEFAULT_SEED,
    end: dt.date = DEFAULT_END,
    progress: Callable[[FileReport], None] | None = None,
) -> DemoResult:
    """Simulate and write every export; returns what was written and what to expect."""
    if not scale > 0:
        raise ValueError(f"--scale must be a positive number, got {scale}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    world = simulate(scale=scale, seed=seed, end=end)
    steps = (
        writers.write_customers,
        writers.write_orders,
        writers.write_complaints,
        writers.write_surveys,
        writers.write_vip_contacts,
    )
    reports: list[FileReport] = []
    for number, step in enumerate(steps):
        # One stream per file, independent of the simulation's streams.
        rng = np.random.default_rng([seed, 1000 + number])
        written = step(world, out_dir, rng, scale)
        for report in written if isinstance(written, list) else [written]:
            reports.append(report)
            if progress:
                progress(report)
    return DemoResult(reports)


def generate(
    out_dir: Path, scale: float = 1, seed: int = DEFAULT_SEED, end: dt.date = DEFAULT_END
) -> dict[str, list[Path]]:
    """Write the demo exports into ``out_dir``; returns the files written per kind."""
    return build(out_dir, scale=scale, seed=seed, end=end).files
