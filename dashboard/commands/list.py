"""`kpi list`: every query id of queries/ with its title in English and Chinese."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "list",
        help="list the KPIs and queries `kpi show` can print",
        description="List every KPI and query of queries/ with its English and Chinese title.",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dashboard.kpis import list_queries

    queries = list_queries()
    width = max((len(q.id) for q in queries), default=0)
    for query in queries:
        print(f"{query.id.ljust(width)}  {query.title} / {query.title_zh}")
    return 0
