"""Remembered passes of the statement check, so a `kpi show` need not import sqlglot (#13).

Checking a query file parses it with sqlglot: ~0.1 s to import it and ~10 ms a file, most
of a one-query `kpi show`. A file's SQL text either passes the check or not, for a given
version of the rules, so a pass is remembered as a digest of (the rules' version, the
size limit, the SQL text) in ``var/statement-check-<rules>.txt``. Only passes are kept:
a refused file is checked again every time, and an edited file has a new digest. The
rules' version is the check's own source file (size and modification time) plus sqlglot's
installed files (an upgrade rewrites them): an upgrade of either forgets every pass.
Nothing here can make a refused file pass; an unwritable folder only means no memory.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from functools import lru_cache
from pathlib import Path

from dashboard.paths import PROJECT_ROOT

_RULES_SOURCE = Path(__file__).with_name("sql_statement.py")


def _folder() -> Path:
    return PROJECT_ROOT / "var"


@lru_cache(maxsize=1)
def _rules_version() -> str:
    # sqlglot's installed files stand for its version (an upgrade rewrites them), found
    # without importing sqlglot or importlib.metadata (~10 ms of a `kpi show`)
    spec = importlib.util.find_spec("sqlglot")
    parts = [_RULES_SOURCE]
    if spec is not None and spec.origin:
        parts += [Path(spec.origin), Path(spec.origin).with_name("_version.py")]
    text = ":".join(
        f"{p.name}:{st.st_size}:{st.st_mtime_ns}" for p in parts if (st := _stat(p)) is not None
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def _file() -> Path:
    return _folder() / f"statement-check-{_rules_version()}.txt"


def digest(sql: str, max_chars: int) -> str:
    return hashlib.sha256(f"{max_chars}\0{sql}".encode()).hexdigest()


def _read() -> set[str]:
    try:
        return set(_file().read_text(encoding="ascii").split())
    except (OSError, UnicodeDecodeError):
        return set()


def passed(sql: str, max_chars: int) -> bool:
    """Whether this SQL text passed the check before, under the same rules."""
    return digest(sql, max_chars) in _read()


def remember_pass(sql: str, max_chars: int) -> None:
    try:
        _folder().mkdir(parents=True, exist_ok=True)
        with _file().open("a", encoding="ascii") as out:  # one line, appended whole
            out.write(digest(sql, max_chars) + "\n")
    except OSError:
        pass  # a read-only checkout: the check simply runs each time
