"""`kpi demo`: write realistic, messy demo exports of all five kinds (deterministic)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
import unicodedata
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    from dashboard.demo.model import DEFAULT_END, WINDOW_DAYS

    parser = subparsers.add_parser(
        "demo",
        help="write demo exports (customers, orders, complaints, surveys, VIP contacts)",
        description=(
            f"Simulate {WINDOW_DAYS // 7} weeks of a service company and write its exports "
            "the way real systems do (GBK CSV with a title line, XLSX, Parquet, mixed date "
            "formats, a few planted bad rows and duplicates). The same --seed and --scale "
            "always give byte-identical files. Load them with: kpi ingest DIR"
        ),
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to write into")
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        metavar="N",
        help="size multiplier: 1 = ~3,000 customers and ~20,000 orders; 100 = ~2M orders",
    )
    parser.add_argument(
        "--seed", type=int, default=42, metavar="S", help="random seed (default 42)"
    )
    parser.add_argument(
        "--end",
        type=_date,
        default=DEFAULT_END,
        metavar="YYYY-MM-DD",
        help=f"last day of the data (default {DEFAULT_END}, a Sunday)",
    )
    parser.set_defaults(func=run)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def run(args: argparse.Namespace) -> int:
    from dashboard.demo import build

    if not args.scale > 0:
        raise ValueError(f"--scale must be a positive number, got {args.scale:g}")
    out = Path(args.out).expanduser()
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out must be a folder, but {out} is a file")
    started = time.perf_counter()
    print(
        f"writing demo exports (scale {args.scale:g}, seed {args.seed}) to {out}", file=sys.stderr
    )
    result = build(out, scale=args.scale, seed=args.seed, end=args.end, progress=_print_report)
    elapsed = time.perf_counter() - started
    rows = sum(r.rows for r in result.reports)
    planted = sum(r.rejected for r in result.reports)
    size = sum(p.stat().st_size for files in result.files.values() for p in files)
    print(
        f"{len(result.reports)} files/sheets, {rows:,} rows ({planted:,} planted to be rejected), "
        f"{size / 1e6:.1f} MB in {elapsed:.1f} s. Load them with: kpi ingest {out}"
    )
    return 0


def _print_report(report) -> None:
    where = report.path.name + (f" [{report.sheet}]" if report.sheet else "")
    print(
        f"{report.kind:<13} {_pad(where, 30)} {report.rows:>10,} rows  "
        f"(planted: {report.rejected} to reject, {report.duplicates} exact duplicates)",
        flush=True,
    )


def _pad(text: str, width: int) -> str:
    """Left-align by display width (a Chinese character takes two columns)."""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - shown)
