"""`kpi report`: the weekly KPI report as a self-contained HTML page or an Excel file."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

EXTENSIONS = {".html": "html", ".htm": "html", ".xlsx": "xlsx"}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write the weekly KPI report (.html or .xlsx)",
        description=(
            "Write the weekly KPI report for one ISO week: headline KPIs with change vs the "
            "previous week, target status and 12-week trends; projects that moved most; "
            "complaints past their SLA; overdue VIPs. The output format follows the file "
            "extension: .html (one self-contained page, works offline) or .xlsx."
        ),
    )
    parser.add_argument("--db", help="database file (default: $KPI_DB or the embedded one)")
    parser.add_argument(
        "--week",
        metavar="YYYY-Www",
        help="ISO week, e.g. 2026-W47 (default: the latest complete week in the data)",
    )
    parser.add_argument("--project", action="append", default=[], metavar="NAME",
                        help="only this project (repeat for several)")  # fmt: skip
    parser.add_argument("--region", action="append", default=[], metavar="NAME",
                        help="only this region (repeat for several)")  # fmt: skip
    parser.add_argument("--as-user", dest="as_user", metavar="NAME",
                        help="the report as that user sees it: their projects/regions only")  # fmt: skip
    parser.add_argument("--lang", choices=("zh", "en"), default=None,
                        help="report language (default: the settings' language)")  # fmt: skip
    parser.add_argument("--out", required=True, metavar="FILE", help="output file: .html or .xlsx")
    parser.set_defaults(func=run)


USAGE_EXIT = 2


def _scoped_filters(con, args: argparse.Namespace, settings) -> tuple[list[str], list[str], bool]:
    """The filters of the report: ``--project/--region`` intersected with ``--as-user``'s
    scope (``ScopeError``/``UnknownUserError`` for a refused value or an unknown user), and
    whether that scope is limited."""
    if not getattr(args, "as_user", None):
        return list(args.project), list(args.region), False
    from dashboard.access.scope import needs_pairs, restrict
    from dashboard.access.users import scope_for_user, users_file_path
    from dashboard.kpis import dimension_pairs

    scope = scope_for_user(args.as_user, users_file_path(settings, args.db), settings=settings)
    pairs = (
        dimension_pairs(con, settings) if needs_pairs(scope, args.project, args.region) else None
    )
    projects, regions = restrict(scope, args.project, args.region, pairs=pairs)
    return projects, regions, scope.limited


def run(args: argparse.Namespace) -> int:
    from dashboard.pipeline import connect_readonly
    from dashboard.present.periods import parse_week
    from dashboard.report import build_report_bytes
    from dashboard.settings import load_settings

    out = Path(args.out).expanduser()
    fmt = EXTENSIONS.get(out.suffix.lower())
    if fmt is None:
        raise ValueError(
            f"--out must end in .html or .xlsx (the format follows the extension), got {out.name!r}"
        )
    week = parse_week(args.week) if args.week else None  # bad week: fail before any work
    if not out.parent.exists():
        raise ValueError(f"the folder {out.parent} does not exist")
    settings = load_settings()
    lang = args.lang or settings.language
    con = connect_readonly(args.db)
    try:
        try:  # --as-user: the scope meets the filters through the KPI API's own check
            projects, regions, scoped = _scoped_filters(con, args, settings)
        except ValueError as exc:
            print(f"kpi report: error: {exc}", file=sys.stderr)
            return USAGE_EXIT
        data = build_report_bytes(
            con,
            week=week,
            projects=projects,
            regions=regions,
            lang=lang,
            fmt=fmt,
            settings=settings,
            scoped=scoped,
        )
    finally:
        con.close()
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, out)  # never leave a half-written report behind
    print(f"wrote {out} ({fmt}, {len(data):,} bytes)")
    return 0
