"""SQL lab: analysts' ad-hoc SQL, checked (one read statement, ``dashboard.sql_statement``)
and run in a sandboxed, read-only connection with a time limit and a row cap."""

from dashboard.sql_statement import MAX_SQL_CHARS, CheckedStatement, Refused, check_statement
from dashboard.sqllab.sandbox import (
    DEFAULT_LIMITS,
    LabResult,
    Limits,
    QueryStopped,
    open_sandbox,
    run_query,
    time_limit,
)

__all__ = [
    "DEFAULT_LIMITS",
    "MAX_SQL_CHARS",
    "CheckedStatement",
    "LabResult",
    "Limits",
    "QueryStopped",
    "Refused",
    "check_statement",
    "open_sandbox",
    "run_query",
    "time_limit",
]
