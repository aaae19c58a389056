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
    import sys

    from dashboard.kpis import broken_queries, list_queries

    queries = list_queries()
    width = max((len(q.id) for q in queries), default=0)
    for query in queries:
        print(f"{query.id.ljust(width)}  {query.title} / {query.title_zh}")
    broken = broken_queries()
    if broken:  # on stderr: stdout stays the list of usable ids
        names = ", ".join(sorted(broken))
        print(
            f"{len(broken)} query file(s) left out, they cannot be read: {names} "
            "(run `kpi check` for the reasons)",
            file=sys.stderr,
        )
    return 0
