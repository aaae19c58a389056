"""`kpi lake export [--db FILE] --to DIR`: the contract tables as Parquet for the Spark engine
(layout in dashboard/engines/lake.py and docs/SCALE.md)."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "lake",
        help="write the data as a Parquet lake for the Spark engine (kpi lake export --to DIR)",
        description="The Parquet lake the Spark engine reads (kpi show --engine spark --lake DIR).",
    )
    sub = parser.add_subparsers(dest="lake_command", metavar="ACTION")
    export = sub.add_parser(
        "export",
        help="write every contract table as Parquet under DIR/<table>/",
        description=(
            "Write the five contract tables (and the import log) of the database as Parquet "
            "under DIR/<table>/, event tables partitioned by month, plus DIR/_lake.json. "
            "Exporting again to the same folder replaces the tables."
        ),
    )
    export.add_argument("--db", help="database file (default: $KPI_DB or the embedded one)")
    export.add_argument("--to", required=True, metavar="DIR", help="the lake folder")
    export.set_defaults(func=run_export)
    parser.set_defaults(func=lambda args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def run_export(args: argparse.Namespace) -> int:
    from dashboard.engines.lake import LakeError, export_lake
    from dashboard.pipeline import connect_readonly

    # not locked down: COPY TO writes the Parquet files (the SQL is ours, see export_lake)
    con = connect_readonly(args.db, locked=False)
    try:
        results = export_lake(con, args.to)
    except LakeError as exc:
        print(f"kpi lake export: error: {exc}", file=sys.stderr)
        return 2
    finally:
        con.close()
    for r in results:
        layout = "partitioned by month" if r.partitioned else "one file"
        print(f"{r.table}: {r.rows} rows ({layout})")
    print(f"lake written to {args.to}", file=sys.stderr)
    return 0
