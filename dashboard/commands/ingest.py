"""``kpi ingest PATH... [--db FILE] [--kind KIND]``: load exports into the database.

stdout carries only the summary: one line per file (or XLSX sheet) as it is done, then a
total line. Exit code 1 when any file was rejected whole, 2 for an unknown --kind.
"""

from __future__ import annotations

import argparse
import sys

from dashboard.commands.text_width import ljust
from dashboard.ingest import FileResult
from dashboard.ingest.kinds import UnknownKindOption
from dashboard.pipeline import import_files
from dashboard.schema import KINDS

KIND_WIDTH = 11  # plus one space: "vip_contacts" still gets its separator
NAME_WIDTH = 28


_pad = ljust


def _label(text: str) -> str:
    return _pad(text, KIND_WIDTH) + " "


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ingest",
        aliases=["import"],  # as dashboard.cli.ALIASES
        help="load export files (CSV, XLSX, Parquet) into the database",
        description=(
            "Load exports (files or folders) into the database. Kinds: "
            + ", ".join(KINDS)
            + ". Re-importing a file with the same content changes nothing."
        ),
        epilog=(
            "Column names are matched through the alias table dashboard/ingest/aliases.toml; "
            "extend it with an aliases.toml at the project root or a file named by "
            "$KPI_ALIASES (same layout; your names are added)."
        ),
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="export files or folders")
    parser.add_argument("--db", help="database file (default: $KPI_DB or var/kpi.duckdb)")
    parser.add_argument(
        "--kind",
        help=f"kind of every file given ({', '.join(KINDS)}); default: from name, then headers",
    )
    bar = parser.add_mutually_exclusive_group()
    bar.add_argument(
        "--progress",
        dest="progress",
        action="store_true",
        default=None,
        help="show a progress bar on stderr (default when stderr is a terminal)",
    )
    bar.add_argument("--no-progress", dest="progress", action="store_false")
    parser.set_defaults(func=run)


def _name(result: FileResult) -> str:
    return f"{result.file} [{result.sheet}]" if result.sheet else result.file


def format_result(result: FileResult) -> str:
    if result.status == "rejected":
        return f"{_label('REJECTED')}{_name(result)}: {result.message}"
    if result.status == "skipped":
        return f"{_label('skipped')}{_pad(_name(result), NAME_WIDTH)} {result.message}"
    superseded = f" ({result.superseded:,} superseded by later rows)" if result.superseded else ""
    note = f"  - warning: {result.message}" if result.message else ""
    return (
        f"{_label(result.kind or '')}{_pad(_name(result), NAME_WIDTH)} "
        f"loaded {result.loaded:,}  rejected {result.rejected:,}{superseded}  "
        f"duplicates {result.duplicates:,}{note}"
    )


def format_total(results: list[FileResult]) -> str:
    loaded = sum(r.loaded for r in results)
    rejected = sum(r.rejected for r in results)
    duplicates = sum(r.duplicates for r in results)
    whole = sum(r.status == "rejected" for r in results)
    skipped = sum(r.status == "skipped" for r in results)
    parts = [f"{len(results)} file{'s' if len(results) != 1 else ''}"]
    if skipped:
        parts.append(f"{skipped} skipped")
    if whole:
        parts.append(f"{whole} REJECTED")
    return (
        f"{_label('total')}{_pad(', '.join(parts), NAME_WIDTH)} "
        f"loaded {loaded:,}  rejected {rejected:,}  duplicates {duplicates:,}"
    )


def run(args: argparse.Namespace) -> int:
    progress = sys.stderr.isatty() if args.progress is None else args.progress

    def show(result: FileResult) -> None:
        print(format_result(result), flush=True)

    try:
        results = import_files(
            args.paths, db=args.db, kind=args.kind, progress=progress, on_result=show
        )
    except UnknownKindOption as exc:
        print(f"kpi ingest: error: {exc}", file=sys.stderr)
        return 2
    print(format_total(results))
    return 1 if any(r.status == "rejected" for r in results) else 0
