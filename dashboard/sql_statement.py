"""The statement check: only one read-only query may reach the database.

This is the first of two barriers. sqlglot parses the text (DuckDB dialect) and we accept
exactly one statement whose type is on an allow-list of read statements (SELECT, WITH ...
SELECT, UNION/INTERSECT/EXCEPT, VALUES, PIVOT, DESCRIBE, SUMMARIZE, SHOW). Functions that
read files are refused by name, so the analyst gets a clear message. The second barrier is
the sandboxed connection (``sandbox.py``): ``select * from read_csv('/etc/passwd')`` is a
plain SELECT to a parser, so DuckDB's own settings are what really stop it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import duckdb
import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from dashboard.redaction import redact_paths

# Long enough for any hand-written analysis, short enough to refuse pasted data dumps.
MAX_SQL_CHARS = 20_000

# Statement classes that only read. Everything else (COPY, ATTACH, INSTALL, SET, CREATE, a
# raw ``Command`` sqlglot could not parse further, ...) is refused.
_READ_STATEMENTS: tuple[type[exp.Expression], ...] = (
    exp.Select,
    exp.SetOperation,  # UNION / INTERSECT / EXCEPT
    exp.Subquery,  # (select ...)
    exp.Values,
    exp.Pivot,
    exp.Describe,
    exp.Summarize,
    exp.Show,
)

# Nodes that must not appear anywhere in the tree (e.g. inside a CTE).
_WRITE_NODES: tuple[type[exp.Expression], ...] = (
    exp.Create,
    exp.Insert,
    exp.Update,
    exp.Delete,
    exp.Merge,
    exp.Drop,
    exp.Alter,
    exp.Copy,
    exp.Command,
    exp.Set,
    exp.Pragma,
    exp.Attach,
    exp.Detach,
    exp.Install,
    exp.Use,
    exp.Transaction,
)

# DuckDB functions that read or list files, or run SQL from a string (which would bypass
# this check). The sandboxed connection blocks the file access anyway; refusing them here
# gives a clear message instead of a permission error.
FILE_FUNCTIONS = frozenset(
    {
        "read_csv",
        "read_csv_auto",
        "sniff_csv",
        "read_parquet",
        "parquet_scan",
        "parquet_metadata",
        "parquet_schema",
        "parquet_file_metadata",
        "parquet_kv_metadata",
        "read_json",
        "read_json_auto",
        "read_json_objects",
        "read_json_objects_auto",
        "read_ndjson",
        "read_ndjson_auto",
        "read_ndjson_objects",
        "read_text",
        "read_blob",
        "read_xlsx",
        "glob",
        "iceberg_scan",
        "delta_scan",
        "sqlite_scan",
        "postgres_scan",
        "mysql_scan",
        "query",
        "query_table",
    }
)
# Functions and system views that show the server's paths, settings or secrets (the
# database file's path, the temp directory, the home directory in an error): an analyst
# needs none of them, and the connection cannot hide their values (#19).
SERVER_INFO_FUNCTIONS = frozenset(
    {
        "current_setting",
        "duckdb_connection_count",
        "duckdb_databases",
        "duckdb_extensions",
        "duckdb_external_file_cache",
        "duckdb_log_contexts",
        "duckdb_logs",
        "duckdb_logs_parsed",
        "duckdb_memory",
        "duckdb_prepared_statements",
        "duckdb_profiling_settings",
        "duckdb_secret_types",
        "duckdb_secrets",
        "duckdb_settings",
        "duckdb_temporary_files",
        "pg_settings",
        "pragma_database_list",
        "pragma_database_size",
        "pragma_metadata_info",
        "pragma_platform",
        "pragma_storage_info",
        "pragma_user_agent",
        "which_secret",
    }
)
_FILE_NAME = re.compile(
    r"(/|\\|\.(csv|tsv|txt|parquet|json|jsonl|ndjson|xlsx|gz|zst|duckdb|db)$)", re.IGNORECASE
)

# sqlglot names some statements differently from SQL; the user should see the SQL keyword.
_KEYWORDS = {
    "Copy": "COPY",
    "Attach": "ATTACH",
    "Detach": "DETACH",
    "Install": "INSTALL",
    "Set": "SET",
    "Pragma": "PRAGMA",
    "Create": "CREATE",
    "Insert": "INSERT",
    "Update": "UPDATE",
    "Delete": "DELETE",
    "Merge": "MERGE",
    "Drop": "DROP",
    "Alter": "ALTER",
    "Use": "USE",
    "Transaction": "BEGIN/COMMIT",
    "Commit": "COMMIT",
    "Rollback": "ROLLBACK",
}


class Refused(ValueError):
    """The SQL may not run. ``code`` names the reason (for translated messages); ``detail``
    is the offending keyword, function or number; ``str()`` is a full English message."""

    def __init__(self, code: str, message: str, detail: str = "") -> None:
        super().__init__(redact_paths(message))
        self.code = code
        self.detail = redact_paths(detail)


@dataclass(frozen=True)
class CheckedStatement:
    sql: str  # the text as given, trimmed and without a trailing ';'
    kind: str  # e.g. SELECT, UNION, DESCRIBE


# Words a read query may start with; any other first word names the refused statement.
_READ_START = {
    "select",
    "with",
    "from",
    "values",
    "(",
    "pivot",
    "unpivot",
    "describe",
    "summarize",
    "show",
    "table",
}
_COMMENTS = re.compile(r"\A(?:\s+|--[^\n]*|/\*.*?\*/)*", re.DOTALL)


def _first_word(sql: str) -> str:
    rest = sql[_COMMENTS.match(sql).end() :]
    match = re.match(r"\(|[A-Za-z_]+", rest)
    return match.group(0).upper() if match else ""


def _keyword(node: exp.Expression, sql: str) -> str:
    name = type(node).__name__
    if isinstance(node, exp.Command):  # sqlglot's fallback: the first word is the keyword
        return str(node.this).upper() or _first_word(sql)
    return _KEYWORDS.get(name) or _first_word(sql) or name.upper()


def _function_name(node: exp.Func) -> str:
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower()
    return node.sql_name().lower()


def _parse(sql: str) -> list[exp.Expression]:
    # sqlglot logs a warning when it falls back to a raw Command; we refuse those anyway.
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        return [s for s in sqlglot.parse(sql, read="duckdb") if s is not None]
    finally:
        logger.setLevel(level)


def _not_read_message(keyword: str) -> str:
    return f"only read queries (SELECT, WITH ... SELECT) may run here; {keyword} is not allowed"


# Brackets nested deeper than this are refused before parsing: sqlglot spends ~25 Python
# frames per level and hits the recursion limit near 40 levels (the query files here nest
# 6 deep). A RecursionError that still happens maps to the same refusal.
MAX_NESTING = 30


def _too_deep() -> Refused:
    return Refused(
        "too_deep",
        f"the query is nested too deeply (more than {MAX_NESTING} levels of brackets or "
        "subqueries); simplify it",
        str(MAX_NESTING),
    )


def _server_info(name: str) -> Refused:
    return Refused(
        "server_info",
        f"{name} shows the server's settings or paths; query the database tables instead",
        name,
    )


_TOKEN = re.compile(r"<Token token_type: [^,]+, text: (?P<text>.*?), line: \d+, col: .*?>")


def _parse_error_text(exc: SqlglotError) -> str:
    """'line 1, column 19: Expected table name but got 'where'' from sqlglot's error."""
    errors = getattr(exc, "errors", None) or []
    if errors:
        first = errors[0]
        description = _TOKEN.sub(lambda m: repr(m.group("text")), str(first.get("description")))
        if first.get("line") and first.get("col"):
            return f"line {first['line']}, column {first['col']}: {description}"
        return description
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


_DUCKDB_AT = re.compile(r"^LINE (?P<line>\d+):", re.MULTILINE)


def _duckdb_syntax_error(sql: str) -> str | None:
    """DuckDB's own parser's complaint about ``sql`` ('line 1: syntax error at or near
    "selec"'), or None when DuckDB parses it. Only parses: an in-memory connection with
    nothing in it, and extract_statements runs nothing."""
    connection = duckdb.connect(":memory:")
    try:
        connection.extract_statements(sql)
    except duckdb.ParserException as exc:
        text = str(exc)
        first = text.splitlines()[0].removeprefix("Parser Error: ").strip()
        at = _DUCKDB_AT.search(text)
        return f"line {at.group('line')}: {first}" if at else first
    except duckdb.Error:
        return None
    finally:
        connection.close()
    return None


def _nesting(sql: str) -> int:
    """The deepest bracket nesting outside string literals and comments (cheap, linear)."""
    depth = deepest = 0
    for char in re.sub(
        r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/", "", sql, flags=re.S
    ):
        if char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif char == ")":
            depth -= 1
    return deepest


def check_statement(sql: str, *, max_chars: int = MAX_SQL_CHARS) -> CheckedStatement:
    """Return the statement if it is exactly one read-only query; raise ``Refused`` if not."""
    text = (sql or "").strip()
    if len(text) > max_chars:
        raise Refused(
            "too_long",
            f"the query is {len(text):,} characters long; the limit is {max_chars:,}",
            f"{len(text):,}/{max_chars:,}",
        )
    text = re.sub(r"[;\s]+\Z", "", text)
    if not text:
        raise Refused("empty", "there is no SQL to run; type a SELECT query")
    if _nesting(text) > MAX_NESTING:  # before sqlglot, which would recurse that deep
        raise _too_deep()
    try:
        statements = _parse(text)
    except RecursionError:  # sqlglot's parser recurses once per nesting level
        raise _too_deep() from None
    except SqlglotError as exc:
        keyword = _first_word(text)
        if keyword.lower() not in _READ_START:
            # A statement DuckDB knows but sqlglot cannot parse (EXPORT DATABASE, VACUUM) is
            # refused by name; a typo ('selec * form t') is a syntax error, not a statement.
            typo = _duckdb_syntax_error(text)
            if typo is None:
                raise Refused("not_read", _not_read_message(keyword), keyword) from None
            raise Refused("parse_error", f"the SQL could not be parsed: {typo}", typo) from None
        where = _parse_error_text(exc)
        raise Refused("parse_error", f"the SQL could not be parsed: {where}", where) from None
    if not statements:
        raise Refused("empty", "there is no SQL to run (only comments); type a SELECT query")
    if len(statements) > 1:
        raise Refused(
            "multiple",
            f"found {len(statements)} statements separated by ';'; run one query at a time",
            str(len(statements)),
        )
    statement = statements[0]
    try:
        nodes = list(statement.walk())
    except RecursionError:
        raise _too_deep() from None
    if not isinstance(statement, _READ_STATEMENTS):
        # sqlglot reads 'selec * form t' as a bare expression and unknown words as a raw
        # Command: DuckDB's parser says whether it is a statement at all.
        typo = _duckdb_syntax_error(text)
        if typo is not None:
            raise Refused("parse_error", f"the SQL could not be parsed: {typo}", typo)
        keyword = _keyword(statement, text)
        raise Refused("not_read", _not_read_message(keyword), keyword)
    for node in nodes:
        if isinstance(node, _WRITE_NODES):
            keyword = _keyword(node, text)
            raise Refused("not_read", _not_read_message(keyword), keyword)
        if isinstance(node, exp.Func) and _function_name(node) in FILE_FUNCTIONS:
            name = _function_name(node)
            raise Refused(
                "file_access",
                f"{name}() reads files or runs SQL text; query the database tables instead",
                name,
            )
        if isinstance(node, exp.Func) and _function_name(node) in SERVER_INFO_FUNCTIONS:
            raise _server_info(_function_name(node))
        if isinstance(node, exp.Table) and (node.name or "").lower() in SERVER_INFO_FUNCTIONS:
            raise _server_info(node.name.lower())
        if isinstance(node, exp.Table) and _FILE_NAME.search(node.name or ""):
            raise Refused(
                "file_access",
                f"'{node.name}' looks like a file; query the database tables instead",
                node.name,
            )
    kind = type(statement).__name__.upper()
    return CheckedStatement(sql=text, kind="SELECT" if kind == "SUBQUERY" else kind)
