"""Messages shown to users carry no server path (#19).

DuckDB's errors name files and folders (``Cannot access directory "/root/.duckdb/..."``,
the database file in a catalog error, the temp directory); an analyst needs none of them,
and they tell an attacker where things are. ``redact_paths`` replaces every absolute path
(POSIX or Windows) with ``<path>`` and leaves URLs, division (``1/0``) and comments alone.
"""

from __future__ import annotations

import re

PATH_MARK = "<path>"

_POSIX_PATH = re.compile(r"(?<![\w.:/~<>])/(?:[\w.@+~-]+/?)+")
_HOME_PATH = re.compile(r"~/(?:[\w.@+~-]+/?)*")
_WINDOWS_PATH = re.compile(r"\b[A-Za-z]:[\\/](?:[^\s'\"<>|:*?]+[\\/]?)*")


def redact_paths(text: str) -> str:
    text = _WINDOWS_PATH.sub(PATH_MARK, text)
    text = _HOME_PATH.sub(PATH_MARK, text)
    return _POSIX_PATH.sub(PATH_MARK, text)
