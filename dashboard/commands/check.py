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
    from dashboard.query_check import check_all

    results = check_all(args.db, Path(args.queries).expanduser() if args.queries else None)
    spark = _spark_portability(args)  # #18: whether each file runs on Spark
    width = max((len(r.query_id) for r in results if r.ok), default=0)
    failed = 0
    for result in results:
        line = result.line(width)
        verdict = spark.get(result.query_id)
        if result.ok and verdict is not None:
            ok, text = verdict
            line = f"{line}; Spark: {text}" if ok else f"FAIL {result.file}: {text}"
        failed += not line.startswith("ok")
        print(line)
    summary = f"{len(results)} query files: {len(results) - failed} ok, {failed} failed"
    print(summary, file=sys.stderr)
    return 1 if failed else 0


def _spark_portability(args: argparse.Namespace) -> dict[str, tuple[bool, str]]:
    """``{id: (ok, what to say)}``: portable (transpiles), DuckDB-only (marked), not
    portable (fails the check); with --spark also run on Spark against DuckDB's rows."""
    from dashboard.catalog import scan_queries
    from dashboard.paths import QUERIES_DIR
    from dashboard.portability import check_portability, run_on_spark

    queries_dir = Path(args.queries).expanduser() if args.queries else QUERIES_DIR
    queries, _ = scan_queries(queries_dir)
    ran = run_on_spark(args.db, queries, queries_dir) if args.spark else {}
    verdicts: dict[str, tuple[bool, str]] = {}
    for result in check_portability(queries):
        if result.query_id in ran:
            verdicts[result.query_id] = (False, f"on Spark: {ran[result.query_id]}")
        elif result.status == "not portable":
            verdicts[result.query_id] = (False, f"not portable to Spark: {result.reason}")
        elif result.status == "duckdb-only":
            verdicts[result.query_id] = (True, "DuckDB-only (marked; refused on Spark)")
        elif args.spark and queries[result.query_id].kind != "staging":
            verdicts[result.query_id] = (True, "same rows as DuckDB (defaults)")
        else:
            verdicts[result.query_id] = (True, "portable")
    return verdicts
