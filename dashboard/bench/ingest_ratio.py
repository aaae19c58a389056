"""Ingest against its floor on one folder of exports, without the rest of ``kpi bench`` (#14).

``python -m dashboard.bench.ingest_ratio DIR [--repeat N]`` runs, N times in turn, the bench's
own ingest stage (``dashboard.bench.ingest_stage``, a child process) and the floor
(``dashboard.bench.floor``, a child process) on the same files, and prints each round's
seconds per kind, the ratio ingest / floor, the ingest's peak memory and the load average,
so a change to the importer can be judged on a shared machine within minutes: every ratio
compares two figures measured next to each other. CPU seconds (all threads) are reported
next to the wall clock: when other programs compete for the cores, wall clock stretches and
CPU time much less. ``--baseline TREE`` adds the ingest of another source tree to each round.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from dashboard.ingest import find_export_files
from dashboard.ingest.aliases import load_aliases
from dashboard.ingest.kinds import kinds_from_name

KIND_ORDER = ("customers", "vip_contacts", "surveys", "complaints", "orders")


def files_by_kind(folder: Path) -> dict[str, list[str]]:
    """The folder's exports grouped by the kind their name says (as the demo names them)."""
    aliases = load_aliases()
    found: dict[str, list[str]] = {}
    for path in find_export_files(folder):
        kinds = kinds_from_name(path.stem, aliases)
        if len(kinds) == 1:
            found.setdefault(kinds[0], []).append(str(path))
    return {k: found[k] for k in KIND_ORDER if k in found}


def _child(
    module: str, plan: dict[str, object], work: Path, tree: Path | None = None
) -> dict[str, object]:
    """Run ``python -m module PLAN`` (from the source tree ``tree`` when given) for its JSON."""
    plan_file = work / f"{module.rsplit('.', 1)[-1]}-plan.json"
    plan_file.write_text(json.dumps(plan), "utf-8")
    env = None if tree is None else {**os.environ, "PYTHONPATH": str(tree)}
    proc = subprocess.run(
        [sys.executable, "-m", module, str(plan_file)],
        stdout=subprocess.PIPE,
        text=True,
        check=True,
        cwd=tree,
        env=env,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _ingest(files: dict[str, list[str]], work: Path, tree: Path | None) -> dict[str, object]:
    db = work / "ingest.duckdb"
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)
    plan = {"db": str(db), "files_by_kind": files, "progress": False}
    return _child("dashboard.bench.ingest_stage", plan, work, tree)


def one_round(
    files: dict[str, list[str]], work: Path, baseline: Path | None = None
) -> dict[str, object]:
    """The ingest, the floor and (when given) the ingest of the source tree ``baseline``, one
    after the other on the same files; seconds (wall and CPU) per kind and their ratios."""
    load_before = os.getloadavg()[0]
    stages = {"ingest": _ingest(files, work, None)}
    stages["floor"] = _child(
        "dashboard.bench.floor", {"db": str(work / "floor.duckdb"), "files_by_kind": files}, work
    )
    if baseline is not None:
        stages["baseline"] = _ingest(files, work, baseline)
    kinds: dict[str, dict[str, float]] = {}
    for kind in [*files, "total"]:
        row: dict[str, float] = {}
        for stage, out in stages.items():
            figures = list(out["kinds"].values()) if kind == "total" else [out["kinds"][kind]]
            row[stage] = sum(f["seconds"] for f in figures)
            row[stage + "_cpu"] = sum(f["cpu_seconds"] for f in figures)
        for stage in stages:
            if stage != "floor":
                row[stage + "_ratio"] = row[stage] / row["floor"]
                row[stage + "_cpu_ratio"] = row[stage + "_cpu"] / row["floor_cpu"]
        kinds[kind] = row
    return {
        "kinds": kinds,
        "peak_rss_mb": {s: out["peak_rss_mb"] for s, out in stages.items() if s != "floor"},
        "load": [load_before, os.getloadavg()[0]],
    }


def render(result: dict[str, object]) -> str:
    """One line per kind: seconds and the ratio to the floor, wall clock and CPU."""
    stages = [s for s in ("ingest", "baseline") if s in result["kinds"]["total"]]
    head = f"{'kind':<14}{'floor s':>9}{'floor cpu':>10}"
    for stage in stages:
        head += f"{stage + ' s':>13}{'ratio':>7}{'cpu':>8}{'cpu ratio':>10}"
    lines = [head]
    for kind, k in result["kinds"].items():
        line = f"{kind:<14}{k['floor']:>9.2f}{k['floor_cpu']:>10.2f}"
        for stage in stages:
            line += (
                f"{k[stage]:>13.2f}{k[stage + '_ratio']:>7.2f}"
                f"{k[stage + '_cpu']:>8.2f}{k[stage + '_cpu_ratio']:>10.2f}"
            )
        lines.append(line)
    peaks = ", ".join(f"{s} {mb:.0f} MB" for s, mb in result["peak_rss_mb"].items())
    lines.append(
        f"peak RSS: {peaks}; load average {result['load'][0]:.2f} before,"
        f" {result['load'][1]:.2f} after (2 cores)"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.bench.ingest_ratio")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write every round here")
    parser.add_argument(
        "--baseline",
        type=Path,
        help="a source tree of the project (e.g. `git archive` of an older commit) whose "
        "ingest also runs in every round, for before/after figures measured side by side",
    )
    args = parser.parse_args(argv)
    files = files_by_kind(args.folder)
    rounds = []
    with tempfile.TemporaryDirectory(prefix="kpi-ingest-ratio-") as tmp:
        for n in range(args.repeat):
            result = one_round(files, Path(tmp), args.baseline)
            rounds.append(result)
            print(f"round {n + 1}\n{render(result)}\n", flush=True)
    if args.json:
        args.json.write_text(json.dumps(rounds, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
