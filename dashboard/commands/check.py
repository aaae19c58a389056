"""`kpi check`: validate every query file (metadata, SQL, runs with each declared filter,
chart columns) against the demo data or --db; one line per file, non-zero exit on failure."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check",
        help="validate every query file of queries/ (metadata, SQL, runs, chart columns)",
        description=(
            "Validate every query file: the front matter is complete and valid, the SQL parses "
            "as one read-only statement, it runs on the database with each filter it declares "
            "and its chart names real result columns. Prints one line per file and exits "
            "non-zero if any file fails."
        ),
    )
    parser.add_argument(
        "--db", help="database to run the queries on (default: $KPI_DB or the embedded demo data)"
    )
    parser.add_argument(
        "--queries",
        metavar="DIR",
        help="queries folder to check (default: $KPI_QUERIES_DIR or the project's queries/)",
    )
    parser.add_argument(
        "--spark",
        action="store_true",
        help="also run every portable file on Spark (local mode) and compare with DuckDB",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dashboard.sqllab.checks import check_all

    results = check_all(args.db, Path(args.queries).expanduser() if args.queries else None)
    width = max((len(r.query_id) for r in results if r.ok), default=0)
    for result in results:
        print(result.line(width))
    failed = sum(not r.ok for r in results)
    summary = f"{len(results)} query files: {len(results) - failed} ok, {failed} failed"
    print(summary, file=sys.stderr)
    not_portable = _spark_portability(args)  # #18
    return 1 if failed or not_portable else 0


def _spark_portability(args: argparse.Namespace) -> int:
    """Print whether each file runs on Spark; the number of files that fail."""
    from dashboard.catalog import scan_queries
    from dashboard.engines.portability import check_portability, run_on_spark
    from dashboard.paths import QUERIES_DIR

    queries_dir = Path(args.queries).expanduser() if args.queries else QUERIES_DIR
    queries, _ = scan_queries(queries_dir)
    results = check_portability(queries)
    ran: dict[str, str] = {}
    if args.spark:
        ran = run_on_spark(args.db, queries, queries_dir)
    print("Spark portability:")
    width = max((len(r.query_id) for r in results), default=0)
    for result in results:
        if result.query_id in ran:
            print(f"FAIL {result.file}: on Spark: {ran[result.query_id]}")
        elif args.spark and result.status == "spark" and queries[result.query_id].kind != "staging":
            print(f"ok   {result.query_id.ljust(width)}  runs on Spark: DuckDB's rows (defaults)")
        else:
            print(result.line(width))
    bad = sum(not r.ok for r in results) + len(ran)
    print(f"Spark: {len(results) - bad} of {len(results)} query files ok", file=sys.stderr)
    return bad
