"""SQL lab: analysts' ad-hoc SQL, checked (one read statement) and run in a sandboxed,
read-only connection with a time limit and a row cap.

The names below are loaded on first use, not when the package is imported: every query
file's statement check (``catalog`` -> ``sqllab.served`` -> ``sqllab.statement``) imports
this package, and the sandbox's pandas/pyarrow would add ~1 s to each `kpi show` (#13)."""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "DEFAULT_LIMITS": "sandbox",
    "LabResult": "sandbox",
    "Limits": "sandbox",
    "QueryStopped": "sandbox",
    "open_sandbox": "sandbox",
    "run_query": "sandbox",
    "time_limit": "sandbox",
    "MAX_SQL_CHARS": "statement",
    "CheckedStatement": "statement",
    "Refused": "statement",
    "check_statement": "statement",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'dashboard.sqllab' has no attribute {name!r}")
    return getattr(importlib.import_module(f"dashboard.sqllab.{module}"), name)
