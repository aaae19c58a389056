"""``kpi bench``: measure ingest, KPI queries, the Overview data, memory and the pandas
baseline at several data scales, and write the results to docs/BENCHMARKS.md."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from dashboard.paths import PROJECT_ROOT

DEFAULT_OUT = PROJECT_ROOT / "docs" / "BENCHMARKS.md"
DEFAULT_WORKDIR = PROJECT_ROOT / "var" / "bench"
# The hand-written analysis appended to the report (why a target is missed, what to change).
DEFAULT_NOTES = Path(__file__).resolve().parent.parent / "bench" / "notes.md"


def parse_scales(text: str) -> list[float]:
    try:
        scales = [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--scales takes numbers separated by commas, e.g. 1,10,100 (got {text!r})"
        ) from None
    if not scales or any(s <= 0 for s in scales):
        raise argparse.ArgumentTypeError("--scales must be positive numbers, e.g. 1,10,100")
    return sorted(set(scales))


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "bench",
        help="benchmark ingest, KPI queries and memory at several data scales",
        description=__doc__,
    )
    parser.add_argument(
        "--scales",
        type=parse_scales,
        default=parse_scales("1,10,100"),
        help="data scales relative to the embedded demo (default 1,10,100; 100x is about "
        "2 million orders)",
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="markdown report (docs/BENCHMARKS.md)"
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=DEFAULT_WORKDIR,
        help="where generated exports, databases and results.json go (default var/bench)",
    )
    parser.add_argument(
        "--repeat", type=positive_int, default=5, help="timed runs per KPI, median (default 5)"
    )
    parser.add_argument(
        "--pandas-repeat",
        type=positive_int,
        default=3,
        help="timed runs per pandas baseline computation (default 3)",
    )
    parser.add_argument("--seed", type=int, default=42, help="demo data seed (default 42)")
    parser.add_argument(
        "--from-results",
        type=Path,
        metavar="RESULTS_JSON",
        help="only re-render the markdown from an earlier run's results.json",
    )
    parser.add_argument(
        "--notes",
        type=Path,
        default=DEFAULT_NOTES,
        help="markdown appended to the report (default dashboard/bench/notes.md)",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    parser.add_argument(
        "--no-browser", action="store_true", help="skip timing the pages in headless Chromium"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dashboard.bench.markdown import render

    if args.from_results:
        results = json.loads(args.from_results.read_text(encoding="utf-8"))
    else:
        from dashboard.bench.runner import BenchConfig
        from dashboard.bench.runner import run as run_bench

        config = BenchConfig(
            scales=args.scales,
            workdir=args.workdir.resolve(),
            repeat=args.repeat,
            pandas_repeat=args.pandas_repeat,
            seed=args.seed,
            progress=not args.no_progress,
            browser=not args.no_browser,
        )
        results = run_bench(config)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    notes = args.notes.read_text(encoding="utf-8") if args.notes and args.notes.exists() else None
    args.out.write_text(render(results, notes), encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0
