"""`kpi show KPI`: print one KPI (or any query of queries/) as a table, CSV or JSON.

CSV is the contract of shared/spec/kpis.md: exactly the query's columns in order, a header
row, ISO dates, empty cells for NULL and full precision (``repr``) for decimals.

The rows come from ``kpis.compute_rows`` as plain tuples: printing a KPI imports neither
pandas nor pyarrow (about 1 s of a 1.3 s run before, issue #13)."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import sys
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TextIO

FORMATS = ("table", "csv", "json")
USAGE_EXIT = 2  # bad input from the user, like argparse


class UsageError(ValueError):
    """Bad command-line input: one line on stderr, exit code 2."""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "show",
        help="print a KPI or query (retention, cohorts, complaints, satisfaction, vip_coverage, ...)",
        description="Print a KPI or any query of queries/ (see `kpi list`) for the chosen filters.",
    )
    parser.add_argument("kpi", metavar="KPI", help="KPI or query id (see `kpi list`)")
    parser.add_argument("--db", help="database file (default: $KPI_DB or the embedded one)")
    parser.add_argument("--grain", help="week (ISO, Monday-Sunday) or month; default per KPI")
    parser.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD",
                        help="first period to print (by period start, inclusive)")  # fmt: skip
    parser.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD",
                        help="last period to print (by period start, inclusive)")  # fmt: skip
    parser.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD",
                        help="as the dashboard would have shown it at the end of that day")  # fmt: skip
    parser.add_argument("--project", action="append", default=[], metavar="NAME",
                        help="only this project (repeat for several)")  # fmt: skip
    parser.add_argument("--region", action="append", default=[], metavar="NAME",
                        help="only this region (repeat for several)")  # fmt: skip
    parser.add_argument("--by", help="add a project or region column and group by it")
    parser.add_argument("--as-user", dest="as_user", metavar="NAME",
                        help="as that user sees it: their projects/regions only (see `kpi users`)")  # fmt: skip
    parser.add_argument("--format", default="table", help="table (default), csv or json")
    parser.add_argument("--settings", metavar="FILE",
                        help="settings file (default: $KPI_SETTINGS or kpi.toml)")  # fmt: skip
    # engines (#18): the same query files on Spark, over a lake from `kpi lake export`
    parser.add_argument("--engine", choices=("duckdb", "spark"),
                        help="where the SQL runs (default: [engine] in the settings, else duckdb)")  # fmt: skip
    parser.add_argument("--lake", metavar="DIR", help="the Parquet lake Spark reads")
    parser.add_argument("--spark-remote", dest="spark_remote", metavar="sc://HOST:PORT",
                        help="a Spark Connect cluster (default: Spark in local mode)")  # fmt: skip
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except UsageError as exc:
        print(f"kpi show: error: {exc}", file=sys.stderr)
        return USAGE_EXIT


def _parse_date(option: str, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"{option} must be a date YYYY-MM-DD, got {value!r}") from None


def _run(args: argparse.Namespace) -> int:
    from dashboard.access.scope import ScopeError
    from dashboard.catalog import BY_VALUES, QueryFileError
    from dashboard.kpis import compute_rows, get_query, list_queries, unknown_filter_values

    if args.format not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)}, got {args.format!r}")
    date_from = _parse_date("--from", args.date_from)
    date_to = _parse_date("--to", args.date_to)
    as_of = _parse_date("--as-of", args.as_of)
    if date_from and date_to and date_from > date_to:
        raise UsageError(f"--from {date_from} is after --to {date_to}")
    try:
        query = get_query(args.kpi)
    except QueryFileError as exc:  # the file exists but cannot be used: say why
        raise UsageError(f"query {args.kpi!r} cannot run: {exc} (see `kpi check`)") from None
    except ValueError:
        known = ", ".join(q.id for q in list_queries())
        raise UsageError(f"unknown KPI {args.kpi!r}; choose one of: {known}") from None
    if query.kind == "staging":
        raise UsageError(f"{args.kpi!r} is a staging view, not a KPI (see `kpi list`)")
    if args.grain is not None and args.grain not in query.grains:
        if not query.grains:
            raise UsageError(f"{args.kpi} has no --grain")
        raise UsageError(
            f"--grain for {args.kpi} must be {' or '.join(query.grains)}, got {args.grain!r}"
        )
    if args.by is not None and (args.by not in BY_VALUES or "by" not in query.params):
        if "by" not in query.params:
            raise UsageError(f"{args.kpi} cannot be grouped with --by")
        raise UsageError(f"--by must be project or region, got {args.by!r}")

    from dashboard.pipeline import connect_readonly
    from dashboard.settings import SettingsError, load_settings

    try:
        settings = load_settings(args.settings)
    except SettingsError as exc:
        raise UsageError(str(exc)) from None
    scope = user_scope(getattr(args, "as_user", None), settings, args.db)
    engine = _engine(args, settings)
    # Spark reads the lake, not the database file: no DuckDB connection is opened for it
    con = None
    if engine.name == "duckdb":
        # building the embedded default (or refreshing an old database) imports files and
        # stores KPI rows, which need pandas: connect_readonly does it before pandas is
        # kept out
        con = connect_readonly(args.db)
        if getattr(args, "own_process", False):
            _keep_pandas_out()
    try:
        result = compute_rows(
            con,
            query.id,
            grain=args.grain,
            date_from=date_from,
            date_to=date_to,
            projects=args.project,
            regions=args.region,
            by=args.by,
            as_of=as_of,
            settings=settings,
            scope=scope,
            engine=engine,
        )
        unknown = unknown_filter_values(
            con, projects=args.project, regions=args.region, settings=settings, engine=engine
        )
    except ScopeError as exc:  # a filter outside the user's scope: refused, nothing printed
        raise UsageError(str(exc)) from None
    finally:
        if con is not None:
            con.close()
    _warn_unknown(unknown)
    write(result.columns, result.rows, args.format, sys.stdout, numeric=result.numeric)
    return 0


def _keep_pandas_out() -> None:
    """DuckDB's Python binding imports pandas the first time it binds a parameter, only to
    recognise pandas' missing-value markers: 0.5-1 s of a 1.3 s `kpi show`. This command
    binds plain Python values and prints tuples, so in its own one-shot process it tells
    the binding there is no pandas (an absent module, which DuckDB accepts). Spark keeps
    pandas: pyspark may need it, and its start-up dwarfs the import anyway."""
    sys.modules.setdefault("pandas", None)  # type: ignore[arg-type]


def _engine(args: argparse.Namespace, settings: Any) -> Any:
    """--engine/--lake/--spark-remote over the settings' [engine]; checked before any work."""
    from dashboard.engines import resolve

    engine = resolve(args.engine, settings.engine, lake=args.lake, spark_remote=args.spark_remote)
    if engine.name == "spark":
        from dashboard.engines.lake import LakeError, is_local, read_manifest

        if not engine.lake:
            raise UsageError("--engine spark needs --lake DIR (write one with `kpi lake export`)")
        if is_local(engine.lake):
            try:
                read_manifest(engine.lake.removeprefix("file://"))
            except LakeError as exc:
                raise UsageError(str(exc)) from None
    elif args.lake or args.spark_remote:
        raise UsageError("--lake and --spark-remote are for --engine spark")
    return engine


def _warn_unknown(unknown: dict[str, list[str]]) -> None:
    for kind, names in (("project", unknown["projects"]), ("region", unknown["regions"])):
        for name in names:  # stderr: stdout stays the contract's CSV
            print(f"kpi show: warning: no {kind} called {name!r} in the data", file=sys.stderr)


def user_scope(name: str | None, settings: Any, db: str | None) -> Any:
    """The scope of ``--as-user NAME`` (None without it); a bad name is a usage error."""
    if not name:
        return None
    from dashboard.access.users import UsersError, scope_for_user, users_file_path

    try:
        return scope_for_user(name, users_file_path(settings, db), settings=settings)
    except UsersError as exc:
        raise UsageError(str(exc)) from None


def cell(value: Any) -> Any:
    """A result value as plain Python: None for NULL, ISO text for dates and times."""
    # pandas' missing markers by name: this module must not import pandas to know them
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return None
    if isinstance(value, Decimal):  # DuckDB DECIMAL: printed like the app's float
        value = float(value)
    if isinstance(value, float):  # also numpy float64, whose repr is not the number
        return None if math.isnan(value) else float(value)
    if isinstance(value, dt.datetime):  # pandas' Timestamp too
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalar -> Python scalar
        return cell(value.item())
    return value


def csv_text(value: Any) -> str:
    value = cell(value)
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)  # full precision, e.g. 0.6666666666666666
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write(
    columns: Sequence[str],
    rows: Sequence[tuple],
    fmt: str,
    out: TextIO,
    *,
    numeric: Sequence[bool] | None = None,
) -> None:
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([csv_text(v) for v in row])
    elif fmt == "json":
        records = [{col: cell(v) for col, v in zip(columns, row, strict=True)} for row in rows]
        json.dump(records, out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        out.write(table_text(columns, rows, numeric=numeric) + "\n")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def table_text(
    columns: Sequence[str], rows: Sequence[tuple], *, numeric: Sequence[bool] | None = None
) -> str:
    """Aligned columns for people, in the dashboard's formats (``dashboard.present.formats``:
    rates as percentages, counts grouped, hours with one decimal, NULL as '—'); number
    columns (``numeric``, else judged by their values) right-aligned."""
    if not rows:
        return "(no rows: no data in this filter scope)\n" + "  ".join(columns)

    from dashboard.commands.text_width import ljust, rjust, width
    from dashboard.present.formats import cell_text, unit_of

    header = list(columns)
    units = [unit_of(str(c)) for c in header]
    body = [[cell_text(cell(v), u, "en") for v, u in zip(row, units, strict=True)] for row in rows]
    widths = [max(width(str(h)), *(width(r[i]) for r in body)) for i, h in enumerate(header)]
    if numeric is None:
        numeric = [
            all(_is_number(cell(row[i])) for row in rows if cell(row[i]) is not None)
            for i in range(len(header))
        ]

    def line(values: list[str]) -> str:
        cells = [
            rjust(v, w) if num else ljust(v, w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ]
        return "  ".join(cells).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, body)])
