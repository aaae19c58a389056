"""Which operators of a KPI query cost the time: DuckDB's profiler, summarised.

    python -m dashboard.bench.profile_query DB KPI [--grain week|month] [--project NAME]...

Runs the query as ``kpis.compute`` would (same SQL, same bound parameters) once to warm up,
then once with DuckDB's JSON profiling, and prints the costliest operators with the rows they
produced - e.g. a join that emits millions of rows for a filter to throw away.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from pathlib import Path


def operators(node: dict, depth: int = 0) -> list[tuple[float, int, int, str, str]]:
    name = node.get("operator_name") or node.get("operator_type") or "?"
    info = json.dumps(node.get("extra_info", {}), ensure_ascii=False)
    rows = [
        (node.get("operator_timing", 0.0), node.get("operator_cardinality", 0), depth, name, info)
    ]
    for child in node.get("children", []):
        rows += operators(child, depth + 1)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.bench.profile_query")
    parser.add_argument("db", type=Path)
    parser.add_argument("kpi")
    parser.add_argument("--grain")
    parser.add_argument("--project", action="append", default=[])
    parser.add_argument("--by", choices=("project", "region"))
    parser.add_argument("--from", dest="date_from")
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args(argv)

    from dashboard import kpis
    from dashboard.catalog import used_params
    from dashboard.pipeline import connect_readonly
    from dashboard.settings import load_settings

    # unlocked: the profiler writes its JSON file (a developer tool, never reached by users)
    con = connect_readonly(args.db, locked=False)
    query = kpis.get_query(args.kpi)
    sql = kpis.sql_for(args.kpi)
    values = {
        "grain": args.grain or getattr(query, "default_grain", None) or "week",
        "date_from": dt.date.fromisoformat(args.date_from) if args.date_from else None,
        "date_to": None,
        "projects": args.project,
        "regions": [],
        "by": args.by,
        "as_of": None,
        **load_settings().sql_params(),
    }
    bound = {name: values.get(name) for name in used_params(sql)}
    con.execute(sql, bound).fetchall()  # warm
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "profile.json"
        con.execute("pragma enable_profiling = 'json'")
        con.execute(f"pragma profiling_output = '{out}'")
        con.execute(sql, bound).fetchall()
        con.execute("pragma disable_profiling")
        tree = json.loads(out.read_text(encoding="utf-8"))
    print(
        f"{args.kpi} ({bound.get('grain')}, projects={args.project}): {tree.get('latency', 0) * 1000:.0f} ms"
    )
    for seconds, rows, depth, name, info in sorted(operators(tree), reverse=True)[: args.top]:
        print(f"{seconds * 1000:9.1f} ms {rows:>11,} rows  depth {depth:<2} {name} {info[:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
