"""The query catalogue: every ``queries/*.sql`` file, its metadata and its SQL.

A query file starts with a TOML front-matter block inside a comment (format documented in
``queries/README.md``)::

    /* ---
    title = "Customer retention"
    ...
    --- */
    select ...

``load_queries()`` parses every file into a frozen ``QueryFile``; any problem (bad TOML,
unknown or missing field, undeclared ``$parameter``, duplicate id) raises ``QueryFileError``
naming the file, so a broken file is reported, never silently skipped.

Staging files (``stg_*.sql``) hold plain views over the raw tables. Intermediate files
(``int_*.sql``) build on them and may take parameters (e.g. ``int_complaints_sla``: each
complaint with its SLA, matched once); a query that uses one declares its parameters too.
``render_sql`` inlines the staging and intermediate views a query uses as CTEs, so a query
runs on any connection - a read-only snapshot, a plain in-memory database - without creating
anything on it. ``install_views`` additionally publishes the staging views (which take no
parameters) into the database file for analysts.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import duckdb

from dashboard import statement_approvals as approvals
from dashboard.paths import QUERIES_DIR

if TYPE_CHECKING:
    from dashboard.sql_statement import Refused

KPI_NAMES = ("retention", "cohorts", "complaints", "satisfaction", "vip_coverage")

# Filters a query may accept; the app and CLI fill them in (see queries/README.md).
FILTER_PARAMS = ("grain", "date_from", "date_to", "projects", "regions", "by", "as_of")
# Values that come from kpi.toml (dashboard.settings), bound like any other parameter.
SETTINGS_PARAMS = (
    "sla_default_hours",
    "sla_rules",
    "vip_interval_days",
    # the SLA clock (#17): [sla] clock and the working calendar (dashboard/sla_clock/params.py)
    "sla_clock",
    "calendar_weekday_mask",
    "calendar_work_hours",
    "calendar_months",
    "calendar_months_added",
    "calendar_months_removed",
    "calendar_months_covered",
    "calendar_covers_every_year",
)
KNOWN_PARAMS = FILTER_PARAMS + SETTINGS_PARAMS

GRAINS = ("week", "month")
BY_VALUES = ("project", "region")
UNITS = ("count", "rate", "hours", "days", "score", "nps", "date", "text", "table")
CHART_MARKS = ("line", "bar", "area", "point", "rect", "arc", "table")
CHART_FIELDS = ("mark", "x", "y", "color", "tooltip", "title", "title_zh")

# Where stored intermediates live in the database file (dashboard/materialized.py).
STORED_SCHEMA = "materialized"
# The filters a stored intermediate may declare: it is written with none of them (every
# project and region, nothing cut at an as-of day), so the rows it holds are a superset
# that the files reading it narrow themselves.
NO_FILTER: dict[str, Any] = {"projects": [], "regions": [], "as_of": None}
STORABLE_PARAMS = tuple(NO_FILTER)

# The column a query with a ``by`` parameter returns right after its period column;
# the API renames it to ``project``/``region`` (or drops it when no ``by`` is asked for).
BY_COLUMN = "by_value"

_REQUIRED_FIELDS = ("title", "title_zh", "description", "description_zh")
_OPTIONAL_FIELDS = ("unit", "params", "default_grain", "grains", "chart", "units", "engines")
_OPTIONAL_FIELDS += ("labels", "labels_zh")  # column -> its label (queries/README.md)
# an intermediate without parameters that is stored as a table at every import (#13)
_OPTIONAL_FIELDS += ("materialize",)
# engines a query runs on (#18); ``engines = ["duckdb"]`` marks a file DuckDB-only
QUERY_ENGINES = ("duckdb", "spark")
_FRONT_MATTER = re.compile(r"\A\s*/\*\s*---[ \t]*\n(?P<toml>.*?)\n\s*---\s*\*/", re.DOTALL)
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_LINE_COMMENT = re.compile(r"--[^\n]*")
_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_STRING = re.compile(r"'(?:[^']|'')*'")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class QueryFileError(ValueError):
    """A query file (or the set of them) is invalid; the message names the file."""


@dataclass(frozen=True)
class QueryFile:
    id: str
    path: Path
    kind: str  # staging | intermediate | kpi | query
    title: str
    title_zh: str
    description: str
    description_zh: str
    sql: str  # the SQL after the front matter (one SELECT statement, no trailing ';')
    unit: str = "table"
    params: tuple[str, ...] = ()
    default_grain: str | None = None
    grains: tuple[str, ...] = ()
    chart: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    units: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    engines: tuple[str, ...] = QUERY_ENGINES
    labels: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    labels_zh: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    materialize: bool = False  # stored at every import (dashboard/materialized.py)

    def display_title(self, language: str = "en") -> str:
        return self.title_zh if language == "zh" else self.title

    def column_label(self, column: str, language: str = "en") -> str | None:
        """The front matter's label of a result column (``[labels]``/``[labels_zh]``)."""
        return (self.labels_zh if language == "zh" else self.labels).get(column)

    @cached_property  # read on every call of the API: scan the SQL once
    def uses_staging(self) -> tuple[str, ...]:
        """Staging and intermediate views this file references directly (``stg_*``,
        ``int_*``): the files ``render_sql`` inlines."""
        return tuple(
            dict.fromkeys(re.findall(r"\b((?:stg|int)_[a-z0-9_]+)\b", code_only(self.sql)))
        )

    @property
    def uses_intermediate(self) -> bool:
        return any(name.startswith("int_") for name in self.uses_staging)


def code_only(sql: str) -> str:
    """The SQL without comments and string literals (for scanning names and $params)."""
    sql = _BLOCK_COMMENT.sub(" ", sql)
    sql = _LINE_COMMENT.sub(" ", sql)
    return _STRING.sub("''", sql)


def used_params(sql: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_PARAM.findall(code_only(sql))))


def _reads_intermediate(sql: str) -> bool:
    return re.search(r"\bint_[a-z0-9_]+\b", code_only(sql)) is not None


_VIEW_KINDS = ("staging", "intermediate")


def _inherited_param_problem(query: QueryFile, found: dict[str, QueryFile]) -> str | None:
    """A query declares every parameter of the intermediate views it reads (transitively),
    and each parameter it declares is used by its own SQL or by one of them."""
    if not query.uses_intermediate:
        return None
    inherited: set[str] = set()
    for view in staging_order(found, query.uses_staging):
        inherited |= set(found[view].params)
    missing = sorted(inherited - set(query.params))
    if missing:
        return (
            f"{query.path.name}: reads an intermediate view that uses "
            + ", ".join(f"${p}" for p in missing)
            + ", but 'params' does not declare it (add it to params)"
        )
    unused = [p for p in query.params if p not in used_params(query.sql) and p not in inherited]
    if unused:
        return f"{query.path.name}: 'params' declares {', '.join(unused)} but the SQL never uses it"
    return None


# --- files the statement check of ``kpi check`` refuses are never served (#19) ------------
# Query files may be longer than what the SQL lab accepts in its text box.
MAX_FILE_SQL_CHARS = 1_000_000


class RefusedFileMessage(str):
    """The English message of a refused file; ``file``, ``code`` and ``detail`` name the
    rule, for a translated message. A ``str``, so every caller of the catalog's
    ``{id: message}`` keeps working unchanged."""

    file: str
    code: str
    detail: str

    @classmethod
    def of(cls, file: str, refused: Refused) -> RefusedFileMessage:
        text = cls(
            f"{file}: not served - the SQL breaks the rule '{refused.code}' of kpi check: {refused}"
        )
        text.file, text.code, text.detail = file, refused.code, refused.detail
        return text


class UnsafeQueryFile(QueryFileError):
    """A query file the statement check refuses; ``str()`` is a ``RefusedFileMessage``."""

    def __init__(self, message: RefusedFileMessage) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@lru_cache(maxsize=1024)
def _refusal(sql: str) -> Refused | None:
    # Parsing costs ~10 ms a file; the catalog is rescanned whenever a file changes, and
    # the same SQL text always gets the same answer - remembered across processes for a
    # pass (``approvals``), so sqlglot is imported only to check a new or edited file.
    if approvals.passed(sql, MAX_FILE_SQL_CHARS):
        return None
    from dashboard.sql_statement import Refused, check_statement  # sqlglot: ~0.1 s

    try:
        check_statement(sql, max_chars=MAX_FILE_SQL_CHARS)
    except Refused as refused:
        return refused
    approvals.remember_pass(sql, MAX_FILE_SQL_CHARS)
    return None


def refuse_unsafe(query: QueryFile) -> None:
    """Raise ``UnsafeQueryFile`` if ``kpi check``'s statement check refuses the file's SQL."""
    refused = _refusal(query.sql)
    if refused is not None:
        raise UnsafeQueryFile(RefusedFileMessage.of(query.path.name, refused))


def parse_query_file(path: Path, *, check_statement: bool = True) -> QueryFile:
    """Parse one file; raise ``QueryFileError`` with the file name on any problem."""
    name = path.name
    query_id = path.stem
    if not _ID.match(query_id):
        raise QueryFileError(
            f"{name}: the file name is the query id and must be lowercase letters, digits "
            "and underscores, starting with a letter"
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryFileError(f"{name}: cannot read the file ({exc})") from exc
    match = _FRONT_MATTER.match(text)
    if not match:
        raise QueryFileError(
            f"{name}: missing front matter; the file must start with a '/* ---' ... '--- */' "
            "block holding TOML metadata (see queries/README.md)"
        )
    try:
        meta: dict[str, Any] = tomllib.loads(match.group("toml"))
    except tomllib.TOMLDecodeError as exc:
        raise QueryFileError(f"{name}: front matter is not valid TOML: {exc}") from exc
    sql = text[match.end() :].strip()
    sql = re.sub(r"[;\s]+\Z", "", sql)
    kind = (
        "staging"
        if query_id.startswith("stg_")
        else "intermediate"
        if query_id.startswith("int_")
        else "kpi"
        if query_id in KPI_NAMES
        else "query"
    )
    query = _build(path, query_id, kind, meta, sql)
    if check_statement:  # what kpi check's statement check refuses is never served (#19)
        refuse_unsafe(query)
    return query


def _build(path: Path, query_id: str, kind: str, meta: dict[str, Any], sql: str) -> QueryFile:
    name = path.name

    def fail(message: str) -> QueryFileError:
        return QueryFileError(f"{name}: {message}")

    unknown = sorted(set(meta) - set(_REQUIRED_FIELDS) - set(_OPTIONAL_FIELDS))
    if unknown:
        allowed = ", ".join(_REQUIRED_FIELDS + _OPTIONAL_FIELDS)
        raise fail(f"unknown front-matter field(s) {', '.join(unknown)}; allowed: {allowed}")
    for key in _REQUIRED_FIELDS:
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise fail(f"front-matter field '{key}' is required (a non-empty string)")
    if not sql:
        raise fail("no SQL after the front matter")
    if ";" in code_only(sql):
        raise fail("must hold exactly one SELECT statement (found ';' inside the SQL)")

    unit = meta.get("unit", "table")
    if unit not in UNITS:
        raise fail(f"unit '{unit}' is not one of {', '.join(UNITS)}")

    params = meta.get("params", [])
    if not isinstance(params, list) or not all(isinstance(p, str) for p in params):
        raise fail("'params' must be a list of parameter names")
    bad = [p for p in params if p not in KNOWN_PARAMS]
    if bad:
        raise fail(f"unknown param(s) {', '.join(bad)}; known: {', '.join(KNOWN_PARAMS)}")
    used = used_params(sql)
    undeclared = [p for p in used if p not in params]
    if undeclared:
        raise fail(
            "the SQL uses " + ", ".join(f"${p}" for p in undeclared) + " but 'params' does "
            "not declare it (add it to params)"
        )
    # a query reading an intermediate view declares that view's parameters too (checked
    # once every file is known: _inherited_param_problem)
    unused = [] if _reads_intermediate(sql) else [p for p in params if p not in used]
    if unused:
        raise fail(f"'params' declares {', '.join(unused)} but the SQL never uses it")
    if kind == "staging" and params:
        raise fail("a staging view (stg_*) cannot take parameters")
    if kind == "staging" and _reads_intermediate(sql):
        raise fail("a staging view (stg_*) cannot read an intermediate view (int_*)")

    grains = meta.get("grains", list(GRAINS) if "grain" in params else [])
    if not isinstance(grains, list) or any(g not in GRAINS for g in grains):
        raise fail(f"'grains' must be a list drawn from {', '.join(GRAINS)}")
    default_grain = meta.get("default_grain")
    if "grain" in params:
        default_grain = default_grain or grains[0]
        if default_grain not in grains:
            raise fail(f"default_grain '{default_grain}' is not one of {', '.join(grains)}")
    elif default_grain is not None or "grains" in meta:
        raise fail("default_grain/grains given but the query has no 'grain' param")

    chart = meta.get("chart", {})
    if not isinstance(chart, dict):
        raise fail("[chart] must be a table")
    unknown_chart = sorted(set(chart) - set(CHART_FIELDS))
    if unknown_chart:
        raise fail(
            f"unknown [chart] field(s) {', '.join(unknown_chart)}; allowed: {', '.join(CHART_FIELDS)}"
        )
    if "mark" in chart and chart["mark"] not in CHART_MARKS:
        raise fail(f"chart mark '{chart['mark']}' is not one of {', '.join(CHART_MARKS)}")

    units = meta.get("units", {})
    if not isinstance(units, dict) or any(u not in UNITS for u in units.values()):
        raise fail(f"[units] must map column names to one of {', '.join(UNITS)}")

    labels = {lang: meta.get(lang, {}) for lang in ("labels", "labels_zh")}
    for name, table in labels.items():
        if not isinstance(table, dict) or not all(
            isinstance(v, str) and v.strip() for v in table.values()
        ):
            raise fail(f"[{name}] must map column names to non-empty text")

    engines = meta.get("engines", list(QUERY_ENGINES))
    if (
        not isinstance(engines, list)
        or any(e not in QUERY_ENGINES for e in engines)
        or "duckdb" not in engines
    ):
        raise fail(
            "'engines' must be a list drawn from duckdb, spark that includes duckdb "
            '(engines = ["duckdb"] marks a file DuckDB-only)'
        )
    if kind != "query" and "spark" not in engines:
        raise fail("staging views and the contract KPIs must run on every engine")

    materialize = meta.get("materialize", False)
    if not isinstance(materialize, bool):
        raise fail("'materialize' must be true or false")
    if materialize and (
        kind != "intermediate" or set(params) - set(STORABLE_PARAMS) - set(SETTINGS_PARAMS)
    ):
        raise fail(
            "only an intermediate view (int_*) can be stored (materialize = true), and its "
            "parameters may be settings and the filters "
            + ", ".join(STORABLE_PARAMS)
            + " only: it is stored with no filter and the files that read it apply theirs"
        )

    return QueryFile(
        id=query_id,
        path=path,
        kind=kind,
        title=meta["title"].strip(),
        title_zh=meta["title_zh"].strip(),
        description=meta["description"].strip(),
        description_zh=meta["description_zh"].strip(),
        sql=sql,
        unit=unit,
        params=tuple(params),
        default_grain=default_grain,
        grains=tuple(grains),
        chart=MappingProxyType(dict(chart)),
        units=MappingProxyType(dict(units)),
        engines=tuple(dict.fromkeys(engines)),
        labels=MappingProxyType({k: v.strip() for k, v in labels["labels"].items()}),
        labels_zh=MappingProxyType({k: v.strip() for k, v in labels["labels_zh"].items()}),
        materialize=materialize,
    )


def load_queries(directory: Path | None = None) -> dict[str, QueryFile]:
    """Every query file of ``directory`` (default ``queries/``), by id, sorted by id.

    Raises ``QueryFileError`` for the first invalid file, a duplicate id (``a.sql`` and
    ``A.SQL``, or the same id in a subfolder) or a staging view that does not exist.
    """
    directory = directory or QUERIES_DIR
    found: dict[str, QueryFile] = {}
    for path in sorted(directory.rglob("*")):
        if not path.is_file() or path.suffix.lower() != ".sql":
            continue
        query = parse_query_file(path)
        if query.id in found:
            raise QueryFileError(
                f"duplicate query id '{query.id}': {found[query.id].path} and {path}"
            )
        found[query.id] = query
    for query in found.values():
        for stg in query.uses_staging:
            if stg not in found or found[stg].kind not in _VIEW_KINDS:
                raise QueryFileError(f"{query.path.name}: uses {stg}, but there is no {stg}.sql")
    for query in found.values():
        problem = _inherited_param_problem(query, found)
        if problem:
            raise QueryFileError(problem)
    return dict(sorted(found.items()))


def scan_queries(
    directory: Path | None = None, *, check_statements: bool = True
) -> tuple[dict[str, QueryFile], dict[str, str]]:
    """Like ``load_queries``, but a broken file only removes itself: returns the valid
    queries by id and ``{id: error message}`` for the broken ones (an id used twice, a
    query whose staging view is missing or broken). Used by the app and ``kpi check`` so
    one broken file never hides the others. ``check_statements=False`` skips the statement
    check (sqlglot, ~10 ms a file): for a caller that checks the files it runs itself."""
    directory = directory or QUERIES_DIR
    found: dict[str, QueryFile] = {}
    errors: dict[str, str] = {}
    paths: dict[str, list[Path]] = {}
    for path in sorted(directory.rglob("*")):
        if path.is_file() and path.suffix.lower() == ".sql":
            paths.setdefault(path.stem, []).append(path)
    for query_id, same_id in paths.items():
        if len(same_id) > 1:
            errors[query_id] = f"duplicate query id '{query_id}': " + " and ".join(
                map(str, same_id)
            )
            continue
        try:
            found[query_id] = parse_query_file(same_id[0], check_statement=check_statements)
        except QueryFileError as exc:
            errors[query_id] = str(exc)
    changed = True
    while changed:  # a query is broken when a staging view it uses is missing or broken
        changed = False
        for query in list(found.values()):
            for stg in query.uses_staging:
                if stg not in found or found[stg].kind not in _VIEW_KINDS:
                    why = f" ({errors[stg]})" if stg in errors else ""
                    errors[query.id] = (
                        f"{query.path.name}: uses {stg}, but there is no valid {stg}.sql{why}"
                    )
                    del found[query.id]
                    changed = True
                    break
    for query in list(found.values()):
        try:
            problem = _inherited_param_problem(query, found)
        except QueryFileError as exc:  # views that depend on each other in a cycle
            problem = str(exc)
        if problem:
            errors[query.id] = problem
            del found[query.id]
    return dict(sorted(found.items())), dict(sorted(errors.items()))


class LazyQueries(Mapping[str, QueryFile]):
    """The query files of a folder by id, each parsed (without the statement check) the
    first time it is read: a one-query `kpi show` parses the few files it runs instead of
    all forty (~80 ms). A broken file, or an id used by two files, reads as missing; the
    full scan (``scan_queries``) says why. ``paths`` are the folder's ``.sql`` files."""

    def __init__(self, paths: list[Path]) -> None:
        by_id: dict[str, list[Path]] = {}
        for path in paths:
            by_id.setdefault(path.stem, []).append(path)
        self._paths = {i: found[0] for i, found in sorted(by_id.items()) if len(found) == 1}
        self._parsed: dict[str, QueryFile | None] = {}

    def __getitem__(self, query_id: str) -> QueryFile:
        if query_id not in self._parsed:
            path = self._paths.get(query_id)
            try:
                found = None if path is None else parse_query_file(path, check_statement=False)
            except QueryFileError:
                found = None
            self._parsed[query_id] = found  # two threads may both parse: the same answer
        query = self._parsed[query_id]
        if query is None:
            raise KeyError(query_id)
        return query

    def __iter__(self) -> Iterator[str]:
        return (i for i in self._paths if i in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def serves_cleanly(query: QueryFile, parsed: dict[str, QueryFile]) -> bool:
    """Whether ``scan_queries`` would keep ``query``, judged from files parsed with
    ``check_statements=False``: every view it reads (transitively) is there, its own and
    those views' statements pass the statement check, and the parameters add up. The checks
    of a full scan for the files one query runs: what a one-query `kpi show` pays for."""
    try:
        needed = staging_order(parsed, query.uses_staging)
    except (QueryFileError, KeyError):  # a cycle, or a view that is not there
        return False
    for name in (*needed, query.id):
        each = parsed[name]
        if any(parsed[stg].kind not in _VIEW_KINDS for stg in each.uses_staging if stg != name):
            return False
        try:
            refuse_unsafe(each)
        except QueryFileError:
            return False
        if _inherited_param_problem(each, parsed):
            return False
    return True


def staging_order(
    queries: dict[str, QueryFile], roots: tuple[str, ...], stored: frozenset[str] = frozenset()
) -> list[str]:
    """Staging and intermediate ids needed by ``roots`` (transitively), dependencies first;
    a ``stored`` one is read from its table, so what it reads is not needed for it."""
    order: list[str] = []
    visiting: set[str] = set()

    def visit(stg: str) -> None:
        if stg in order:
            return
        if stg in visiting:
            raise QueryFileError(f"staging views depend on each other in a cycle at {stg}")
        visiting.add(stg)
        for dep in () if stg in stored else queries[stg].uses_staging:
            if dep != stg:
                visit(dep)
        visiting.discard(stg)
        order.append(stg)

    for root in roots:
        visit(root)
    return order


# The query's own WITH, after any leading comments.
_LEADING_WITH = re.compile(
    r"\A(?:\s+|--[^\n]*|/\*.*?\*/)*with\s+(?!recursive\b)", re.IGNORECASE | re.DOTALL
)


def render_sql(
    query: QueryFile, queries: dict[str, QueryFile], stored: frozenset[str] = frozenset()
) -> str:
    """The query's SQL with the staging and intermediate views it uses inlined as leading CTEs.

    Why inline rather than rely on views in the file: a read-only snapshot may come from an
    older import (stale or no views), and creating temp views would need DDL on every
    reader cursor. CTEs named ``stg_*`` shadow any same-named view, so the SQL in
    ``queries/`` is always what runs. Intermediate views take parameters, so inlining is
    their only form: their ``$params`` are bound with the query's.

    ``stored``: intermediates whose stored table (``dashboard.materialized``) is current on
    the connection the SQL will run on; their CTE reads the table instead of computing it.
    """
    needed = [s for s in staging_order(queries, query.uses_staging, stored) if s != query.id]
    if not needed:
        return query.sql

    def body(name: str) -> str:
        if name in stored:  # the id is a query file's name (_ID), never a caller's value
            return f"select * from {STORED_SCHEMA}.{name}"
        return queries[name].sql

    # A stored table's CTE is never materialized: each reference then scans the table with
    # its own filters pushed down (a materialized copy would read every row of it first).
    ctes = ",\n".join(
        f"{s} as {'not materialized ' if s in stored else ''}(\n{body(s)}\n)" for s in needed
    )
    match = _LEADING_WITH.match(query.sql)
    if match:  # merge into the query's own WITH list
        return f"with {ctes},\n{query.sql[match.end() :]}"
    return f"with {ctes}\n{query.sql}"


def install_views(con: duckdb.DuckDBPyConnection, directory: Path | None = None) -> None:
    """(Re)create every staging view in the connection's current database.

    ``dashboard.pipeline`` runs it before every publish, so the views are in the database
    file, where analysts find them.
    """
    queries = load_queries(directory)
    staging = [q for q in queries.values() if q.kind == "staging"]
    for stg_id in staging_order(queries, tuple(q.id for q in staging)):
        con.execute(f"create or replace view {stg_id} as\n{queries[stg_id].sql}")


def publish_views(con: duckdb.DuckDBPyConnection) -> None:
    """The publish hook: like ``install_views``, but a broken query file only warns (on
    stderr) instead of failing the import that triggered it - the data matters more."""
    try:
        install_views(con)
    except (QueryFileError, duckdb.Error) as exc:
        print(f"warning: staging views not published: {exc}", file=sys.stderr)
