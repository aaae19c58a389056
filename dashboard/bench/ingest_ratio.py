"""Ingest against its floor on one folder of exports, without the rest of ``kpi bench`` (#14).

``python -m dashboard.bench.ingest_ratio DIR [--repeat N]`` runs, N times in turn, the bench's
own ingest stage (``dashboard.bench.ingest_stage``, a child process) and the floor
(``dashboard.bench.floor``, a child process) on the same files, and prints each round's
seconds per kind, the ratio ingest / floor, the ingest's peak memory and the load average,
so a change to the importer can be judged on a shared machine within minutes: every ratio
compares two figures measured next to each other.
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


def _child(module: str, plan: dict[str, object], work: Path) -> dict[str, object]:
    plan_file = work / f"{module.rsplit('.', 1)[-1]}-plan.json"
    plan_file.write_text(json.dumps(plan), "utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", module, str(plan_file)],
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def one_round(files: dict[str, list[str]], work: Path) -> dict[str, object]:
    load_before = os.getloadavg()[0]
    db = work / "ingest.duckdb"
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)
    ingest = _child(
        "dashboard.bench.ingest_stage",
        {"db": str(db), "files_by_kind": files, "progress": False},
        work,
    )
    floor = _child(
        "dashboard.bench.floor", {"db": str(work / "floor.duckdb"), "files_by_kind": files}, work
    )
    kinds = {}
    for kind in files:
        ours = ingest["kinds"][kind]["seconds"]
        bare = floor["kinds"][kind]["seconds"]
        kinds[kind] = {"ingest": ours, "floor": bare, "ratio": ours / bare if bare else None}
    total = sum(k["ingest"] for k in kinds.values())
    total_floor = sum(k["floor"] for k in kinds.values())
    return {
        "kinds": kinds,
        "ingest": total,
        "floor": total_floor,
        "ratio": total / total_floor,
        "peak_rss_mb": ingest["peak_rss_mb"],
        "load": [load_before, os.getloadavg()[0]],
    }


def render(result: dict[str, object]) -> str:
    lines = [f"{'kind':<14}{'ingest s':>10}{'floor s':>10}{'ratio':>8}"]
    for kind, k in result["kinds"].items():
        lines.append(f"{kind:<14}{k['ingest']:>10.2f}{k['floor']:>10.2f}{k['ratio']:>8.2f}")
    lines.append(
        f"{'total':<14}{result['ingest']:>10.2f}{result['floor']:>10.2f}{result['ratio']:>8.2f}"
    )
    lines.append(
        f"peak RSS {result['peak_rss_mb']:.0f} MB; load average {result['load'][0]:.2f} before,"
        f" {result['load'][1]:.2f} after"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.bench.ingest_ratio")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write every round here")
    args = parser.parse_args(argv)
    files = files_by_kind(args.folder)
    rounds = []
    with tempfile.TemporaryDirectory(prefix="kpi-ingest-ratio-") as tmp:
        for n in range(args.repeat):
            result = one_round(files, Path(tmp))
            rounds.append(result)
            print(f"round {n + 1}\n{render(result)}\n", flush=True)
    if args.json:
        args.json.write_text(json.dumps(rounds, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
