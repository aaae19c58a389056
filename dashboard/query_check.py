"""``kpi check``: validate every query file the way a reviewer would, on real data.

For each ``*.sql`` file of the queries folder:

1. the front matter loads (``catalog.scan_queries``: required fields, known fields and
   params, unique id, staging views exist) and is complete for the app: a ``[chart]`` with
   a mark, and ``x``/``y`` unless the mark is ``table``;
2. the SQL parses with sqlglot (DuckDB dialect) as exactly one read statement with no file
   access (the SQL lab's statement check);
3. it runs on the database - through the SQL lab's sandboxed connection, so a file that
   only works with file or network access fails here - once with defaults and once per
   filter it declares (each grain, a project, a region, each ``by``, a from/to range, an
   as-of day, and all filters together);
4. the chart fields, ``[units]`` and ``[labels]`` keys name columns the query really returns;
5. every column of a query the dashboard shows (the analyst page shows every ``query``
   file; drill-downs and lists are such files) has a label in English and Chinese in its
   ``[labels]`` / ``[labels_zh]``; KPI files may use the dashboard's KPI names instead.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from dashboard.catalog import BY_COLUMN, QueryFile, render_sql, scan_queries
from dashboard.present.query_labels import has_label
from dashboard.sql_statement import Refused, check_statement
from dashboard.sqllab.sandbox import Limits, open_sandbox, time_limit

# Generous: a check runs every file several times, on data the size of production.
CHECK_LIMITS = Limits(timeout_seconds=120.0, memory_limit="2GB")
_CHART_COLUMNS = ("x", "y", "color")
# compute() names the file in its error; the FAIL line already does.
_RUN_PREFIX = re.compile(r"^query '[^']+' \([^)]*\) failed: ")


@dataclass(frozen=True)
class Sample:
    """Filter values that exist in the database, so filtered runs return rows."""

    project: str
    region: str
    date_from: dt.date
    date_to: dt.date


@dataclass
class FileResult:
    file: str  # file name as shown to the user
    query_id: str
    problems: list[str] = field(default_factory=list)
    kind: str = "query"
    runs: int = 0
    columns: tuple[str, ...] = ()
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def line(self, width: int = 0) -> str:
        if self.ok and self.kind == "staging":
            return f"ok   {self.query_id.ljust(width)}  staging view, {len(self.columns)} columns"
        if self.ok:
            return (
                f"ok   {self.query_id.ljust(width)}  {self.runs} run(s), "
                f"{len(self.columns)} columns, {self.rows} row(s) with defaults"
            )
        return f"FAIL {self.file}: {'; '.join(self.problems)}"


def sample_values(con: duckdb.DuckDBPyConnection) -> Sample:
    """The busiest project and region and the middle third of the order dates."""
    busiest = con.execute(
        "select project, region from orders group by all order by count(*) desc, project limit 1"
    ).fetchone()
    first, last = con.execute(
        "select min(ordered_at)::date, max(ordered_at)::date from orders"
    ).fetchone()
    if first is None or last is None:  # empty database: any dates will do
        first, last = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    third = (last - first) / 3
    project, region = busiest if busiest else ("(no project)", "(no region)")
    return Sample(project, region, first + third, last - third)


def combinations(query: QueryFile, sample: Sample) -> Iterator[tuple[str, dict[str, Any]]]:
    """(description, compute() keyword arguments) for every filter the query declares."""
    params = set(query.params)
    yield "defaults", {}
    if "grain" in params:
        for grain in query.grains:
            yield f"--grain {grain}", {"grain": grain}
    if "projects" in params:
        yield f"--project {sample.project}", {"projects": [sample.project]}
    if "regions" in params:
        yield f"--region {sample.region}", {"regions": [sample.region]}
    if "by" in params:
        yield "--by project", {"by": "project"}
        yield "--by region", {"by": "region"}
    dates: dict[str, Any] = {}
    if "date_from" in params:
        dates["date_from"] = sample.date_from
    if "date_to" in params:
        dates["date_to"] = sample.date_to
    if dates:
        text = " ".join(f"--{k.removeprefix('date_')} {v}" for k, v in dates.items())
        yield text, dict(dates)
    extra: dict[str, Any] = {}
    if "as_of" in params:
        extra = {"params": {"as_of": sample.date_to}}
        yield f"as_of {sample.date_to}", dict(extra)
    everything: dict[str, Any] = dict(dates) | extra
    if "grain" in params:
        everything["grain"] = query.grains[-1]
    if "projects" in params:
        everything["projects"] = [sample.project]
    if "regions" in params:
        everything["regions"] = [sample.region]
    if "by" in params:
        everything["by"] = "region"
    if len(everything) > 1:
        yield "all filters together", everything


def _metadata_problems(query: QueryFile) -> list[str]:
    if query.kind == "staging":
        return []
    chart = dict(query.chart)
    if not chart:
        return ['no [chart] section (use mark = "table" for a plain table)']
    if "mark" not in chart:
        return ["[chart] has no mark"]
    missing = [k for k in ("x", "y") if chart["mark"] != "table" and not chart.get(k)]
    if missing:
        return [f"[chart] mark '{chart['mark']}' needs {' and '.join(missing)}"]
    tooltip = chart.get("tooltip", [])
    if not isinstance(tooltip, list) or not all(isinstance(t, str) for t in tooltip):
        return ["[chart] tooltip must be a list of column names"]
    return []


def _column_problems(query: QueryFile, columns: set[str]) -> list[str]:
    chart = dict(query.chart)
    named = [(f"[chart] {k}", chart[k]) for k in _CHART_COLUMNS if chart.get(k)]
    named += [("[chart] tooltip", t) for t in chart.get("tooltip", [])]
    named += [("[units]", c) for c in query.units]
    named += [("[labels]", c) for c in query.labels]
    named += [("[labels_zh]", c) for c in query.labels_zh]
    shown = sorted(c for c in columns if c != BY_COLUMN)
    return [
        f"{where} names column '{column}', but the result has: {', '.join(shown)}"
        for where, column in named
        if column not in columns
    ]


def _label_problems(query: QueryFile, columns: set[str]) -> list[str]:
    """Columns a page would show under their raw id, in either language."""
    if query.kind not in ("kpi", "query"):
        return []
    # the API adds project/region for --by: the dashboard's words name them
    added = {"project", "region"} if "by" in query.params else set()
    problems = []
    for lang, table in (("en", "[labels]"), ("zh", "[labels_zh]")):
        bare = sorted(
            c for c in columns - added if c != BY_COLUMN and not has_label(query, c, lang)
        )
        if bare:
            problems.append(f"no {table} label for column(s) {', '.join(bare)}")
    return problems


def _run_staging(con: duckdb.DuckDBPyConnection, query: QueryFile, queries: dict) -> list[str]:
    sql = render_sql(query, queries)
    cur = con.execute(f"select * from (\n{sql}\n) limit 100")
    return [d[0] for d in cur.description]


def check_file(
    con: duckdb.DuckDBPyConnection,
    query: QueryFile,
    queries: dict[str, QueryFile],
    sample: Sample,
    queries_dir: Path,
    limits: Limits = CHECK_LIMITS,
) -> FileResult:
    from dashboard.kpis import compute  # local: kpis imports settings and pandas

    result = FileResult(query.path.name, query.id, kind=query.kind)
    result.problems += _metadata_problems(query)
    try:
        check_statement(query.sql, max_chars=1_000_000)
    except Refused as exc:
        result.problems.append(f"SQL: {exc}")
    if result.problems:
        return result
    if query.kind == "staging":
        try:
            with time_limit(con, limits.timeout_seconds):
                result.columns = tuple(_run_staging(con, query, queries))
            result.runs = 1
        except duckdb.Error as exc:
            result.problems.append(f"does not run: {_first_line(exc)}")
        return result
    columns: set[str] = set()
    failures: dict[str, list[str]] = {}  # error -> the filter sets that hit it
    for description, kwargs in combinations(query, sample):
        try:
            with time_limit(con, limits.timeout_seconds) as fired:
                frame = compute(con, query.id, queries_dir=queries_dir, engine="duckdb", **kwargs)
        except Exception as exc:  # any failure is this file's problem, reported in one line
            why = "time limit reached" if fired.is_set() else _RUN_PREFIX.sub("", _first_line(exc))
            failures.setdefault(why, []).append(description)
            continue
        result.runs += 1
        columns |= set(frame.columns)
        if description == "defaults":
            result.columns = tuple(frame.columns)
            result.rows = len(frame)
        by = kwargs.get("by")
        if by and by not in frame.columns:
            result.problems.append(
                f"declares 'by' but returns no {BY_COLUMN} column (with {description})"
            )
    for why, descriptions in failures.items():
        result.problems.append(f"fails with {', '.join(descriptions)}: {why}")
    if not result.problems:
        result.problems += _column_problems(query, columns)
        result.problems += _label_problems(query, columns)
    return result


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def _display_name(query_id: str, problem: str) -> tuple[str, str]:
    # catalog messages start with "<file>: "; the FAIL line names the file once.
    name, sep, rest = problem.partition(": ")
    if sep and name.endswith(".sql") and " " not in name:
        return name, rest
    return f"{query_id}.sql", problem


def check_all(
    db: str | os.PathLike[str] | None = None,
    queries_dir: Path | None = None,
    limits: Limits = CHECK_LIMITS,
) -> list[FileResult]:
    """Check every query file; one ``FileResult`` per file (broken ones included)."""
    from dashboard.paths import QUERIES_DIR

    queries_dir = Path(queries_dir or QUERIES_DIR)
    if not queries_dir.is_dir():
        raise FileNotFoundError(f"no queries folder at {queries_dir}")
    queries, errors = scan_queries(queries_dir)
    results = []
    for query_id, message in errors.items():
        file, reason = _display_name(query_id, message)
        results.append(FileResult(file, query_id, [reason]))
    con = open_sandbox(db, limits)
    try:
        sample = sample_values(con)
        for query in queries.values():
            results.append(check_file(con, query, queries, sample, queries_dir, limits))
    finally:
        con.close()
    return sorted(results, key=lambda r: r.query_id)
